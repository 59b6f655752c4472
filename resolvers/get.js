/**
 * Query.get<Model>: GetItem, then record-level authorization on the item read. Static
 * rules admit without looking at the item; owner and dynamic-group rules must hold on it.
 * A caller only field rules admit gets the fields those rules let them read (lib/partial.js).
 */
import { util } from '@aws-appsync/utils';
import { PLAN } from './plan.js';
import { callerOf } from './lib/identity.js';
import { dynamoKey } from './lib/keys.js';
import { readGrant } from './lib/partial.js';
import { passError, presentRead } from './lib/shape.js';

export function request(ctx) {
    const caller = callerOf(ctx, PLAN.security);
    if (!readGrant(PLAN, caller).admitted) {
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
    const shown = presentRead(ctx, callerOf(ctx, PLAN.security), item, PLAN, []);
    if (!shown) {
        util.unauthorized();
    }
    return shown;
}
