"""The authorization modes of one API, as the local runtime verifies them (APPSYNC.md §2).

Everything is checked when the configuration is built (regexes compile, JWKS keys are usable,
modes are not repeated), so authentication itself cannot fail on configuration. The IAM
``credentials`` table is kept by reference: a stand-in STS may add credentials to the mapping it
passed in, and each request reads it afresh.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .jwks import JwkSet
from .types import AuthMode

__all__ = [
    "ApiKeyAuth",
    "AuthConfig",
    "IamAuth",
    "IamCredential",
    "LambdaAuth",
    "LambdaFunction",
    "OidcAuth",
    "UserPoolAuth",
    "assumed_role_arn",
]

LambdaFunction = Callable[[dict[str, object]], object]
"""A Lambda authorizer run in-process: AppSync's event in, the authorizer's answer out."""

_POOL_ID = re.compile(r"(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+")
_ACCOUNT = re.compile(r"\d{12}")
_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::(?P<account>\d{12}):role/(?:[^/]+/)*(?P<name>[^/]+)")
_PRINCIPAL_ARN = re.compile(
    r"arn:aws[a-z-]*:(?:sts::\d{12}:assumed-role/[^/]+/[^/]+|iam::\d{12}:(?:user/.+|root))"
)
_AUTH_TYPES = frozenset({"authenticated", "unauthenticated"})


def _compile(pattern: str | None, what: str) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ValueError(
            f"{what} {pattern!r} is not a valid regular expression: {error}."
        ) from None


def assumed_role_arn(role_arn: str, session_name: str = "CognitoIdentityCredentials") -> str:
    """The STS ARN of a session of ``role_arn``: the role's path is dropped, as STS does."""
    match = _ROLE_ARN.fullmatch(role_arn)
    if match is None:
        raise ValueError(
            f"{role_arn!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)."
        )
    partition = role_arn.split(":", 2)[1]
    return f"arn:{partition}:sts::{match['account']}:assumed-role/{match['name']}/{session_name}"


@dataclass(frozen=True, kw_only=True)
class ApiKeyAuth:
    """``API_KEY``: each key's value and its expiry (epoch seconds; valid while ``now`` is
    before it)."""

    keys: Mapping[str, float] = field(hash=False)


@dataclass(frozen=True, kw_only=True)
class UserPoolAuth:
    """``AMAZON_COGNITO_USER_POOLS``: tokens whose ``iss`` is the pool's issuer, signed by a key
    of ``jwks``, with a client id fully matching ``app_id_client_regex`` when it is set.
    ``default_action`` becomes ``ctx.identity.defaultAuthStrategy``."""

    user_pool_id: str
    jwks: Mapping[str, object] = field(hash=False)
    region: str = ""  # default: the pool id's prefix
    issuer: str = ""  # default: https://cognito-idp.<region>.amazonaws.com/<user_pool_id>
    app_id_client_regex: str | None = None
    default_action: str = "ALLOW"
    key_set: JwkSet = field(init=False, repr=False, compare=False, hash=False)
    client_pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        match = _POOL_ID.fullmatch(self.user_pool_id)
        if not self.region:
            if match is None:
                raise ValueError(
                    f"user pool id {self.user_pool_id!r} is not <region>_<id>; pass region=."
                )
            object.__setattr__(self, "region", match["region"])
        if not self.issuer:
            issuer = f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"
            object.__setattr__(self, "issuer", issuer)
        if self.default_action not in ("ALLOW", "DENY"):
            raise ValueError(f"default_action must be ALLOW or DENY, got {self.default_action!r}.")
        where = f"user pool {self.user_pool_id} JWKS"
        object.__setattr__(self, "key_set", JwkSet.parse(self.jwks, where))
        pattern = _compile(self.app_id_client_regex, "app_id_client_regex")
        object.__setattr__(self, "client_pattern", pattern)


@dataclass(frozen=True, kw_only=True)
class OidcAuth:
    """``OPENID_CONNECT``: tokens whose ``iss`` equals ``issuer``, signed by a key of ``jwks``;
    ``client_id`` is a regular expression an ``aud`` must fully match; ``iat_ttl_ms`` and
    ``auth_ttl_ms`` bound the time since ``iat`` and ``auth_time``."""

    issuer: str
    jwks: Mapping[str, object] = field(hash=False)
    client_id: str | None = None
    iat_ttl_ms: int | None = None
    auth_ttl_ms: int | None = None
    key_set: JwkSet = field(init=False, repr=False, compare=False, hash=False)
    client_pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("iat_ttl_ms", "auth_ttl_ms"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} must be at least 0 milliseconds, got {value}.")
        object.__setattr__(self, "key_set", JwkSet.parse(self.jwks, f"OIDC {self.issuer} JWKS"))
        object.__setattr__(self, "client_pattern", _compile(self.client_id, "client_id"))


