// Runs one APPSYNC_JS handler (or a list of them) the way AppSync would, locally.
//
// stdin:  {"code", "handler": "request"|"response", "ctx", "authType", "now"?, "timeoutMs"?,
//          "codeId"?, "drop"?} or a JSON list of such calls; or a resolver run
//          {"run": "resolver", ...} (pipeline.mjs).
// stdout: {"result", "earlyReturn", "error", "errors", "subscriptionFilter",
//          "subscriptionInvalidationFilter", "invalidations", "stash", "timedOut"}
//         (a list for a list).
// With --lines, it stays up: one JSON call (or list) per stdin line, one answer per line.
//
// A call without `codeId` gets a fresh node:vm context. With `codeId` (the persistent host,
// runner.py: JsSession), the module is evaluated once in its own context and kept under that
// id: later calls with the same id may leave `code` out, and `drop` lists ids to forget.
// Each call still gets its own `util`/`runtime`/`extensions` (the context's globals forward
// to the current call's instance) and its own `ctx`; what the module keeps at its top
// level lives on between calls, as in a warm runtime (the generated resolvers keep
// nothing). The module's `@aws-appsync/utils` imports are rewritten to read the shim
// (appsync_utils.mjs) from the context, its `export`s are collected, and the whole module
// runs inside a function in strict mode; `util`, `runtime` and `extensions` are globals
// too, as in AppSync.
//
// A handler still running after `timeoutMs` is stopped (vm's timeout; promise jobs run
// inside the same budget) and reported with `timedOut: true`; its context is discarded.
// `timeoutMs: 0` runs without one: vm's timeout starts and joins a watchdog thread on every
// call, which costs more than the handler itself, so the persistent host leaves timing to
// its parent, which kills and restarts this process when an answer is late.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { AppSyncError, EarlyReturn, createAppSyncUtils } from './appsync_utils.mjs';
import { runResolver } from './pipeline.mjs';

