// Runs one APPSYNC_JS handler (or a list of them) the way AppSync would, locally.
//
// stdin:  {"code", "handler": "request"|"response", "ctx", "authType", "now"?, "timeoutMs"?}
//         or a JSON list of such calls.
// stdout: {"result", "earlyReturn", "error", "errors", "subscriptionFilter",
//          "subscriptionInvalidationFilter", "invalidations", "stash"} (a list for a list).
// With --lines, it stays up: one JSON call (or list) per stdin line, one answer per line.
//
// Each call gets a fresh node:vm context. The module's `@aws-appsync/utils` imports are
// rewritten to read the shim (appsync_utils.mjs) from that context, its `export`s are
// collected, and the whole module runs inside a function in strict mode; `util`,
// `runtime` and `extensions` are globals too, as in AppSync.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { AppSyncError, EarlyReturn, createAppSyncUtils } from './appsync_utils.mjs';

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

/** Runs one call; never throws (failures are reported in `error`). */
export function runCall(call) {
    const ctx = contextObject(call.ctx ?? {});
    const { util, runtime, extensions, state } = createAppSyncUtils({
        authType: call.authType ?? null,
        info: ctx.info,
        now: call.now ?? null,
    });
    const outcome = { result: null, earlyReturn: false, error: null };
    const sandbox = vm.createContext({
        util,
        runtime,
        extensions,
        console: { log: (...a) => process.stderr.write(`${a.join(' ')}\n`), error: (...a) => process.stderr.write(`${a.join(' ')}\n`) },
        __appsync: { utils: { util, runtime, extensions }, dynamodb: dynamodbHelpers() },
        __ctxJson: JSON.stringify(ctx),
    });
    let context = null;
    try {
        const timeout = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        sandbox.__module = new vm.Script(toScript(call.code), { filename: 'resolver.js' }).runInContext(sandbox, { timeout });
        // Built inside the context, so the handler sees that realm's arrays and objects.
        context = vm.runInContext('(() => { const c = JSON.parse(__ctxJson); c.args = c.arguments; return c; })()', sandbox);
        sandbox.__ctx = context;
        if (typeof sandbox.__module[call.handler] !== 'function') {
            throw new Error(`The code exports no '${call.handler}' handler.`);
        }
        sandbox.__handler = call.handler;
        const value = vm.runInContext('__module[__handler](__ctx)', sandbox, { timeout });
        outcome.result = value === undefined ? null : value;
    } catch (e) {
        if (e instanceof EarlyReturn) {
            outcome.result = e.value;
            outcome.earlyReturn = true;
        } else if (e instanceof AppSyncError) {
            outcome.error = e.toJSON();
        } else {
            outcome.error = { message: String(e?.message ?? e), errorType: 'Code', data: null, errorInfo: null };
        }
    }
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
