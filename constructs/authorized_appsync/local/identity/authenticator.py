"""Credential verification: which mode a request is in, and who sent it (APPSYNC.md §2, §3).

:class:`Authenticator` holds one API's :class:`AuthConfig` and its Lambda authorizer cache;
``authenticate`` reads a request's headers and answers :class:`Authorized` (mode, identity,
denied fields) or :class:`Rejected` (status, error type, message, exactly as AppSync's).

Which credential means which mode, in this order (a credential for a mode the API does not
have is ignored, as if absent):

1. ``x-api-key`` → ``API_KEY``. AppSync does not document what wins when ``Authorization`` is
   present too; here the API key does.
2. ``Authorization: AWS4-HMAC-SHA256 …`` → ``AWS_IAM`` (SigV4).
3. ``Authorization: <JWT>`` whose ``iss`` is a configured user pool → that pool (a pool also
   configured as an OIDC issuer is read as the user pool), else a configured OIDC issuer → OIDC.
4. Any other ``Authorization`` value (including a JWT of no configured issuer) → ``AWS_LAMBDA``.
5. Otherwise 401: ``Unable to parse JWT token.`` when the value is not a JWT and the API takes
   JWTs, else ``Valid authorization header not provided.``
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from .config import (
    ApiKeyAuth,
    AuthConfig,
    IamAuth,
    IamCredential,
    LambdaAuth,
    OidcAuth,
    UserPoolAuth,
    assumed_role_arn,
)
from .jwks import moto_cognito_jwks
from .jwt import parse_jwt, verify_oidc_token, verify_user_pool_token
from .lambda_auth import LambdaAuthorizerRunner
from .result import (
    MSG_NO_VALID_HEADER,
    MSG_NOT_AUTHORIZED,
    MSG_UNPARSEABLE_JWT,
    Authorized,
    AuthResult,
    Rejected,
    unauthorized,
)
from .sigv4 import ALGORITHM, IamRoleKind, iam_role_kind, sign_request, verify_sigv4
from .types import (
    ApiKeyIdentity,
    AuthMode,
    CognitoIdentity,
    IamIdentity,
    Identity,
    LambdaIdentity,
    OidcIdentity,
    identity_from_context,
)

__all__ = [
    "ApiKeyAuth",
    "ApiKeyIdentity",
    "AuthConfig",
    "AuthMode",
    "AuthResult",
    "Authenticator",
    "Authorized",
    "CognitoIdentity",
    "IamAuth",
    "IamCredential",
    "IamIdentity",
    "IamRoleKind",
    "Identity",
    "LambdaAuth",
    "LambdaIdentity",
    "OidcAuth",
    "OidcIdentity",
    "Rejected",
    "UserPoolAuth",
    "assumed_role_arn",
    "iam_role_kind",
    "identity_from_context",
    "moto_cognito_jwks",
    "sign_request",
    "source_ips",
]


def source_ips(headers: Mapping[str, str], peer: str) -> tuple[str, ...]:
    """``ctx.identity.sourceIp``: the ``x-forwarded-for`` addresses, then the TCP peer."""
    forwarded = headers.get("x-forwarded-for", "")
    return (*(ip.strip() for ip in forwarded.split(",") if ip.strip()), peer)


def _check_api_key(keys: ApiKeyAuth, value: str, now: float) -> AuthResult:
    expires = keys.keys.get(value)
    if expires is None:
        return unauthorized(MSG_NOT_AUTHORIZED, "no such API key")
    if now >= expires:
        # AppSync's text for an expired key is the unknown-key text (APPSYNC.md appendix).
        return unauthorized(MSG_NOT_AUTHORIZED, f"the API key expired at {expires:.0f}")
    return Authorized(mode=AuthMode.API_KEY, identity=ApiKeyIdentity())


class Authenticator:
    """Verifies the credentials of one API's requests. Thread-safe; keeps the Lambda
    authorizer's answers between requests."""

    def __init__(self, config: AuthConfig) -> None:
        self.config = config
        self.lambda_runner = (
            None
            if config.lambda_authorizer is None
            else LambdaAuthorizerRunner(
                config.lambda_authorizer, api_id=config.api_id, account_id=config.account_id
            )
        )

    def authenticate(
        self,
        headers: Mapping[str, str],
        body: bytes,
        *,
        method: str = "POST",
        path: str = "/graphql",
        host: str = "",
        source_ip: str = "127.0.0.1",
        now: float | None = None,
        request_id: str | None = None,
    ) -> AuthResult:
        """Authenticate one request. ``headers`` in any case; ``host`` stands in for a missing
        ``Host`` header; ``source_ip`` is the TCP peer; ``now`` is epoch seconds."""
        lower = {name.lower(): value for name, value in headers.items()}
        if host and "host" not in lower:
            lower["host"] = host
        at = time.time() if now is None else now
        ips = source_ips(lower, source_ip)
        api_key = lower.get("x-api-key", "").strip()
        if api_key and self.config.api_key is not None:
            return _check_api_key(self.config.api_key, api_key, at)
        token = lower.get("authorization", "").strip()
        if not token:
            return unauthorized(MSG_NO_VALID_HEADER, "no credential for any configured mode")
        iam = self.config.iam
        if iam is not None and token.startswith(f"{ALGORITHM} "):
            return verify_sigv4(
                lower,
                body,
                iam=iam,
                region=self.config.region,
                method=method,
                path=path,
                now=at,
                source_ip=ips,
            )
        return self._token(token, lower, body, at, ips, request_id)

    def _token(
        self,
        token: str,
        headers: Mapping[str, str],
        body: bytes,
        now: float,
        ips: tuple[str, ...],
        request_id: str | None,
    ) -> AuthResult:
        jwt = parse_jwt(token)
        issuer = None if jwt is None else jwt.issuer
        if jwt is not None and issuer is not None:
            pool = self.config.user_pool_for(issuer)
            if pool is not None:
                return verify_user_pool_token(jwt, pool, now=now, source_ip=ips)
            provider = self.config.oidc_provider_for(issuer)
            if provider is not None:
                return verify_oidc_token(jwt, provider, now=now)
        if self.lambda_runner is not None:
            return self.lambda_runner.authorize(
                token, headers, body, now=now, request_id=request_id
            )
        takes_jwt = bool(self.config.user_pools or self.config.oidc_providers)
        if jwt is None and takes_jwt:
            return unauthorized(MSG_UNPARSEABLE_JWT, "the Authorization value is not a JWT")
        detail = f"issuer {issuer!r} is not configured" if jwt else "no mode takes this token"
        return unauthorized(MSG_NO_VALID_HEADER, detail)
