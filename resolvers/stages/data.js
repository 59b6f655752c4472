/**
 * The one function of each model's table (its DynamoDB data source): sends the request the
 * shared prepare function built and hands the outcome on - result and error alike - to the
 * shared finish function, which decides what the caller sees.
 */
import { util } from '@aws-appsync/utils';

export function request(ctx) {
    const sent = ctx.stash.dataRequest;
    if (!sent) {
        util.error('No DynamoDB request was prepared for this function.', 'Code');
    }
    return sent;
}

export function response(ctx) {
    return { result: ctx.result ?? null, error: ctx.error ?? null };
}
