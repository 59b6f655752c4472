/**
 * Query.list<Models> for models with an owner index: a pipeline resolver around one
 * listOwnerForm step per owner identity form. The request decides how to list:
 *   "scan"   static admission: form 0 scans as list.js does, forms 1-2 skip;
 *   "owner"  only owner rules on one indexed scalar field: each form step queries the owner
 *            index for one stored form of the caller ("<sub>::<username>", "<sub>",
 *            "<username>") until the page is full;
 *   "filter" anything else: form 0 scans with the predicates as filter.
 * When the caller gives the partition key argument (a custom primary key), "scan" and
 * "filter" read with a Query on the table (stash.keyQuery) instead of the Scan, and owner
 * callers take "filter": the owner index cannot narrow a table key.
 * The response assembles the page; its token says which form to continue on.
 */
import { PLAN } from './plan.js';
import { listFilterOf, userFilterOf } from './lib/expressions.js';
import { unique } from './lib/identity.js';
import { tableQueryOf } from './lib/keyQuery.js';
import { limitOf, listGrant } from './lib/listing.js';
import { decodePageToken, encodePageToken } from './lib/pageToken.js';
import { presentAll } from './lib/shape.js';

const MAX_FORMS = 3;

/** The owner field and identity forms when the grant is one indexed scalar owner field. */
function ownerPlanOf(grant) {
    const fields = unique(grant.predicates.map((p) => p.field));
    const field = fields[0];
    if (fields.length !== 1 || !Object.hasOwn(PLAN.ownerIndexes, field)) {
        return null;
    }
    const isOwnerField = PLAN.rules.some((r) => r.strategy === 'owner' && r.ownerField === field);
    const isGroupsField = PLAN.rules.some((r) => r.strategy === 'groups' && r.groupsField === field);
    if (!isOwnerField || isGroupsField || grant.predicates.some((p) => p.isList)) {
        return null;
    }
    let forms = [];
    grant.predicates.forEach((p) => {
        forms = unique(forms.concat(p.values));
    });
    return forms.length > MAX_FORMS ? null : { field, index: PLAN.ownerIndexes[field], forms };
}

export function request(ctx) {
    const grant = listGrant(ctx, PLAN);
    const keyQuery = tableQueryOf(ctx.args, PLAN);
    const owner = grant.unconditional || keyQuery ? null : ownerPlanOf(grant);
    const stash = ctx.stash;
    stash.keyQuery = keyQuery;
    stash.limit = limitOf(ctx.args);
    stash.start = decodePageToken(ctx.args.nextToken);
    stash.items = [];
    stash.next = null;
    stash.done = false;
    if (grant.unconditional) {
        stash.mode = 'scan';
        stash.filter = userFilterOf(ctx.args.filter);
    } else if (owner) {
        stash.mode = 'owner';
        stash.ownerField = owner.field;
        stash.index = owner.index;
        stash.forms = owner.forms;
        stash.filter = userFilterOf(ctx.args.filter);
    } else {
        stash.mode = 'filter';
        stash.filter = listFilterOf(ctx.args.filter, grant.predicates);
    }
    return {};
}

export function response(ctx) {
    return { items: presentAll(ctx.stash.items, PLAN), nextToken: encodePageToken(ctx.stash.next) };
}
