/**
 * Mutation.create<Model>: PutItem guarded by attribute_not_exists on the key.
 * Owner fields of owner rules allowing create are filled, when left out, with the caller's
 * identity ("<sub>::<username>" by default; a list owner field with the caller alone); a
 * supplied owner value must be one of the caller's identities, and a supplied owners list
 * must hold one, for that rule to admit (as Amplify's create resolver: the caller is not
 * added to a list they are not in). Fields the input leaves out get their
 * `@default(value:)` (the plan's `defaults`; an explicit null stays null). Fields the caller
 * supplied with their own rules must each be admitted, or the whole request fails with
 * "Unauthorized on [<fields>]"; defaults are not checked. A caller the model's rules
 * refuse but a field's create rules admit (as Amplify's access-control matrix lets them)
 * may create a record of only such fields: each field they supply must be one whose own
 * rules admit them. Indexed owner fields also get their owner key attribute
 * (lib/ownerKey.js), which owner lists query, and the @indexes with a composite sort key
 * theirs (lib/keys.js; a record giving only some of an index's fields is refused).
 */
import { util } from '@aws-appsync/utils';
import { addExists, addRaw, expressionOf, newExpression, userConditionOf } from './lib/expressions.js';
import { callerOf, ownerIdentitiesOf } from './lib/identity.js';
import { compositeKeysOf, keyOf } from './lib/keys.js';
import { ownerKeysOf } from './lib/ownerKey.js';
import { admitsRecord } from './lib/rules.js';
import { passError, presentFor } from './lib/shape.js';
import { VERSION, stampCreate } from './lib/versions.js';

/** Whether some owner rule allowing create is on `field` (only those fields are filled). */
function createsOwner(plan, field) {
    return plan.rules.some((rule) => rule.strategy === 'owner' && rule.ownerField === field);
}

/** Fills absent owner fields with the caller's first identity form (a list: the caller alone). */
function fillOwners(plan, item, caller) {
    plan.ownerFields.forEach((rule) => {
        const mine = rule.provider === caller.mode && createsOwner(plan, rule.ownerField);
        const identities = mine ? ownerIdentitiesOf(caller.identity, rule.identityClaim) : [];
        if (identities.length === 0) {
            return;
        }
        const field = rule.ownerField;
        if (item[field] === undefined || item[field] === null) {
            item[field] = rule.ownerIsList ? [identities[0]] : identities[0];
        }
    });
}

/** Fills the `@default` of each field the input leaves out (absent, not null). */
function fillDefaults(plan, item, input) {
    Object.keys(plan.defaults ?? {}).forEach((field) => {
        if (!Object.hasOwn(input, field) && (item[field] === undefined || item[field] === null)) {
            item[field] = plan.defaults[field];
        }
    });
}

/** Whether some field the caller supplies has own create rules admitting them on `item`. */
function createsFields(plan, caller, supplied, item) {
    return supplied.some(
        (field) =>
            Object.hasOwn(plan.fieldRules, field) && admitsRecord(plan.fieldRules[field], caller, plan.security, item),
    );
}

/** Who writes, as the mode and the most stable identifier AppSync gives for it. */
function writerOf(caller) {
    const identity = caller.identity ?? {};
    const who = identity.sub ?? identity.cognitoIdentityId ?? identity.userArn ?? identity.username ?? '';
    return `${caller.mode}:${who}`;
}

function conditionOf(ctx, plan) {
    const expr = newExpression();
    addExists(expr, plan.partitionKey, false);
    const user = userConditionOf(ctx.args.condition);
    if (user) {
        addRaw(expr, user);
    }
    return expressionOf(expr);
}

export function prepare(ctx, plan) {
    const caller = callerOf(ctx, plan.security);
    // `_version` (a versioned model's) is the client's, not a field: the record starts at 1.
    const supplied = Object.keys(ctx.args.input).filter((field) => !(plan.conflict && field === VERSION));
    const item = Object.assign({}, ctx.args.input);
    fillOwners(plan, item, caller);
    fillDefaults(plan, item, ctx.args.input);
    const byModel = admitsRecord(plan.rules, caller, plan.security, item);
    if (!byModel && !createsFields(plan, caller, supplied, item)) {
        util.unauthorized();
    }
    // A field without own rules is the model's: only a caller the model admits sets it.
    const denied = supplied.filter((field) =>
        Object.hasOwn(plan.fieldRules, field)
            ? !admitsRecord(plan.fieldRules[field], caller, plan.security, item)
            : !byModel,
    );
    if (denied.length > 0) {
        util.error(`Unauthorized on [${denied.join(', ')}]`, 'Unauthorized');
    }
    if (plan.partitionKey === 'id' && (item.id === undefined || item.id === null)) {
        item.id = util.autoId();
    }
    const now = util.time.nowISO8601();
    [plan.createdAt, plan.updatedAt].forEach((field) => {
        if (field && (item[field] === undefined || item[field] === null)) {
            item[field] = now;
        }
    });
    stampCreate(plan, item);
    item.__typename = plan.model;
    const key = keyOf(plan, item);
    const attributes = {};
    Object.keys(item).forEach((field) => {
        if (!Object.hasOwn(key, field)) {
            attributes[field] = item[field];
        }
    });
    Object.assign(attributes, ownerKeysOf(plan, item, caller));
    const composites = compositeKeysOf(plan, item, 'creating');
    Object.keys(composites).forEach((attribute) => {
        if (composites[attribute] !== null) {
            attributes[attribute] = composites[attribute];
        }
    });
    // AppSync counts a PutItem whose condition failed as done when the stored item equals
    // the one sent (the DynamoDB resolver reference, "Condition expressions"): a create
    // naming a taken key would then confirm the whole stored record to anyone. The writer
    // stored beside it (`__writer`, a name no GraphQL field can have) keeps that for a
    // retry by the same caller; an absent id is made here and never collides.
    if (supplied.some((field) => isKeyField(plan, field))) {
        attributes.__writer = writerOf(caller);
    }
    return {
        operation: 'PutItem',
        key: util.dynamodb.toMapValues(key),
        attributeValues: util.dynamodb.toMapValues(attributes),
        condition: conditionOf(ctx, plan),
    };
}

export function finish(ctx, plan, outcome) {
    passError(outcome);
    return presentFor(ctx, callerOf(ctx, plan.security), outcome.result, plan);
}
