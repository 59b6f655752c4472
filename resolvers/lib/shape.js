/**
 * Items as the API returns them. Reads (get, lists, index queries) return owner values
 * stored as "<sub>::<username>" as "<username>" (Amplify, "Per-user/per-owner data
 * access": "authorize against the full value of <sub>::<username> or sub / username
 * separately and return username"), and keep the stored values beside them for the
 * `<Model>.<field>` resolvers that judge the record (ctx.source). Mutation responses keep
 * the stored values: they are the subscription events, and an owner subscription's filter
 * must judge what is stored, not a username another user may hold too - except on a
 * versioned model (`plan.conflict`, DataStore's), whose responses read back like queries:
 * DataStore passes the `cognito:username` claim as a subscription's `owner` argument, which
 * AppSync compares with the event. Field-protected values are nulled in mutation responses
 * so subscription payloads never leak them.
 */
import { util } from '@aws-appsync/utils';
import { guardRead } from './fieldGuard.js';
import { callerOf } from './identity.js';
import { keyFieldsOf } from './keys.js';
import { usernamePart } from './ownerKey.js';
import { partiallyReadable, partialView, readableFields } from './partial.js';
import { admitsRecord } from './rules.js';
import { isTombstone } from './versions.js';

/** Owner fields (of every rule the plan names) whose identity claim is "sub::username". */
export function usernameFields(plan) {
    let specs = plan.rules.concat(plan.ownerFields ?? []);
    Object.values(plan.fieldRules ?? {}).forEach((rules) => {
        specs = specs.concat(rules);
    });
    const fields = [];
    specs.forEach((rule) => {
        const claim = rule.identityClaim ?? 'sub::username';
        if (rule.strategy === 'owner' && claim === 'sub::username' && !fields.includes(rule.ownerField)) {
            fields.push(rule.ownerField);
        }
    });
    return fields;
}

// Where a read keeps the stored values of the owner fields it reads back: a name no GraphQL
// field can have, so clients never see it; the resolvers below the record do (ctx.source).
const STORED_OWNERS = '__storedOwners';

/**
 * The record as read: owner values read back as usernames, the stored ones kept aside -
 * those of the `readable` fields only, when given (a partial reader's).
 */
function readBack(item, plan, readable) {
    const out = Object.assign({}, item);
    const stored = {};
    usernameFields(plan).forEach((field) => {
        const value = out[field];
        if (value === undefined || value === null) {
            return;
        }
        if (!readable || readable.includes(field)) {
            stored[field] = value;
        }
        out[field] = Array.isArray(value) ? value.map((v) => usernamePart(v)) : usernamePart(value);
    });
    if (Object.keys(stored).length > 0) {
        out[STORED_OWNERS] = stored;
    }
    return out;
}

/**
 * The record as stored, from what a read returned (`source` of a `<Model>.<field>`
 * resolver): the owner values read back replaced by the stored ones. A record some other
 * resolver returned (a custom query) is stored values already.
 */
export function storedOf(source) {
    const stored = source[STORED_OWNERS];
    return stored ? Object.assign({}, source, stored) : source;
}

// Marks a mutation's record, which is also every subscriber's event: relation fields below
// it are not resolved (stages/relation.js), so no event carries a related record its
// subscribers' rules were never asked about. No GraphQL field can have this name.
const WRITTEN = '__written';

/** Whether `source` is a record a mutation returned (its relation fields are null). */
export function isWritten(source) {
    return source[WRITTEN] === true;
}

/**
 * A mutation's record as returned: the stored values (read back on a versioned model), the
 * protected fields nulled.
 */
function written(item, plan) {
    const out = plan.conflict ? readBack(item, plan) : Object.assign({}, item);
    out[WRITTEN] = true;
    (plan.protectedFields ?? []).forEach((field) => {
        out[field] = null;
    });
    return out;
}

/**
 * A mutation's record as `caller` sees it: as stored, its protected fields nulled, then its
 * guarded fields checked (lib/fieldGuard.js). With `viewRules` (update, delete: a field rule lets callers write
 * whom the model's get and write rules do not admit), such a caller sees only the fields
 * their read rules open, and the key they gave - unless `stash.modelWriter` says the
 * model's own rules let them write.
 */
export function presentFor(ctx, caller, item, plan) {
    if (!item) {
        return null;
    }
    const shown = written(item, plan);
    // `stash.modelWriter` (update.js): the model's rules let the caller write, judged on the
    // record the write landed on; the record they leave may no longer admit them (an owner
    // who gave it away).
    const modelWriter = ctx.stash.modelWriter === true;
    if (plan.viewRules && !modelWriter && !admitsRecord(plan.viewRules, caller, plan.security, item)) {
        const keys = keyFieldsOf(plan);
        return partialView(ctx, plan, caller, readableFields(plan, caller, item).concat(keys), shown, []);
    }
    return guardRead(ctx, plan, caller, item, shown, []);
}

/**
 * A record read (get, list, index query) as `caller` sees it: whole (guarded fields
 * checked) when the model's rules admit them on it, else the fields a partial reader may
 * read (lib/partial.js); null when neither admits.
 */
export function presentRead(ctx, caller, item, plan, at) {
    if (admitsRecord(plan.rules, caller, plan.security, item)) {
        return guardRead(ctx, plan, caller, item, readBack(item, plan), at);
    }
    const readable = partiallyReadable(plan, caller, item);
    if (readable.length === 0) {
        return null;
    }
    return partialView(ctx, plan, caller, readable, readBack(item, plan, readable), at);
}

function readableBy(plan, caller, item) {
    return admitsRecord(plan.rules, caller, plan.security, item) || partiallyReadable(plan, caller, item).length > 0;
}

/** Every item of a page `caller` may read, as they see it. */
export function presentPage(ctx, caller, items, plan) {
    const kept = (items ?? []).filter((item) => readableBy(plan, caller, item));
    return kept.map((item, i) => presentRead(ctx, caller, item, plan, ['items', i]));
}

/** The first item of a page `caller` may read, as they see it; null when none is (a @hasOne read by an index query). */
export function presentFirst(ctx, caller, items, plan) {
    const item = (items ?? []).find((candidate) => readableBy(plan, caller, candidate));
    return item ? presentRead(ctx, caller, item, plan, []) : null;
}

/**
 * What a list or an index query returns from its Query's `outcome`: the page of items
 * `caller` may read, or, for a @hasOne whose related model stores the key (`plan.single`),
 * the first of them or null. (One function for both, so both share one finish function.)
 * A versioned model's tombstones are left out, but by its sync (`plan.sync`), whose page
 * also tells when the read started (`startedAt`, put in the stash by list.js).
 */
export function presentListing(ctx, plan, outcome) {
    passError(outcome);
    const caller = callerOf(ctx, plan.security);
    const page = outcome.result ?? {};
    const items = plan.conflict && !plan.sync ? (page.items ?? []).filter((item) => !isTombstone(item)) : page.items;
    if (plan.single) {
        return presentFirst(ctx, caller, items, plan);
    }
    const shown = { items: presentPage(ctx, caller, items, plan), nextToken: page.nextToken ?? null };
    if (plan.sync) {
        shown.startedAt = ctx.stash.startedAt ?? null;
    }
    return shown;
}

/** Passes a data-source error on (`outcome`: what stages/data.js handed over), as AWS's samples do. */
export function passError(outcome) {
    if (outcome.error) {
        util.error(outcome.error.message, outcome.error.type);
    }
}
