// Amplify.configure from an amplify_outputs.json that serve wrote, as docs/clients.md shows:
// the file itself, plus the endpoints of serve's Cognito stand-ins, which Amplify's outputs
// schema has no key for, from the file's custom section. `Amplify` is the caller's own: an
// ES module script passes aws-amplify's ES build, a CommonJS one (DataStore, whose package
// loads the CommonJS build of @aws-amplify/core) its CommonJS build, so that the
// configuration lands in the copy the client reads.
const fs = require('node:fs');

function configureFromOutputs(Amplify, path) {
  const outputs = JSON.parse(fs.readFileSync(path, 'utf8'));
  Amplify.configure(outputs);
  const config = Amplify.getConfig();
  const local = outputs.custom.authorized_appsync;
  Amplify.configure({
    ...config,
    Auth: {
      Cognito: {
        ...config.Auth.Cognito,
        userPoolEndpoint: local.cognito_endpoint,
        ...(local.identity_pool_endpoint && { identityPoolEndpoint: local.identity_pool_endpoint }),
      },
    },
  });
  return outputs;
}

module.exports = { configureFromOutputs };
