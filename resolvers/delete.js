/**
 * Mutation.delete<Model>: DeleteItem. Deleting a record needs delete on every field (seed
 * 003: "the user or role that attempts to delete a record should have delete permissions
 * on every field"): the model's rules and each field's own rules must admit; owner /
 * dynamic-group predicates go into the ConditionExpression. The key and the `condition`
 * are a question about the fields they name (lib/questions.js), as for update. A versioned
 * model's record is not removed but becomes a tombstone (lib/versions.js): an UpdateItem
 * under the same condition, on the version the input names.
 */
import { util } from '@aws-appsync/utils';
import { callerOf } from './lib/identity.js';
import { dynamoKey } from './lib/keys.js';
import { writeQuestion } from './lib/questions.js';
import { authorize } from './lib/rules.js';
import { presentFor } from './lib/shape.js';
import { versionSets } from './lib/versions.js';
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
    const question = writeQuestion(ctx, plan, caller);
    if (question.view) {
        addPart(parts, question.view);
    }
    ctx.stash.authParts = parts;
    ctx.stash.keyParts = question.keyParts;
    const input = ctx.args.input;
    const request = {
        operation: 'DeleteItem',
        key: dynamoKey(plan, input),
        condition: writeCondition(plan, parts.concat(question.keyParts), ctx.args.condition, input),
    };
    if (plan.conflict) {
        const update = { expressionNames: {}, expressionValues: {} };
        const sets = versionSets(plan, update, true);
        update.expression = `SET ${sets.join(', ')}`;
        request.operation = 'UpdateItem';
        request.update = update;
    }
    return request;
}

export function finish(ctx, plan, outcome) {
    checkWrite(ctx, outcome, plan, ctx.stash.authParts ?? [], ctx.stash.keyParts ?? []);
    return presentFor(ctx, callerOf(ctx, plan.security), outcome.result, plan);
}
