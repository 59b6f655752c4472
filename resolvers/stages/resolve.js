/**
 * Shared function of a LAMBDA model's update and delete (NONE data source), after the
 * handler's function (stages/conflict.js): hands the outcome on when the handler was not
 * invoked, else the operation's `resolveConflict` turns the handler's answer into the
 * retry (`ctx.stash.retryRequest`) the model's retry function sends.
 */
import { runtime } from '@aws-appsync/utils';
import { SECURITY } from '../security.js';
import { resolveConflict } from '../operation.js';
import { planOf } from '../lib/stash.js';

export function request(ctx) {
    if (!ctx.stash.conflictAnswer) {
        runtime.earlyReturn(ctx.prev.result);
    }
    return {};
}

export function response(ctx) {
    return resolveConflict(ctx, planOf(ctx, SECURITY), ctx.stash.conflictAnswer);
}