const DEFAULT_TIMEOUT_MS = 5000;
const IMPORT = /^import\s+(\{[^}]*\}|\*\s*as\s+[\w$]+)\s+from\s+(['"])([^'"]+)\2[ \t]*;?[ \t]*$/gm;
const EXPORT = /^export\s+(function|const|let|var)\s+([\w$]+)/gm;
const MODULES = { '@aws-appsync/utils': '__appsync.utils', '@aws-appsync/utils/dynamodb': '__appsync.dynamodb' };

/** The module as a script that evaluates to its exports. */
export function toScript(code) {
    const exported = [];
    let body = code.replace(IMPORT, (_, clause, _q, spec) => {
        if (!Object.hasOwn(MODULES, spec)) {
            throw new Error(`The local runtime cannot import '${spec}': bundle the resolver first.`);
        }
        if (clause.startsWith('*')) {
            return `const ${clause.split(/\s+/).pop()} = ${MODULES[spec]};`;
        }
        return `const ${clause.replace(/\s+as\s+/g, ': ')} = ${MODULES[spec]};`;
    });
    body = body.replace(EXPORT, (_, keyword, name) => {
        exported.push(name);
        return `${keyword} ${name}`;
    });
    if (/^\s*(import|export)\b/m.test(body)) {
        throw new Error('The local runtime supports only `import {..} from` and `export function|const|let|var`.');
    }
    return `(function () {\n'use strict';\n${body}\nreturn { ${exported.join(', ')} };\n})()`;
}

function contextObject(ctx) {
    return {
        arguments: ctx.arguments ?? ctx.args ?? {},
        identity: ctx.identity ?? null,
        source: ctx.source ?? null,
        stash: ctx.stash ?? {},
        result: ctx.result ?? null,
        prev: ctx.prev ?? { result: null },
        request: ctx.request ?? { headers: {}, domainName: null },
        info: {
            fieldName: null,
            parentTypeName: null,
            variables: {},
            selectionSetList: [],
            selectionSetGraphQL: '',
            ...(ctx.info ?? {}),
        },
        ...(ctx.error ? { error: ctx.error } : {}),
    };
}

function dynamodbHelpers() {
    const missing = () => {
        throw new Error("The local runtime does not implement '@aws-appsync/utils/dynamodb' yet.");
    };
    return new Proxy({}, { get: missing });
}

/** An object that reads (and lists) `holder.current[key]`'s properties at access time. */
function forwarding(holder, key) {
    const target = () => holder.current[key];
    return new Proxy(
        {},
        {
            get: (_, name) => target()[name],
            has: (_, name) => name in target(),
            ownKeys: () => Reflect.ownKeys(target()),
            getOwnPropertyDescriptor: (_, name) => {
                const found = Reflect.getOwnPropertyDescriptor(target(), name);
                return found ? { ...found, configurable: true } : undefined;
            },
        },
    );
}

const printer = {
    log: (...a) => process.stderr.write(`${a.join(' ')}\n`),
    error: (...a) => process.stderr.write(`${a.join(' ')}\n`),
};
const BUILD_CTX = new vm.Script('(() => { const c = JSON.parse(__ctxJson); c.args = c.arguments; return c; })()');
const INVOKE = new vm.Script('__module[__handler](__ctx)');

/** A context with the module `code` evaluated in it; its utils are the current call's. */
function loadModule(code, limits) {
    const holder = { current: null };
    const util = forwarding(holder, 'util');
    const runtime = forwarding(holder, 'runtime');
    const extensions = forwarding(holder, 'extensions');
    const sandbox = vm.createContext(
        {
            util,
            runtime,
            extensions,
            console: printer,
            __appsync: { utils: { util, runtime, extensions }, dynamodb: dynamodbHelpers() },
        },
        { microtaskMode: 'afterEvaluate' },
    );
    sandbox.__module = new vm.Script(toScript(code), { filename: 'resolver.js' }).runInContext(sandbox, limits);
    return { sandbox, holder };
}

/** Kept modules by codeId (the Python side decides what to keep and sends `drop`). */
const modules = new Map();

function moduleFor(call, limits) {
    if (call.codeId === undefined || call.codeId === null) {
        return loadModule(call.code, limits);
    }
    let module = modules.get(call.codeId);
    if (module === undefined) {
        if (typeof call.code !== 'string') {
            throw new Error(`The runner has no code under id ${call.codeId}; send the code again.`);
        }
        try {
            module = loadModule(call.code, limits);
        } catch (e) {
            // Code that does not load fails the same way on every call (not a stopped one).
            if (!isTimeout(e)) modules.set(call.codeId, { failure: e });
            throw e;
        }
        modules.set(call.codeId, module);
    }
    if (module.failure !== undefined) throw module.failure;
    return module;
}

function isTimeout(e) {
    return e?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/** `ctx` (plain data) as a context object of the sandbox's realm, set as its `__ctx`. */
function contextIn(sandbox, ctx) {
    sandbox.__ctxJson = JSON.stringify(contextObject(ctx));
    const context = BUILD_CTX.runInContext(sandbox);
    sandbox.__ctx = context;
    return context;
}

function invoke(sandbox, handler, limits) {
    if (typeof sandbox.__module[handler] !== 'function') {
        throw new Error(`The code exports no '${handler}' handler.`);
    }
    sandbox.__handler = handler;
    const value = INVOKE.runInContext(sandbox, limits);
    return value === undefined ? null : value;
}

/** Runs one call; never throws (failures are reported in `error`). */
export function runCall(call) {
    for (const id of call.drop ?? []) modules.delete(id);
    const ctx = contextObject(call.ctx ?? {});
    const utils = createAppSyncUtils({
        authType: call.authType ?? null,
        info: ctx.info,
        now: call.now ?? null,
    });
    const outcome = { result: null, earlyReturn: false, error: null, timedOut: false };
    const timeout = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const limits = timeout > 0 ? { timeout } : {};
    let context = null;
    try {
        const { sandbox, holder } = moduleFor(call, limits);
        holder.current = utils;
        // Built inside the context, so the handler sees that realm's arrays and objects.
        context = contextIn(sandbox, ctx);
        outcome.result = invoke(sandbox, call.handler, limits);
    } catch (e) {
        if (e instanceof EarlyReturn) {
            outcome.result = e.value;
            outcome.earlyReturn = true;
        } else if (e instanceof AppSyncError) {
            outcome.error = e.toJSON();
        } else {
            outcome.error = { message: String(e?.message ?? e), errorType: 'Code', data: null, errorInfo: null };
            // A stopped module may be half-way through anything: start it afresh next time.
            outcome.timedOut = isTimeout(e);
            if (outcome.timedOut && call.codeId !== undefined) modules.delete(call.codeId);
        }
    }
    const { state } = utils;
    return {
        ...outcome,
        errors: state.errors,
        subscriptionFilter: state.subscriptionFilter,
        subscriptionInvalidationFilter: state.subscriptionInvalidationFilter,
        invalidations: state.invalidations,
        stash: context ? context.stash : ctx.stash,
    };
}

async function readStdin() {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
}

function answer(input) {
    if (!Array.isArray(input) && input.run === 'resolver') {
        for (const id of input.drop ?? []) modules.delete(id);
        return JSON.stringify(runResolver(input, { moduleFor, contextIn, invoke, isTimeout, modules }));
    }
    return JSON.stringify(Array.isArray(input) ? input.map(runCall) : runCall(input));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    if (process.argv.includes('--lines')) {
        for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
            if (line.trim()) process.stdout.write(`${answer(JSON.parse(line))}\n`);
        }
    } else {
        process.stdout.write(answer(JSON.parse(await readStdin())));
    }
}
