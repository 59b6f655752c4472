/**
 * Shared function of a LAMBDA model's update and delete, bound to the conflict handler's
 * Lambda data source, after the model's data function: invokes the handler only when the
 * write failed for its version (lib/conflictHandler.js) and keeps its checked answer in
 * `ctx.stash.conflictAnswer` for the shared resolve function (stages/resolve.js), which
 * turns it into the retry. Two functions, so that each stays well within AppSync's limit
 * on code.
 */
import { SECURITY } from '../security.js';
import { handlerAnswer, handlerRequest } from '../lib/conflictHandler.js';
import { planOf } from '../lib/stash.js';

export function request(ctx) {
    return handlerRequest(ctx, planOf(ctx, SECURITY));
}

export function response(ctx) {
    ctx.stash.conflictAnswer = handlerAnswer(ctx, planOf(ctx, SECURITY));
    return ctx.stash.conflictOutcome;
}
