// A local stand-in for AppSync's APPSYNC_JS built-ins (`@aws-appsync/utils`, whose
// published package holds only types). Each handler call gets its own instance from
// createAppSyncUtils(), which records what the handler did besides returning a value:
// appended errors, early return, subscription filters, invalidations.
//
// Behaviour follows AWS's documentation (see APPSYNC.md §4-§7): util.error throws and
// carries message/type/data/info; util.unauthorized throws "Not Authorized to access
// <field> on type <Type>"; util.transform returns JSON strings; numbers in DynamoDB values
// are strings.

import { randomBytes, randomUUID } from 'node:crypto';

/** AppSync authorization mode names -> what util.authType() returns. */
export const AUTH_TYPES = Object.freeze({
    API_KEY: 'API Key Authorization',
    AWS_IAM: 'IAM Authorization',
    AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
    OPENID_CONNECT: 'Open ID Connect Authorization',
    AWS_LAMBDA: 'Lambda Authorization',
});

/** Thrown by util.error / util.unauthorized: stops the handler, fails the field. */
export class AppSyncError extends Error {
    constructor(message, errorType = null, data = null, errorInfo = null) {
        super(message);
        this.name = 'AppSyncError';
        this.errorType = errorType ?? null;
        this.data = data ?? null;
        this.errorInfo = errorInfo ?? null;
    }

    toJSON() {
        return { message: this.message, errorType: this.errorType, data: this.data, errorInfo: this.errorInfo };
    }
}

/** Thrown by runtime.earlyReturn: stops the handler with `value` as its result. */
export class EarlyReturn extends Error {
    constructor(value, options) {
        super('earlyReturn');
        this.name = 'EarlyReturn';
        this.value = value === undefined ? null : value;
        this.options = options ?? null;
    }
}

// ---- util.dynamodb -------------------------------------------------------------------

function toDynamoDB(value) {
    if (value === null || value === undefined) return { NULL: true };
    if (typeof value === 'string') return { S: value };
    if (typeof value === 'number') return { N: String(value) };
    if (typeof value === 'boolean') return { BOOL: value };
    if (Array.isArray(value)) return { L: value.map(toDynamoDB) };
    if (typeof value === 'object') return { M: toMapValues(value) };
    throw new TypeError(`util.dynamodb.toDynamoDB cannot convert a ${typeof value}`);
}

function toMapValues(object) {
    const out = {};
    for (const [key, value] of Object.entries(object ?? {})) {
        if (value !== undefined) out[key] = toDynamoDB(value);
    }
    return out;
}

const dynamodb = {
    toDynamoDB,
    toMapValues,
    toString: (s) => ({ S: s }),
    toStringSet: (list) => ({ SS: [...list] }),
    toNumber: (n) => ({ N: String(n) }),
    toNumberSet: (list) => ({ NS: list.map(String) }),
    toBinary: (b64) => ({ B: b64 }),
    toBinarySet: (list) => ({ BS: [...list] }),
    toBoolean: (b) => ({ BOOL: b }),
    toNull: () => ({ NULL: true }),
    toList: (list) => ({ L: list.map(toDynamoDB) }),
    toMap: (object) => ({ M: toMapValues(object) }),
    toS3Object: (key, bucket, region, version) => ({
        S: JSON.stringify({ s3: version === undefined ? { key, bucket, region } : { key, bucket, region, version } }),
    }),
    fromS3ObjectJson: (s) => JSON.parse(s).s3,
};

// ---- util.transform ------------------------------------------------------------------

const COMPARATORS = { eq: '=', ne: '<>', le: '<=', lt: '<', ge: '>=', gt: '>' };

class ExpressionBuilder {
    constructor() {
        this.names = {};
        this.values = {};
    }

    name(field) {
        const ref = `#${field}`;
        this.names[ref] = field;
        return ref;
    }

    value(field, op, value) {
        const base = `:${field}_${op}`;
        let ref = base;
        for (let n = 1; Object.hasOwn(this.values, ref); n += 1) ref = `${base}_${n}`;
        this.values[ref] = toDynamoDB(value);
        return ref;
    }

    clause(field, op, arg) {
        const name = this.name(field);
        if (Object.hasOwn(COMPARATORS, op)) return `${name} ${COMPARATORS[op]} ${this.value(field, op, arg)}`;
        switch (op) {
            case 'contains':
                return `contains(${name}, ${this.value(field, op, arg)})`;
            case 'notContains':
                return `NOT contains(${name}, ${this.value(field, op, arg)})`;
            case 'beginsWith':
                return `begins_with(${name}, ${this.value(field, op, arg)})`;
            case 'between':
                return `${name} BETWEEN ${this.value(field, op, arg[0])} AND ${this.value(field, op, arg[1])}`;
            case 'attributeExists':
                return arg ? `attribute_exists(${name})` : `attribute_not_exists(${name})`;
            case 'attributeType':
                return `attribute_type(${name}, ${this.value(field, op, arg)})`;
            case 'in':
                return `${name} IN (${arg.map((v) => this.value(field, op, v)).join(', ')})`;
            case 'size': {
                const parts = Object.entries(arg).map(
                    ([sizeOp, v]) => `size(${name}) ${COMPARATORS[sizeOp]} ${this.value(field, `size_${sizeOp}`, v)}`,
                );
                return parts.join(' AND ');
            }
            default:
                throw new AppSyncError(`Unsupported operator '${op}' on '${field}'.`, 'ValidationException');
        }
    }

