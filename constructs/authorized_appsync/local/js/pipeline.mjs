// Runs a resolver - unit or pipeline - the way AppSync does, as far as it can without I/O:
// from `at` until a step needs its data source (DynamoDB, Lambda: the parent process does
// the I/O and calls again with the outcome) or the resolver is done. NONE data sources are
// answered here (the request's `payload` is the response's `ctx.result`), so a pipeline of
// shared functions costs the parent one round trip per data source call, not two per step.
//
// message: {"run": "resolver", "pipeline": bool, "steps": [{"codeId", "code"?, "io"}],
//           "at": {"step", "phase": "start"|"response"}, "ctx", "authType", "now"?,
//           "timeoutMs"?}
//   steps[0] is the resolver, steps[1..] its functions; io is "none" (a NONE data source),
//   "source" (the parent calls it) or "direct" (a step without code: the parent runs it).
//   At phase "response" the parent has put the data source's `result` / `error` in ctx.
// answer:  {"done", "need": null|"source"|"direct", "step", "request", "result",
//           "ctx": {"stash", "prev"}, "error", "errors", "subscriptionFilter",
//           "subscriptionInvalidationFilter", "invalidations", "earlyReturn", "timedOut"}
//
// runtime.earlyReturn (APPSYNC.md §5): in a function's request, the data source and its
// response are skipped and the value is its result; with { skipTo: 'END' } the functions
// after it are skipped too, and the resolver's response runs (AppSync's "Runtime
// utilities" page). In the resolver's request, every function is skipped and the
// resolver's response runs with the value as ctx.result (a unit resolver's data source is
// skipped the same way).
import { AppSyncError, EarlyReturn, createAppSyncUtils } from './appsync_utils.mjs';

class Stop extends Error {}

function payloadOf(sent) {
    const isObject = sent !== null && typeof sent === 'object' && !Array.isArray(sent);
    return isObject ? (sent.payload ?? null) : sent;
}

export function runResolver(message, host) {
    const timeout = message.timeoutMs ?? 5000;
    const limits = timeout > 0 ? { timeout } : {};
    const ctx = { ...(message.ctx ?? {}) };
    const answer = {
        done: false,
        need: null,
        step: null,
        request: null,
        result: null,
        error: null,
        errors: [],
        subscriptionFilter: null,
        subscriptionInvalidationFilter: null,
        invalidations: [],
        earlyReturn: false,
        timedOut: false,
    };

    /** One handler of steps[index], with the current ctx; the context's changes kept. */
    function call(index, handler) {
        const step = message.steps[index];
        const utils = createAppSyncUtils({
            authType: message.authType ?? null,
            info: ctx.info ?? {},
            now: message.now ?? null,
        });
        let early = false;
        let skipTo = null;
        let value = null;
        let context = null;
        try {
            const { sandbox, holder } = host.moduleFor(step, limits);
            holder.current = utils;
            context = host.contextIn(sandbox, ctx);
            value = host.invoke(sandbox, handler, limits);
        } catch (e) {
            if (e instanceof EarlyReturn) {
                early = true;
                value = e.value;
                skipTo = e.options?.skipTo ?? null;
            } else if (e instanceof AppSyncError) {
                answer.error = e.toJSON();
            } else {
                answer.error = { message: String(e?.message ?? e), errorType: 'Code', data: null, errorInfo: null };
                answer.timedOut = host.isTimeout(e);
                if (answer.timedOut && step.codeId !== undefined) host.modules.delete(step.codeId);
            }
        }
        const { state } = utils;
        answer.errors.push(...state.errors);
        if (state.subscriptionFilter) answer.subscriptionFilter = state.subscriptionFilter;
        if (state.subscriptionInvalidationFilter) {
            answer.subscriptionInvalidationFilter = state.subscriptionInvalidationFilter;
        }
        answer.invalidations.push(...state.invalidations);
        if (context) ctx.stash = context.stash;
        if (answer.error) throw new Stop();
        return { early, value, skipTo };
    }

    function pause(index, need, request) {
        answer.need = need;
        answer.step = index;
        answer.request = request;
        throw new Stop();
    }

    function finish(value) {
        ctx.result = value;
        delete ctx.error;
        answer.result = call(0, 'response').value;
        answer.done = true;
    }

    /** A step's data source and response once its request has been answered. */
    function afterRequest(index, sent) {
        if (message.steps[index].io === 'none') {
            ctx.result = payloadOf(sent);
            delete ctx.error;
            return call(index, 'response').value;
        }
        return pause(index, 'source', sent);
    }

    function functions(from, phase) {
        let index = from;
        let resume = phase;
        while (index < message.steps.length) {
            const step = message.steps[index];
            if (resume === 'response') {
                const value = call(index, 'response').value;
                delete ctx.result;
                delete ctx.error;
                ctx.prev = { result: value };
            } else if (step.io === 'direct') {
                pause(index, 'direct', null);
            } else {
                const sent = call(index, 'request');
                if (sent.early && sent.skipTo === 'END') {
                    // The rest of the pipeline is skipped: the resolver's response runs.
                    ctx.prev = { result: sent.value };
                    answer.earlyReturn = true;
                    break;
                } else if (sent.early) {
                    ctx.prev = { result: sent.value };
                    answer.earlyReturn = true;
                } else {
                    const value = afterRequest(index, sent.value);
                    delete ctx.result;
                    delete ctx.error;
                    ctx.prev = { result: value };
                }
            }
            index += 1;
            resume = 'start';
        }
        finish(ctx.prev?.result ?? null);
    }

    try {
        // Code sent now is not sent again (the parent keeps ids): keep every step's module,
        // whether this stretch of the run reaches it or a later one does.
        for (const step of message.steps) {
            if (typeof step.code !== 'string') continue;
            try {
                host.moduleFor(step, limits);
            } catch {
                // Kept as the step's failure; reported if the run reaches the step.
            }
        }
        const { step, phase } = message.at ?? { step: 0, phase: 'start' };
        if (!message.pipeline) {
            if (phase === 'response') {
                answer.result = call(0, 'response').value;
                answer.done = true;
            } else {
                const sent = call(0, 'request');
                if (sent.early) {
                    finish(sent.value);
                } else {
                    answer.result = afterRequest(0, sent.value);
                    answer.done = true;
                }
            }
        } else if (step === 0) {
            const sent = call(0, 'request');
            if (sent.early) {
                ctx.prev = { result: sent.value };
                finish(sent.value);
            } else {
                ctx.prev = { result: sent.value };
                functions(1, 'start');
            }
        } else {
            functions(step, phase);
        }
    } catch (e) {
        if (!(e instanceof Stop)) throw e;
    }
    answer.ctx = { stash: ctx.stash ?? {}, prev: ctx.prev ?? { result: null } };
    return answer;
}
