/**
 * Questions about fields. A `filter` (lists, index queries, subscriptions), a `condition`
 * (update, delete) and a key argument (get, list, an index query's partition key and
 * sort-key condition, update, delete) each ask about the values of the fields they name:
 * which records match, which events arrive, whether the write succeeds, whether a record
 * with that key exists. The answer reveals the value even when the value itself comes back
 * null, so a question may name only fields the caller may read on every record it is
 * answered on. `askGrant` says what the caller is granted on a field, the same way for
 * every question:
 *   - a caller who bypasses (admin role, IAM authorization mode): everything;
 *   - a field the Lambda authorizer denied the caller (`deniedFields` in its
 *     `resolverContext`, see `deniedFieldsOf`): nothing;
 *   - a field with its own rules (plan.readRules): what its read rules grant;
 *   - a field the model's rules govern: everything when the operation says those rules let
 *     the caller read it on every record the question is answered on (`plain`: lists
 *     confine their answers to the caller's grant, so every reader but a partial one;
 *     writes see `writeQuestion`), else nothing.
 * A filter or condition needs the grant unconditional. Decision: an owner / dynamic-group
 * predicate does not count there, as the field may sit under `or` / `not`, where no added
 * predicate can confine it; such a caller cannot filter on the field (Unauthorized). A key
 * is always a conjunct, so a predicate grant confines it (`keyParts`).
 */
import { util } from '@aws-appsync/utils';
import { JSON_STRING_ARRAY } from './identity.js';
import { keyFieldsOf } from './keys.js';
import { readsPartially } from './partial.js';
import { authorize, holds } from './rules.js';

// One entry per and/or/not nesting level looked into (APPSYNC_JS has no recursion or
// while); a filter nested deeper is refused.
const LEVELS = '................................'.split('');

// The resolverContext key a Lambda authorizer lists the caller's denied fields under.
const DENIED_FIELDS_KEY = 'deniedFields';

function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function hasValue(value) {
    return value !== null && value !== undefined;
}

/** The field names a filter or condition object mentions, `and`/`or`/`not` walked. */
export function namedFields(filter) {
    const fields = [];
    let level = isObject(filter) ? [filter] : [];
    LEVELS.forEach(() => {
        const next = [];
        level.forEach((node) => {
            Object.keys(node).forEach((key) => {
                const value = node[key];
                if ((key === 'and' || key === 'or') && Array.isArray(value)) {
                    value.filter((v) => isObject(v)).forEach((v) => next.push(v));
                } else if (key === 'not' && isObject(value)) {
                    next.push(value);
                } else if (!fields.includes(key)) {
                    fields.push(key);
                }
            });
        });
        level = next;
    });
    if (level.length > 0) {
        util.error(`The filter nests and/or/not more than ${LEVELS.length} levels deep.`, 'ValidationException');
    }
    return fields;
}

/** The key fields among `names` the arguments give a value (null and absent ones ask nothing). */
export function givenKeys(args, names) {
    return names.filter((name) => name && hasValue(args[name]));
}

/** `Type.field` for an entry of deniedFields: as it is, or from a field ARN (`.../types/T/fields/f`). */
function deniedName(entry) {
    const at = entry.indexOf('/types/');
    if (!entry.startsWith('arn:') || at < 0) {
        return entry;
    }
    const parts = entry.slice(at + '/types/'.length).split('/');
    return parts.length === 3 && parts[1] === 'fields' ? `${parts[0]}.${parts[2]}` : entry;
}

/**
 * The fields the Lambda authorizer denied this caller, as `Type.field`: the
 * `resolverContext.deniedFields` entry, a JSON array of `Type.field` strings or field ARNs
 * (resolverContext values are strings), or an array. [] for other modes and when the
 * authorizer passes none; null when the entry is malformed (then no field may be asked about).
 */
export function deniedFieldsOf(caller) {
    const context = caller.mode === 'function' ? (caller.identity.resolverContext ?? {}) : {};
    if (!isObject(context) || !hasValue(context[DENIED_FIELDS_KEY])) {
        return [];
    }
    let entries = context[DENIED_FIELDS_KEY];
    if (typeof entries === 'string') {
        entries = util.matches(JSON_STRING_ARRAY, entries.trim()) ? JSON.parse(entries) : null;
    }
    if (!Array.isArray(entries) || entries.some((e) => typeof e !== 'string')) {
        return null;
    }
    return entries.map((e) => deniedName(e.trim()));
}

