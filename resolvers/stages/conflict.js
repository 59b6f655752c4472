/**
 * Shared function of a LAMBDA model's update and delete, bound to the conflict handler's
 * Lambda data source, between the model's data function and its retry function: invokes
 * the handler only when the write failed for its version (lib/conflictHandler.js), and the
 * operation's `resolveConflict` turns its answer into the retry (`ctx.stash.retryRequest`).
 */
import { SECURITY } from '../security.js';
import { resolveConflict } from '../operation.js';
import { handlerAnswer, handlerRequest } from '../lib/conflictHandler.js';
import { planOf } from '../lib/stash.js';

export function request(ctx) {
    return handlerRequest(ctx, planOf(ctx, SECURITY));
}

export function response(ctx) {
    const plan = planOf(ctx, SECURITY);
    return resolveConflict(ctx, plan, handlerAnswer(ctx, plan));
}
