/**
 * DynamoDB expressions for authorization predicates: the ConditionExpression of a write and
 * the filter of a Scan or Query. A scalar field becomes `#f IN (:auth0, :auth1)`, a list
 * field `contains(#f, :auth0) OR contains(#f, :auth1)`; several predicates are OR-ed.
 * Value placeholders are `:auth<N>` (never produced by util.transform, whose placeholders
 * contain an underscore); name placeholders are `#<field>`, which always map to that field.
 */
import { util } from '@aws-appsync/utils';

/** A fresh expression under construction. */
export function newExpression() {
    return { clauses: [], expressionNames: {}, expressionValues: {}, counter: 0 };
}

/** The placeholder for attribute `field`. */
export function nameRef(expr, field) {
    const ref = `#${field}`;
    expr.expressionNames[ref] = field;
    return ref;
}

function valueRef(expr, value) {
    const ref = `:auth${expr.counter}`;
    expr.counter += 1;
    expr.expressionValues[ref] = util.dynamodb.toDynamoDB(value);
    return ref;
}

function predicateText(expr, predicate) {
    const name = nameRef(expr, predicate.field);
    const refs = predicate.values.map((v) => valueRef(expr, v));
    if (predicate.isList) {
        return refs.map((ref) => `contains(${name}, ${ref})`).join(' OR ');
    }
    return `${name} IN (${refs.join(', ')})`;
}

/** Adds one clause: the OR of `predicates`. */
export function addAnyOf(expr, predicates) {
    const texts = predicates.map((p) => predicateText(expr, p));
    expr.clauses.push(texts.length === 1 ? texts[0] : texts.map((t) => `(${t})`).join(' OR '));
}

/** Adds a clause given as text with its own names and values (e.g. from util.transform). */
export function addRaw(expr, part) {
    expr.clauses.push(part.expression);
    Object.assign(expr.expressionNames, part.expressionNames ?? {});
    Object.assign(expr.expressionValues, part.expressionValues ?? {});
}

/** Adds `attribute_exists(#field)` or `attribute_not_exists(#field)`. */
export function addExists(expr, field, exists) {
    const fn = exists ? 'attribute_exists' : 'attribute_not_exists';
    expr.clauses.push(`${fn}(${nameRef(expr, field)})`);
}

/**
 * Whether a clause is one parenthesised group, "(...)" from end to end. DynamoDB refuses
 * redundant parentheses, and util.transform's expressions come already wrapped.
 */
function isGrouped(clause) {
    if (!clause.startsWith('(') || !clause.endsWith(')')) {
        return false;
    }
    let depth = 0;
    let closedEarly = false;
    clause.split('').forEach((ch, index) => {
        if (ch === '(') {
            depth = depth + 1;
        } else if (ch === ')') {
            depth = depth - 1;
            if (depth === 0 && index < clause.length - 1) {
                closedEarly = true;
            }
        }
    });
    return !closedEarly;
}

/** The `{ expression, expressionNames, expressionValues }` of the AND of all clauses, or null. */
export function expressionOf(expr) {
    if (expr.clauses.length === 0) {
        return null;
    }
    const expression =
        expr.clauses.length === 1
            ? expr.clauses[0]
            : expr.clauses.map((c) => (isGrouped(c) ? c : `(${c})`)).join(' AND ');
    const result = { expression, expressionNames: expr.expressionNames };
    if (Object.keys(expr.expressionValues).length > 0) {
        result.expressionValues = expr.expressionValues;
    }
    return result;
}

/** The user's `filter` argument (Model<T>FilterInput) as a DynamoDB expression, or null. */
export function userFilterOf(filter) {
    if (!filter || Object.keys(filter).length === 0) {
        return null;
    }
    return JSON.parse(util.transform.toDynamoDBFilterExpression(filter));
}

/** The user's `condition` argument (Model<T>ConditionInput) as a DynamoDB expression, or null. */
export function userConditionOf(condition) {
    if (!condition || Object.keys(condition).length === 0) {
        return null;
    }
    return JSON.parse(util.transform.toDynamoDBConditionExpression(condition));
}

/**
 * Filter for a Scan or Query: (user filter) AND (OR of predicates) AND each of `parts` (an
 * OR of predicates each); null when there is nothing.
 */
export function listFilterOf(filter, predicates, parts) {
    const expr = newExpression();
    const user = userFilterOf(filter);
    if (user) {
        addRaw(expr, user);
    }
    if (predicates.length > 0) {
        addAnyOf(expr, predicates);
    }
    (parts ?? []).forEach((part) => addAnyOf(expr, part));
    return expressionOf(expr);
}
