// Amplify JS's Gen 2 data client (aws-amplify, pinned in package.json) configured only from
// an amplify_outputs.json, as a front end is: Amplify.configure(outputs), then
// generateClient(). Cognito's endpoint (serve's, which the outputs schema has no key for) is
// taken from the file's custom section. Reads one JSON object on stdin:
// { outputs, username, password, title }; prints one JSON line with what each call returned.
import { signIn } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import { Amplify } from 'aws-amplify';
import { configureFromOutputs } from './amplify_config.cjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
configureFromOutputs(Amplify, input.outputs);

const client = generateClient();
const result = {};
try {
  await signIn({ username: input.username, password: input.password });
  const created = await client.models.Post.create({ title: input.title }, { authMode: 'userPool' });
  result.created = { data: created.data, errors: created.errors ?? null };
  const listed = await client.models.Post.list({ authMode: 'apiKey' });
  result.listed = {
    titles: listed.data.map((p) => p.title),
    errors: (listed.errors ?? []).map((e) => e.message),
  };
  const denied = await client.models.Post.create({ title: 'x' }, { authMode: 'apiKey' });
  result.denied = { data: denied.data, errors: (denied.errors ?? []).map((e) => e.errorType) };
} catch (error) {
  result.error = `${error.name}: ${error.message}`;
}
console.log(JSON.stringify(result));