/**
 * What the caller is granted on `field` of the plan's model as the subject of a question
 * (see above): `{ admitted, unconditional, predicates }` as lib/rules.js's `authorize`.
 * `plain`: whether the model's rules let them read, on every record the question is
 * answered on, the fields without rules of their own.
 */
export function askGrant(plan, caller, field, plain) {
    const denied = caller.bypass ? [] : deniedFieldsOf(caller);
    if (denied === null || denied.includes(`${plan.model}.${field}`)) {
        return { admitted: false, unconditional: false, predicates: [] };
    }
    const readRules = plan.readRules ?? {};
    if (Object.hasOwn(readRules, field)) {
        return authorize(readRules[field], caller, plan.security);
    }
    const open = caller.bypass || plain;
    if (!open) {
        // A caller the model's rules admit through predicates (an owner) who also reads
        // other records partially: a key is answered on the records those predicates hold
        // on (keyParts); a filter, which needs the grant unconditional, stays refused.
        const model = authorize(plan.rules, caller, plan.security);
        return { admitted: model.admitted, unconditional: false, predicates: model.predicates };
    }
    return { admitted: true, unconditional: true, predicates: [] };
}

/**
 * Unauthorized when a filter or condition names a field the caller may not read on every
 * record: a field with own rules needs static admission (a leaf may sit under `or` or
 * `not`, where adding a predicate would change what the question means).
 */
export function requireAskable(plan, caller, fields, plain) {
    if (fields.some((field) => !askGrant(plan, caller, field, plain).unconditional)) {
        util.unauthorized();
    }
}

/**
 * The parts (each an OR of predicates) that confine a question about key `fields` to the
 * records the caller may read them on; Unauthorized when one of them is never readable to
 * them. A key is always a conjunct of the question (a GetItem's key, a key condition), so
 * a predicate admission counts here: on a record where it does not hold, the answer is the
 * same as for no record at all (get: null; a list leaves it out; a write: not found).
 */
export function keyParts(plan, caller, fields, plain) {
    const parts = [];
    fields.forEach((field) => {
        const grant = askGrant(plan, caller, field, plain);
        if (!grant.admitted) {
            util.unauthorized();
        }
        const key = JSON.stringify(grant.predicates);
        if (!grant.unconditional && !parts.some((part) => JSON.stringify(part) === key)) {
            parts.push(grant.predicates);
        }
    });
    return parts;
}

/** Whether each part (an OR of predicates) holds on `record`. */
export function partsHold(parts, record) {
    return parts.every((predicates) => predicates.some((p) => holds(p, record)));
}

/**
 * A read's question (get, list, index query, subscription): the fields its `filter` names
 * and the key fields its arguments ask about (`askedKeys`: those given a value, or named
 * in a key condition, lib/keyQuery.js). The model's fields are open to every reader of
 * the operation but a partial one (lib/partial.js), whose view holds only fields with
 * rules of their own. Returns the key parts (`keyParts`).
 */
export function readQuestion(ctx, plan, caller, askedKeys) {
    const plain = !readsPartially(plan, caller);
    requireAskable(plan, caller, namedFields(ctx.args.filter), plain);
    return keyParts(plan, caller, askedKeys, plain);
}

/**
 * A write's question (update, delete): its key (in `input`) and its `condition`. A key
 * field the model's rules govern is how the write names its record (no record: "not
 * found", as in Amplify); one with own rules gives key parts. The condition's model fields
 * are open to a caller the plan's `viewRules` (whom the response shows the whole record,
 * lib/shape.js) admit statically, or to anyone when there are none; a caller they admit only
 * through predicates asks on the records those hold on: `view` is that grant, for the
 * write's condition (lib/writes.js), so on any other record the write is Unauthorized
 * whatever the condition says. Returns `{ keyParts, view }` (view null: nothing to add).
 */
export function writeQuestion(ctx, plan, caller) {
    const keys = keyParts(plan, caller, givenKeys(ctx.args.input ?? {}, keyFieldsOf(plan)), true);
    const fields = namedFields(ctx.args.condition);
    const readRules = plan.readRules ?? {};
    let view = null;
    if (plan.viewRules && !caller.bypass && fields.some((field) => !Object.hasOwn(readRules, field))) {
        view = authorize(plan.viewRules, caller, plan.security);
    }
    requireAskable(plan, caller, fields, view === null || view.admitted);
    return { keyParts: keys, view: view && !view.unconditional ? view : null };
}
