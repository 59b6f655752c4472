/**
 * Rule evaluation. A rule admits a caller statically (no record needed: public, private,
 * static groups, custom) or through a record predicate (owner, dynamic groups): a field of
 * the record must hold one of the caller's values. Rules of another provider than the
 * caller's mode never apply; rules are OR-ed.
 */
import { groupsOf, hasPoolRole, ownerIdentitiesOf } from './identity.js';

function admitsStatically(rule, caller, security) {
    const { mode, identity } = caller;
    if (rule.provider !== mode) {
        return false;
    }
    switch (rule.strategy) {
        case 'public':
            return mode === 'apiKey' || (mode === 'iam' && hasPoolRole(identity, security, 'unauthenticated'));
        case 'private':
            if (mode === 'iam') {
                return hasPoolRole(identity, security, 'authenticated');
            }
            return mode === 'userPools' || mode === 'oidc';
        case 'groups': {
            if (mode !== 'userPools' && mode !== 'oidc') {
                return false;
            }
            const wanted = rule.groups ?? [];
            return wanted.length > 0 && groupsOf(identity, rule.groupClaim).some((g) => wanted.includes(g));
        }
        case 'custom':
            return mode === 'function';
        default:
            return false;
    }
}

/**
 * The record predicate of an owner or dynamic-groups rule for this caller:
 * `{ field, isList, values }`, or null when the rule has none or the caller has no values.
 */
export function predicateOf(rule, caller) {
    if (rule.provider !== caller.mode) {
        return null;
    }
    let predicate = null;
    if (rule.strategy === 'owner') {
        predicate = {
            field: rule.ownerField,
            isList: rule.ownerIsList === true,
            values: ownerIdentitiesOf(caller.identity, rule.identityClaim),
        };
    } else if (rule.strategy === 'groups' && (rule.groups ?? []).length === 0 && rule.groupsField) {
        predicate = {
            field: rule.groupsField,
            isList: rule.groupsFieldIsList === true,
            values: groupsOf(caller.identity, rule.groupClaim),
        };
    }
    return predicate && predicate.field && predicate.values.length > 0 ? predicate : null;
}

/**
 * What `rules` grant this caller: `{ admitted, unconditional, predicates }`.
 * `unconditional`: bypass or a static rule; otherwise `predicates` (OR-ed) must hold.
 */
export function authorize(rules, caller, security) {
    if (caller.bypass || rules.some((rule) => admitsStatically(rule, caller, security))) {
        return { admitted: true, unconditional: true, predicates: [] };
    }
    const predicates = rules.map((rule) => predicateOf(rule, caller)).filter((p) => p !== null);
    return { admitted: predicates.length > 0, unconditional: false, predicates };
}

/** Whether a predicate holds on a record (a plain item). */
export function holds(predicate, record) {
    const value = record ? record[predicate.field] : null;
    if (predicate.isList) {
        return Array.isArray(value) && value.some((v) => predicate.values.includes(v));
    }
    return typeof value === 'string' && predicate.values.includes(value);
}

/** Whether `rules` admit this caller for `record`, statically or by a predicate on it. */
export function admitsRecord(rules, caller, security, record) {
    const grant = authorize(rules, caller, security);
    return grant.unconditional || grant.predicates.some((p) => holds(p, record));
}
