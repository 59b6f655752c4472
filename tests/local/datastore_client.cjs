// One device running Amplify DataStore (aws-amplify 6, pinned in package.json) against
// serve, as the blog post "AWS Amplify allows you to mix and match authorization modes in
// DataStore" configures it: AuthModeStrategyType.MULTI_AUTH, the models Amplify's codegen
// (@aws-amplify/graphql-generator, target "javascript", DataStore enabled) writes from the
// app's schema, and Amplify.configure from the amplify_outputs.json serve wrote.
//
// Node stands in for the browser: fake-indexeddb gives DataStore its IndexedDB adapter, and
// `window` is an event target with navigator.onLine, whose 'offline' / 'online' events are
// the ones Amplify's network monitor listens to in a browser. This is CommonJS because
// @aws-amplify/datastore loads the CommonJS build of @aws-amplify/core: configuring the ES
// build would leave DataStore's copy unconfigured.
//
// Driven over stdin / stdout, one JSON object per line each way: {op, ...} in, {ok: value}
// or {error: message} out, in order. Ops: start {user}, save {model, fields},
// update {model, id, fields}, remove {model, id}, query {model}, until {model, id, fields,
// gone}, offline, online, reports. Logs go to stderr.
require('fake-indexeddb/auto');

const network = Object.assign(new EventTarget(), {
  indexedDB: globalThis.indexedDB,
  navigator: { onLine: true },
});
globalThis.window = network;

const readline = require('node:readline');
const { Amplify } = require('aws-amplify');
const { signIn } = require('aws-amplify/auth');
const { DataStore, AuthModeStrategyType, DISCARD, initSchema } = require('aws-amplify/datastore');
const { Hub } = require('aws-amplify/utils');
const { generateModelsSync } = require('@aws-amplify/graphql-generator');
const { configureFromOutputs } = require('./amplify_config.cjs');

const WAIT_MS = 90000;
// stdout carries the answers only: Amplify's logger writes through console.log and friends.
for (const level of ['log', 'info', 'debug', 'warn']) console[level] = console.error;
if (process.env.AMPLIFY_LOG_LEVEL) {
  require('aws-amplify/utils').ConsoleLogger.LOG_LEVEL = process.env.AMPLIFY_LOG_LEVEL;
}

/** DataStore's schema as `amplify codegen models` writes it (schema.js) for `graphql`. */
function codegenSchema(graphql) {
  const files = generateModelsSync({
    schema: graphql,
    target: 'javascript',
    directives: '',
    isDataStoreEnabled: true,
    transformerVersion: 2,
    respectPrimaryKeyAttributesOnConnectionField: true,
    generateIndexRules: true,
    emitAuthProvider: true,
    addTimestampFields: true,
    handleListNullabilityTransparently: true,
  });
  const source = files['schema.js'];
  return JSON.parse(source.replace(/^export const schema = /, '').replace(/;\s*$/, ''));
}

// What DataStore reported: each mutation the server took (outboxMutationProcessed), each
// error handed to errorHandler, each conflict handed to conflictHandler.
const reports = { processed: [], errors: [], conflicts: [] };
const waiters = new Set();

function settleWaiters() {
  for (const waiter of [...waiters]) waiter();
}

