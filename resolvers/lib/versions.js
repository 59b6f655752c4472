/**
 * Conflict detection of a versioned model (`plan.conflict`, the construct's conflict
 * resolution): every record keeps `_version` (1 on create, +1 on each write) and
 * `_lastChangedAt` (epoch milliseconds); an update or delete names the version it last
 * read (`input._version`) and is written only on that version (the ConditionExpression);
 * a delete leaves a tombstone (`_deleted: true`, `_ttl` for the table's TTL), which reads
 * hide and sync shows. A write refused for its version is AppSync's `ConflictUnhandled`
 * error, with the record as stored (as the caller may see it) for the client to retry on.
 *
 * Every write of a versioned record also sets DELTA_PARTITION to the model's name: with
 * `_lastChangedAt` it keys the table's delta-sync index (DELTA_INDEX, codegen/tables.py), so
 * a sync with `lastSync` reads only the records changed since (list.js).
 */
import { util } from '@aws-appsync/utils';
import { addExists, addRaw, nameRef } from './expressions.js';

export const VERSION = '_version';
export const DELETED = '_deleted';
export const LAST_CHANGED = '_lastChangedAt';
export const TTL = '_ttl';
// The delta-sync index and its partition key attribute (schema/names.py spells them too);
// no GraphQL field can start with "__", and a user @index of that name is refused.
export const DELTA_INDEX = '_deltaSync';
export const DELTA_PARTITION = '__deltaSync';
// The mark of a delta sync's page tokens (list.js, lib/listing.js).
export const DELTA_TOKEN = 'delta:';
// How long a tombstone is kept before DynamoDB's TTL removes it (Amplify's default, 30 days).
const TOMBSTONE_SECONDS = 30 * 24 * 60 * 60;
export const TOMBSTONE_MILLISECONDS = TOMBSTONE_SECONDS * 1000;

/** Whether `item` is the tombstone of a deleted record. */
export function isTombstone(item) {
    return !!item && item[DELETED] === true;
}

/** The version a write names (null when it names none). */
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
    item[DELTA_PARTITION] = plan.model;
    delete item[DELETED];
}

/**
 * The SET clauses of a write of a versioned record: the version incremented, the change
 * time, the delta-sync partition, and for a delete the tombstone and its expiry. Adds
 * names and values to `update`.
 */
export function versionSets(plan, update, deleting) {
    if (!plan.conflict) {
        return [];
    }
    const names = update.expressionNames;
    const values = update.expressionValues;
    names[`#${VERSION}`] = VERSION;
    names[`#${LAST_CHANGED}`] = LAST_CHANGED;
    names[`#${DELTA_PARTITION}`] = DELTA_PARTITION;
    const now = util.time.nowEpochMilliSeconds();
    values[':versionStep'] = util.dynamodb.toDynamoDB(1);
    values[':noVersion'] = util.dynamodb.toDynamoDB(0);
    values[':changedAt'] = util.dynamodb.toDynamoDB(now);
    values[':deltaModel'] = util.dynamodb.toDynamoDB(plan.model);
    const sets = [
        // A record written before its model was versioned has none: it gets version 1.
        `#${VERSION} = if_not_exists(#${VERSION}, :noVersion) + :versionStep`,
        `#${LAST_CHANGED} = :changedAt`,
        `#${DELTA_PARTITION} = :deltaModel`,
    ];
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
 * Adds to a write's condition: the record is no tombstone and is at the version the input
 * names (or has none yet). An update or delete of a versioned record must name one, as
 * AppSync's versioned data sources require (their error when it is missing).
 */
export function addVersionCondition(expr, plan, input) {
    if (!plan.conflict) {
        return;
    }
    addExists(expr, DELETED, false);
    const expected = expectedVersionOf(input);
    if (expected === null) {
        util.error("Value for field '$[_version]' must be a number.", 'MappingTemplate');
    }
    // A record written before its model was versioned has no version to be at: the first
    // write naming one takes it.
    const version = nameRef(expr, VERSION);
    addRaw(expr, {
        expression: `(attribute_not_exists(${version}) OR ${version} = :expectedVersion)`,
        expressionValues: { ':expectedVersion': util.dynamodb.toDynamoDB(expected) },
    });
}

/** Whether a write whose condition failed on `current` failed for its version. */
export function isConflict(plan, input, current) {
    if (!plan.conflict || !current) {
        return false;
    }
    const expected = expectedVersionOf(input);
    const stored = current[VERSION];
    const versioned = stored !== undefined && stored !== null;
    return isTombstone(current) || (expected !== null && versioned && stored !== expected);
}
