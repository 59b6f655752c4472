/** What list-like reads share: who may list, the filter, paging arguments. */
import { util } from '@aws-appsync/utils';
import { listFilterOf } from './expressions.js';
import { callerOf } from './identity.js';
import { readGrant, readsPartially, requirePartiallyReadable } from './partial.js';
import { namedFields, requireReadable } from './readable.js';

export const DEFAULT_LIMIT = 100;

/**
 * The grant for a list: unconditional (static rule or bypass), or the predicates every
 * item must satisfy (the model's rules and the partial readers', lib/partial.js). A
 * partial reader's filter and `keyFields` arguments must name fields they may read. Nothing, or a `filter` naming a field the caller may not read
 * (lib/readable.js) -> Unauthorized.
 */
export function listGrant(ctx, plan, keyFields) {
    const caller = callerOf(ctx, plan.security);
    const grant = readGrant(plan, caller);
    if (!grant.admitted) {
        util.unauthorized();
    }
    requireReadable(plan, caller, ctx.args.filter);
    if (readsPartially(plan, caller)) {
        const keys = keyFields.filter((field) => field && ctx.args[field] !== undefined && ctx.args[field] !== null);
        requirePartiallyReadable(plan, caller, namedFields(ctx.args.filter).concat(keys));
    }
    return grant;
}

/** The page size asked for (default 100). */
export function limitOf(args) {
    return args.limit ?? DEFAULT_LIMIT;
}

/**
 * Scan or Query fields shared by list reads: limit, nextToken and the filter (the user's
 * `filter` AND-ed with the OR of the grant's predicates).
 */
export function pageFields(args, grant, nextToken) {
    const fields = { limit: limitOf(args) };
    if (nextToken) {
        fields.nextToken = nextToken;
    }
    const filter = listFilterOf(args.filter, grant.unconditional ? [] : grant.predicates);
    if (filter) {
        fields.filter = filter;
    }
    return fields;
}