/** Resolves when `check()` gives a value other than undefined (checked on every report). */
function when(check, what) {
  return new Promise((resolve, reject) => {
    const limit = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error(`no ${what} within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const waiter = () => {
      Promise.resolve(check()).then((value) => {
        if (value !== undefined && waiters.has(waiter)) {
          waiters.delete(waiter);
          clearTimeout(limit);
          resolve(value);
        }
      }, reject);
    };
    waiters.add(waiter);
    waiter();
  });
}

const plain = (record) => (record ? JSON.parse(JSON.stringify(record)) : null);

let models = null;
let isReady = false;
Hub.listen('datastore', ({ payload }) => {
  if (payload.event === 'ready') isReady = true;
});

/** The next report about `id` after `from` reports were in: processed or an error. */
function outcomeOf(id, from) {
  return when(() => {
    const processed = reports.processed.slice(from.processed).find((p) => p.id === id);
    if (processed) return { processed };
    // DataStore names no record when the server refused every auth mode it tried.
    const error = reports.errors.slice(from.errors).find((e) => e.id === id || e.id === null);
    return error ? { error } : undefined;
  }, `server answer for ${id}`);
}

const counts = () => ({ processed: reports.processed.length, errors: reports.errors.length });

async function start({ user, password, outputs, schema }) {
  configureFromOutputs(Amplify, outputs);
  models = initSchema(codegenSchema(schema));
  Hub.listen('datastore', ({ payload }) => {
    if (payload.event === 'outboxMutationProcessed') {
      reports.processed.push(plain(payload.data.element));
    }
    settleWaiters();
  });
  DataStore.configure({
    authModeStrategyType: AuthModeStrategyType.MULTI_AUTH,
    errorHandler: (error) => {
      const local = plain(error.localModel);
      reports.errors.push({
        id: local?.id ?? null,
        model: error.model ?? null,
        operation: error.operation ?? null,
        errorType: error.errorType ?? null,
        message: error.message,
      });
      settleWaiters();
    },
    conflictHandler: ({ localModel, remoteModel, operation, attempts }) => {
      reports.conflicts.push({
        operation,
        attempts,
        local: plain(localModel),
        remote: plain(remoteModel),
      });
      settleWaiters();
      return DISCARD; // keep the server's record, DataStore's default
    },
  });
  if (user) {
    const { nextStep } = await signIn({ username: user, password });
    if (nextStep.signInStep !== 'DONE') throw new Error(`sign-in of ${user}: ${nextStep.signInStep}`);
  }
  const ready = when(() => (isReady ? true : undefined), 'ready');
  await DataStore.start();
  await ready;
  return { user: user ?? null };
}

async function find(model, id) {
  return DataStore.query(models[model], id);
}

async function save({ model, fields }) {
  const from = counts();
  const record = await DataStore.save(new models[model](fields));
  return { local: plain(record), ...(await outcomeOf(record.id, from)) };
}

async function update({ model, id, fields }) {
  const from = counts();
  const current = await find(model, id);
  if (!current) throw new Error(`${model} ${id} is not in this device's store`);
  const record = await DataStore.save(
    models[model].copyOf(current, (draft) => Object.assign(draft, fields)),
  );
  if (!network.navigator.onLine) return { local: plain(record) };
  return { local: plain(record), ...(await outcomeOf(id, from)) };
}

async function remove({ model, id }) {
  const from = counts();
  const current = await find(model, id);
  if (!current) throw new Error(`${model} ${id} is not in this device's store`);
  await DataStore.delete(current);
  return outcomeOf(id, from);
}

/** Waits until this device's store holds `id` with `fields` (or, with `gone`, not at all). */
async function until({ model, id, fields, gone }) {
  let last = null;
  const matches = async () => {
    const record = plain(await find(model, id));
    last = record;
    if (gone) return record === null ? true : undefined;
    if (!record) return undefined;
    return Object.entries(fields).every(([k, v]) => JSON.stringify(record[k]) === JSON.stringify(v))
      ? record
      : undefined;
  };
  const poll = setInterval(settleWaiters, 100);
  try {
    return await when(matches, `${model} ${id} as ${JSON.stringify(fields ?? 'gone')}`);
  } catch (error) {
    throw new Error(`${error.message}; last seen ${JSON.stringify(last)}`);
  } finally {
    clearInterval(poll);
  }
}

function setOnline(online) {
  network.navigator.onLine = online;
  network.dispatchEvent(new Event(online ? 'online' : 'offline'));
  return { online };
}

const ops = {
  start,
  save,
  update,
  remove,
  until,
  query: async ({ model }) => (await DataStore.query(models[model])).map(plain),
  offline: async () => setOnline(false),
  online: async () => setOnline(true),
  reports: async () => reports,
};

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    const request = JSON.parse(line);
    try {
      const value = await ops[request.op](request);
      process.stdout.write(`${JSON.stringify({ ok: value ?? null })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: `${error.name}: ${error.message}` })}\n`);
    }
  });
});
lines.on('close', () => queue.then(() => process.exit(0)));
