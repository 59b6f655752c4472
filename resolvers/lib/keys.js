/** The table key of an item, from the arguments that name it. */
import { util } from '@aws-appsync/utils';

/** `{ <partitionKey>: v, <sortKey>: v }` taken from `source` (arguments or input). */
export function keyOf(plan, source) {
    const key = {};
    key[plan.partitionKey] = source[plan.partitionKey];
    if (plan.sortKey) {
        key[plan.sortKey] = source[plan.sortKey];
    }
    return key;
}

/** The key as DynamoDB attribute values. */
export function dynamoKey(plan, source) {
    return util.dynamodb.toMapValues(keyOf(plan, source));
}

/** Whether `field` is part of the table key. */
export function isKeyField(plan, field) {
    return field === plan.partitionKey || field === plan.sortKey;
}
