/**
 * Query.get<Model>: GetItem, then record-level authorization on the item read. Static
 * rules admit without looking at the item; owner and dynamic-group rules must hold on it.
 */
import { util } from '@aws-appsync/utils';
import { PLAN } from './plan.js';
import { callerOf } from './lib/identity.js';
import { dynamoKey } from './lib/keys.js';
import { admitsRecord, authorize } from './lib/rules.js';
import { passError, presentFor } from './lib/shape.js';

export function request(ctx) {
    const caller = callerOf(ctx, PLAN.security);
    if (!authorize(PLAN.rules, caller, PLAN.security).admitted) {
        util.unauthorized();
    }
    return { operation: 'GetItem', key: dynamoKey(PLAN, ctx.args) };
}

export function response(ctx) {
    passError(ctx);
    const item = ctx.result;
    if (!item) {
        return null;
    }
    const caller = callerOf(ctx, PLAN.security);
    if (!admitsRecord(PLAN.rules, caller, PLAN.security, item)) {
        util.unauthorized();
    }
    return presentFor(ctx, caller, item, PLAN, false);
}
