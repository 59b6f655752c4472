/**
 * Key conditions of Queries: an index query's, and a list's when the caller gives the
 * table's partition key (models with a custom primary key take it as an argument, with a
 * sort-key condition and sortDirection, as in Amplify).
 *
 * A key is `{ partitionKey, sortKey, sortKeyFields }` (`tableKeyOf`, `indexKeyOf`). A
 * composite sort key (several `sortKeyFields`) takes one argument named as Amplify names
 * it (`statusCreatedAt`), whose operators hold the fields' values; the condition is on the
 * stored attribute (`status#createdAt`) with the given values joined with "#". Values may
 * be given for the leading fields only (`{ beginsWith: { status: "OPEN" } }` is
 * `begins_with(status#createdAt, "OPEN")`), never a field without the ones before it.
 */
import { util } from '@aws-appsync/utils';
import { nameRef, newExpression } from './expressions.js';
import { keyArgsOf } from './keys.js';

// Model<T>KeyConditionInput operators -> DynamoDB key condition syntax.
const COMPARISONS = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const INVALID_ARGUMENTS = 'InvalidArgumentsError';
// The name placeholder of a composite attribute ("status#createdAt" is no valid placeholder);
// no GraphQL field starts with "__", so it never means a field.
const COMPOSITE_NAME = '#__sortKey';

function given(value) {
    return value !== null && value !== undefined;
}

/** The table's key as a Query key. */
export function tableKeyOf(plan) {
    return { partitionKey: plan.partitionKey, sortKey: plan.sortKey, sortKeyFields: plan.sortKeyFields ?? [] };
}

/** The queried @index's key. */
export function indexKeyOf(plan) {
    return {
        partitionKey: plan.indexPartitionKey,
        sortKey: plan.indexSortKey,
        sortKeyFields: plan.indexSortKeyFields ?? [],
    };
}

function isComposite(key) {
    return key.sortKeyFields.length > 1;
}

/** The argument holding the sort-key condition: the field, or `statusCreatedAt` for a composite key. */
export function sortArgumentOf(key) {
    if (!isComposite(key)) {
        return key.sortKey;
    }
    return key.sortKeyFields
        .map((field, i) => (i === 0 ? field.slice(0, 1).toLowerCase() : field.slice(0, 1).toUpperCase()) + field.slice(1))
        .join('');
}

/** The operands of a composite condition: one key input, two for `between`. */
function operandsOf(op, value) {
    if (op === 'between') {
        return Array.isArray(value) ? value.filter((v) => given(v)) : [];
    }
    return given(value) ? [value] : [];
}

/**
 * The arguments of an index query (`keyArgsOf`): for a relation field, the partition key
 * from the record holding it; when the relation holds the sort key's fields too (a key of
 * several fields), their values as an `eq` condition on the sort key, so every part of the
 * key is matched, as Amplify matches a relation's key.
 */
export function relationKeyArgsOf(ctx, plan, key) {
    const args = keyArgsOf(ctx, plan);
    const sourced = plan.sourceKeys ?? {};
    const fields = isComposite(key) ? key.sortKeyFields : [key.sortKey].filter((field) => field);
    if (fields.length === 0 || !fields.every((field) => Object.hasOwn(sourced, field))) {
        return args;
    }
    const values = {};
    fields.forEach((field) => {
        values[field] = ctx.source[sourced[field]];
    });
    args[sortArgumentOf(key)] = { eq: isComposite(key) ? values : values[key.sortKey] };
    return args;
}

/**
 * The key fields the arguments ask about: the partition key when given, and the sort key's
 * fields its condition names (lib/questions.js judges each). A value holding "#" reaches
 * past its own field into the joined value ({ beginsWith: { status: "OPEN#2024" } }), so
 * it asks about every field of the key.
 */
export function askedKeyFields(args, key) {
    const asked = given(args[key.partitionKey]) ? [key.partitionKey] : [];
    const condition = key.sortKey ? args[sortArgumentOf(key)] : null;
    if (!given(condition)) {
        return asked;
    }
    if (!isComposite(key)) {
        return asked.concat([key.sortKey]);
    }
    const inputs = [];
    Object.keys(condition).forEach((op) => operandsOf(op, condition[op]).forEach((input) => inputs.push(input)));
    const named = key.sortKeyFields.filter((field) => inputs.some((input) => given(input[field])));
    const reaching = named.some((field) =>
        inputs.some((input) => typeof input[field] === 'string' && input[field].includes('#')),
    );
    return asked.concat(reaching ? key.sortKeyFields : named);
}

