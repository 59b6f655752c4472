"""lib/identity.js: which IAM callers are admin roles and which hold an identity-pool role.

AppSync gives an IAM caller's principal as ``ctx.identity.userArn``: an assumed-role ARN
``arn:<partition>:sts::<account>:assumed-role/<RoleName>/<session>`` for a role session
(identity-pool credentials included), an IAM user ARN for a user. For identity-pool
credentials it also says which kind they are, in ``cognitoIdentityAuthType``.

Admin roles (``adminRoles``) are matched only against assumed-role sessions: by role name,
or, for an entry given as a role ARN, by partition, account and name (the session's ARN has
no role path). An IAM user is never an admin role, whatever it is called. The identity
pool's roles: when AppSync says which kind of identity-pool credentials the caller holds,
that decides; a role name never overrides it. Without it, only a session of the role (and
only when the two roles are different roles) holds it.
"""

from __future__ import annotations

from typing import Any

import pytest

from authorized_appsync.codegen.resolvers.plan import OperationKind, RuleSpec, SecuritySettings
from resolver_harness import (
    IAM_ADMIN,
    IAM_AUTH,
    IAM_UNAUTH,
    POOL_ID,
    UNAUTHORIZED,
    Caller,
    Resolver,
    owner,
    plan,
    private,
    public,
)

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "999999999999"
OWNED = {"id": "p1", "title": "Hello", "owner": "someone-else"}


def iam_caller(
    user_arn: str,
    *,
    auth_type: str | None = None,
    pool_id: str | None = None,
    account: str = ACCOUNT,
) -> Caller:
    """An AWS_IAM identity as AppSync fills it (APPSYNC.md section 1 shapes)."""
    from_pool = auth_type is not None
    identity: dict[str, Any] = {
        "accountId": account,
        "cognitoIdentityPoolId": (pool_id or POOL_ID) if from_pool else None,
        "cognitoIdentityId": f"{POOL_ID.split(':')[0]}:identity-1" if from_pool else None,
        "sourceIp": ["203.0.113.30"],
        "username": "AROAAAAAAAAAAAAAAAAAZ:session",
        "userArn": user_arn,
        "cognitoIdentityAuthType": auth_type,
        "cognitoIdentityAuthProvider": None,
    }
    return Caller(user_arn, "AWS_IAM", identity, {"headers": {}, "domainName": None})


def session(role: str, *, account: str = ACCOUNT, partition: str = "aws", **kw: Any) -> Caller:
    arn = f"arn:{partition}:sts::{account}:assumed-role/{role}/session"
    return iam_caller(arn, account=account, **kw)


def user(path_and_name: str, *, account: str = ACCOUNT) -> Caller:
    return iam_caller(f"arn:aws:iam::{account}:user/{path_and_name}", account=account)


def admitted(
    who: Caller,
    security: SecuritySettings,
    rules: tuple[RuleSpec, ...] = (),
    kind: OperationKind = OperationKind.GET,
) -> bool:
    """Whether ``who`` gets the record (get) or writes it (create) under ``rules``."""
    resolver = Resolver(plan(kind, rules), security=security)
    if kind is OperationKind.CREATE:
        sent = resolver.request(who, arguments={"input": {"id": "p1", "title": "t"}})
        if sent.error is not None:
            assert sent.error.error_type == UNAUTHORIZED, sent.error
            return False
        return True
    sent = resolver.request(who, arguments={"id": "p1"})
    got = (
        sent
        if sent.error is not None
        else resolver.response(who, arguments={"id": "p1"}, result=OWNED)
    )
    if got.error is not None:
        assert got.error.error_type == UNAUTHORIZED, got.error
        return False
    return True


# ---- finding 7: admin roles are assumed roles, never IAM users -------------------------------

BY_NAME = SecuritySettings(admin_roles=("AdminRole",), identity_pool_id=POOL_ID)
BY_ARN = SecuritySettings(
    admin_roles=(f"arn:aws:iam::{ACCOUNT}:role/AdminRole",), identity_pool_id=POOL_ID
)
BY_PATH_ARN = SecuritySettings(
    admin_roles=(f"arn:aws:iam::{ACCOUNT}:role/team/ops/AdminRole",), identity_pool_id=POOL_ID
)


