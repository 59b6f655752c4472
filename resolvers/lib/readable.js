/**
 * A `filter` (lists, index queries) or `condition` (update, delete) must not name a field
 * the caller may not read: which records match, or whether the write succeeds, would
 * reveal its value. A field with its own rules (plan.readRules) is readable here only when
 * one of its read rules admits the caller statically, or the caller bypasses (admin role,
 * IAM authorization mode). Decision: an admission through an owner / dynamic-group
 * predicate does not count, since the filter is evaluated on records the predicate may not
 * hold on; such a caller cannot filter on the field (Unauthorized).
 */
import { util } from '@aws-appsync/utils';
import { authorize } from './rules.js';

// One entry per and/or/not nesting level looked into (APPSYNC_JS has no recursion or
// while); a filter nested deeper is refused.
const LEVELS = '................................'.split('');

function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
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

/** Unauthorized when `filter` names a field with own read rules not admitting the caller statically. */
export function requireReadable(plan, caller, filter) {
    const readRules = plan.readRules ?? {};
    if (caller.bypass || !filter || Object.keys(readRules).length === 0) {
        return;
    }
    const hidden = namedFields(filter).filter(
        (field) =>
            Object.hasOwn(readRules, field) && !authorize(readRules[field], caller, plan.security).unconditional,
    );
    if (hidden.length > 0) {
        util.unauthorized();
    }
}
