"""Construct-time checks of the IAM roles an API trusts: the identity pool's two roles must be
two roles, and admin roles must be IAM roles (by name or role ARN), never IAM users."""

from __future__ import annotations

import pytest
from aws_cdk import App, CfnParameter, Fn, Stack
from aws_cdk import aws_iam as iam

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    ConfigurationError,
    IdentityPoolConfig,
)

SCHEMA = """
type Post @model @auth(rules: [
  { allow: public, provider: iam, operations: [read] }
  { allow: private, provider: iam }
]) { id: ID! title: String }
"""
ACCOUNT = "123456789012"
FEDERATED = iam.FederatedPrincipal(
    "cognito-identity.amazonaws.com", {}, "sts:AssumeRoleWithWebIdentity"
)


@pytest.fixture
def stack() -> Stack:
    return Stack(App(), "Test")


def build(
    stack: Stack,
    authenticated: iam.IRole,
    unauthenticated: iam.IRole | None,
    admin_roles: list[iam.IRole | str] | None = None,
) -> AuthorizedGraphqlApi:
    return AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(SCHEMA, "schema.graphql"),
        authorization_modes=AuthorizationModes(
            default_authorization_mode="AWS_IAM",
            api_key_config=ApiKeyConfig(),
            identity_pool_config=IdentityPoolConfig(
                identity_pool_id="us-east-1:11111111-2222-3333-4444-555555555555",
                authenticated_user_role=authenticated,
                unauthenticated_user_role=unauthenticated,
            ),
            admin_roles=admin_roles or [],
        ),
    )


def problems(stack: Stack, *args: object) -> list[str]:
    with pytest.raises(ConfigurationError) as caught:
        build(stack, *args)
    assert str(caught.value).startswith("AuthorizedGraphqlApi 'Test/Api' cannot be synthesized:")
    return list(caught.value.problems)


SAME_ROLE = (
    "identity_pool_config.authenticated_user_role and "
    "identity_pool_config.unauthenticated_user_role are the same role"
)


# ---- finding 6: one role as both identity-pool roles --------------------------------------


def test_finding_6_one_role_as_both_identity_pool_roles_is_refused(stack: Stack) -> None:
    role = iam.Role(stack, "PoolRole", assumed_by=FEDERATED)
    (problem,) = problems(stack, role, role)
    assert problem.startswith(SAME_ROLE)
    assert "('Test/PoolRole')" in problem  # the role's construct path
    assert "guests of the identity pool would pass every private IAM rule" in problem
    assert "Give unauthenticated identities a role of their own" in problem


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the same imported role, twice
        (f"arn:aws:iam::{ACCOUNT}:role/Pool", f"arn:aws:iam::{ACCOUNT}:role/Pool"),
        # by ARN with a path and by name: role names are unique in an account
        (f"arn:aws:iam::{ACCOUNT}:role/web/Pool", "Pool"),
        ("Pool", "Pool"),
    ],
)
def test_one_imported_role_as_both_is_refused(stack: Stack, first: str, second: str) -> None:
    def imported(name: str, value: str) -> iam.IRole:
        if value.startswith("arn:"):
            return iam.Role.from_role_arn(stack, name, value)
        return iam.Role.from_role_name(stack, name, value)

    (problem,) = problems(stack, imported("A", first), imported("B", second))
    assert problem.startswith(SAME_ROLE)


def test_the_same_role_through_a_token_is_refused(stack: Stack) -> None:
    role = iam.Role(stack, "PoolRole", assumed_by=FEDERATED)
    again = iam.Role.from_role_arn(stack, "Again", role.role_arn)
    (problem,) = problems(stack, role, again)
    assert problem.startswith(SAME_ROLE)


def test_another_token_for_the_same_role_is_refused(stack: Stack) -> None:
    role = iam.Role(stack, "PoolRole", assumed_by=FEDERATED)
    resource = role.node.default_child
    assert isinstance(resource, iam.CfnRole)
    arn = Fn.get_att(resource.logical_id, "Arn").to_string()  # not role.role_arn's token
    assert arn != role.role_arn
    (problem,) = problems(stack, role, iam.Role.from_role_arn(stack, "Again", arn))
    assert problem.startswith(SAME_ROLE)


