/**
 * The second function of an AUTOMERGE model's table (its DynamoDB data source): sends the
 * merged retry the shared merge function prepared, or, without one, hands the first
 * write's outcome on untouched (no request is sent).
 */
import { runtime } from '@aws-appsync/utils';

export function request(ctx) {
    const sent = ctx.stash.retryRequest;
    if (!sent) {
        runtime.earlyReturn(ctx.prev.result);
    }
    return sent;
}

export function response(ctx) {
    return { result: ctx.result ?? null, error: ctx.error ?? null };
}
