/**
 * Shared function (NONE data source), last of a table operation's pipeline: the
 * operation's `finish` turns the DynamoDB outcome the data function passed on into what
 * the caller sees (errors, owner values read back, field guards, partial views).
 */
import { SECURITY } from '../security.js';
import { finish } from '../operation.js';
import { planOf } from '../lib/stash.js';

export function request(ctx) {
    return { payload: ctx.prev.result };
}

export function response(ctx) {
    return finish(ctx, planOf(ctx, SECURITY), ctx.result ?? {});
}
