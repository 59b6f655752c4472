/**
 * Shared function (NONE data source), first of a table operation's pipeline: authorizes
 * the caller and builds the DynamoDB request (the operation's `prepare`), which the
 * model's data function (stages/data.js) sends. (A relation whose key the caller may not
 * read on the record holding it ends the pipeline in its operation's `prepare`, null,
 * without a read: lib/relationSource.js.)
 */
import { SECURITY } from '../security.js';
import { prepare } from '../operation.js';
import { planOf } from '../lib/stash.js';

export function request(ctx) {
    ctx.stash.dataRequest = prepare(ctx, planOf(ctx, SECURITY));
    return { payload: null };
}

export function response() {
    return null;
}
