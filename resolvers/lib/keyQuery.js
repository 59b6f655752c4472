/**
 * Key conditions of Queries: an index query's, and a list's when the caller gives the
 * table's partition key (models with a custom primary key take it as an argument, with a
 * sort-key condition and sortDirection, as in Amplify).
 */
import { util } from '@aws-appsync/utils';
import { nameRef, newExpression } from './expressions.js';

// Model<T>KeyConditionInput operators -> DynamoDB key condition syntax.
const COMPARISONS = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const INVALID_ARGUMENTS = 'InvalidArgumentsError';

function given(value) {
    return value !== null && value !== undefined;
}

function keyValue(expr, ref, value) {
    expr.expressionValues[ref] = util.dynamodb.toDynamoDB(value);
    return ref;
}

function sortKeyClause(expr, field, condition) {
    const name = nameRef(expr, field);
    const op = Object.keys(condition).find((k) => given(condition[k]));
    if (!op) {
        return null;
    }
    const value = condition[op];
    if (Object.hasOwn(COMPARISONS, op)) {
        return `${name} ${COMPARISONS[op]} ${keyValue(expr, ':sk', value)}`;
    }
    if (op === 'beginsWith') {
        return `begins_with(${name}, ${keyValue(expr, ':sk', value)})`;
    }
    if (op === 'between' && Array.isArray(value) && value.length === 2) {
        return `${name} BETWEEN ${keyValue(expr, ':sk0', value[0])} AND ${keyValue(expr, ':sk1', value[1])}`;
    }
    return util.error(`Unsupported key condition '${op}' on ${field}.`, 'ValidationException');
}

/**
 * `{ query, scanIndexForward }` of a Query: `#<partitionKey> = :pk`, AND the sort-key
 * condition (`args[sortKey]`: eq, lt, le, gt, ge, beginsWith, between) when given;
 * descending when `args.sortDirection` is DESC.
 */
export function keyQueryOf(args, partitionKey, sortKey) {
    const expr = newExpression();
    const clauses = [`${nameRef(expr, partitionKey)} = ${keyValue(expr, ':pk', args[partitionKey])}`];
    const sortCondition = sortKey ? args[sortKey] : null;
    if (sortCondition) {
        const clause = sortKeyClause(expr, sortKey, sortCondition);
        if (clause) {
            clauses.push(clause);
        }
    }
    return {
        query: {
            expression: clauses.join(' AND '),
            expressionNames: expr.expressionNames,
            expressionValues: expr.expressionValues,
        },
        scanIndexForward: args.sortDirection !== 'DESC',
    };
}

/**
 * A list's Query on the table when the caller gives the partition key argument, else null
 * (the list scans). A sort-key condition or sortDirection without it is refused, as
 * Amplify does (InvalidArgumentsError).
 */
export function tableQueryOf(args, plan) {
    const partitionKey = plan.partitionKey;
    if (given(args[partitionKey])) {
        return keyQueryOf(args, partitionKey, plan.sortKey);
    }
    const orphans = [plan.sortKey, 'sortDirection'].filter((name) => name && given(args[name]));
    if (orphans.length > 0) {
        util.error(
            `When providing argument '${orphans[0]}' you must also provide argument '${partitionKey}'.`,
            INVALID_ARGUMENTS,
        );
    }
    return null;
}
