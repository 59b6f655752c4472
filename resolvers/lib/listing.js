/** What list-like reads share: who may list, the filter, paging arguments. */
import { util } from '@aws-appsync/utils';
import { listFilterOf } from './expressions.js';
import { callerOf } from './identity.js';
import { readGrant } from './partial.js';
import { readQuestion } from './questions.js';
import { presentListing } from './shape.js';
import { DELTA_TOKEN } from './versions.js';

export const DEFAULT_LIMIT = 100;

/**
 * The grant for a list: unconditional (static rule or bypass), or the predicates every
 * item must satisfy (the model's rules and the partial readers', lib/partial.js), with
 * `keyParts`: what confines the key fields the arguments ask about (`askedKeys`) to the
 * records the caller may read them on. Nothing, or a `filter` or key argument naming a field the caller may not
 * read (lib/questions.js) -> Unauthorized.
 */
export function listGrant(ctx, plan, askedKeys) {
    const caller = callerOf(ctx, plan.security);
    const grant = readGrant(plan, caller);
    if (!grant.admitted) {
        util.unauthorized();
    }
    return Object.assign({ keyParts: readQuestion(ctx, plan, caller, askedKeys) }, grant);
}

/** The page size asked for (default 100). */
export function limitOf(args) {
    return args.limit ?? DEFAULT_LIMIT;
}

/**
 * Scan or Query fields shared by list reads: limit, nextToken and the filter (the user's
 * `filter` AND-ed with the OR of the grant's predicates and with each of its key parts).
 */
export function pageFields(args, grant, nextToken) {
    const fields = { limit: limitOf(args) };
    if (nextToken) {
        fields.nextToken = nextToken;
    }
    const filter = listFilterOf(args.filter, grant.unconditional ? [] : grant.predicates, grant.keyParts ?? []);
    if (filter) {
        fields.filter = filter;
    }
    return fields;
}

/**
 * What a list or an index query returns (lib/shape.js `presentListing`; one function for
 * both, so both share one finish function), the page token of a delta sync marked as one
 * (list.js reads its later pages on the delta-sync index again).
 */
export function listedPage(ctx, plan, outcome) {
    const page = presentListing(ctx, plan, outcome);
    if (ctx.stash.deltaSync && page && page.nextToken) {
        page.nextToken = DELTA_TOKEN + page.nextToken;
    }
    return page;
}
