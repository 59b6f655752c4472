"""Helpers of the ``tests/local`` tests: the CDK stack each module synthesizes (one
``AuthorizedGraphqlApi`` and the Cognito, IAM and Lambda resources its modes name), the
credentials its HTTP servers verify, and the checks on a GraphQL response the tests repeat.

Construct ids are fixed (``Users``, ``Identities``, ``SignedIn``, ``Guest``, ``Authorizer``,
``Api``): locally a role's name is its logical id, and the tests call roles by those names.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, Self, TypeVar, cast

from aws_cdk import App, CfnElement, Stack
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    ConflictResolutionConfig,
    IamConfig,
    IdentityPoolConfig,
    LambdaConfig,
    OidcConfig,
    UserPoolConfig,
)
from authorized_appsync.local.identity.config import ApiKeyAuth, AuthConfig, UserPoolAuth
from authorized_appsync.local.identity.issuer import LocalIssuer
from authorized_appsync.local.identity.types import AuthMode

ISSUER = "https://idp.example.com/"  # the OIDC provider "Idp" of api_stack(oidc=True)
USER_POOLS = "AMAZON_COGNITO_USER_POOLS"


@dataclass(frozen=True, kw_only=True)
class IdentityPool:
    """A Cognito identity pool and its roles: ``SignedIn`` for authenticated identities and,
    with ``guest_role``, ``Guest`` for unauthenticated ones. ``pool_id`` names an existing
    pool; without it the stack gets a ``CfnIdentityPool`` ``Identities`` that admits
    unauthenticated identities when ``guests``."""

    guests: bool = True
    guest_role: bool = True
    pool_id: str | None = None


def api_stack(
    name: str,
    schema: str,
    *,
    app: App | None = None,
    default_mode: str | None = USER_POOLS,
    user_pool: bool = True,
    api_key: bool = False,
    oidc: bool = False,
    identity_pool: IdentityPool | None = None,
    iam_mode: bool = False,
    authorizer: str | None = None,
    admin_role: str | None = None,
    admin_role_names: Sequence[str] = (),
    sandbox: bool = False,
    conflict_resolution: ConflictResolutionConfig
    | Callable[[Stack], ConflictResolutionConfig]
    | None = None,
) -> Stack:
    """The stack ``name`` (in ``app``, else in an app of its own) holding the API of ``schema``.

    ``user_pool``: a Cognito user pool ``Users``; ``api_key``: an API key; ``oidc``: the
    provider ``Idp`` at :data:`ISSUER`; ``identity_pool``: see :class:`IdentityPool`;
    ``iam_mode``: IAM authorization enabled (``iamConfig``); ``authorizer``: inline Python
    source of a Lambda authorizer ``Authorizer``; ``admin_role``: the construct id of an IAM
    role made here (assumed by the account) and named an admin role; ``admin_role_names``:
    admin roles by name; ``sandbox``: ``sandbox_mode_enabled``; ``conflict_resolution``:
    passed on (a callable: made from the stack, e.g. with a handler function in it).
    """
    stack = Stack(app or App(), name)
    roles: list[iam.IRole | str] = list(admin_role_names)
    admin = None
    if admin_role is not None:
        admin = iam.Role(stack, admin_role, assumed_by=iam.AccountRootPrincipal())
        roles.insert(0, admin)
    if callable(conflict_resolution):
        conflict_resolution = conflict_resolution(stack)
    api = AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(schema),
        sandbox_mode_enabled=sandbox,
        conflict_resolution=conflict_resolution,
        authorization_modes=AuthorizationModes(
            default_authorization_mode=default_mode,
            api_key_config=ApiKeyConfig() if api_key else None,
            user_pool_config=(
                UserPoolConfig(user_pool=cognito.UserPool(stack, "Users")) if user_pool else None
            ),
            oidc_config=(
                OidcConfig(oidc_provider_name="Idp", oidc_issuer_url=ISSUER) if oidc else None
            ),
            identity_pool_config=_identity_pool(stack, identity_pool) if identity_pool else None,
            iam_config=IamConfig(enable_iam_authorization_mode=True) if iam_mode else None,
            lambda_config=_authorizer(stack, authorizer) if authorizer else None,
            admin_roles=roles,
        ),
    )
    if admin is not None:
        # AppSync still asks an admin role's IAM policy (seed 003: "scoped based on their
        # IAM policy"); the local runtime does too.
        api.resources.graphql_api.grant(admin, appsync.IamResource.all(), "appsync:GraphQL")
    return stack


def _identity_pool(stack: Stack, pool: IdentityPool) -> IdentityPoolConfig:
    pool_id = pool.pool_id
    if pool_id is None:
        identities = cognito.CfnIdentityPool(
            stack, "Identities", allow_unauthenticated_identities=pool.guests
        )
        pool_id = identities.ref
    federated = iam.FederatedPrincipal(
        "cognito-identity.amazonaws.com", {}, "sts:AssumeRoleWithWebIdentity"
    )
    return IdentityPoolConfig(
        identity_pool_id=pool_id,
        authenticated_user_role=iam.Role(stack, "SignedIn", assumed_by=federated),
        unauthenticated_user_role=(
            iam.Role(stack, "Guest", assumed_by=federated) if pool.guest_role else None
        ),
    )


def _authorizer(stack: Stack, source: str) -> LambdaConfig:
    function = lambda_.Function(
        stack,
        "Authorizer",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline(source),
    )
    return LambdaConfig(function=function)


def role_name(stack: Stack, construct_id: str) -> str:
    """The local name of the role ``construct_id`` of ``stack``: its logical id."""
    role = stack.node.find_child(construct_id)
    return stack.get_logical_id(cast(CfnElement, role.node.default_child))


# -- credentials the HTTP servers verify -------------------------------------------------


def pool_and_key(key: str, *pools: UserPoolAuth, **modes: Any) -> AuthConfig:
    """User-pool tokens (the default mode) from ``pools`` and the API key ``key``, valid for
    an hour; ``modes``: further fields of :class:`AuthConfig`."""
    return AuthConfig(
        default_mode=AuthMode.AMAZON_COGNITO_USER_POOLS,
        api_key=ApiKeyAuth(keys={key: time.time() + 3600}),
        user_pools=pools,
        **modes,
    )


def pool_issuer(pool_id: str) -> tuple[LocalIssuer, UserPoolAuth]:
    """A signer of ``pool_id``'s tokens, and the pool's configuration that verifies them."""
    issuer = LocalIssuer(f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}")
    return issuer, UserPoolAuth(user_pool_id=pool_id, jwks=issuer.jwks)


def id_token(issuer: LocalIssuer, username: str) -> str:
    """A user pool ID token for ``username`` (sub ``sub-<username>``, client ``client-1``)."""
    return issuer.token(
        {
            "sub": f"sub-{username}",
            "cognito:username": username,
            "token_use": "id",
            "aud": "client-1",
        }
    )


class _Server(Protocol):
    def start(self) -> Self: ...

    def stop(self) -> None: ...


ServerT = TypeVar("ServerT", bound=_Server)


@contextmanager
def running(server: ServerT) -> Iterator[ServerT]:
    """``server`` started, and stopped however the block ends."""
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- GraphQL responses --------------------------------------------------------------------


def ok(response: Mapping[str, Any], field: str) -> Any:
    """The data of ``field``, after checking that nothing failed."""
    assert "errors" not in response, response
    return response["data"][field]


def assert_denied(
    response: Mapping[str, Any],
    field: str,
    type_name: str | None = None,
    message: str | None = None,
) -> None:
    """The whole operation refused: null, one Unauthorized error on its path. Its message is
    ``message``, else AppSync's "Not Authorized to access <field> on type <type_name>"; with
    neither given the message is not checked. An update no rule can admit names the fields it
    tried to change (resolvers/README.md, update)."""
    assert response["data"] == {field: None}, response
    (error,) = response["errors"]
    assert (error["errorType"], error["path"]) == ("Unauthorized", [field]), error
    if message is None and type_name is not None:
        message = f"Not Authorized to access {field} on type {type_name}"
    if message is not None:
        assert error["message"] == message


def error_types(response: Mapping[str, Any]) -> list[str]:
    return [e["errorType"] for e in response.get("errors", [])]
