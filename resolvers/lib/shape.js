/**
 * Items as the API returns them: owner values stored as "<sub>::<username>" read back as
 * "<username>" (seed 000: "authorize against the full value of <sub>::<username> or sub /
 * username separately and return username"), and field-protected values nulled in
 * mutation responses so subscription payloads never leak them.
 */
import { util } from '@aws-appsync/utils';
import { usernamePart } from './ownerKey.js';

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

/** Every item of a page, presented. */
export function presentAll(items, plan) {
    return (items ?? []).map((item) => present(item, plan, false));
}

/** Passes a data-source error on, as AWS's samples do. */
export function passError(ctx) {
    if (ctx.error) {
        util.error(ctx.error.message, ctx.error.type);
    }
}
