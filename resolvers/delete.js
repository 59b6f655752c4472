/**
 * Mutation.delete<Model>: DeleteItem. Deleting a record needs delete on every field (seed
 * 003: "the user or role that attempts to delete a record should have delete permissions
 * on every field"): the model's rules and each field's own rules must admit; owner /
 * dynamic-group predicates go into the ConditionExpression. A `condition` naming a field
 * the caller may not read is refused (lib/readable.js).
 */
import { util } from '@aws-appsync/utils';
import { PLAN } from './plan.js';
import { callerOf } from './lib/identity.js';
import { requireReadable } from './lib/readable.js';
import { dynamoKey } from './lib/keys.js';
import { authorize } from './lib/rules.js';
import { presentFor } from './lib/shape.js';
import { addPart, checkWrite, writeCondition } from './lib/writes.js';

function authorizeDelete(caller) {
    const parts = [];
    const ruleSets = [PLAN.rules].concat(Object.values(PLAN.fieldRules));
    ruleSets.forEach((rules) => {
        const grant = authorize(rules, caller, PLAN.security);
        if (!grant.admitted) {
            util.unauthorized();
        }
        addPart(parts, grant);
    });
    return parts;
}

export function request(ctx) {
    const caller = callerOf(ctx, PLAN.security);
    const parts = caller.bypass ? [] : authorizeDelete(caller);
    requireReadable(PLAN, caller, ctx.args.condition);
    ctx.stash.authParts = parts;
    return {
        operation: 'DeleteItem',
        key: dynamoKey(PLAN, ctx.args.input),
        condition: writeCondition(PLAN, parts, ctx.args.condition),
    };
}

export function response(ctx) {
    checkWrite(ctx, PLAN, ctx.stash.authParts ?? []);
    return presentFor(ctx, callerOf(ctx, PLAN.security), ctx.result, PLAN, true);
}