@pytest.mark.parametrize("security", [BY_NAME, BY_ARN, BY_PATH_ARN], ids=["name", "arn", "path"])
@pytest.mark.parametrize("name", ["AdminRole", "path/AdminRole", "team/ops/AdminRole"])
def test_finding_7_iam_user_named_like_the_admin_role_gets_no_bypass(
    security: SecuritySettings, name: str
) -> None:
    # No rule admits anyone: only the bypass could let the caller in.
    assert not admitted(user(name), security)
    assert not admitted(user(name), security, kind=OperationKind.CREATE)
    # ... and the real admin role still passes.
    assert admitted(IAM_ADMIN, security)


@pytest.mark.parametrize(
    ("who", "security", "allowed"),
    [
        # the real admin role, each way it may be configured
        (session("AdminRole"), BY_NAME, True),
        (session("AdminRole"), BY_ARN, True),
        (session("AdminRole"), BY_PATH_ARN, True),  # the session ARN carries no path
        # another account's role of the same name: refused when an ARN was configured
        (session("AdminRole", account=OTHER_ACCOUNT), BY_ARN, False),
        (session("AdminRole", account=OTHER_ACCOUNT), BY_PATH_ARN, False),
        # another partition
        (session("AdminRole", partition="aws-cn"), BY_ARN, False),
        # lookalike role names: never by prefix, suffix or substring, case-sensitive
        (session("AdminRoleReadOnly"), BY_NAME, False),
        (session("XAdminRole"), BY_NAME, False),
        (session("AdminRol"), BY_NAME, False),
        (session("adminrole"), BY_NAME, False),
        (session("AdminRoleReadOnly"), BY_ARN, False),
        (session("XAdminRole"), BY_PATH_ARN, False),
        # principals that are not role sessions, named like the role
        (iam_caller(f"arn:aws:iam::{ACCOUNT}:role/AdminRole"), BY_NAME, False),
        (iam_caller(f"arn:aws:iam::{ACCOUNT}:role/AdminRole"), BY_ARN, False),
        (iam_caller(f"arn:aws:iam::{ACCOUNT}:role/team/ops/AdminRole"), BY_PATH_ARN, False),
        (iam_caller(f"arn:aws:sts::{ACCOUNT}:federated-user/AdminRole"), BY_NAME, False),
        (iam_caller(f"arn:aws:iam::{ACCOUNT}:root"), BY_NAME, False),
        (iam_caller(f"arn:aws:iam::{ACCOUNT}:user/AdminRole"), BY_ARN, False),
        # malformed session ARNs
        (iam_caller(f"arn:aws:sts::{ACCOUNT}:assumed-role/AdminRole"), BY_NAME, False),
        (iam_caller(f"arn:aws:sts::{ACCOUNT}:assumed-role/AdminRole/s/x"), BY_NAME, False),
        (iam_caller(f"arn:aws:iam::{ACCOUNT}:assumed-role/AdminRole/s"), BY_NAME, False),
        (iam_caller("AdminRole"), BY_NAME, False),
        (iam_caller(""), BY_NAME, False),
        # an admin entry that is a user ARN admits nobody (synth refuses it)
        (
            session("AdminRole"),
            SecuritySettings(admin_roles=(f"arn:aws:iam::{ACCOUNT}:user/AdminRole",)),
            False,
        ),
        (
            user("AdminRole"),
            SecuritySettings(admin_roles=(f"arn:aws:iam::{ACCOUNT}:user/AdminRole",)),
            False,
        ),
    ],
    ids=lambda v: v.name if isinstance(v, Caller) else None,
)
def test_admin_roles_match_assumed_roles_exactly(
    who: Caller, security: SecuritySettings, allowed: bool
) -> None:
    assert admitted(who, security) is allowed


def test_finding_7_iam_user_named_like_the_admin_role_gets_no_field_or_owner_bypass() -> None:
    # Rules the user cannot meet: an owner rule (user pools) and the identity pool's roles.
    rules = (owner(), private("iam"), public("iam"))
    for name in ("AdminRole", "path/AdminRole"):
        assert not admitted(user(name), BY_NAME, rules)
        assert not admitted(user(name), BY_NAME, rules, OperationKind.CREATE)


