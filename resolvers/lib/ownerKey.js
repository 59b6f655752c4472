/**
 * The owner key: one normalized value per stored owner, kept in a separate attribute that
 * the owner index is keyed on, so an owner list is ONE Query whatever form the owner was
 * stored in.
 *
 * A stored owner may be "<sub>::<username>", "<sub>" or "<username>". The key is the part
 * after the first "::", else the whole value: "<sub>::<username>" and "<username>" both
 * key as "<username>". A value that is one of the writer's own identities keys as the
 * writer's first identity does, so a caller who stores their bare "<sub>" still finds
 * the item in their list. The list reads the caller's key and filters on the full
 * identities, so another user who once had the same username never sees the item.
 */
import { unique } from './identity.js';
import { predicateOf } from './rules.js';

/** The part after the first "::" ("<sub>::<username>" -> "<username>"), else the value. */
export function usernamePart(value) {
    if (typeof value !== 'string') {
        return value;
    }
    const at = value.indexOf('::');
    return at < 0 ? value : value.slice(at + 2);
}

/** The owner-index entry of `field`: `{ index, keyAttribute }`, or null when it has none. */
export function ownerIndexOf(plan, field) {
    const indexes = plan.ownerIndexes ?? {};
    return Object.hasOwn(indexes, field) ? indexes[field] : null;
}

/**
 * The key to store for `value` written to owner field `field` by `caller`: null when the
 * value cannot be indexed (not a non-empty string; DynamoDB refuses empty index keys).
 */
export function ownerKeyFor(plan, field, value, caller) {
    if (typeof value !== 'string' || value === '') {
        return null;
    }
    let key = usernamePart(value);
    plan.rules.concat(plan.ownerFields ?? []).forEach((rule) => {
        const predicate = rule.strategy === 'owner' && rule.ownerField === field ? predicateOf(rule, caller) : null;
        if (predicate && predicate.values.includes(value)) {
            key = usernamePart(predicate.values[0]);
        }
    });
    return key === '' ? null : key;
}

/**
 * The owner key attributes of an item about to be put: attribute name -> key, for each
 * indexed owner field the item holds.
 */
export function ownerKeysOf(plan, item, caller) {
    const keys = {};
    Object.keys(plan.ownerIndexes ?? {}).forEach((field) => {
        const key = ownerKeyFor(plan, field, item[field], caller);
        if (key !== null) {
            keys[plan.ownerIndexes[field].keyAttribute] = key;
        }
    });
    return keys;
}

/**
 * How an owner list can read: `{ field, index, keyAttribute, key }` when every predicate of
 * the grant is an owner predicate on the same indexed scalar owner field and they share one
 * key; null otherwise (the list then scans with the predicates as filter).
 */
export function ownerQueryOf(plan, grant) {
    const fields = unique(grant.predicates.map((p) => p.field));
    const field = fields[0];
    const entry = fields.length === 1 ? ownerIndexOf(plan, field) : null;
    if (!entry || grant.predicates.some((p) => p.isList)) {
        return null;
    }
    const isOwnerField = plan.rules.some((r) => r.strategy === 'owner' && r.ownerField === field);
    const isGroupsField = plan.rules.some((r) => r.strategy === 'groups' && r.groupsField === field);
    if (!isOwnerField || isGroupsField) {
        return null;
    }
    const keys = unique(grant.predicates.map((p) => usernamePart(p.values[0])));
    if (keys.length !== 1 || !keys[0]) {
        return null;
    }
    return { field, index: entry.index, keyAttribute: entry.keyAttribute, key: keys[0] };
}
