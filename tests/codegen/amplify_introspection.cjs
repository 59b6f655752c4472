// Amplify's own model introspection of a schema, as Amplify Gen 2 makes it for
// amplify_outputs.json: @aws-amplify/graphql-generator (pinned dev dependency), target
// "introspection". Usage: node amplify_introspection.cjs SCHEMA.graphql > introspection.json
const fs = require('node:fs');
const { generateModelsSync } = require('@aws-amplify/graphql-generator');

const schema = fs.readFileSync(process.argv[2], 'utf8');
const files = generateModelsSync({
  schema,
  target: 'introspection',
  directives: '',
  transformerVersion: 2,
  respectPrimaryKeyAttributesOnConnectionField: true,
  improvePluralization: false,
  generateIndexRules: true,
  emitAuthProvider: true,
  addTimestampFields: true,
  handleListNullabilityTransparently: true,
});
process.stdout.write(Object.values(files)[0]);
