/**
 * Items as the API returns them: owner values stored as "<sub>::<username>" read back as
 * "<username>" (seed 000: "authorize against the full value of <sub>::<username> or sub /
 * username separately and return username"), and field-protected values nulled in
 * mutation responses so subscription payloads never leak them.
 */
import { util } from '@aws-appsync/utils';
import { guardRead } from './fieldGuard.js';
import { usernamePart } from './ownerKey.js';
import { partiallyReadable, partialView, readableFields } from './partial.js';
import { admitsRecord } from './rules.js';

/** Owner fields (of every rule the plan names) whose identity claim is "sub::username". */
export function usernameFields(plan) {
    let specs = plan.rules.concat(plan.ownerFields ?? []);
    Object.values(plan.fieldRules ?? {}).forEach((rules) => {
        specs = specs.concat(rules);
    });
    const fields = [];
    specs.forEach((rule) => {
        const claim = rule.identityClaim ?? 'sub::username';
        if (rule.strategy === 'owner' && claim === 'sub::username' && !fields.includes(rule.ownerField)) {
            fields.push(rule.ownerField);
        }
    });
    return fields;
}

/** The item as returned: owner values read back as usernames, `protect`ed fields nulled. */
export function present(item, plan, protect) {
    if (!item) {
        return null;
    }
    const out = Object.assign({}, item);
    usernameFields(plan).forEach((field) => {
        const value = out[field];
        if (Array.isArray(value)) {
            out[field] = value.map((v) => usernamePart(v));
        } else if (value !== undefined && value !== null) {
            out[field] = usernamePart(value);
        }
    });
    if (protect) {
        (plan.protectedFields ?? []).forEach((field) => {
            out[field] = null;
        });
    }
    return out;
}

/**
 * A mutation's record as `caller` sees it: presented, then its guarded fields checked
 * (lib/fieldGuard.js). With `viewRules` (update, delete: a field rule lets callers write
 * whom the model's get and write rules do not admit), such a caller sees only the fields
 * their read rules open, and the key they gave.
 */
export function presentFor(ctx, caller, item, plan, protect) {
    if (!item) {
        return null;
    }
    const shown = present(item, plan, protect);
    if (plan.viewRules && !admitsRecord(plan.viewRules, caller, plan.security, item)) {
        const keys = [plan.partitionKey, plan.sortKey].filter((key) => key);
        return partialView(ctx, plan, caller, readableFields(plan, caller, item).concat(keys), shown, []);
    }
    return guardRead(ctx, plan, caller, item, shown, []);
}

/**
 * A record read (get, list, index query) as `caller` sees it: whole (guarded fields
 * checked) when the model's rules admit them on it, else the fields a partial reader may
 * read (lib/partial.js); null when neither admits.
 */
export function presentRead(ctx, caller, item, plan, at) {
    if (admitsRecord(plan.rules, caller, plan.security, item)) {
        return guardRead(ctx, plan, caller, item, present(item, plan, false), at);
    }
    const readable = partiallyReadable(plan, caller, item);
    return readable.length > 0 ? partialView(ctx, plan, caller, readable, present(item, plan, false), at) : null;
}

/** Every item of a page `caller` may read, as they see it. */
export function presentPage(ctx, caller, items, plan) {
    const kept = (items ?? []).filter(
        (item) => admitsRecord(plan.rules, caller, plan.security, item) || partiallyReadable(plan, caller, item).length > 0,
    );
    return kept.map((item, i) => presentRead(ctx, caller, item, plan, ['items', i]));
}

/** Passes a data-source error on (`outcome`: what stages/data.js handed over), as AWS's samples do. */
export function passError(outcome) {
    if (outcome.error) {
        util.error(outcome.error.message, outcome.error.type);
    }
}