def test_the_same_parameter_twice_is_refused(stack: Stack) -> None:
    parameter = CfnParameter(stack, "RoleArn").value_as_string
    first = iam.Role.from_role_arn(stack, "First", parameter)
    second = iam.Role.from_role_arn(stack, "Second", parameter)
    (problem,) = problems(stack, first, second)
    assert problem.startswith(SAME_ROLE)


def test_two_roles_are_accepted(stack: Stack) -> None:
    signed_in = iam.Role(stack, "SignedIn", assumed_by=FEDERATED)
    guest = iam.Role(stack, "Guest", assumed_by=FEDERATED)
    build(stack, signed_in, guest)


def test_roles_that_cannot_be_compared_are_not_judged(stack: Stack) -> None:
    # Two parameters: the deployer may give the same ARN twice, but synth cannot know.
    first = iam.Role.from_role_arn(stack, "First", CfnParameter(stack, "A").value_as_string)
    second = iam.Role.from_role_arn(stack, "Second", CfnParameter(stack, "B").value_as_string)
    build(stack, first, second)


def test_same_name_in_two_accounts_is_two_roles(stack: Stack) -> None:
    first = iam.Role.from_role_arn(stack, "First", f"arn:aws:iam::{ACCOUNT}:role/Pool")
    second = iam.Role.from_role_arn(stack, "Second", "arn:aws:iam::999999999999:role/Pool")
    build(stack, first, second)


# ---- finding 7: admin roles are IAM roles ------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            f"arn:aws:iam::{ACCOUNT}:user/AdminRole",
            f"admin_roles entry 'arn:aws:iam::{ACCOUNT}:user/AdminRole' is an IAM user; admin "
            "roles are IAM roles (a role name, or a role ARN "
            "arn:<partition>:iam::<account>:role/<path/><name>): only sessions of the role "
            "get full access, never an IAM user.",
        ),
        (
            f"arn:aws:sts::{ACCOUNT}:assumed-role/AdminRole/session",
            f"admin_roles entry 'arn:aws:sts::{ACCOUNT}:assumed-role/AdminRole/session' is not "
            "an IAM role ARN; give a role name, or a role ARN "
            "arn:<partition>:iam::<account>:role/<path/><name>.",
        ),
        (
            "team/AdminRole",
            "admin_roles entry 'team/AdminRole' is not an IAM role name (1 to 64 letters, "
            "digits and +=,.@_-); give the role's name without its path, or its ARN.",
        ),
        (
            "Admin Role",
            "admin_roles entry 'Admin Role' is not an IAM role name (1 to 64 letters, "
            "digits and +=,.@_-); give the role's name without its path, or its ARN.",
        ),
    ],
)
def test_admin_roles_must_be_roles(stack: Stack, entry: str, expected: str) -> None:
    signed_in = iam.Role(stack, "SignedIn", assumed_by=FEDERATED)
    guest = iam.Role(stack, "Guest", assumed_by=FEDERATED)
    assert problems(stack, signed_in, guest, [entry]) == [expected]


@pytest.mark.parametrize(
    "entry",
    [
        "AdminRole",
        "Admin+=,.@_-1",
        f"arn:aws:iam::{ACCOUNT}:role/AdminRole",
        f"arn:aws-us-gov:iam::{ACCOUNT}:role/team/ops/AdminRole",
    ],
)
def test_admin_role_names_and_arns_are_accepted(stack: Stack, entry: str) -> None:
    signed_in = iam.Role(stack, "SignedIn", assumed_by=FEDERATED)
    guest = iam.Role(stack, "Guest", assumed_by=FEDERATED)
    build(stack, signed_in, guest, [entry])


def test_an_admin_role_by_arn_that_is_a_pool_role_is_refused(stack: Stack) -> None:
    signed_in = iam.Role.from_role_arn(stack, "SignedIn", f"arn:aws:iam::{ACCOUNT}:role/web/In")
    guest = iam.Role(stack, "Guest", assumed_by=FEDERATED)
    found = problems(stack, signed_in, guest, [f"arn:aws:iam::{ACCOUNT}:role/web/In"])
    assert any("is also a role of the identity pool" in p for p in found)
