/**
 * Update and delete authorize atomically: the owner / dynamic-group predicates become the
 * ConditionExpression of the write itself, never a read followed by a blind write.
 */
import { util } from '@aws-appsync/utils';
import { addAnyOf, addExists, addRaw, expressionOf, newExpression, userConditionOf } from './expressions.js';
import { callerOf } from './identity.js';
import { partsHold } from './questions.js';
import { authorize } from './rules.js';
import { presentFor } from './shape.js';
import { addVersionCondition, isConflict } from './versions.js';

const CONDITION_FAILED = 'DynamoDB:ConditionalCheckFailedException';

/** Adds a grant's predicates as one part, unless an equal part is already there. */
export function addPart(parts, grant) {
    if (grant.unconditional || grant.predicates.length === 0) {
        return;
    }
    const key = JSON.stringify(grant.predicates);
    if (!parts.some((part) => JSON.stringify(part) === key)) {
        parts.push(grant.predicates);
    }
}

/**
 * The predicate parts of deleting a record: every rule set of `ruleSets` (the model's
 * rules allowing delete, and each field's own) must admit the caller. Null when one does not.
 */
export function deleteParts(ruleSets, caller, security) {
    const parts = [];
    const denied = ruleSets.some((rules) => {
        const grant = authorize(rules, caller, security);
        addPart(parts, grant);
        return !grant.admitted;
    });
    return denied ? null : parts;
}

/**
 * attribute_exists(<partitionKey>) AND each distinct part (an OR of predicates) AND, for a
 * versioned model, the version `input` names (lib/versions.js) AND the user's condition.
 */
export function writeCondition(plan, parts, userCondition, input) {
    const expr = newExpression();
    addExists(expr, plan.partitionKey, true);
    const written = [];
    parts.forEach((predicates) => addPart(written, { unconditional: false, predicates }));
    written.forEach((predicates) => addAnyOf(expr, predicates));
    addVersionCondition(expr, plan, input ?? {});
    const user = userConditionOf(userCondition);
    if (user) {
        addRaw(expr, user);
    }
    return expressionOf(expr);
}

/** The input a write was made with: the caller's, or an Automerge retry's (update.js). */
function writtenInput(ctx) {
    return ctx.stash.retriedInput ?? ctx.args.input;
}

/**
 * The stored record when a write failed only for its version (a tombstone, or another
 * version than its input names) and the caller may be told so: the record answers the key
 * they asked about and the authorization parts hold on it. Null otherwise.
 */
export function conflictOf(ctx, outcome, plan) {
    const current = outcome.result;
    if (!outcome.error || outcome.error.type !== CONDITION_FAILED || !current) {
        return null;
    }
    const admitted = partsHold(ctx.stash.keyParts ?? [], current) && partsHold(ctx.stash.authParts ?? [], current);
    return admitted && isConflict(plan, writtenInput(ctx), current) ? current : null;
}

/**
 * Errors of a conditional write (`outcome`: the data function's `{ result, error }`). A
 * failed condition leaves the current item in the result: none, or one on which the
 * caller may not read a key field they named (`keyParts`, lib/questions.js) -> not found;
 * the authorization parts do not hold on it -> Unauthorized; a versioned record at
 * another version than the input names, or a tombstone -> ConflictUnhandled, with the
 * record as stored shown as the caller may see it; otherwise the user's own condition
 * failed and DynamoDB's error is passed on.
 */
export function checkWrite(ctx, outcome, plan, parts, keyParts) {
    if (!outcome.error) {
        return;
    }
    if (outcome.error.type === CONDITION_FAILED) {
        const current = outcome.result;
        if (!current || !partsHold(keyParts ?? [], current)) {
            util.error(`${plan.model} not found: no item has this key.`, CONDITION_FAILED);
        }
        if (!partsHold(parts, current)) {
            util.unauthorized();
        }
        if (isConflict(plan, writtenInput(ctx), current)) {
            const shown = presentFor(ctx, callerOf(ctx, plan.security), current, plan);
            util.error('Conflict resolver rejects mutation.', 'ConflictUnhandled', shown);
        }
    }
    util.error(outcome.error.message, outcome.error.type);
}
