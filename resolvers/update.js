/**
 * Mutation.update<Model>: UpdateItem. The key comes from `input`, every other input field
 * is a change. Each change is governed by its field's own rules, by the model's rules when
 * it has none, and - when set to null - by the rules allowing delete on it. A change no
 * rule can admit fails the request ("Unauthorized on [<fields>]"); changes admitted only
 * by owner / dynamic-group rules put those predicates into the ConditionExpression. The
 * key and the `condition` are a question about the fields they name (lib/questions.js): a
 * field the caller may not read is refused, or confined to the records they may read it
 * on (its predicates join the ConditionExpression). A new
 * value of an indexed owner field rewrites its owner key attribute (lib/ownerKey.js); a
 * change to a field of an @index's composite sort key rewrites that key, and needs all its
 * fields (lib/keys.js). The key fields name the record and are never changed.
 */
import { util } from '@aws-appsync/utils';
import { callerOf } from './lib/identity.js';
import { automergedInput } from './lib/automerge.js';
import { handlerName, removal, retryInput } from './lib/conflictHandler.js';
import { compositeKeysOf, dynamoKey, isKeyField, keyFieldsOf } from './lib/keys.js';
import { ownerIndexOf, ownerKeyFor } from './lib/ownerKey.js';
import { writeQuestion } from './lib/questions.js';
import { authorize, holds } from './lib/rules.js';
import { presentFor } from './lib/shape.js';
import { DELETED, LAST_CHANGED, VERSION, isTombstone, versionSets } from './lib/versions.js';
import { addPart, checkWrite, conflictOf, writeCondition } from './lib/writes.js';

function rulesFor(plan, field, value) {
    if (value === null) {
        return Object.hasOwn(plan.nullRules, field) ? plan.nullRules[field] : plan.deleteRules;
    }
    return Object.hasOwn(plan.fieldRules, field) ? plan.fieldRules[field] : plan.rules;
}

/** Whether a grant admits the caller: at all, or on `record` when one is given. */
function grantHolds(grant, record) {
    return grant.admitted && (!record || grant.unconditional || grant.predicates.some((p) => holds(p, record)));
}

/**
 * What the caller's rules grant `changes` of `input`: the predicate parts, the denied
 * fields (with `record`: also those whose predicates do not hold on it).
 */
function grantChanges(plan, caller, input, changes, record) {
    const parts = [];
    const denied = [];
    if (changes.length === 0) {
        const grant = authorize(plan.rules, caller, plan.security);
        addPart(parts, grant);
        return { parts, denied: grantHolds(grant, record) ? [] : [plan.model] };
    }
    changes.forEach((field) => {
        const grant = authorize(rulesFor(plan, field, input[field]), caller, plan.security);
        if (grantHolds(grant, record)) {
            addPart(parts, grant);
        } else {
            denied.push(field);
        }
    });
    return { parts, denied };
}

/** The predicate parts the write must satisfy; fails the request for denied changes. */
function authorizeChanges(plan, caller, input, changes) {
    const granted = grantChanges(plan, caller, input, changes);
    if (changes.length === 0 && granted.denied.length > 0) {
        util.unauthorized();
    }
    if (granted.denied.length > 0) {
        util.error(`Unauthorized on [${granted.denied.join(', ')}]`, 'Unauthorized');
    }
    return granted.parts;
}

/** The owner key attribute of each indexed owner field the update changes (null: removed). */
function ownerKeyChanges(plan, input, changes, caller, values, fields) {
    changes.forEach((field) => {
        const entry = ownerIndexOf(plan, field);
        if (entry) {
            values[entry.keyAttribute] = ownerKeyFor(plan, field, input[field], caller);
            fields.push(entry.keyAttribute);
        }
    });
}

/**
 * The composite sort key attribute of each @index whose fields the update gives (with the
 * timestamp it sets); their placeholders are `#__key<N>`, as "status#createdAt" is none.
 */