    build(filter) {
        const parts = [];
        for (const [key, arg] of Object.entries(filter ?? {})) {
            if (arg === undefined || arg === null) continue;
            if (key === 'and' || key === 'or') {
                const inner = arg.map((f) => this.build(f)).filter(Boolean);
                if (inner.length) parts.push(`(${inner.map((e) => `(${e})`).join(key === 'and' ? ' AND ' : ' OR ')})`);
            } else if (key === 'not') {
                const inner = this.build(arg);
                if (inner) parts.push(`(NOT (${inner}))`);
            } else {
                for (const [op, value] of Object.entries(arg)) {
                    if (value !== undefined) parts.push(`(${this.clause(key, op, value)})`);
                }
            }
        }
        return parts.join(' AND ');
    }

    toJSON(filter) {
        const expression = this.build(filter);
        const out = { expression, expressionNames: this.names };
        if (Object.keys(this.values).length) out.expressionValues = this.values;
        return JSON.stringify(out);
    }
}

// Disjunctive normal form of a subscription filter object: a list of AND-ed filter lists.
function subscriptionGroups(object, ignored) {
    let groups = [[]];
    const product = (left, right) => left.flatMap((a) => right.map((b) => [...a, ...b]));
    for (const [key, arg] of Object.entries(object ?? {})) {
        if (arg === undefined || arg === null || ignored.includes(key)) continue;
        if (key === 'and') {
            for (const sub of arg) groups = product(groups, subscriptionGroups(sub, ignored));
        } else if (key === 'or') {
            groups = product(groups, arg.flatMap((sub) => subscriptionGroups(sub, ignored)));
        } else {
            const filters = Object.entries(arg).map(([operator, value]) => ({ fieldName: key, operator, value }));
            groups = product(groups, [filters]);
        }
    }
    return groups;
}

function toSubscriptionFilter(object, ignoredFields, rules) {
    let groups = subscriptionGroups(object, ignoredFields ?? []);
    const ruleFilters = subscriptionGroups(rules ?? {}, []).flat();
    if (ruleFilters.length) groups = groups.flatMap((g) => ruleFilters.map((r) => [...g, r]));
    return { filterGroup: groups.filter((g) => g.length).map((filters) => ({ filters })) };
}

const transform = {
    toDynamoDBFilterExpression: (filter) => new ExpressionBuilder().toJSON(filter),
    toDynamoDBConditionExpression: (condition) => new ExpressionBuilder().toJSON(condition),
    toSubscriptionFilter,
};

// Documented limits of enhanced subscription filters (APPSYNC.md §7).
function checkSubscriptionFilter(filter) {
    const groups = filter?.filterGroup;
    if (!Array.isArray(groups)) throw new AppSyncError('A subscription filter needs a filterGroup list.', 'ValidationException');
    if (groups.length > 10) throw new AppSyncError(`Too many filter groups (${groups.length}); at most 10.`, 'ValidationException');
    for (const { filters } of groups) {
        for (const f of filters) {
            const limit = { in: 5, notIn: 5, containsAny: 20 }[f.operator];
            if (limit && (!Array.isArray(f.value) || f.value.length > limit)) {
                throw new AppSyncError(`Filter '${f.operator}' on '${f.fieldName}' takes at most ${limit} values.`, 'ValidationException');
            }
        }
    }
}

