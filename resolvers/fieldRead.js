/**
 * <Model>.<field> for a field with its own read rules (NONE data source). The value is
 * the parent's; it is returned when the field's rules admit the caller - statically or by
 * a predicate on the parent record - and otherwise the field is null with
 * "Not Authorized to access <field> on type <Model>".
 */
import { util } from '@aws-appsync/utils';
import { PLAN } from './plan.js';
import { callerOf } from './lib/identity.js';
import { admitsRecord } from './lib/rules.js';

export function request(ctx) {
    const source = ctx.source ?? {};
    const caller = callerOf(ctx, PLAN.security);
    if (!admitsRecord(PLAN.rules, caller, PLAN.security, source)) {
        util.unauthorized();
    }
    const value = Object.hasOwn(source, PLAN.fieldName) ? source[PLAN.fieldName] : null;
    return { payload: value };
}

export function response(ctx) {
    return ctx.result;
}
