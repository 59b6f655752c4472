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
import { handlerName, removal } from './lib/conflictHandler.js';
import { callerOf } from './lib/identity.js';
import { dynamoKey } from './lib/keys.js';
import { writeQuestion } from './lib/questions.js';
import { presentFor } from './lib/shape.js';
import { tombstoneUpdate } from './lib/versions.js';
import { addPart, checkWrite, deleteParts, writeCondition } from './lib/writes.js';

function authorizeDelete(plan, caller) {
    const parts = deleteParts([plan.rules].concat(Object.values(plan.fieldRules)), caller, plan.security);
    if (!parts) {
        util.unauthorized();
    }
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
        request.operation = 'UpdateItem';
        request.update = tombstoneUpdate(plan);
    }
    return request;
}

/**
 * LAMBDA (the handler's function, stages/conflict.js): REMOVE leaves the tombstone on the
 * stored version (lib/conflictHandler.js), REJECT hands the refused delete on (finish makes
 * it `ConflictUnhandled`); RESOLVE, which would keep a record the caller asked to delete,
 * is refused.
 */
export function resolveConflict(ctx, plan, answer) {
    if (answer.action === 'RESOLVE') {
        util.error(`${handlerName(plan)} answered RESOLVE to a delete; to a delete it answers REMOVE or REJECT.`, 'ConflictError');
    }
    if (answer.action === 'REMOVE') {
        removal(ctx, plan, callerOf(ctx, plan.security), [plan.rules].concat(Object.values(plan.fieldRules)));
    }
    return ctx.stash.conflictOutcome;
}

export function finish(ctx, plan, outcome) {
    checkWrite(ctx, outcome, plan, ctx.stash.authParts ?? [], ctx.stash.keyParts ?? []);
    return presentFor(ctx, callerOf(ctx, plan.security), outcome.result, plan);
}
