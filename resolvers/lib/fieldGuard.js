/**
 * Field-level read rules, applied by the resolver that returns the record (get, list,
 * index queries, mutations) rather than by one `<Model>.<field>` resolver per field: a
 * field the caller may not read is nulled, and when the client asked for it one error
 * "Not Authorized to access <field> on type <Model>" (Unauthorized) is appended per record,
 * its `errorInfo.path` locating the field under the operation's path (AppSync puts the
 * error itself on the operation's path). Code generation does this only for models no
 * other field of the schema returns; those keep fieldRead.js.
 */
import { util } from '@aws-appsync/utils';
import { admitsRecord } from './rules.js';

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';

function isNameChar(c) {
    return c.length === 1 && NAME_CHARS.indexOf(c) >= 0;
}

/**
 * The aliases the selection set gives `field` (`alias: field`): AppSync lists an aliased
 * field under its alias in selectionSetList, so the GraphQL text is looked into.
 */
function aliasesOf(text, field) {
    const parts = text.split(field);
    const found = [];
    parts.slice(1).forEach((after, i) => {
        const before = parts[i];
        const last = parts.length - 1;
        const previous = before === '' && i > 0 ? field.slice(-1) : before.slice(-1);
        const next = after === '' && i + 1 < last ? field.slice(0, 1) : after.slice(0, 1);
        const head = before.trim();
        if (isNameChar(previous) || isNameChar(next) || head.slice(-1) !== ':') {
            return;
        }
        // The alias: the run of name characters right before the colon.
        let alias = '';
        let ended = false;
        head.slice(0, -1).trim().split('').reverse().forEach((c) => {
            if (!ended && isNameChar(c)) {
                alias = c + alias;
            } else {
                ended = true;
            }
        });
        if (alias !== '' && !found.includes(alias)) {
            found.push(alias);
        }
    });
    return found;
}

/**
 * The response keys under which the client selected `field` of the record at `prefix`
 * ('' or 'items/'): its name, and each alias it gave it. An error locates the field by the
 * key the client reads, as AppSync's own errors do.
 */
export function responseKeys(info, prefix, field) {
    const list = (info && info.selectionSetList) || [];
    const keys = list.includes(prefix + field) ? [field] : [];
    aliasesOf((info && info.selectionSetGraphQL) || '', field).forEach((alias) => {
        if (!keys.includes(alias)) {
            keys.push(alias);
        }
    });
    return keys;
}

/**
 * Whether the field's own directive lets the caller's mode through: the providers of its
 * rules, and IAM with admin roles or the IAM authorization mode (codegen's field_providers).
 * A mode it leaves out gets AppSync's own error on the field; the guard adds none. When a
 * rule of the field allows only writes, its provider is in the directive but not among the
 * read rules: the plan's `guardModes` then lists the directive's modes.
 */
function directiveAdmits(plan, field, rules, caller, security) {
    const modes = (plan.guardModes ?? {})[field];
    if (modes) {
        return modes.includes(caller.mode);
    }
    if (rules.some((rule) => rule.provider === caller.mode)) {
        return true;
    }
    const adminIam = (security.adminRoles ?? []).length > 0 || security.iamAuthorizationMode === true;
    return caller.mode === 'iam' && adminIam;
}

/**
 * `shown` (the record as returned) with each guarded field `raw` (the stored item) does not
 * let the caller read set to null; `at` is the record's path under the operation ([] or
 * ['items', i]).
 */
export function guardRead(ctx, plan, caller, raw, shown, at) {
    const guards = plan.guardedFields ?? {};
    const prefix = at.length > 0 ? `${at[0]}/` : '';
    Object.keys(guards).forEach((field) => {
        if (admitsRecord(guards[field], caller, plan.security, raw)) {
            return;
        }
        shown[field] = null;
        if (directiveAdmits(plan, field, guards[field], caller, plan.security)) {
            responseKeys(ctx.info, prefix, field).forEach((key) => {
                util.appendError(`Not Authorized to access ${field} on type ${plan.model}`, 'Unauthorized', null, {
                    path: at.concat([key]),
                });
            });
        }
    });
    return shown;
}
