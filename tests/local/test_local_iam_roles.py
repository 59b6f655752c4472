"""IAM callers end to end: who is an admin role and who holds an identity-pool role, through
the template's own resolvers and the roles' IAM policies (docs/semantics.md, "Resolvers: who
is calling").

An admin role is a role whose *sessions* get full access: an IAM user named like it (any
path) gets nothing, and neither does a role of the same name in another account when the
admin role is given by ARN. An identity-pool caller is a guest or a signed-in user as AppSync
says (``cognitoIdentityAuthType``), whatever role its session is of.
"""

from __future__ import annotations

from typing import Any

import pytest
from stacks import IdentityPool, api_stack, assert_denied, ok, role_name

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.assembly.template import ACCOUNT
from authorized_appsync.local.engine import Caller
from authorized_appsync.local.identity.authenticator import (
    IamAuth,
    IamIdentity,
    IamRoleKind,
    iam_role_kind,
)

OTHER_ACCOUNT = "999999999999"
OUTSIDE_ADMIN = f"arn:aws:iam::{ACCOUNT}:role/team/Outside"  # not in the template

SCHEMA = """
type Post @model @auth(rules: [
  { allow: public, provider: iam, operations: [read] }
  { allow: private, provider: iam }
]) {
  id: ID!
  title: String!
}

type Vault @model @auth(rules: [{ allow: private, provider: iam, operations: [read] }]) {
  id: ID!
  secret: String
}
"""

CREATE_POST = 'mutation { createPost(input: {title: "t"}) { id title } }'
LIST_POSTS = "{ listPosts { items { id } } }"
DELETE_POST = "mutation($id: ID!) { deletePost(input: {id: $id}) { id } }"
CREATE_VAULT = 'mutation { createVault(input: {secret: "s"}) { id secret } }'
LIST_VAULTS = "{ listVaults { items { id secret } } }"


@pytest.fixture(scope="module")
def setup():
    stack = api_stack(
        "IamRoles",
        SCHEMA,
        default_mode="AWS_IAM",
        user_pool=False,
        identity_pool=IdentityPool(),
        admin_role="Ops",
        admin_role_names=(OUTSIDE_ADMIN,),
    )
    with LocalAppSync.from_stack(stack) as local:
        yield local, role_name(stack, "Ops")


@pytest.fixture
def api(setup):
    return setup[0]


@pytest.fixture
def ops(setup):
    return setup[1]


def iam_caller(user_arn: str, **identity: Any) -> Caller:
    account = user_arn.split(":")[4]
    return Caller(
        "AWS_IAM",
        {
            "accountId": account,
            "cognitoIdentityPoolId": None,
            "cognitoIdentityId": None,
            "sourceIp": ["127.0.0.1"],
            "username": "AIDALOCAL",
            "userArn": user_arn,
            "cognitoIdentityAuthType": None,
            "cognitoIdentityAuthProvider": None,
            **identity,
        },
    )


def assert_no_admin_access(api: LocalAppSync, caller: Caller) -> None:
    assert_denied(api.graphql(CREATE_VAULT, auth=caller), "createVault", "Mutation")
    assert_denied(api.graphql(LIST_VAULTS, auth=caller), "listVaults", "Query")
    assert_denied(api.graphql(CREATE_POST, auth=caller), "createPost", "Mutation")


# ---- finding 7 --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "path/", "team/ops/"])
def test_finding_7_iam_user_named_like_the_admin_role_is_no_admin(api, ops, path):
    impostor = iam_caller(f"arn:aws:iam::{ACCOUNT}:user/{path}{ops}")
    assert_no_admin_access(api, impostor)
    outside = iam_caller(f"arn:aws:iam::{ACCOUNT}:user/{path}Outside")
    assert_no_admin_access(api, outside)


def test_the_admin_roles_sessions_have_full_access(api, ops):
    for admin in (api.iam(ops), iam_caller(f"arn:aws:sts::{ACCOUNT}:assumed-role/Outside/s")):
        vault = ok(api.graphql(CREATE_VAULT, auth=admin), "createVault")
        assert vault["secret"] == "s"
        assert vault in ok(api.graphql(LIST_VAULTS, auth=admin), "listVaults")["items"]


def test_a_role_of_another_account_is_no_admin_role_given_by_arn(api):
    stranger = iam_caller(f"arn:aws:sts::{OTHER_ACCOUNT}:assumed-role/Outside/s")
    assert_no_admin_access(api, stranger)


