/**
 * A query field of an @index: a Query on the global secondary index, with the index's
 * partition key from the arguments and an optional sort-key condition (a composite sort
 * key's as lib/keyQuery.js says). Authorization as
 * for lists: static rules read every item, owner / dynamic-group rules filter.
 * A @hasMany relation field is this query, the key from the record holding it
 * (`sourceKeys`, lib/keys.js; every part of a key of several fields, lib/keyQuery.js), on
 * the table itself for a @hasMany(fields:) without indexName: the connected items the
 * related model's rules let the caller read; a @hasOne whose related model stores the key
 * (`single`) is the first of them, or null. A @hasMany page only an owner rule admits (lib/ownerKey.js, the same
 * decision as an owner list's) is ONE Query on the relation owner index (`ownerIndexes`:
 * the foreign key, then the owner key), filtered on the caller's full identities, so
 * DynamoDB reads only the caller's connected items and pages are full while items remain.
 */
import { askedKeyFields, indexKeyOf, keyQueryOf, relationKeyArgsOf } from './lib/keyQuery.js';
import { listGrant, listedPage, pageFields } from './lib/listing.js';
import { ownerQueryOf } from './lib/ownerKey.js';
import { endWhereRelationKeyHidden } from './lib/relationSource.js';

/** The index and key condition: the plan's index, or the owner's relation owner index. */
function indexQueryOf(ctx, plan, grant) {
    const key = indexKeyOf(plan);
    const args = relationKeyArgsOf(ctx, plan, key);
    const owner = grant.unconditional ? null : ownerQueryOf(plan, grant);
    if (!owner) {
        // No index: a @hasMany(fields:) without indexName queries the table's primary key.
        const query = plan.indexName ? { operation: 'Query', index: plan.indexName } : { operation: 'Query' };
        return Object.assign(query, keyQueryOf(args, key));
    }
    // The owner index has no sort key of the plan's (only indexes without one are narrowed):
    // its sort key is the owner key attribute, asked for with `eq`.
    args[owner.keyAttribute] = { eq: owner.key };
    const ownerKey = { partitionKey: key.partitionKey, sortKey: owner.keyAttribute, sortKeyFields: [] };
    return Object.assign({ operation: 'Query', index: owner.index }, keyQueryOf(args, ownerKey));
}

export function prepare(ctx, plan) {
    endWhereRelationKeyHidden(ctx, plan);
    // A relation's key from the record holding it is asked as an argument would be: the
    // connected items tell which records hold it.
    const asked = askedKeyFields(relationKeyArgsOf(ctx, plan, indexKeyOf(plan)), indexKeyOf(plan));
    const grant = listGrant(ctx, plan, asked);
    return Object.assign(indexQueryOf(ctx, plan, grant), pageFields(ctx.args, grant, ctx.args.nextToken));
}

export function finish(ctx, plan, outcome) {
    return listedPage(ctx, plan, outcome);
}