function keyValue(expr, ref, value) {
    expr.expressionValues[ref] = util.dynamodb.toDynamoDB(value);
    return ref;
}

/** The joined value of a composite key input: the leading fields it gives, in order. */
function joinedValue(key, argument, op, input) {
    const values = [];
    key.sortKeyFields.forEach((field, i) => {
        if (!given(input[field])) {
            return;
        }
        if (values.length < i) {
            util.error(
                `When providing argument '${argument}.${op}.${field}' you must also provide '${argument}.${op}.${key.sortKeyFields[i - 1]}'.`,
                INVALID_ARGUMENTS,
            );
        }
        values.push(input[field]);
    });
    if (values.length === 0) {
        util.error(`Argument '${argument}.${op}' gives no key field; give '${key.sortKeyFields[0]}' at least.`, INVALID_ARGUMENTS);
    }
    return values.join('#');
}

/** The condition's operator and its value (joined for a composite key); null when none is given. */
function operationOf(key, argument, condition) {
    const ops = Object.keys(condition).filter((k) => given(condition[k]));
    if (ops.length === 0) {
        return null;
    }
    const op = ops[0];
    const value = condition[op];
    if (!isComposite(key)) {
        return { op, value };
    }
    if (ops.length > 1) {
        util.error(`Argument ${argument} must specify at most one key condition operation.`, INVALID_ARGUMENTS);
    }
    if (op !== 'between') {
        return { op, value: joinedValue(key, argument, op, value) };
    }
    if (!Array.isArray(value) || value.length !== 2) {
        util.error(`Argument '${argument}.between' expects exactly two elements.`, INVALID_ARGUMENTS);
    }
    return { op, value: value.map((input, i) => joinedValue(key, argument, `between[${i}]`, input)) };
}

function sortKeyClause(expr, key, condition) {
    const argument = sortArgumentOf(key);
    const operation = operationOf(key, argument, condition);
    if (!operation) {
        return null;
    }
    let name = COMPOSITE_NAME;
    if (isComposite(key)) {
        expr.expressionNames[COMPOSITE_NAME] = key.sortKey;
    } else {
        name = nameRef(expr, key.sortKey);
    }
    const { op, value } = operation;
    if (Object.hasOwn(COMPARISONS, op)) {
        return `${name} ${COMPARISONS[op]} ${keyValue(expr, ':sk', value)}`;
    }
    if (op === 'beginsWith') {
        return `begins_with(${name}, ${keyValue(expr, ':sk', value)})`;
    }
    if (op === 'between' && Array.isArray(value) && value.length === 2) {
        return `${name} BETWEEN ${keyValue(expr, ':sk0', value[0])} AND ${keyValue(expr, ':sk1', value[1])}`;
    }
    return util.error(`Unsupported key condition '${op}' on ${argument}.`, 'ValidationException');
}

/**
 * `{ query, scanIndexForward }` of a Query: `#<partitionKey> = :pk`, AND the sort-key
 * condition (the sort key's argument: eq, lt, le, gt, ge, beginsWith, between) when given;
 * descending when `args.sortDirection` is DESC.
 */
export function keyQueryOf(args, key) {
    const expr = newExpression();
    const clauses = [`${nameRef(expr, key.partitionKey)} = ${keyValue(expr, ':pk', args[key.partitionKey])}`];
    const sortCondition = key.sortKey ? args[sortArgumentOf(key)] : null;
    if (sortCondition) {
        const clause = sortKeyClause(expr, key, sortCondition);
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
    const key = tableKeyOf(plan);
    if (given(args[key.partitionKey])) {
        return keyQueryOf(args, key);
    }
    const orphans = [key.sortKey ? sortArgumentOf(key) : null, 'sortDirection'].filter(
        (name) => name && given(args[name]),
    );
    if (orphans.length > 0) {
        util.error(
            `When providing argument '${orphans[0]}' you must also provide argument '${key.partitionKey}'.`,
            INVALID_ARGUMENTS,
        );
    }
    return null;
}
