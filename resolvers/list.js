/**
 * Query.list<Models>. Three ways to read, decided per caller:
 *   static admission (a public / private / static-groups / custom rule, or bypass): a Scan
 *     with the user's filter;
 *   only owner rules on one indexed scalar owner field (lib/ownerKey.js): ONE Query on the
 *     owner index for the caller's owner key, filtered on the caller's full identities, so
 *     DynamoDB reads only the caller's items and pages are full while items remain;
 *   any other predicates (dynamic groups, list owner fields, several owner fields): a Scan
 *     with the predicates as filter.
 * When the caller gives the partition key argument of a custom primary key, the table is
 * Queried with the sort-key condition and sortDirection instead (owner callers then filter).
 * A versioned model's `sync<Plural>` is this list (`plan.sync`), authorized by the rules'
 * sync operation, tombstones included. With a `lastSync` within the tombstones' retention
 * it is ONE Query on the table's delta-sync index (lib/versions.js), `_lastChangedAt >
 * lastSync`, with the same filter as the Scan (the user's, the grant's predicates), so
 * DynamoDB reads only what changed; with an older `lastSync` (deletes since may be gone) it
 * reads as the list does, with `_lastChangedAt > lastSync` in the filter.
 */
import { util } from '@aws-appsync/utils';
import { askedKeyFields, keyQueryOf, tableKeyOf, tableQueryOf } from './lib/keyQuery.js';
import { listGrant, listedPage, pageFields } from './lib/listing.js';
import { ownerQueryOf } from './lib/ownerKey.js';
import { DELTA_INDEX, DELTA_PARTITION, DELTA_TOKEN, LAST_CHANGED, TOMBSTONE_MILLISECONDS } from './lib/versions.js';

function lastSyncOf(args) {
    return args.lastSync === undefined || args.lastSync === null ? null : args.lastSync;
}

/** A sync's filter on the table: the caller's `filter` AND changed after `lastSync`, when given. */
function syncFilterOf(args) {
    const lastSync = lastSyncOf(args);
    if (lastSync === null) {
        return args.filter;
    }
    const since = {};
    since[LAST_CHANGED] = { gt: lastSync };
    return args.filter ? { and: [args.filter, since] } : since;
}

/**
 * The delta-sync read of a sync, `{ lastSync, nextToken }`, or null (it reads the table):
 * `lastSync` newer than the tombstones' retention on a first page; on a later page, where
 * the first page read (its token's mark, lib/listing.js `listedPage`), whatever the clock
 * says by then: DynamoDB's token is bound to the index it came from.
 */
function deltaSyncOf(ctx, plan) {
    const lastSync = plan.sync ? lastSyncOf(ctx.args) : null;
    const token = ctx.args.nextToken;
    if (lastSync === null) {
        return null;
    }
    if (token) {
        return token.startsWith(DELTA_TOKEN) ? { lastSync, nextToken: token.slice(DELTA_TOKEN.length) } : null;
    }
    return lastSync > ctx.stash.startedAt - TOMBSTONE_MILLISECONDS ? { lastSync, nextToken: null } : null;
}

/** The Query on the delta-sync index: the model's records changed after `lastSync`. */
function deltaQuery(plan, lastSync) {
    const args = {};
    args[DELTA_PARTITION] = plan.model;
    args[LAST_CHANGED] = { gt: lastSync };
    const key = { partitionKey: DELTA_PARTITION, sortKey: LAST_CHANGED, sortKeyFields: [] };
    return Object.assign({ operation: 'Query', index: DELTA_INDEX }, keyQueryOf(args, key));
}

function ownerIndexQuery(owner) {
    // "#<attribute>" as lib/expressions.js names every attribute; owner key attributes start
    // with "__", which no GraphQL field can, so the placeholder never means anything else.
    const name = `#${owner.keyAttribute}`;
    const expressionNames = {};
    expressionNames[name] = owner.keyAttribute;
    return {
        operation: 'Query',
        index: owner.index,
        query: {
            expression: `${name} = :ownerKey`,
            expressionNames,
            expressionValues: { ':ownerKey': util.dynamodb.toDynamoDB(owner.key) },
        },
    };
}

export function prepare(ctx, plan) {
    if (plan.sync) {
        ctx.stash.startedAt = util.time.nowEpochMilliSeconds();
    }
    const grant = listGrant(ctx, plan, askedKeyFields(ctx.args, tableKeyOf(plan)));
    const delta = deltaSyncOf(ctx, plan);
    if (delta) {
        ctx.stash.deltaSync = true;
        return Object.assign(deltaQuery(plan, delta.lastSync), pageFields(ctx.args, grant, delta.nextToken));
    }
    const keyQuery = tableQueryOf(ctx.args, plan);
    const owner = grant.unconditional || keyQuery ? null : ownerQueryOf(plan, grant);
    let read = { operation: 'Scan' };
    if (owner) {
        read = ownerIndexQuery(owner);
    } else if (keyQuery) {
        read = Object.assign({ operation: 'Query' }, keyQuery);
    }
    const args = plan.sync ? Object.assign({}, ctx.args, { filter: syncFilterOf(ctx.args) }) : ctx.args;
    return Object.assign(read, pageFields(args, grant, ctx.args.nextToken));
}

export function finish(ctx, plan, outcome) {
    return listedPage(ctx, plan, outcome);
}
