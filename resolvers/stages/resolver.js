/**
 * The code of every generated pipeline resolver but the subscriptions': its plan, put in
 * the stash for the shared functions, and their result as the field's value.
 */
import { PLAN } from '../plan.js';

export function request(ctx) {
    ctx.stash.plan = PLAN;
    return {};
}

export function response(ctx) {
    return ctx.prev.result;
}
