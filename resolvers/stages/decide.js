/**
 * Shared function (NONE data source) of the operations that read no table: a
 * subscription's subscribe-time decision (its filter) and a field's read guard (its value).
 */
import { SECURITY } from '../security.js';
import { decide } from '../operation.js';
import { planOf } from '../lib/stash.js';

export function request() {
    return { payload: null };
}

export function response(ctx) {
    return decide(ctx, planOf(ctx, SECURITY));
}
