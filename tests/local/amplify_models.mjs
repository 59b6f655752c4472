// Amplify JS's Gen 2 data client (aws-amplify, pinned in package.json) configured only from
// the amplify_outputs.json serve wrote (plus the Cognito endpoints of its custom section,
// amplify_config.cjs), running the blog post's app through generateClient().models with the
// authModes apiKey, userPool, identityPool (serve's Cognito Identity stand-in) and lambda,
// and Gen 1's way: the statements Amplify's generator writes from the API's introspection,
// sent with client.graphql.
// Subscriptions go to the URL Amplify derives from data.url (wss://<host>/graphql/realtime);
// node trusts serve's certificate through NODE_EXTRA_CA_CERTS and has WebSocket with
// --experimental-websocket (node 20). Reads one JSON object on stdin:
// { outputs, password, customToken }; prints one JSON line: what each call returned, by name.
import { signIn, signOut } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import { Amplify } from 'aws-amplify';
import { generateStatements } from '@aws-amplify/graphql-generator';
import { getIntrospectionQuery } from 'graphql';
import { configureFromOutputs } from './amplify_config.cjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const outputs = configureFromOutputs(Amplify, input.outputs);

const client = generateClient();
const { Post, Report } = client.models;
const result = {};

/** A call's outcome: its data, and its errors as { errorType, message }. */
async function outcome(call) {
  try {
    const { data, errors } = await call;
    return {
      data: data ?? null,
      errors: (errors ?? []).map((e) => ({ errorType: e.errorType ?? null, message: e.message })),
    };
  } catch (error) {
    return { thrown: `${error.name}: ${error.message}` };
  }
}

async function as(user, body) {
  const { nextStep } = await signIn({ username: user, password: input.password });
  result.signIns = { ...result.signIns, [user]: nextStep.signInStep };
  try {
    await body();
  } finally {
    await signOut();
  }
}

/**
 * The first value ``observable`` sends for which ``done`` holds. ``publish`` runs every
 * 250 ms until then (a subscription is live some time after ``subscribe``, which has no
 * callback for it), from the first value for which ``ready`` holds (default: at once).
 */
function firstWhere(observable, done, publish, ready = null) {
  return new Promise((resolve, reject) => {
    let timer = null;
    const finish = (settle, value) => {
      clearInterval(timer);
      clearTimeout(limit);
      subscription.unsubscribe();
      settle(value);
    };
    const limit = setTimeout(() => finish(reject, new Error('no matching event in 30 s')), 30000);
    const start = () => {
      if (timer === null) timer = setInterval(() => publish().catch(() => {}), 250);
    };
    const subscription = observable.subscribe({
      next: (value) => {
        if (done(value)) finish(resolve, value);
        else if (ready?.(value)) start();
      },
      error: (error) => finish(reject, new Error(JSON.stringify(error?.errors ?? error))),
    });
    if (ready === null) start();
  });
}

/**
 * Gen 1's statements, as `amplify codegen` writes them: the API's schema read by an
 * introspection query (with the API key), then Amplify's statement generator (its
 * `queries.js`, `mutations.js`, `subscriptions.js`), by operation name.
 */