@pytest.mark.parametrize("shape", ["{}Extra", "My{}", "{}-readonly"])
def test_lookalikes_of_a_role_given_by_arn_are_no_admin(api, shape):
    role = shape.format("Outside")
    assert_no_admin_access(api, iam_caller(f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/s"))


def test_a_role_arn_as_caller_is_no_admin(api, ops):
    # AppSync gives a role's caller as its session (assumed-role ARN), never as the role.
    assert_no_admin_access(api, iam_caller(f"arn:aws:iam::{ACCOUNT}:role/{ops}"))
    assert_no_admin_access(api, iam_caller(OUTSIDE_ADMIN))


# ---- finding 6 --------------------------------------------------------------------------


def _as(api: LocalAppSync, kind: str, *, session_of: str) -> Caller:
    """Identity-pool credentials of ``kind`` that are a session of the ``session_of``
    identity-pool role, as one role configured for both kinds would give them."""
    identity = dict(api.iam(kind).identity or {})
    identity["userArn"] = (api.iam(session_of).identity or {})["userArn"]
    return Caller("AWS_IAM", identity)


def test_finding_6_guest_credentials_of_the_signed_in_role_are_a_guest(api):
    guest = _as(api, "unauthenticated", session_of="authenticated")
    assert_denied(api.graphql(CREATE_POST, auth=guest), "createPost", "Mutation")
    signed_in = api.iam("authenticated")
    post_id = ok(api.graphql(CREATE_POST, auth=signed_in), "createPost")["id"]
    deleted = api.graphql(DELETE_POST, {"id": post_id}, auth=guest)
    assert_denied(deleted, "deletePost", "Mutation")
    # ... and reads as a guest may.
    listed = ok(api.graphql(LIST_POSTS, auth=guest), "listPosts")["items"]
    assert {"id": post_id} in listed


def test_signed_in_credentials_of_the_guest_role_are_signed_in(api):
    # AppSync's cognitoIdentityAuthType decides, not the role the session is of (the IAM
    # policy of that role still limits the fields: the guest role may not call createPost).
    signed_in = _as(api, "authenticated", session_of="unauthenticated")
    assert ok(api.graphql(LIST_POSTS, auth=signed_in), "listPosts") is not None
    assert_denied(api.graphql(CREATE_POST, auth=signed_in), "createPost", "Mutation")


def test_without_identity_pool_fields_the_role_decides(api):
    signed_in_role = iam_caller((api.iam("authenticated").identity or {})["userArn"])
    assert ok(api.graphql(CREATE_POST, auth=signed_in_role), "createPost")["title"] == "t"
    guest_role = iam_caller((api.iam("unauthenticated").identity or {})["userArn"])
    assert ok(api.graphql(LIST_POSTS, auth=guest_role), "listPosts") is not None
    assert_denied(api.graphql(CREATE_POST, auth=guest_role), "createPost", "Mutation")


# ---- the runtime's own placement of a SigV4 caller (identity/sigv4.py, iam_role_kind) ---

POOL = "us-east-1:11111111-2222-3333-4444-555555555555"
IAM = IamAuth(
    credentials={},
    identity_pool_id=POOL,
    authenticated_role_arn=f"arn:aws:iam::{ACCOUNT}:role/web/SignedIn",
    unauthenticated_role_arn=f"arn:aws:iam::{ACCOUNT}:role/Guest",
    admin_roles=("AdminRole", f"arn:aws:iam::{ACCOUNT}:role/team/Ops"),
)


def sigv4_identity(user_arn: str, auth_type: str | None = None, pool: str = POOL) -> IamIdentity:
    return IamIdentity(
        account_id=user_arn.split(":")[4],
        cognito_identity_pool_id=pool if auth_type else None,
        cognito_identity_id="us-east-1:someone" if auth_type else None,
        source_ip=("127.0.0.1",),
        username="AIDALOCAL",
        user_arn=user_arn,
        cognito_identity_auth_type=auth_type,
        cognito_identity_auth_provider=None,
    )


def sts(role: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:sts::{account}:assumed-role/{role}/s"


@pytest.mark.parametrize(
    ("identity", "kind"),
    [
        (sigv4_identity(sts("AdminRole")), IamRoleKind.ADMIN),
        (sigv4_identity(sts("Ops")), IamRoleKind.ADMIN),
        (sigv4_identity(sts("Ops", OTHER_ACCOUNT)), IamRoleKind.OTHER),
        (sigv4_identity(sts("AdminRole", OTHER_ACCOUNT)), IamRoleKind.ADMIN),  # by name
        (sigv4_identity(f"arn:aws:iam::{ACCOUNT}:user/AdminRole"), IamRoleKind.OTHER),
        (sigv4_identity(f"arn:aws:iam::{ACCOUNT}:user/path/AdminRole"), IamRoleKind.OTHER),
        (sigv4_identity(f"arn:aws:iam::{ACCOUNT}:user/team/Ops"), IamRoleKind.OTHER),
        (sigv4_identity(sts("AdminRoleX")), IamRoleKind.OTHER),
        (sigv4_identity(sts("XOps")), IamRoleKind.OTHER),
        # identity-pool credentials: AppSync's cognitoIdentityAuthType decides
        (sigv4_identity(sts("SignedIn"), "authenticated"), IamRoleKind.AUTHENTICATED),
        (sigv4_identity(sts("SignedIn"), "unauthenticated"), IamRoleKind.UNAUTHENTICATED),
        (sigv4_identity(sts("Guest"), "unauthenticated"), IamRoleKind.UNAUTHENTICATED),
        (sigv4_identity(sts("SignedIn"), "authenticated", "us-east-1:other"), IamRoleKind.OTHER),
        # without it, the role the session is of
        (sigv4_identity(sts("SignedIn")), IamRoleKind.AUTHENTICATED),
        (sigv4_identity(sts("Guest")), IamRoleKind.UNAUTHENTICATED),
        (sigv4_identity(sts("SignedIn", OTHER_ACCOUNT)), IamRoleKind.OTHER),
        (sigv4_identity(f"arn:aws:iam::{ACCOUNT}:user/SignedIn"), IamRoleKind.OTHER),
    ],
    ids=lambda v: f"{v.user_arn}:{v.cognito_identity_auth_type}"
    if isinstance(v, IamIdentity)
    else str(v),
)
def test_iam_role_kind(identity: IamIdentity, kind: IamRoleKind) -> None:
    assert iam_role_kind(identity, IAM) is kind


def test_one_role_as_both_places_no_session_without_appsyncs_answer() -> None:
    shared = f"arn:aws:iam::{ACCOUNT}:role/Pool"
    iam = IamAuth(
        credentials={},
        identity_pool_id=POOL,
        authenticated_role_arn=shared,
        unauthenticated_role_arn=shared,
    )
    assert iam_role_kind(sigv4_identity(sts("Pool")), iam) is IamRoleKind.OTHER
    guest = sigv4_identity(sts("Pool"), "unauthenticated")
    assert iam_role_kind(guest, iam) is IamRoleKind.UNAUTHENTICATED
