/**
 * A query field of an @index: a Query on the global secondary index, with the index's
 * partition key from the arguments and an optional sort-key condition (a composite sort
 * key's as lib/keyQuery.js says). Authorization as
 * for lists: static rules read every item, owner / dynamic-group rules filter.
 * A @hasMany relation field is this query, the partition key from the record holding it
 * (`sourceKeys`, lib/keys.js): the connected items the related model's rules let the
 * caller read; a @hasOne whose related model stores the key (`single`) is the first of
 * them, or null.
 */
import { askedKeyFields, indexKeyOf, keyQueryOf } from './lib/keyQuery.js';
import { keyArgsOf } from './lib/keys.js';
import { listGrant, pageFields } from './lib/listing.js';
import { presentListing } from './lib/shape.js';

export function prepare(ctx, plan) {
    const key = indexKeyOf(plan);
    // A relation's key from the record holding it is asked as an argument would be: the
    // connected items tell which records hold it.
    const args = keyArgsOf(ctx, plan);
    const grant = listGrant(ctx, plan, askedKeyFields(args, key));
    const query = Object.assign({ operation: 'Query', index: plan.indexName }, keyQueryOf(args, key));
    return Object.assign(query, pageFields(ctx.args, grant, ctx.args.nextToken));
}

export function finish(ctx, plan, outcome) {
    return presentListing(ctx, plan, outcome);
}
