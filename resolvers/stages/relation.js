/**
 * The code of a relation field's pipeline resolver: its plan in the stash, like every
 * other resolver (stages/resolver.js), and no read at all when the record holding the
 * field has no value for a key field (a @belongsTo whose foreign key is null is null), or
 * when that record is a mutation's response: it is every subscriber's event too, and
 * relation fields are not resolved for subscribers (lib/shape.js). Whether the caller may
 * read the key fields is the shared prepare function's question (lib/relationSource.js):
 * this code stays the plan.
 */
import { runtime } from '@aws-appsync/utils';
import { isWritten } from '../lib/shape.js';
import { PLAN } from '../plan.js';

export function request(ctx) {
    ctx.stash.plan = PLAN;
    const fromSource = PLAN.sourceKeys;
    const missing = Object.keys(fromSource).some((key) => {
        const value = ctx.source[fromSource[key]];
        return value === null || value === undefined;
    });
    if (missing || isWritten(ctx.source)) {
        runtime.earlyReturn(null);
    }
    return {};
}

export function response(ctx) {
    return ctx.prev.result;
}
