/**
 * A query field of an @index: a Query on the global secondary index, with the index's
 * partition key from the arguments and an optional sort-key condition. Authorization as
 * for lists: static rules read every item, owner / dynamic-group rules filter.
 */
import { util } from '@aws-appsync/utils';
import { PLAN } from './plan.js';
import { nameRef, newExpression } from './lib/expressions.js';
import { listGrant, pageFields } from './lib/listing.js';
import { passError, presentAll } from './lib/shape.js';

// ModelStringKeyConditionInput operators -> DynamoDB key condition syntax.
const COMPARISONS = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' };

function keyValue(expr, ref, value) {
    expr.expressionValues[ref] = util.dynamodb.toDynamoDB(value);
    return ref;
}

function sortKeyClause(expr, field, condition) {
    const name = nameRef(expr, field);
    const op = Object.keys(condition).find((k) => condition[k] !== null && condition[k] !== undefined);
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

function keyCondition(args) {
    const expr = newExpression();
    const partitionKey = PLAN.indexPartitionKey;
    const clauses = [`${nameRef(expr, partitionKey)} = ${keyValue(expr, ':pk', args[partitionKey])}`];
    const sortCondition = PLAN.indexSortKey ? args[PLAN.indexSortKey] : null;
    if (sortCondition) {
        const clause = sortKeyClause(expr, PLAN.indexSortKey, sortCondition);
        if (clause) {
            clauses.push(clause);
        }
    }
    return {
        expression: clauses.join(' AND '),
        expressionNames: expr.expressionNames,
        expressionValues: expr.expressionValues,
    };
}

export function request(ctx) {
    const grant = listGrant(ctx, PLAN);
    const query = {
        operation: 'Query',
        index: PLAN.indexName,
        query: keyCondition(ctx.args),
        scanIndexForward: ctx.args.sortDirection !== 'DESC',
    };
    return Object.assign(query, pageFields(ctx.args, grant, ctx.args.nextToken));
}

export function response(ctx) {
    passError(ctx);
    return { items: presentAll(ctx.result.items, PLAN), nextToken: ctx.result.nextToken ?? null };
}
