/**
 * A query field of an @index: a Query on the global secondary index, with the index's
 * partition key from the arguments and an optional sort-key condition. Authorization as
 * for lists: static rules read every item, owner / dynamic-group rules filter.
 */
import { PLAN } from './plan.js';
import { callerOf } from './lib/identity.js';
import { keyQueryOf } from './lib/keyQuery.js';
import { listGrant, pageFields } from './lib/listing.js';
import { passError, presentPage } from './lib/shape.js';

export function request(ctx) {
    const grant = listGrant(ctx, PLAN, [PLAN.indexPartitionKey, PLAN.indexSortKey]);
    const query = Object.assign(
        { operation: 'Query', index: PLAN.indexName },
        keyQueryOf(ctx.args, PLAN.indexPartitionKey, PLAN.indexSortKey),
    );
    return Object.assign(query, pageFields(ctx.args, grant, ctx.args.nextToken));
}

export function response(ctx) {
    passError(ctx);
    const caller = callerOf(ctx, PLAN.security);
    return { items: presentPage(ctx, caller, ctx.result.items, PLAN), nextToken: ctx.result.nextToken ?? null };
}