function compositeChanges(plan, values, fields, names) {
    const composites = compositeKeysOf(plan, values, 'updating');
    Object.keys(composites).forEach((attribute) => {
        const ref = `__key${Object.keys(names).length}`;
        names[`#${ref}`] = attribute;
        values[ref] = composites[attribute];
        fields.push(ref);
    });
}

/**
 * `guarded`: the condition holds authorization parts. AppSync counts a write whose condition
 * failed as done when the item already is what the write would leave (AWS AppSync resolver
 * reference for DynamoDB, "Condition expressions", handling a condition check failure), so
 * a refused no-op update (a key-only input, or values equal to the stored ones) would
 * succeed and tell the caller the values they sent are stored. A fresh `__writeId` (a name
 * no GraphQL field can have) makes every guarded update change the item.
 */
function updateExpression(plan, input, changes, caller, guarded) {
    const sets = [];
    const removes = [];
    const expressionNames = {};
    const expressionValues = {};
    const values = Object.assign({}, input, { __typename: plan.model });
    const fields = changes.concat(['__typename']);
    if (guarded) {
        values.__writeId = util.autoId();
        fields.push('__writeId');
    }
    ownerKeyChanges(plan, input, changes, caller, values, fields);
    if (plan.updatedAt && !changes.includes(plan.updatedAt)) {
        values[plan.updatedAt] = util.time.nowISO8601();
        fields.push(plan.updatedAt);
    }
    compositeChanges(plan, values, fields, expressionNames);
    // Value placeholders carry no underscore, so they never meet util.transform's (":<field>_<op>").
    fields.forEach((field) => {
        if (!Object.hasOwn(expressionNames, `#${field}`)) {
            expressionNames[`#${field}`] = field;
        }
        if (values[field] === null) {
            removes.push(`#${field}`);
        } else {
            const ref = `:new${sets.length}`;
            expressionValues[ref] = util.dynamodb.toDynamoDB(values[field]);
            sets.push(`#${field} = ${ref}`);
        }
    });
    const update = { expressionNames, expressionValues };
    const clauses = [`SET ${sets.concat(versionSets(plan, update, false)).join(', ')}`];
    if (removes.length > 0) {
        clauses.push(`REMOVE ${removes.join(', ')}`);
    }
    return { expression: clauses.join(' '), expressionNames, expressionValues };
}

/** The fields an input changes: not the key, nor the version it names (lib/versions.js). */
function changesOf(plan, input) {
    return Object.keys(input).filter((field) => !isKeyField(plan, field) && !(plan.conflict && field === VERSION));
}

export function prepare(ctx, plan) {
    const caller = callerOf(ctx, plan.security);
    const input = ctx.args.input;
    const changes = changesOf(plan, input);
    const parts = caller.bypass ? [] : authorizeChanges(plan, caller, input, changes);
    const question = writeQuestion(ctx, plan, caller);
    if (question.view) {
        addPart(parts, question.view);
    }
    // Admitted by the model's update rules (a key-only input, or a change of a field they
    // govern): "a caller the model's rules let update gets the record back whole".
    ctx.stash.modelWriter = changes.length === 0 || changes.some((f) => !Object.hasOwn(plan.fieldRules, f) && input[f] !== null);
    ctx.stash.authParts = parts;
    ctx.stash.keyParts = question.keyParts;
    return {
        operation: 'UpdateItem',
        key: dynamoKey(plan, input),
        update: updateExpression(plan, input, changes, caller, parts.length + question.keyParts.length > 0),
        condition: writeCondition(plan, parts.concat(question.keyParts), ctx.args.condition, input),
    };
}

/**
 * AUTOMERGE (`plan.conflict`; the shared merge function between the model's data function
 * and its retry function): an update refused for its version only, on a record that is no
 * tombstone, is retried once on the stored version with its changes merged into the
 * stored record (lib/automerge.js), under the same authorization parts (the merged changes
 * are among those authorized, with values of the same kind). The retry function sends
 * `stash.retryRequest`, or passes the outcome on when there is none.
 */
