/**
 * The LAMBDA conflict handler (`plan.conflict`; `plan.conflictHandler` names its Lambda data
 * source): the shared function bound to that data source (stages/conflict.js) runs after the
 * model's data function. Only when the write failed for its version (`conflictOf`, on a
 * record the caller's authorization parts hold on, that is no tombstone) does it invoke the
 * function, with AppSync's payload (`newItem`, `existingItem`, `arguments`, `resolver`,
 * `identity`); otherwise it hands the outcome on without invoking. The answer is one of
 * `{ action: 'RESOLVE', item }`, `{ action: 'REJECT' }`, `{ action: 'REMOVE' }`; the
 * operation's `resolveConflict` turns it into the retry the model's retry function sends.
 */
import { runtime, util } from '@aws-appsync/utils';
import { isMap } from './automerge.js';
import { keyFieldsOf } from './keys.js';
import { partsHold } from './questions.js';
import { DELETED, LAST_CHANGED, VERSION, isTombstone, tombstoneUpdate } from './versions.js';
import { addPart, conflictOf, deleteParts, writeCondition } from './writes.js';

const ACTIONS = ['RESOLVE', 'REJECT', 'REMOVE'];
const SHOWN = 120;

/** How errors name the handler: its data source and the model it resolves. */
export function handlerName(plan) {
    return `The conflict handler '${plan.conflictHandler}' of ${plan.model}`;
}

/** The record as the handler sees it: the model's fields and the version fields. */
function recordOf(plan, stored) {
    const shown = {};
    plan.fields.concat(keyFieldsOf(plan), [VERSION, LAST_CHANGED, DELETED]).forEach((field) => {
        if (Object.hasOwn(stored, field)) {
            shown[field] = stored[field];
        }
    });
    return shown;
}

/** What the write would have left: the stored record with the input laid over it. */
function previewOf(ctx, plan, existing) {
    const preview = Object.assign({}, existing, ctx.args.input);
    if (plan.kind === 'delete') {
        preview[DELETED] = true;
    }
    Object.keys(preview).forEach((field) => {
        if (preview[field] === null) {
            delete preview[field];
        }
    });
    return preview;
}

/** The request of the handler's function: an Invoke on a conflict, else the outcome handed on. */
export function handlerRequest(ctx, plan) {
    const outcome = ctx.prev.result ?? {};
    const current = plan.conflict === 'LAMBDA' ? conflictOf(ctx, outcome, plan) : null;
    if (!current || isTombstone(current)) {
        runtime.earlyReturn(outcome);
    }
    ctx.stash.conflictOutcome = outcome;
    const existingItem = recordOf(plan, current);
    return {
        operation: 'Invoke',
        payload: {
            newItem: previewOf(ctx, plan, existingItem),
            existingItem,
            arguments: ctx.arguments,
            resolver: { parentType: ctx.info.parentTypeName, field: ctx.info.fieldName },
            identity: ctx.identity ?? null,
        },
    };
}

/** The handler's answer, checked: a failure or a malformed answer is a `ConflictError`. */
export function handlerAnswer(ctx, plan) {
    if (ctx.error) {
        util.error(`${handlerName(plan)} failed: ${ctx.error.message}`, 'ConflictError');
    }
    const answer = ctx.result;
    const allowed = 'it answers {"action": "RESOLVE", "item": {...}}, {"action": "REJECT"} or {"action": "REMOVE"}.';
    if (!isMap(answer) || !ACTIONS.includes(answer.action)) {
        util.error(`${handlerName(plan)} answered ${JSON.stringify(answer ?? null).substring(0, SHOWN)}; ${allowed}`, 'ConflictError');
    }
    if (answer.action === 'RESOLVE' && !isMap(answer.item)) {
        util.error(`${handlerName(plan)} answered RESOLVE without an "item" object; ${allowed}`, 'ConflictError');
    }
    return answer;
}

/** The input of a retry on the stored version: the key of the record and `fields`. */
export function retryInput(plan, current, fields) {
    const input = Object.assign({}, fields);
    keyFieldsOf(plan).forEach((field) => {
        input[field] = current[field];
    });
    input[VERSION] = current[VERSION];
    return input;
}

/**
 * REMOVE: the record becomes a tombstone on the stored version, under the write's own
 * authorization parts AND what deleting it needs (`ruleSets`: the model's rules allowing
 * delete and each field's own); a caller who may not delete it is refused.
 */
export function removal(ctx, plan, caller, ruleSets) {
    const current = ctx.stash.conflictOutcome.result;
    const parts = (ctx.stash.authParts ?? []).slice();
    if (!caller.bypass) {
        const needed = deleteParts(ruleSets, caller, plan.security);
        if (!needed || !partsHold(needed, current)) {
            util.error(`${handlerName(plan)} answered REMOVE, but the caller may not delete this ${plan.model}.`, 'Unauthorized');
        }
        needed.forEach((predicates) => addPart(parts, { unconditional: false, predicates }));
    }
    const input = retryInput(plan, current, {});
    ctx.stash.retriedInput = input;
    ctx.stash.retryRequest = {
        operation: 'UpdateItem',
        key: ctx.stash.dataRequest.key,
        update: tombstoneUpdate(plan),
        condition: writeCondition(plan, parts.concat(ctx.stash.keyParts ?? []), ctx.args.condition, input),
    };
}
