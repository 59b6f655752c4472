/**
 * Conflict detection of a versioned model (`plan.conflict`, the construct's conflict
 * resolution): every record keeps `_version` (1 on create, +1 on each write) and
 * `_lastChangedAt` (epoch milliseconds); an update or delete names the version it last
 * read (`input._version`) and is written only on that version (the ConditionExpression);
 * a delete leaves a tombstone (`_deleted: true`, `_ttl` for the table's TTL), which reads
 * hide and sync shows. A write refused for its version is AppSync's `ConflictUnhandled`
 * error, with the record as stored (as the caller may see it) for the client to retry on.
 */
import { util } from '@aws-appsync/utils';
import { addExists, addRaw, nameRef } from './expressions.js';

export const VERSION = '_version';
export const DELETED = '_deleted';
export const LAST_CHANGED = '_lastChangedAt';
export const TTL = '_ttl';
// How long a tombstone is kept before DynamoDB's TTL removes it (Amplify's default, 30 days).
const TOMBSTONE_SECONDS = 30 * 24 * 60 * 60;

/** Whether `item` is the tombstone of a deleted record. */
export function isTombstone(item) {
    return !!item && item[DELETED] === true;
}

/** The version a write names (absent: none, so the write is not checked). */
export function expectedVersionOf(input) {
    const version = input[VERSION];
    return version === undefined || version === null ? null : version;
}

/** A new record's version attributes (`item` gets them). */
export function stampCreate(plan, item) {
    if (!plan.conflict) {
        return;
    }
    item[VERSION] = 1;
    item[LAST_CHANGED] = util.time.nowEpochMilliSeconds();
    delete item[DELETED];
}

/**
 * The SET clauses of a write of a versioned record: the version incremented, the change
 * time, and for a delete the tombstone and its expiry. Adds names and values to `update`.
 */
export function versionSets(plan, update, deleting) {
    if (!plan.conflict) {
        return [];
    }
    const names = update.expressionNames;
    const values = update.expressionValues;
    names[`#${VERSION}`] = VERSION;
    names[`#${LAST_CHANGED}`] = LAST_CHANGED;
    const now = util.time.nowEpochMilliSeconds();
    values[':versionStep'] = util.dynamodb.toDynamoDB(1);
    values[':changedAt'] = util.dynamodb.toDynamoDB(now);
    const sets = [`#${VERSION} = #${VERSION} + :versionStep`, `#${LAST_CHANGED} = :changedAt`];
    if (deleting) {
        names[`#${DELETED}`] = DELETED;
        names[`#${TTL}`] = TTL;
        values[':tombstone'] = util.dynamodb.toDynamoDB(true);
        values[':expires'] = util.dynamodb.toDynamoDB(Math.floor(now / 1000) + TOMBSTONE_SECONDS);
        sets.push(`#${DELETED} = :tombstone`, `#${TTL} = :expires`);
    }
    return sets;
}

/** The update of a delete of a versioned record: a tombstone, one version on. */
export function tombstoneUpdate(plan) {
    const update = { expressionNames: {}, expressionValues: {} };
    update.expression = `SET ${versionSets(plan, update, true).join(', ')}`;
    return update;
}

/**
 * Adds to a write's condition: the record is no tombstone and, when the input names a
 * version, is at that version.
 */
export function addVersionCondition(expr, plan, input) {
    if (!plan.conflict) {
        return;
    }
    addExists(expr, DELETED, false);
    const expected = expectedVersionOf(input);
    if (expected !== null) {
        addRaw(expr, {
            expression: `${nameRef(expr, VERSION)} = :expectedVersion`,
            expressionValues: { ':expectedVersion': util.dynamodb.toDynamoDB(expected) },
        });
    }
}

/** Whether a write whose condition failed on `current` failed for its version. */
export function isConflict(plan, input, current) {
    if (!plan.conflict || !current) {
        return false;
    }
    const expected = expectedVersionOf(input);
    return isTombstone(current) || (expected !== null && current[VERSION] !== expected);
}
