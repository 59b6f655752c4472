// Amplify JS's own signIn (aws-amplify, pinned in package.json) against a Cognito endpoint,
// with the options a front end leaves at their defaults (USER_SRP_AUTH). Reads one JSON
// object on stdin: { endpoint, userPoolId, userPoolClientId, username, password }; prints one
// JSON line: { isSignedIn, nextStep, idToken } or { error, message }.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn } from 'aws-amplify/auth';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: input.userPoolId,
      userPoolClientId: input.userPoolClientId,
      userPoolEndpoint: input.endpoint,
    },
  },
});

try {
  const { isSignedIn, nextStep } = await signIn({
    username: input.username,
    password: input.password,
  });
  const session = isSignedIn ? await fetchAuthSession() : undefined;
  console.log(
    JSON.stringify({
      isSignedIn,
      nextStep: nextStep.signInStep,
      idToken: session?.tokens?.idToken?.toString() ?? null,
    }),
  );
} catch (error) {
  console.log(JSON.stringify({ error: error.name, message: error.message }));
}
