/**
 * Mutation.delete<Model>: DeleteItem. Deleting a record needs delete on every field (seed
 * 003: "the user or role that attempts to delete a record should have delete permissions
 * on every field"): the model's rules and each field's own rules must admit; owner /
 * dynamic-group predicates go into the ConditionExpression. A `condition` naming a field
 * the caller may not read is refused (lib/readable.js).
 */
import { util } from '@aws-appsync/utils';
import { callerOf } from './lib/identity.js';
import { requireReadable } from './lib/readable.js';
import { dynamoKey } from './lib/keys.js';
import { authorize } from './lib/rules.js';
import { presentFor } from './lib/shape.js';
import { addPart, checkWrite, writeCondition } from './lib/writes.js';

function authorizeDelete(plan, caller) {
    const parts = [];
    const ruleSets = [plan.rules].concat(Object.values(plan.fieldRules));
    ruleSets.forEach((rules) => {
        const grant = authorize(rules, caller, plan.security);
        if (!grant.admitted) {
            util.unauthorized();
        }
        addPart(parts, grant);
    });
    return parts;
}

export function prepare(ctx, plan) {
    const caller = callerOf(ctx, plan.security);
    const parts = caller.bypass ? [] : authorizeDelete(plan, caller);
    requireReadable(plan, caller, ctx.args.condition);
    ctx.stash.authParts = parts;
    return {
        operation: 'DeleteItem',
        key: dynamoKey(plan, ctx.args.input),
        condition: writeCondition(plan, parts, ctx.args.condition),
    };
}

export function finish(ctx, plan, outcome) {
    checkWrite(outcome, plan, ctx.stash.authParts ?? []);
    return presentFor(ctx, callerOf(ctx, plan.security), outcome.result, plan);
}
