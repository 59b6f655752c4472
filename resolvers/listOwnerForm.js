/**
 * One step of an owner list (see listOwner.js), for identity form PLAN.form.
 * Owner mode: Query the owner index for this form's value with the room left on the page,
 * from the page token when it points at this form; skip when the page is full, an earlier
 * form stopped with a token, or the token is past this form. Scan and filter modes: form 0
 * scans (or Queries the table with stash.keyQuery, when the caller gave the partition
 * key), the others skip.
 */
import { runtime, util } from '@aws-appsync/utils';
import { PLAN } from './plan.js';
import { passError } from './lib/shape.js';

function skip(ctx) {
    runtime.earlyReturn(ctx.prev.result);
}

function withFilter(operation, filter) {
    if (filter) {
        operation.filter = filter;
    }
    return operation;
}

function scanRequest(ctx) {
    const stash = ctx.stash;
    const read = stash.keyQuery ? Object.assign({ operation: 'Query' }, stash.keyQuery) : { operation: 'Scan' };
    read.limit = stash.limit;
    if (stash.start.t) {
        read.nextToken = stash.start.t;
    }
    return withFilter(read, stash.filter);
}

function ownerRequest(ctx) {
    const stash = ctx.stash;
    const form = PLAN.form;
    if (form >= stash.forms.length || stash.done || stash.start.f > form) {
        return skip(ctx);
    }
    const remaining = stash.limit - stash.items.length;
    if (remaining <= 0) {
        stash.next = { f: form, t: null };
        stash.done = true;
        return skip(ctx);
    }
    const name = `#${stash.ownerField}`;
    const expressionNames = {};
    expressionNames[name] = stash.ownerField;
    const query = {
        operation: 'Query',
        index: stash.index,
        query: {
            expression: `${name} = :form`,
            expressionNames,
            expressionValues: { ':form': util.dynamodb.toDynamoDB(stash.forms[form]) },
        },
        limit: remaining,
    };
    if (stash.start.f === form && stash.start.t) {
        query.nextToken = stash.start.t;
    }
    return withFilter(query, stash.filter);
}

export function request(ctx) {
    if (ctx.stash.mode === 'owner') {
        return ownerRequest(ctx);
    }
    if (PLAN.form !== 0) {
        return skip(ctx);
    }
    return scanRequest(ctx);
}

export function response(ctx) {
    passError(ctx);
    const stash = ctx.stash;
    stash.items = stash.items.concat(ctx.result.items ?? []);
    if (ctx.result.nextToken) {
        stash.next = { f: PLAN.form, t: ctx.result.nextToken };
        stash.done = true;
    }
    return ctx.result.items ?? [];
}
