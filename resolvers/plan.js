/**
 * An example plan, so the sources lint and load on their own. In a deployed resolver,
 * codegen/bundle.py replaces the import of this module with the operation's own plan
 * (`const PLAN = {...};`, see README.md), written without the values lib/stash.js fills in.
 */
const OWNER = {
    strategy: 'owner',
    provider: 'userPools',
    ownerField: 'owner',
    ownerIsList: false,
    identityClaim: 'sub::username',
    groupClaim: null,
    groups: [],
    groupsField: null,
    groupsFieldIsList: false,
};

const ADMINS = {
    strategy: 'groups',
    provider: 'userPools',
    ownerField: null,
    ownerIsList: false,
    identityClaim: null,
    groupClaim: 'cognito:groups',
    groups: ['Admins'],
    groupsField: null,
    groupsFieldIsList: false,
};

export const PLAN = {
    kind: 'update',
    model: 'Post',
    partitionKey: 'id',
    sortKey: null,
    sortKeyFields: [],
    rules: [OWNER, ADMINS],
    fieldRules: { draftNotes: [OWNER] },
    deleteRules: [OWNER, ADMINS],
    nullRules: { draftNotes: [OWNER] },
    readRules: { draftNotes: [OWNER] },
    defaults: {},
    ownerFields: [OWNER],
    protectedFields: ['draftNotes'],
    guardedFields: { draftNotes: [OWNER] },
    partialRules: [],
    fields: [],
    typeModes: [],
    fieldModes: {},
    fieldResolvers: [],
    ownerIndexes: { owner: { index: 'ownerOwnerIndex', keyAttribute: '__ownerKey_owner' } },
    compositeKeys: {},
    indexName: null,
    indexPartitionKey: null,
    indexSortKey: null,
    indexSortKeyFields: [],
    createdAt: 'createdAt',
    updatedAt: 'updatedAt',
    fieldName: null,
};
