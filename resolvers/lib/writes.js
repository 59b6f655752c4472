/**
 * Update and delete authorize atomically: the owner / dynamic-group predicates become the
 * ConditionExpression of the write itself, never a read followed by a blind write.
 */
import { util } from '@aws-appsync/utils';
import { addAnyOf, addExists, addRaw, expressionOf, newExpression, userConditionOf } from './expressions.js';
import { holds } from './rules.js';

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

/** attribute_exists(<partitionKey>) AND each part (an OR of predicates) AND the user's condition. */
export function writeCondition(plan, parts, userCondition) {
    const expr = newExpression();
    addExists(expr, plan.partitionKey, true);
    parts.forEach((predicates) => addAnyOf(expr, predicates));
    const user = userConditionOf(userCondition);
    if (user) {
        addRaw(expr, user);
    }
    return expressionOf(expr);
}

/**
 * Errors of a conditional write (`outcome`: the data function's `{ result, error }`). A
 * failed condition leaves the current item in the result: none -> not found; the
 * authorization parts do not hold on it -> Unauthorized; otherwise the user's own condition
 * failed and DynamoDB's error is passed on.
 */
export function checkWrite(outcome, plan, parts) {
    if (!outcome.error) {
        return;
    }
    if (outcome.error.type === CONDITION_FAILED) {
        const current = outcome.result;
        if (!current) {
            util.error(`${plan.model} not found: no item has this key.`, CONDITION_FAILED);
        }
        if (!parts.every((predicates) => predicates.some((p) => holds(p, current)))) {
            util.unauthorized();
        }
    }
    util.error(outcome.error.message, outcome.error.type);
}