@dataclass(frozen=True, kw_only=True)
class LambdaAuth:
    """``AWS_LAMBDA``: ``function`` answers AppSync's event. ``result_ttl_seconds`` (0-3600; 0,
    the API reference's default, caches nothing) applies unless the answer has ``ttlOverride``.
    A token not fully matching ``identity_validation_expression`` is refused uncalled."""

    function: LambdaFunction
    result_ttl_seconds: int = 0
    identity_validation_expression: str | None = None
    timeout_seconds: float = 10.0  # AppSync's limit for the authorizer [unverified]
    validation_pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.result_ttl_seconds <= 3600:
            raise ValueError(
                f"result_ttl_seconds must be 0 to 3600, got {self.result_ttl_seconds}."
            )
        if self.timeout_seconds <= 0:
            raise ValueError(f"timeout_seconds must be positive, got {self.timeout_seconds}.")
        pattern = _compile(self.identity_validation_expression, "identity_validation_expression")
        object.__setattr__(self, "validation_pattern", pattern)


@dataclass(frozen=True, kw_only=True)
class IamCredential:
    """One entry of the stand-in STS: the secret (and session token, for temporary
    credentials) of an access key, and the principal it stands for. ``arn`` is an assumed-role
    ARN or an IAM user ARN. ``cognito_identity_id`` and ``cognito_auth_type`` are set for
    identity-pool credentials. ``principal_id`` (``ctx.identity.username``, e.g.
    ``AROA...:session``) is derived from the ARN when not given."""

    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)
    arn: str
    cognito_identity_id: str | None = None
    cognito_auth_type: str | None = None  # "authenticated" | "unauthenticated"
    cognito_auth_provider: str | None = None
    principal_id: str | None = None

    def __post_init__(self) -> None:
        if not _PRINCIPAL_ARN.fullmatch(self.arn):
            raise ValueError(
                f"{self.arn!r} is neither an assumed-role ARN "
                f"(arn:aws:sts::<account>:assumed-role/<role>/<session>) nor an IAM user ARN."
            )
        if self.cognito_auth_type is not None and self.cognito_auth_type not in _AUTH_TYPES:
            raise ValueError(
                f"cognito_auth_type must be 'authenticated' or 'unauthenticated', "
                f"got {self.cognito_auth_type!r}."
            )
        if (self.cognito_auth_type is None) != (self.cognito_identity_id is None):
            raise ValueError("cognito_identity_id and cognito_auth_type go together.")

    @property
    def account_id(self) -> str:
        return self.arn.split(":")[4]


@dataclass(frozen=True, kw_only=True)
class IamAuth:
    """``AWS_IAM``: SigV4 (service ``appsync``) with the keys of ``credentials``. The identity
    pool and roles let the runtime place a caller (see ``sigv4.iam_role_kind``);
    ``admin_roles`` holds role names or role ARNs."""

    credentials: Mapping[str, IamCredential] = field(hash=False)
    identity_pool_id: str | None = None
    authenticated_role_arn: str | None = None
    unauthenticated_role_arn: str | None = None
    admin_roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for arn in (self.authenticated_role_arn, self.unauthenticated_role_arn):
            if arn is not None:
                assumed_role_arn(arn)  # raises for a malformed ARN


@dataclass(frozen=True, kw_only=True)
class AuthConfig:
    """All modes of an API: ``default_mode`` plus every other configured mode (additional
    providers). ``api_id``, ``account_id`` and ``region`` are the API's own; they appear in the
    Lambda authorizer's event, in field ARNs and in the SigV4 credential scope."""

    default_mode: AuthMode
    api_key: ApiKeyAuth | None = None
    user_pools: tuple[UserPoolAuth, ...] = ()
    oidc_providers: tuple[OidcAuth, ...] = ()
    lambda_authorizer: LambdaAuth | None = None
    iam: IamAuth | None = None
    api_id: str = "localapi"
    account_id: str = "123456789012"
    region: str = "us-east-1"

    def __post_init__(self) -> None:
        if not _ACCOUNT.fullmatch(self.account_id):
            raise ValueError(f"account_id must be 12 digits, got {self.account_id!r}.")
        if self.default_mode not in self.modes:
            configured = ", ".join(sorted(self.modes)) or "none"
            raise ValueError(
                f"default_mode {self.default_mode} has no configuration; configured: {configured}."
            )
        for kind, issuers in (
            ("user pool", [pool.issuer for pool in self.user_pools]),
            ("OIDC issuer", [provider.issuer for provider in self.oidc_providers]),
        ):
            repeated = sorted({issuer for issuer in issuers if issuers.count(issuer) > 1})
            if repeated:
                raise ValueError(f"{kind} {repeated[0]!r} is configured more than once.")

    @property
    def modes(self) -> frozenset[AuthMode]:
        present = {
            AuthMode.API_KEY: self.api_key is not None,
            AuthMode.AMAZON_COGNITO_USER_POOLS: bool(self.user_pools),
            AuthMode.OPENID_CONNECT: bool(self.oidc_providers),
            AuthMode.AWS_LAMBDA: self.lambda_authorizer is not None,
            AuthMode.AWS_IAM: self.iam is not None,
        }
        return frozenset(mode for mode, configured in present.items() if configured)

    def user_pool_for(self, issuer: str) -> UserPoolAuth | None:
        return next((pool for pool in self.user_pools if pool.issuer == issuer), None)

    def oidc_provider_for(self, issuer: str) -> OidcAuth | None:
        return next((oidc for oidc in self.oidc_providers if oidc.issuer == issuer), None)
