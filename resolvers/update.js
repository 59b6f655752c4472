/**
 * Mutation.update<Model>: UpdateItem. The key comes from `input`, every other input field
 * is a change. Each change is governed by its field's own rules, by the model's rules when
 * it has none, and - when set to null - by the rules allowing delete on it. A change no
 * rule can admit fails the request ("Unauthorized on [<fields>]"); changes admitted only
 * by owner / dynamic-group rules put those predicates into the ConditionExpression. A
 * `condition` naming a field the caller may not read is refused (lib/readable.js). A new
 * value of an indexed owner field rewrites its owner key attribute (lib/ownerKey.js).
 */
import { util } from '@aws-appsync/utils';
import { PLAN } from './plan.js';
import { callerOf } from './lib/identity.js';
import { requireReadable } from './lib/readable.js';
import { dynamoKey, isKeyField } from './lib/keys.js';
import { ownerIndexOf, ownerKeyFor } from './lib/ownerKey.js';
import { authorize } from './lib/rules.js';
import { presentFor } from './lib/shape.js';
import { addPart, checkWrite, writeCondition } from './lib/writes.js';

function rulesFor(field, value) {
    if (value === null) {
        return Object.hasOwn(PLAN.nullRules, field) ? PLAN.nullRules[field] : [];
    }
    return Object.hasOwn(PLAN.fieldRules, field) ? PLAN.fieldRules[field] : PLAN.rules;
}

/** The predicate parts the write must satisfy; fails the request for denied changes. */
function authorizeChanges(caller, input, changes) {
    const parts = [];
    if (changes.length === 0) {
        const grant = authorize(PLAN.rules, caller, PLAN.security);
        if (!grant.admitted) {
            util.unauthorized();
        }
        addPart(parts, grant);
        return parts;
    }
    const denied = [];
    changes.forEach((field) => {
        const grant = authorize(rulesFor(field, input[field]), caller, PLAN.security);
        if (grant.admitted) {
            addPart(parts, grant);
        } else {
            denied.push(field);
        }
    });
    if (denied.length > 0) {
        util.error(`Unauthorized on [${denied.join(', ')}]`, 'Unauthorized');
    }
    return parts;
}

/** The owner key attribute of each indexed owner field the update changes (null: removed). */
function ownerKeyChanges(input, changes, caller, values, fields) {
    changes.forEach((field) => {
        const entry = ownerIndexOf(PLAN, field);
        if (entry) {
            values[entry.keyAttribute] = ownerKeyFor(PLAN, field, input[field], caller);
            fields.push(entry.keyAttribute);
        }
    });
}

function updateExpression(input, changes, caller) {
    const sets = [];
    const removes = [];
    const expressionNames = {};
    const expressionValues = {};
    const values = Object.assign({}, input, { __typename: PLAN.model });
    const fields = changes.concat(['__typename']);
    ownerKeyChanges(input, changes, caller, values, fields);
    if (PLAN.updatedAt && !changes.includes(PLAN.updatedAt)) {
        values[PLAN.updatedAt] = util.time.nowISO8601();
        fields.push(PLAN.updatedAt);
    }
    // Value placeholders carry no underscore, so they never meet util.transform's (":<field>_<op>").
    fields.forEach((field) => {
        expressionNames[`#${field}`] = field;
        if (values[field] === null) {
            removes.push(`#${field}`);
        } else {
            const ref = `:new${sets.length}`;
            expressionValues[ref] = util.dynamodb.toDynamoDB(values[field]);
            sets.push(`#${field} = ${ref}`);
        }
    });
    const clauses = [`SET ${sets.join(', ')}`];
    if (removes.length > 0) {
        clauses.push(`REMOVE ${removes.join(', ')}`);
    }
    return { expression: clauses.join(' '), expressionNames, expressionValues };
}

export function request(ctx) {
    const caller = callerOf(ctx, PLAN.security);
    const input = ctx.args.input;
    const changes = Object.keys(input).filter((field) => !isKeyField(PLAN, field));
    const parts = caller.bypass ? [] : authorizeChanges(caller, input, changes);
    requireReadable(PLAN, caller, ctx.args.condition);
    ctx.stash.authParts = parts;
    return {
        operation: 'UpdateItem',
        key: dynamoKey(PLAN, input),
        update: updateExpression(input, changes, caller),
        condition: writeCondition(PLAN, parts, ctx.args.condition),
    };
}

export function response(ctx) {
    checkWrite(ctx, PLAN, ctx.stash.authParts ?? []);
    return presentFor(ctx, callerOf(ctx, PLAN.security), ctx.result, PLAN, true);
}
