/**
 * The code of a generated subscription resolver: its plan in the stash, and the enhanced
 * filter the shared function decided (null: every event), set here because AppSync takes
 * `extensions.setSubscriptionFilter` only in the resolver's own response handler.
 */
import { extensions } from '@aws-appsync/utils';
import { PLAN } from '../plan.js';

export function request(ctx) {
    ctx.stash.plan = PLAN;
    return {};
}

export function response(ctx) {
    if (ctx.prev.result) {
        extensions.setSubscriptionFilter(ctx.prev.result);
    }
    return null;
}
