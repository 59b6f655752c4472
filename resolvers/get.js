/**
 * Query.get<Model>: GetItem, then record-level authorization on the item read. Static
 * rules admit without looking at the item; owner and dynamic-group rules must hold on it.
 * A caller only field rules admit gets the fields those rules let them read (lib/partial.js).
 * The key arguments are a question (lib/questions.js): a key field the caller may never
 * read is Unauthorized at once, and a record on which they may not read a key field they
 * named is answered as no record (null), so a get never tells whether a hidden value exists.
 * A relation field reading one record (@belongsTo, @hasOne) is this get, its key from the
 * record holding it (`sourceKeys`, lib/keys.js) rather than from the caller's arguments.
 * A tombstone (a deleted record of a versioned model, lib/versions.js) is no record.
 */
import { util } from '@aws-appsync/utils';
import { callerOf } from './lib/identity.js';
import { dynamoKey, keyArgsOf, keyFieldsOf } from './lib/keys.js';
import { readGrant } from './lib/partial.js';
import { endWhereRelationKeyHidden } from './lib/relationSource.js';
import { givenKeys, partsHold, readQuestion } from './lib/questions.js';
import { passError, presentRead } from './lib/shape.js';
import { isTombstone } from './lib/versions.js';

export function prepare(ctx, plan) {
    endWhereRelationKeyHidden(ctx, plan);
    const caller = callerOf(ctx, plan.security);
    if (!readGrant(plan, caller).admitted) {
        util.unauthorized();
    }
    // A relation's key from the record holding it is asked as an argument would be.
    const args = keyArgsOf(ctx, plan);
    ctx.stash.keyParts = readQuestion(ctx, plan, caller, givenKeys(args, keyFieldsOf(plan)));
    return { operation: 'GetItem', key: dynamoKey(plan, args) };
}

export function finish(ctx, plan, outcome) {
    passError(outcome);
    const item = outcome.result;
    // A versioned model's tombstone is a deleted record: none (sync shows it).
    if (!item || isTombstone(item) || !partsHold(ctx.stash.keyParts ?? [], item)) {
        return null;
    }
    const shown = presentRead(ctx, callerOf(ctx, plan.security), item, plan, []);
    if (!shown) {
        util.unauthorized();
    }
    return shown;
}
