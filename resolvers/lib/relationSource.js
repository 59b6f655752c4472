/**
 * A relation field's read takes its key from the record holding the field (`sourceKeys`).
 * A caller who may not read one of those key fields on that record (its own read rules,
 * `sourceRules`, do not admit them there, or the Lambda authorizer denied the field) is
 * not shown the key, so the relation is null for them, as for a record without it: reading
 * directly, they could not name the related records either. The shared prepare functions
 * of get and index queries decide this (get.js, queryIndex.js), so each relation
 * resolver's own code stays its plan.
 */
import { runtime } from '@aws-appsync/utils';
import { callerOf } from './identity.js';
import { deniedFieldsOf } from './questions.js';
import { admitsRecord } from './rules.js';
import { storedOf } from './shape.js';

/** Whether the caller may not read `field` of the record holding the relation. */
function hidden(ctx, plan, caller, field) {
    if (caller.bypass) {
        return false;
    }
    const denied = deniedFieldsOf(caller);
    if (denied === null || denied.includes(`${plan.sourceModel}.${field}`)) {
        return true;
    }
    const rules = plan.sourceRules;
    return Object.hasOwn(rules, field) && !admitsRecord(rules[field], caller, plan.security, storedOf(ctx.source));
}

/** Whether the relation's key is hidden from the caller (false for other reads). */
function relationKeyHidden(ctx, plan) {
    const fromSource = plan.sourceKeys;
    const fields = Object.keys(fromSource).map((key) => fromSource[key]);
    if (fields.length === 0) {
        return false;
    }
    const caller = callerOf(ctx, plan.security);
    return fields.some((field) => hidden(ctx, plan, caller, field));
}

/**
 * Ends the pipeline with null, before any read, when the relation's key is hidden from
 * the caller: the functions after this one are skipped and the resolver's response runs.
 */
export function endWhereRelationKeyHidden(ctx, plan) {
    if (relationKeyHidden(ctx, plan)) {
        runtime.earlyReturn(null, { skipTo: 'END' });
    }
}