async function gen1Statements() {
  const response = await fetch(outputs.data.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': outputs.data.api_key },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const schema = JSON.stringify(await response.json());
  const files = generateStatements({ schema, target: 'javascript', maxDepth: 2 });
  const statements = {};
  for (const source of Object.values(files)) {
    for (const [, name, text] of source.matchAll(/export const (\w+) = \/\* GraphQL \*\/ `([^`]*)`/g)) {
      statements[name] = text;
    }
  }
  return statements;
}

/** A Gen 1 call (`client.graphql` with a statement): its data, and its errors. */
async function gen1(query, variables, options) {
  try {
    const { data } = await client.graphql({ query, variables, ...options });
    return { data, errors: [] };
  } catch (failure) {
    const errors = (failure.errors ?? [{ message: String(failure) }]).map((e) => ({
      errorType: e.errorType ?? null,
      message: e.message,
    }));
    return { data: failure.data ?? null, errors };
  }
}

const userPool = { authMode: 'userPool' };
const apiKey = { authMode: 'apiKey' };
const identityPool = { authMode: 'identityPool' };
try {
  let post;
  // A guest of the identity pool (nobody signed in): the unauthenticated role's credentials.
  result.guestLists = await outcome(Post.list(identityPool));
  result.guestCreates = await outcome(Post.create({ title: 'guest' }, identityPool));
  await as('alice', async () => {
    // Signed in, the identity pool gives the authenticated role, which no Post rule names.
    result.signedInRoleLists = await outcome(Post.list(identityPool));
    result.aliceCreates = await outcome(Post.create({ title: 'first', topic: 'news' }, userPool));
    post = result.aliceCreates.data;
    result.aliceGets = await outcome(Post.get({ id: post.id }, userPool));
    result.aliceUpdates = await outcome(Post.update({ id: post.id, title: 'edited' }, userPool));
    const scratch = (await Post.create({ title: 'scratch' }, userPool)).data;
    result.aliceDeletes = await outcome(Post.delete({ id: scratch.id }, userPool));
    result.aliceGetsDeleted = await outcome(Post.get({ id: scratch.id }, userPool));

    // onCreate, as anyone (API key) listens: alice's next post arrives.
    const created = await firstWhere(
      Post.onCreate(apiKey),
      (p) => p.title === 'heard',
      () => Post.create({ title: 'heard', topic: 'news' }, userPool),
    );
    result.onCreate = { title: created.title, topic: created.topic };
    // observeQuery: the list, then the list again after each change it hears.
    const snapshot = await firstWhere(
      Post.observeQuery(apiKey),
      (s) => s.isSynced && s.items.some((p) => p.title === 'observed'),
      () => Post.create({ title: 'observed' }, userPool),
      (s) => s.isSynced,
    );
    result.observeQuery = [...new Set(snapshot.items.map((p) => p.title))].sort();
  });

  result.anyoneLists = await outcome(Post.list(apiKey));
  result.guestGets = await outcome(Post.get({ id: post.id }, identityPool));
  result.anyoneGets = await outcome(Post.get({ id: post.id }, apiKey));
  result.anyoneQueriesTheIndex = await outcome(Post.postsByTopic({ topic: 'news' }, apiKey));
  result.anyoneCreates = await outcome(Post.create({ title: 'spam' }, apiKey));
  result.anyoneUpdates = await outcome(Post.update({ id: post.id, title: 'spam' }, apiKey));
  result.anyoneDeletes = await outcome(Post.delete({ id: post.id }, apiKey));

  const statements = await gen1Statements();
  result.gen1Names = Object.keys(statements).sort();
  await as('alice', async () => {
    const made = await gen1(statements.createPost, { input: { title: 'gen 1', topic: 'old' } }, userPool);
    result.gen1Creates = made;
    const id = made.data?.createPost?.id;
    const input = { id, title: 'gen 1 edited' };
    result.gen1Updates = await gen1(statements.updatePost, { input }, userPool);
    result.gen1Gets = await gen1(statements.getPost, { id }, apiKey);
    result.gen1Queries = await gen1(statements.postsByTopic, { topic: 'old' }, apiKey);
    result.gen1Deletes = await gen1(statements.deletePost, { input: { id } }, userPool);
  });
  result.gen1Lists = await gen1(statements.listPosts, {}, apiKey);
  result.gen1AnyoneCreates = await gen1(statements.createPost, { input: { title: 'spam' } }, apiKey);

  await as('bob', async () => {
    result.bobUpdates = await outcome(Post.update({ id: post.id, title: 'mine' }, userPool));
    result.bobDeletes = await outcome(Post.delete({ id: post.id }, userPool));
  });
  await as('ada', async () => {
    result.adminUpdates = await outcome(Post.update({ id: post.id, title: 'mod' }, userPool));
    result.adminDeletes = await outcome(Post.delete({ id: post.id }, userPool));
  });
  result.afterAdminDelete = await outcome(Post.get({ id: post.id }, apiKey));

  const custom = { authMode: 'lambda', authToken: input.customToken };
  result.lambdaCreates = await outcome(Report.create({ subject: 'spam' }, custom));
  const report = result.lambdaCreates.data;
  result.lambdaGets = await outcome(Report.get({ id: report.id }, custom));
  result.lambdaLists = await outcome(Report.list(custom));
  result.lambdaUpdates = await outcome(Report.update({ id: report.id, subject: 'ham' }, custom));
  result.lambdaDeletes = await outcome(Report.delete({ id: report.id }, custom));
  const wrong = { authMode: 'lambda', authToken: 'not-the-token' };
  result.lambdaRefused = await outcome(Report.list(wrong));
  result.apiKeyOnReport = await outcome(Report.list(apiKey));
} catch (error) {
  result.error = `${error.name}: ${error.message}`;
}
console.log(JSON.stringify(result));
process.exit(0); // subscriptions' sockets would keep node running
