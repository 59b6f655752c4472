"""Authorization modes of an :class:`~.api.AuthorizedGraphqlApi`, mirroring
``AmplifyGraphqlApi``'s ``authorizationModes`` in snake_case so users can move over."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aws_cdk import Duration, aws_cognito, aws_iam, aws_lambda

from ..appsync import AuthorizationMode
from ..schema.model import Provider

__all__ = [
    "ApiKeyConfig",
    "AuthorizationMode",
    "AuthorizationModes",
    "IamConfig",
    "IdentityPoolConfig",
    "LambdaConfig",
    "OidcConfig",
    "UserPoolConfig",
    "provider_of",
]


@dataclass(frozen=True, kw_only=True)
class ApiKeyConfig:
    """An API key. ``expires``: 1 to 365 days (AppSync's limits); default 7 days."""

    expires: Duration = field(default_factory=lambda: Duration.days(7))
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class UserPoolConfig:
    """A Cognito user pool; ``app_id_client_regex`` limits the accepted app clients.
    ``user_pool_client``: the app client your front end signs in with; it goes into the
    stack's client configuration (``authorized-appsync outputs``), nothing else reads it."""

    user_pool: aws_cognito.IUserPool
    app_id_client_regex: str | None = None
    user_pool_client: aws_cognito.IUserPoolClient | None = None


@dataclass(frozen=True, kw_only=True)
class OidcConfig:
    """An OpenID Connect issuer. Token lifetimes are enforced by AppSync when set."""

    oidc_provider_name: str
    oidc_issuer_url: str
    client_id: str | None = None
    token_expiry_from_auth: Duration | None = None
    token_expiry_from_issue: Duration | None = None


@dataclass(frozen=True, kw_only=True)
class LambdaConfig:
    """A Lambda authorizer (any function, or :class:`DefaultLambdaAuthorizer`). ``ttl``:
    how long AppSync caches its answer per token (0 to 3600 s; default 5 minutes)."""

    function: aws_lambda.IFunction
    ttl: Duration = field(default_factory=lambda: Duration.minutes(5))
    identity_validation_expression: str | None = None


@dataclass(frozen=True, kw_only=True)
class IdentityPoolConfig:
    """A Cognito identity pool: ``public`` IAM rules admit its unauthenticated role,
    ``private`` IAM rules its authenticated role; both roles get scoped policies. The two
    must be different roles (synth refuses one role as both: its policy would admit guests
    wherever signed-in users may go)."""

    identity_pool_id: str
    authenticated_user_role: aws_iam.IRole
    unauthenticated_user_role: aws_iam.IRole | None = None


@dataclass(frozen=True, kw_only=True)
class IamConfig:
    """``enable_iam_authorization_mode``: IAM principals other than the identity pool's
    roles are governed by their IAM policy alone (seed 003)."""

    enable_iam_authorization_mode: bool = False


@dataclass(frozen=True, kw_only=True)
class AuthorizationModes:
    """The API's authorization modes. ``default_authorization_mode`` is required when more
    than one mode is configured. ``admin_roles``: IAM roles with full access, as roles, role
    names or role ARNs; a caller is an admin only when it is a session of one (exact role
    name; partition, account and name for an ARN), never an IAM user."""

    default_authorization_mode: AuthorizationMode | str | None = None
    api_key_config: ApiKeyConfig | None = None
    user_pool_config: UserPoolConfig | None = None
    oidc_config: OidcConfig | None = None
    lambda_config: LambdaConfig | None = None
    identity_pool_config: IdentityPoolConfig | None = None
    iam_config: IamConfig | None = None
    admin_roles: Sequence[aws_iam.IRole | str] = ()

    def configured(self) -> tuple[AuthorizationMode, ...]:
        """The modes this configuration provides, in AppSync's order."""
        found: list[AuthorizationMode] = []
        if self.api_key_config is not None:
            found.append(AuthorizationMode.API_KEY)
        if self.user_pool_config is not None:
            found.append(AuthorizationMode.AMAZON_COGNITO_USER_POOLS)
        if self.oidc_config is not None:
            found.append(AuthorizationMode.OPENID_CONNECT)
        if self.lambda_config is not None:
            found.append(AuthorizationMode.AWS_LAMBDA)
        iam = self.identity_pool_config is not None or bool(self.admin_roles)
        if iam or (self.iam_config is not None and self.iam_config.enable_iam_authorization_mode):
            found.append(AuthorizationMode.AWS_IAM)
        return tuple(found)


def provider_of(mode: AuthorizationMode) -> Provider:
    """The ``@auth`` provider whose rules ``mode`` serves."""
    return Provider(mode.rule_provider)
