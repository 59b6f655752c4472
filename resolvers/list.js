/**
 * Query.list<Models> (models without an owner index): a Scan. Static admission scans with
 * the user's filter only; owner and dynamic-group rules add their predicates to the filter,
 * so only the caller's items come back.
 */
import { PLAN } from './plan.js';
import { listGrant, pageFields } from './lib/listing.js';
import { passError, presentAll } from './lib/shape.js';

export function request(ctx) {
    const grant = listGrant(ctx, PLAN);
    return Object.assign({ operation: 'Scan' }, pageFields(ctx.args, grant, ctx.args.nextToken));
}

export function response(ctx) {
    passError(ctx);
    return { items: presentAll(ctx.result.items, PLAN), nextToken: ctx.result.nextToken ?? null };
}
