/**
 * The plan of the resolver being run. Each resolver's own code is only its plan: its request
 * handler puts it in `ctx.stash.plan` (stages/resolver.js); the functions the whole API
 * shares read it here. The plan leaves out every value equal to its default (below), so
 * each resolver carries only what differs; the API's security settings come with the
 * shared function's code (security.js), not with each plan.
 */
import { util } from '@aws-appsync/utils';

const DEFAULTS = {
    partitionKey: 'id',
    sortKey: null,
    sortKeyFields: [],
    rules: [],
    fieldRules: {},
    deleteRules: [],
    nullRules: {},
    readRules: {},
    defaults: {},
    ownerFields: [],
    protectedFields: [],
    guardedFields: {},
    guardModes: {},
    partialRules: [],
    fields: [],
    typeModes: [],
    fieldModes: {},
    fieldResolvers: [],
    viewRules: null,
    ownerIndexes: {},
    compositeKeys: {},
    indexName: null,
    indexPartitionKey: null,
    indexSortKey: null,
    indexSortKeyFields: [],
    createdAt: 'createdAt',
    updatedAt: 'updatedAt',
    fieldName: null,
    sourceKeys: {},
    sourceModel: null,
    sourceRules: {},
    single: false,
    conflict: null,
    conflictHandler: null,
    sync: false,
};

/** The plan in the stash with its defaults filled in and `security` attached. */
export function planOf(ctx, security) {
    const given = ctx.stash.plan;
    if (!given || !given.kind) {
        util.error('This function runs only inside a resolver that puts its plan in ctx.stash.plan.', 'Code');
    }
    return Object.assign({}, DEFAULTS, given, { security });
}