export function merge(ctx, plan, outcome) {
    const current = plan.conflict === 'AUTOMERGE' ? conflictOf(ctx, outcome, plan) : null;
    if (!current || isTombstone(current)) {
        return outcome;
    }
    const input = automergedInput(ctx.args.input, current, changesOf(plan, ctx.args.input), keyFieldsOf(plan), VERSION);
    const parts = ctx.stash.authParts ?? [];
    const keyParts = ctx.stash.keyParts ?? [];
    const caller = callerOf(ctx, plan.security);
    ctx.stash.retriedInput = input;
    ctx.stash.retryRequest = {
        operation: 'UpdateItem',
        key: dynamoKey(plan, input),
        update: updateExpression(plan, input, changesOf(plan, input), caller, parts.length + keyParts.length > 0),
        condition: writeCondition(plan, parts.concat(keyParts), ctx.args.condition, input),
    };
    return outcome;
}

/**
 * The fields the handler's resolved `item` changes on the `current` record (absent or null:
 * removed); it may not change the key, nor name a field the model lacks.
 */
function resolvedChanges(plan, current, item) {
    const known = plan.fields.concat([VERSION, LAST_CHANGED, DELETED, '__typename']);
    const unknown = Object.keys(item).filter((field) => !known.includes(field));
    const moved = keyFieldsOf(plan).filter((field) => Object.hasOwn(item, field) && item[field] !== current[field]);
    if (unknown.length + moved.length > 0) {
        const named = unknown.length > 0 ? `names [${unknown.join(', ')}], which ${plan.model} does not have` : `changes the key [${moved.join(', ')}]`;
        util.error(`${handlerName(plan)} answered RESOLVE with an item that ${named}; it returns the record with its own key and fields.`, 'ConflictError');
    }
    const changes = {};
    plan.fields.forEach((field) => {
        const was = current[field] ?? null;
        const now = item[field] ?? null;
        if (!isKeyField(plan, field) && JSON.stringify(was) !== JSON.stringify(now)) {
            changes[field] = now;
        }
    });
    return changes;
}

/**
 * LAMBDA (`plan.conflict`; the handler's function, stages/conflict.js, between the model's
 * data function and its retry function): REJECT hands the refused write on (finish makes it
 * `ConflictUnhandled`); REMOVE leaves a tombstone under delete's authorization
 * (lib/conflictHandler.js); RESOLVE writes the resolved item on the stored version. Its
 * changes are judged as if the caller had sent them, and the retry keeps the first
 * write's authorization parts: a handler never lets a caller change what they could not.
 */
export function resolveConflict(ctx, plan, answer) {
    const outcome = ctx.stash.conflictOutcome;
    const caller = callerOf(ctx, plan.security);
    if (answer.action === 'REMOVE') {
        removal(ctx, plan, caller, [plan.deleteRules].concat(Object.values(plan.nullRules)));
    }
    if (answer.action !== 'RESOLVE') {
        return outcome;
    }
    const input = retryInput(plan, outcome.result, resolvedChanges(plan, outcome.result, answer.item));
    const changes = changesOf(plan, input);
    const parts = (ctx.stash.authParts ?? []).slice();
    if (!caller.bypass) {
        const granted = grantChanges(plan, caller, input, changes, outcome.result);
        if (granted.denied.length > 0) {
            util.error(`${handlerName(plan)} answered RESOLVE with changes to [${granted.denied.join(', ')}], which the caller may not make.`, 'Unauthorized');
        }
        granted.parts.forEach((predicates) => addPart(parts, { unconditional: false, predicates }));
    }
    const keyParts = ctx.stash.keyParts ?? [];
    ctx.stash.retriedInput = input;
    ctx.stash.retryRequest = {
        operation: 'UpdateItem',
        key: dynamoKey(plan, input),
        update: updateExpression(plan, input, changes, caller, true),
        condition: writeCondition(plan, parts.concat(keyParts), ctx.args.condition, input),
    };
    return outcome;
}

export function finish(ctx, plan, outcome) {
    checkWrite(ctx, outcome, plan, ctx.stash.authParts ?? [], ctx.stash.keyParts ?? []);
    return presentFor(ctx, callerOf(ctx, plan.security), outcome.result, plan);
}
