/**
 * The table key of an item, from the arguments that name it. A composite sort key
 * (`plan.sortKeyFields`: several fields) is stored as one attribute, `plan.sortKey`
 * (`status#createdAt`), holding the fields' values joined with "#", as Amplify stores it;
 * the @indexes' composite sort keys (`plan.compositeKeys`) are kept the same way.
 */
import { util } from '@aws-appsync/utils';

const KEY_SEPARATOR = '#';

function isSet(value) {
    return value !== null && value !== undefined;
}

/** The fields of the table's sort key, in order ([] without one). */
export function sortFieldsOf(plan) {
    if ((plan.sortKeyFields ?? []).length > 0) {
        return plan.sortKeyFields;
    }
    return plan.sortKey ? [plan.sortKey] : [];
}

/** Every field naming a record: the partition key, then the sort key's fields. */
export function keyFieldsOf(plan) {
    return [plan.partitionKey].concat(sortFieldsOf(plan));
}

/** The value of a composite key: the values of `fields` in `source` joined with "#" (null if one is missing). */
export function compositeValueOf(fields, source) {
    const values = fields.map((field) => source[field]);
    return values.every((value) => isSet(value)) ? values.join(KEY_SEPARATOR) : null;
}

/** `{ <partitionKey>: v, <sortKey>: v }` taken from `source` (arguments or input). */
export function keyOf(plan, source) {
    const key = {};
    key[plan.partitionKey] = source[plan.partitionKey];
    if ((plan.sortKeyFields ?? []).length > 0) {
        key[plan.sortKey] = compositeValueOf(plan.sortKeyFields, source);
    } else if (plan.sortKey) {
        key[plan.sortKey] = source[plan.sortKey];
    }
    return key;
}

/**
 * The arguments naming the records a read returns: `ctx.args`, or, for a relation field
 * (`plan.sourceKeys`: key field of the related model -> field of the record holding the
 * relation), those arguments with the key values taken from that record (`ctx.source`).
 */
export function keyArgsOf(ctx, plan) {
    const fromSource = plan.sourceKeys ?? {};
    const args = Object.assign({}, ctx.args);
    Object.keys(fromSource).forEach((key) => {
        args[key] = ctx.source[fromSource[key]];
    });
    return args;
}

/** The key as DynamoDB attribute values. */
export function dynamoKey(plan, source) {
    return util.dynamodb.toMapValues(keyOf(plan, source));
}

/** Whether `field` is one of the fields naming a record (partition key or a sort key field). */
export function isKeyField(plan, field) {
    return keyFieldsOf(plan).includes(field);
}

/**
 * The composite sort key attributes of the @indexes a write of `values` (the record's
 * fields as the write leaves them) must set: attribute -> joined value, or null to remove
 * it (a field of the key is null: the record leaves the index). An index none of whose
 * fields `values` holds is left as it is; one holding some but not all of them cannot be
 * rebuilt, and fails the write as in Amplify (`verb`: "creating" or "updating").
 */
export function compositeKeysOf(plan, values, verb) {
    const attributes = {};
    const keys = plan.compositeKeys ?? {};
    Object.keys(keys).forEach((index) => {
        const entry = keys[index];
        const missing = entry.fields.filter((field) => !Object.hasOwn(values, field));
        if (missing.length === entry.fields.length || entry.attribute === plan.sortKey) {
            return;
        }
        if (missing.length > 0) {
            util.error(
                `When ${verb} any part of the composite sort key for @index '${index}', you must provide all fields for the key. Missing key: '${missing[0]}'.`,
                'InvalidArgumentsError',
            );
        }
        attributes[entry.attribute] = compositeValueOf(entry.fields, values);
    });
    return attributes;
}
