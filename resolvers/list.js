/**
 * Query.list<Models> (models without an owner index): a Scan, or - when the caller gives
 * the partition key argument of a custom primary key - a Query on the table with the
 * sort-key condition and sortDirection. Static admission reads with the user's filter
 * only; owner and dynamic-group rules add their predicates to the filter, so only the
 * caller's items come back.
 */
import { PLAN } from './plan.js';
import { tableQueryOf } from './lib/keyQuery.js';
import { listGrant, pageFields } from './lib/listing.js';
import { passError, presentAll } from './lib/shape.js';

export function request(ctx) {
    const grant = listGrant(ctx, PLAN);
    const keyQuery = tableQueryOf(ctx.args, PLAN);
    const read = keyQuery ? Object.assign({ operation: 'Query' }, keyQuery) : { operation: 'Scan' };
    return Object.assign(read, pageFields(ctx.args, grant, ctx.args.nextToken));
}

export function response(ctx) {
    passError(ctx);
    return { items: presentAll(ctx.result.items, PLAN), nextToken: ctx.result.nextToken ?? null };
}
