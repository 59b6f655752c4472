/**
 * The code of a relation field's pipeline resolver: its plan in the stash, like every
 * other resolver (stages/resolver.js), and no read at all when the record holding the
 * field has no value for a key field (a @belongsTo whose foreign key is null is null), when
 * the caller may not read one of those key fields on it (its own read rules do not admit
 * them there, or the Lambda authorizer denied it: reading directly, they could not name the
 * related records either), or when that record is a mutation's response: it is every
 * subscriber's event too, and relation fields are not resolved for subscribers
 * (lib/shape.js).
 */
import { runtime } from '@aws-appsync/utils';
import { callerOf } from '../lib/identity.js';
import { deniedFieldsOf } from '../lib/questions.js';
import { admitsRecord } from '../lib/rules.js';
import { isWritten, storedOf } from '../lib/shape.js';
import { PLAN } from '../plan.js';
import { SECURITY } from '../security.js';

/** Whether the caller may not read `field` of the record holding the relation. */
function hidden(ctx, caller, field) {
    if (caller.bypass) {
        return false;
    }
    const denied = deniedFieldsOf(caller);
    if (denied === null || denied.includes(`${PLAN.sourceModel}.${field}`)) {
        return true;
    }
    const rules = PLAN.sourceRules ?? {};
    return Object.hasOwn(rules, field) && !admitsRecord(rules[field], caller, SECURITY, storedOf(ctx.source));
}

export function request(ctx) {
    ctx.stash.plan = PLAN;
    const fromSource = PLAN.sourceKeys;
    const missing = Object.keys(fromSource).some((key) => {
        const value = ctx.source[fromSource[key]];
        return value === null || value === undefined;
    });
    if (missing || isWritten(ctx.source)) {
        runtime.earlyReturn(null);
    }
    const caller = callerOf(ctx, SECURITY);
    if (Object.keys(fromSource).some((key) => hidden(ctx, caller, fromSource[key]))) {
        runtime.earlyReturn(null);
    }
    return {};
}

export function response(ctx) {
    return ctx.prev.result;
}