def test_iam_authorization_mode_still_admits_iam_users() -> None:
    # IamConfig(enable_iam_authorization_mode=True): IAM principals outside the identity
    # pool are governed by their IAM policy alone, users included; unrelated to admin roles.
    security = SecuritySettings(iam_authorization_mode=True)
    assert admitted(user("AdminRole"), security)
    assert admitted(user("anyone"), security)


# ---- finding 6: identity-pool roles --------------------------------------------------------

SHARED = SecuritySettings(
    identity_pool_id=POOL_ID, authenticated_role="PoolRole", unauthenticated_role="PoolRole"
)
DISTINCT = SecuritySettings(
    identity_pool_id=POOL_ID, authenticated_role="authRole", unauthenticated_role="unauthRole"
)
GUEST_OF_SHARED = session("PoolRole", auth_type="unauthenticated")
SIGNED_IN_OF_SHARED = session("PoolRole", auth_type="authenticated")


def test_finding_6_guest_of_a_role_shared_with_signed_in_users_is_not_private() -> None:
    private_rules = (private("iam"),)
    assert not admitted(GUEST_OF_SHARED, SHARED, private_rules)
    assert not admitted(GUEST_OF_SHARED, SHARED, private_rules, OperationKind.CREATE)
    assert admitted(SIGNED_IN_OF_SHARED, SHARED, private_rules)
    assert admitted(SIGNED_IN_OF_SHARED, SHARED, private_rules, OperationKind.CREATE)


def test_finding_6_signed_in_user_of_a_shared_role_is_not_public() -> None:
    public_rules = (public("iam"),)
    assert admitted(GUEST_OF_SHARED, SHARED, public_rules)
    assert not admitted(SIGNED_IN_OF_SHARED, SHARED, public_rules)


@pytest.mark.parametrize(
    ("who", "security", "rule", "allowed"),
    [
        # AppSync says which kind of identity-pool credentials: that decides
        (session("authRole", auth_type="authenticated"), DISTINCT, private("iam"), True),
        (session("authRole", auth_type="unauthenticated"), DISTINCT, private("iam"), False),
        (session("unauthRole", auth_type="authenticated"), DISTINCT, public("iam"), False),
        (session("unauthRole", auth_type="unauthenticated"), DISTINCT, public("iam"), True),
        # ... from the configured pool only, whatever the role is called
        (
            session("authRole", auth_type="authenticated", pool_id="us-east-1:other"),
            DISTINCT,
            private("iam"),
            False,
        ),
        # an unknown value of cognitoIdentityAuthType is not a missing one
        (session("authRole", auth_type="AUTHENTICATED"), DISTINCT, private("iam"), False),
        # without it, a session of the role (the role name alone) decides
        (session("authRole"), DISTINCT, private("iam"), True),
        (session("unauthRole"), DISTINCT, public("iam"), True),
        (session("unauthRole"), DISTINCT, private("iam"), False),
        (session("authRole"), DISTINCT, public("iam"), False),
        (session("authRoleX"), DISTINCT, private("iam"), False),
        (user("authRole"), DISTINCT, private("iam"), False),
        (user("unauthRole"), DISTINCT, public("iam"), False),
        # ... but never when both roles are the same role
        (session("PoolRole"), SHARED, private("iam"), False),
        (session("PoolRole"), SHARED, public("iam"), False),
        # a role named by ARN: its account too
        (
            session("authRole"),
            SecuritySettings(authenticated_role=f"arn:aws:iam::{ACCOUNT}:role/web/authRole"),
            private("iam"),
            True,
        ),
        (
            session("authRole", account=OTHER_ACCOUNT),
            SecuritySettings(authenticated_role=f"arn:aws:iam::{ACCOUNT}:role/authRole"),
            private("iam"),
            False,
        ),
        # the recorded identity-pool callers
        (IAM_AUTH, DISTINCT, private("iam"), True),
        (IAM_UNAUTH, DISTINCT, public("iam"), True),
        (IAM_UNAUTH, DISTINCT, private("iam"), False),
        (IAM_AUTH, DISTINCT, public("iam"), False),
    ],
    ids=lambda v: v.name if isinstance(v, Caller) else None,
)
def test_identity_pool_roles(
    who: Caller, security: SecuritySettings, rule: RuleSpec, allowed: bool
) -> None:
    assert admitted(who, security, (rule,)) is allowed