// ---- ids ------------------------------------------------------------------------------

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function autoUlid(nowMs) {
    let time = '';
    for (let t = nowMs, i = 0; i < 10; i += 1, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
    return time + [...randomBytes(16)].map((b) => CROCKFORD[b % 32]).join('');
}

function autoKsuid(nowMs) {
    const bytes = Buffer.concat([Buffer.alloc(4), randomBytes(16)]);
    bytes.writeUInt32BE(Math.floor(nowMs / 1000) - 1400000000, 0);
    let n = BigInt(`0x${bytes.toString('hex')}`);
    let out = '';
    for (let i = 0; i < 27; i += 1, n /= 62n) out = BASE62[Number(n % 62n)] + out;
    return out;
}

// ---- the instance -------------------------------------------------------------------

function typeOf(v) {
    if (v === null || v === undefined) return 'Null';
    if (Array.isArray(v)) return 'List';
    return { string: 'String', number: 'Number', boolean: 'Boolean', object: 'Map' }[typeof v] ?? 'Object';
}

/**
 * Fresh `util`, `runtime`, `extensions` for one handler call.
 * @param {{authType?: string, info?: object, now?: string|number}} options
 *   authType: an AppSync mode name (API_KEY, AWS_IAM, ...) or util.authType()'s text;
 *   info: ctx.info (util.unauthorized names its field); now: a fixed clock.
 */
export function createAppSyncUtils({ authType = null, info = null, now = null } = {}) {
    const state = {
        errors: [],
        subscriptionFilter: null,
        subscriptionInvalidationFilter: null,
        invalidations: [],
        cacheEvictions: [],
    };
    const clock = () => (now === null || now === undefined ? Date.now() : typeof now === 'number' ? now : Date.parse(now));
    const authText = authType && Object.hasOwn(AUTH_TYPES, authType) ? AUTH_TYPES[authType] : authType;

    const util = {
        error(message, errorType, data, errorInfo) {
            throw new AppSyncError(String(message), errorType, data, errorInfo);
        },
        appendError(message, errorType, data, errorInfo) {
            state.errors.push(new AppSyncError(String(message), errorType, data, errorInfo).toJSON());
        },
        unauthorized() {
            const field = info?.fieldName ?? '<field>';
            const type = info?.parentTypeName ?? '<type>';
            throw new AppSyncError(`Not Authorized to access ${field} on type ${type}`, 'Unauthorized');
        },
        authType: () => authText,
        autoId: () => randomUUID(),
        autoUlid: () => autoUlid(clock()),
        autoKsuid: () => autoKsuid(clock()),
        base64Encode: (s) => Buffer.from(String(s), 'utf8').toString('base64'),
        base64Decode: (s) => Buffer.from(String(s), 'base64').toString('utf8'),
        urlEncode: (s) => encodeURIComponent(s).replace(/%20/g, '+'),
        urlDecode: (s) => decodeURIComponent(String(s).replace(/\+/g, '%20')),
        escapeJavaScript: (s) => JSON.stringify(String(s)).slice(1, -1),
        matches: (pattern, value) => new RegExp(`^(?:${pattern})$`, 'u').test(String(value)),
        isNull: (v) => v === null || v === undefined,
        isNullOrEmpty: (v) => v === null || v === undefined || v === '',
        isNullOrBlank: (v) => v === null || v === undefined || String(v).trim() === '',
        defaultIfNull: (v, d) => (v === null || v === undefined ? d : v),
        defaultIfNullOrEmpty: (v, d) => (v === null || v === undefined || v === '' ? d : v),
        defaultIfNullOrBlank: (v, d) => (v === null || v === undefined || String(v).trim() === '' ? d : v),
        isString: (v) => typeof v === 'string',
        isNumber: (v) => typeof v === 'number',
        isBoolean: (v) => typeof v === 'boolean',
        isList: (v) => Array.isArray(v),
        isMap: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
        typeOf,
        time: {
            nowISO8601: () => new Date(clock()).toISOString(),
            nowEpochSeconds: () => Math.floor(clock() / 1000),
            nowEpochMilliSeconds: () => clock(),
            parseISO8601ToEpochMilliSeconds: (s) => Date.parse(s),
            epochMilliSecondsToSeconds: (ms) => Math.floor(ms / 1000),
            epochMilliSecondsToISO8601: (ms) => new Date(ms).toISOString(),
        },
        str: {
            toUpper: (s) => String(s).toUpperCase(),
            toLower: (s) => String(s).toLowerCase(),
            toReplace: (s, find, replacement) => String(s).split(find).join(replacement),
            normalize: (s, form) => String(s).normalize(String(form).toUpperCase()),
        },
        math: {
            roundNum: (n) => Math.round(n),
            minVal: (a, b) => Math.min(a, b),
            maxVal: (a, b) => Math.max(a, b),
            randomDouble: () => Math.random(),
            randomWithinRange: (min, max) => min + Math.floor(Math.random() * (max - min)),
        },
        dynamodb,
        transform,
    };

    const runtime = {
        earlyReturn(value, options) {
            throw new EarlyReturn(value, options);
        },
    };

    const extensions = {
        setSubscriptionFilter(filter) {
            checkSubscriptionFilter(filter);
            state.subscriptionFilter = filter;
        },
        setSubscriptionInvalidationFilter(filter) {
            checkSubscriptionFilter(filter);
            state.subscriptionInvalidationFilter = filter;
        },
        invalidateSubscriptions(invalidation) {
            if (state.invalidations.length >= 5) {
                throw new AppSyncError('invalidateSubscriptions may be called at most 5 times per request.', 'ValidationException');
            }
            state.invalidations.push(invalidation);
        },
        evictFromApiCache(typeName, fieldName, keyValues) {
            state.cacheEvictions.push({ typeName, fieldName, keyValues });
        },
    };

    return { util, runtime, extensions, state };
}
