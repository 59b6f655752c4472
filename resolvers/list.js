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
 * sync operation: tombstones included, and with `lastSync` only the records changed after
 * it (`_lastChangedAt > lastSync`, on the base table: there is no delta-sync table yet).
 */
import { util } from '@aws-appsync/utils';
import { askedKeyFields, tableKeyOf, tableQueryOf } from './lib/keyQuery.js';
import { listGrant, pageFields } from './lib/listing.js';
import { ownerQueryOf } from './lib/ownerKey.js';
import { presentListing } from './lib/shape.js';
import { LAST_CHANGED } from './lib/versions.js';

/** A sync's filter: the caller's `filter` AND changed after `lastSync`, when given. */
function syncFilterOf(args) {
    if (args.lastSync === undefined || args.lastSync === null) {
        return args.filter;
    }
    const since = {};
    since[LAST_CHANGED] = { gt: args.lastSync };
    return args.filter ? { and: [args.filter, since] } : since;
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
    return presentListing(ctx, plan, outcome);
}
