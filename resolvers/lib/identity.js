/**
 * Who is calling: the authorization mode, the identity AppSync filled in for it, and the
 * values rules compare against (IAM principal names, groups, owner identities).
 */
import { util } from '@aws-appsync/utils';

// util.authType() -> the provider name rules use.
const MODES = {
    'API Key Authorization': 'apiKey',
    'IAM Authorization': 'iam',
    'User Pool Authorization': 'userPools',
    'Open ID Connect Authorization': 'oidc',
    'Lambda Authorization': 'function',
};

// A JSON array of strings, as OIDC providers send list claims: '["a", "b"]'.
const JSON_STRING_ARRAY = '\\[\\s*("([^"\\\\]|\\\\.)*"\\s*(,\\s*"([^"\\\\]|\\\\.)*"\\s*)*)?\\]';

/** Distinct values, first occurrence kept. */
export function unique(values) {
    return values.filter((v, i) => values.indexOf(v) === i);
}

function asText(value) {
    if (typeof value === 'string') {
        return value;
    }
    if (typeof value === 'number') {
        return `${value}`;
    }
    return null;
}

/**
 * Names an IAM caller is known by: the full ARN, and for an assumed role the role name and
 * role ARN, for an IAM user or role its name.
 *   arn:aws:sts::123456789012:assumed-role/AdminRole/session -> AdminRole
 *   arn:aws:iam::123456789012:user/appsync                     -> appsync
 */
export function iamPrincipalNames(identity) {
    const arn = identity.userArn;
    if (typeof arn !== 'string' || !arn) {
        return [];
    }
    const names = [arn];
    const parts = arn.split(':');
    if (parts.length < 6) {
        return names;
    }
    const path = parts.slice(5).join(':').split('/');
    if (parts[2] === 'sts' && path[0] === 'assumed-role' && path.length >= 3) {
        names.push(path[1]);
        names.push(`arn:${parts[1]}:iam::${parts[4]}:role/${path[1]}`);
    } else if (parts[2] === 'iam' && (path[0] === 'user' || path[0] === 'role') && path.length >= 2) {
        names.push(path[path.length - 1]);
    }
    return names;
}

function bypasses(mode, identity, security) {
    if (mode !== 'iam') {
        return false;
    }
    const names = iamPrincipalNames(identity);
    if (names.some((name) => security.adminRoles.includes(name))) {
        return true;
    }
    return security.iamAuthorizationMode === true && !identity.cognitoIdentityPoolId;
}

/**
 * The caller of this request. `bypass`: an admin role (exact name or ARN), or, with
 * iamAuthorizationMode, an IAM principal outside the identity pool: full access.
 */
export function callerOf(ctx, security) {
    const type = util.authType();
    const mode = Object.hasOwn(MODES, type) ? MODES[type] : null;
    const identity = ctx.identity ?? {};
    return { mode, identity, bypass: bypasses(mode, identity, security) };
}

/**
 * Whether an IAM caller holds the identity pool's role for `authType`
 * ("authenticated" / "unauthenticated"): that role by name or ARN, or credentials of that
 * type from the configured pool (any pool when none is configured).
 */
export function hasPoolRole(identity, security, authType) {
    const role = authType === 'authenticated' ? security.authenticatedRole : security.unauthenticatedRole;
    if (role && iamPrincipalNames(identity).includes(role)) {
        return true;
    }
    if (identity.cognitoIdentityAuthType !== authType) {
        return false;
    }
    return !security.identityPoolId || identity.cognitoIdentityPoolId === security.identityPoolId;
}

/** A claim holding groups: a list, a JSON-encoded list (OIDC), or one group. */
function groupList(value) {
    if (Array.isArray(value)) {
        return value.filter((v) => typeof v === 'string');
    }
    if (typeof value !== 'string') {
        return [];
    }
    const text = value.trim();
    if (util.matches(JSON_STRING_ARRAY, text)) {
        return JSON.parse(text);
    }
    return text ? [text] : [];
}

/** The caller's groups from `claim` (default cognito:groups). */
export function groupsOf(identity, claim) {
    const name = claim ?? 'cognito:groups';
    const claims = identity.claims ?? {};
    if (Object.hasOwn(claims, name)) {
        return unique(groupList(claims[name]));
    }
    if (name === 'cognito:groups') {
        return unique(groupList(identity.groups ?? null));
    }
    return [];
}

function claimValue(identity, name) {
    const claims = identity.claims ?? {};
    if (name === 'username') {
        return asText(identity.username ?? claims.username ?? claims['cognito:username']);
    }
    if (name === 'sub') {
        return asText(identity.sub ?? claims.sub);
    }
    return Object.hasOwn(claims, name) ? asText(claims[name]) : null;
}

const SEPARATOR = '::';

/** A claim value that may stand for the caller on its own: present and free of "::". */
function isBare(value) {
    return Boolean(value) && value.indexOf(SEPARATOR) < 0;
}

/**
 * The values an owner field may hold for this caller, most specific first. With the
 * default claim "sub::username": ["<sub>::<username>", "<sub>", "<username>"]; with
 * "a::b": the joined value, then each part; with one claim name: its value.
 *
 * A value holding "::" is never an identity on its own, or a user could name themselves
 * "<victimSub>::<victimUsername>" and match the victim's stored "<sub>::<username>". The
 * joined value needs every part but the last free of "::", so that no two callers join
 * to the same value: a stored "X::Y" matches only the caller whose own parts join to it.
 */
export function ownerIdentitiesOf(identity, identityClaim) {
    const names = (identityClaim ?? `sub${SEPARATOR}username`).split(SEPARATOR);
    const values = names.map((name) => claimValue(identity, name));
    const last = values.length - 1;
    const found = [];
    if (last > 0 && values.every((v, i) => (i === last ? Boolean(v) : isBare(v)))) {
        found.push(values.join(SEPARATOR));
    }
    values.forEach((v) => {
        if (isBare(v)) {
            found.push(v);
        }
    });
    return unique(found);
}
