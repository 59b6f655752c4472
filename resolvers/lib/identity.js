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
export const JSON_STRING_ARRAY = '\\[\\s*("([^"\\\\]|\\\\.)*"\\s*(,\\s*"([^"\\\\]|\\\\.)*"\\s*)*)?\\]';

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
 * The role of an IAM caller that is a role session, as AppSync gives it in `userArn`:
 *   arn:aws:sts::123456789012:assumed-role/AdminRole/session
 *     -> { partition: 'aws', account: '123456789012', name: 'AdminRole' }
 * Anything else is null: an IAM user (`arn:aws:iam::<account>:user/<path/>Name`), the
 * account root, a federated user, a role ARN (AppSync never gives one for a caller), or a
 * malformed ARN. Role and session names hold no ':' or '/', so the ARN has exactly six
 * ':'-separated parts and its resource exactly three '/'-separated ones.
 */
export function assumedRoleOf(identity) {
    const arn = identity.userArn;
    if (typeof arn !== 'string') {
        return null;
    }
    const parts = arn.split(':');
    if (parts.length !== 6 || parts[0] !== 'arn' || !parts[1] || parts[2] !== 'sts' || parts[3] !== '' || !parts[4]) {
        return null;
    }
    const resource = parts[5].split('/');
    if (resource.length !== 3 || resource[0] !== 'assumed-role' || !resource[1] || !resource[2]) {
        return null;
    }
    return { partition: parts[1], account: parts[4], name: resource[1] };
}

/**
 * Whether the caller is a session of `role`, a configured role name or role ARN:
 *   'AdminRole'                                     the role of that name
 *   'arn:aws:iam::123456789012:role/team/AdminRole' that partition, account and name (a
 *                                                   session's ARN has no role path)
 * Exact comparison only; an entry that is neither (an IAM user's ARN, say) holds nobody.
 */
export function holdsRole(identity, role) {
    const session = assumedRoleOf(identity);
    if (session === null || typeof role !== 'string' || !role) {
        return false;
    }
    if (!role.startsWith('arn:')) {
        return role.indexOf('/') < 0 && session.name === role;
    }
    const parts = role.split(':');
    if (parts.length !== 6 || parts[2] !== 'iam' || parts[3] !== '') {
        return false;
    }
    const path = parts[5].split('/');
    return (
        path.length >= 2 &&
        path[0] === 'role' &&
        parts[1] === session.partition &&
        parts[4] === session.account &&
        path[path.length - 1] === session.name
    );
}

function bypasses(mode, identity, security) {
    if (mode !== 'iam') {
        return false;
    }
    if ((security.adminRoles ?? []).some((role) => holdsRole(identity, role))) {
        return true;
    }
    return security.iamAuthorizationMode === true && !identity.cognitoIdentityPoolId;
}

/**
 * The caller of this request. `bypass`: a session of an admin role (by exact role name, or
 * role ARN with its account), or, with iamAuthorizationMode, an IAM principal outside the
 * identity pool: full access.
 */
export function callerOf(ctx, security) {
    const type = util.authType();
    const mode = Object.hasOwn(MODES, type) ? MODES[type] : null;
    const identity = ctx.identity ?? {};
    return { mode, identity, bypass: bypasses(mode, identity, security) };
}

/**
 * Whether an IAM caller holds the identity pool's role for `authType`
 * ("authenticated" / "unauthenticated"). When AppSync says which kind of identity-pool
 * credentials the caller has (`cognitoIdentityAuthType`), that decides, for the configured
 * pool (any pool when none is configured): a role name never overrides it. Without it, a
 * session of that role holds it, unless the caller is a session of the other role too (one
 * role configured as both: only AppSync's answer can tell a guest from a signed-in user).
 */
export function hasPoolRole(identity, security, authType) {
    const given = identity.cognitoIdentityAuthType;
    if (given !== null && given !== undefined) {
        if (given !== authType) {
            return false;
        }
        return !security.identityPoolId || identity.cognitoIdentityPoolId === security.identityPoolId;
    }
    const signedIn = authType === 'authenticated';
    const role = signedIn ? security.authenticatedRole : security.unauthenticatedRole;
    const other = signedIn ? security.unauthenticatedRole : security.authenticatedRole;
    return holdsRole(identity, role) && !holdsRole(identity, other);
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
