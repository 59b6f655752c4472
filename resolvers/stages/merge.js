/**
 * Shared function (NONE data source) of an AUTOMERGE model's update, between the model's
 * data function and its retry function: the operation's `merge` decides from the write's
 * outcome whether to retry it merged (`ctx.stash.retryRequest`), and hands the outcome on.
 */
import { SECURITY } from '../security.js';
import { merge } from '../operation.js';
import { planOf } from '../lib/stash.js';

export function request(ctx) {
    return { payload: ctx.prev.result };
}

export function response(ctx) {
    return merge(ctx, planOf(ctx, SECURITY), ctx.result ?? {});
}
