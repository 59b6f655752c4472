/**
 * <Model>.<field> for a field with its own read rules (stages/decide.js). The value is
 * the parent's; it is returned when the field's rules admit the caller - statically or by
 * a predicate on the parent record - and otherwise the field is null with
 * "Not Authorized to access <field> on type <Model>". The rules judge the record as stored:
 * a read returns owner values as usernames, which another user may hold too, and keeps the
 * stored ones beside them (lib/shape.js).
 */
import { util } from '@aws-appsync/utils';
import { callerOf } from './lib/identity.js';
import { admitsRecord } from './lib/rules.js';
import { storedOf } from './lib/shape.js';

export function decide(ctx, plan) {
    const source = ctx.source ?? {};
    const caller = callerOf(ctx, plan.security);
    if (!admitsRecord(plan.rules, caller, plan.security, storedOf(source))) {
        util.unauthorized();
    }
    return Object.hasOwn(source, plan.fieldName) ? source[plan.fieldName] : null;
}
