/**
 * Partial readers (codegen/field_access.py): callers whom only a field's own rules admit
 * to a read (seed 003: field rules replace the model's for their field). They pass get,
 * list, the index queries and the subscriptions, and on each record see the fields whose
 * read rules admit them; every other field is null, with "Not Authorized to access
 * <field> on type <Model>" when they asked for it - unless AppSync reports it itself (a
 * mode the field's directive leaves out, or a field with a resolver of its own). The
 * questions they may ask (filters, key arguments) are lib/questions.js's.
 */
import { util } from '@aws-appsync/utils';
import { responseKeys } from './fieldGuard.js';
import { admitsRecord, authorize } from './rules.js';

/** What the model's rules and the partial readers' rules grant together. */
export function readGrant(plan, caller) {
    const model = authorize(plan.rules, caller, plan.security);
    const partial = authorize(plan.partialRules ?? [], caller, plan.security);
    if (model.unconditional || partial.unconditional) {
        return { admitted: true, unconditional: true, predicates: [] };
    }
    const predicates = model.predicates.concat(partial.predicates);
    return { admitted: predicates.length > 0, unconditional: false, predicates };
}

/** Whether the caller reads some records only as a partial reader. */
export function readsPartially(plan, caller) {
    if ((plan.partialRules ?? []).length === 0 || authorize(plan.rules, caller, plan.security).unconditional) {
        return false;
    }
    return authorize(plan.partialRules, caller, plan.security).admitted;
}

/** The fields with own rules of `raw` whose read rules admit the caller. */
export function readableFields(plan, caller, raw) {
    const readRules = plan.readRules ?? {};
    return Object.keys(readRules).filter((field) => admitsRecord(readRules[field], caller, plan.security, raw));
}

/** The fields of `raw` whose own read rules admit the caller (as a partial reader). */
export function partiallyReadable(plan, caller, raw) {
    return (plan.partialRules ?? []).length === 0 ? [] : readableFields(plan, caller, raw);
}

/**
 * `shown` (the record as returned) reduced to the `readable` fields; `at` is the record's
 * path under the operation ([] or ['items', i]).
 */
export function partialView(ctx, plan, caller, readable, shown, at) {
    const modes = plan.fieldModes ?? {};
    const resolvers = plan.fieldResolvers ?? [];
    const prefix = at.length > 0 ? `${at[0]}/` : '';
    (plan.fields ?? []).forEach((field) => {
        if (readable.includes(field)) {
            return;
        }
        shown[field] = null;
        const admitted = Object.hasOwn(modes, field) ? modes[field] : plan.typeModes;
        const reportedElsewhere = !admitted.includes(caller.mode) || resolvers.includes(field);
        if (!reportedElsewhere) {
            responseKeys(ctx.info, prefix, field).forEach((key) => {
                util.appendError(`Not Authorized to access ${field} on type ${plan.model}`, 'Unauthorized', null, {
                    path: at.concat([key]),
                });
            });
        }
    });
    return shown;
}
