"""The authorization modes ``serve`` verifies, read from the template: the API keys with their
expiry, the stand-in user pool, the OIDC issuer (a local issuer under the configured URL), the
Lambda authorizer (run from the template's code: ``lambdas/authorizer.py``) and IAM (SigV4
keys for the identity pool's roles, each admin role and one IAM user).

Locally a role's name is its logical id (``assembly/intrinsics.py``); the security settings the
resolvers enforce (admin roles, identity pool, pool roles; ``assembly/security.py``) are read from
the API resource, so the keys ``serve`` hands out are exactly those the rules know.

Every credential is random for each run (API keys as AppSync makes them, ``da2-`` and 26
characters; SigV4 key pairs as AWS makes them), and user-pool tokens verify only with the
run's own key (``cognito_front.py``): nothing that gets in is predictable or published.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..assembly.providers import provider_config
from ..assembly.security import Security
from ..assembly.template import ACCOUNT, API_ID, REGION, LoadedApi
from ..identity.config import (
    ApiKeyAuth,
    AuthConfig,
    IamAuth,
    IamCredential,
    OidcAuth,
    UserPoolAuth,
    assumed_role_arn,
)
from ..identity.issuer import LocalIssuer
from ..identity.types import AuthMode
from ..lambdas.authorizer import lambda_authorizer
from .cognito import CognitoPool
from .keys import random_api_key, random_key_id, random_secret

__all__ = ["ApiKey", "IamKey", "Security", "ServeAuth", "serve_auth"]

_API_KEY_DAYS = 7  # AppSync's default lifetime of a key without Expires


@dataclass(frozen=True)
class ApiKey:
    value: str
    expires: float  # epoch seconds


@dataclass(frozen=True)
class IamKey:
    """SigV4 credentials ``serve`` accepts, and who they stand for."""

    label: str
    access_key_id: str
    secret_access_key: str
    arn: str
    cognito_auth_type: str | None = None


@dataclass(frozen=True)
class ServeAuth:
    """Everything ``serve`` verifies and prints. ``notes``: modes that cannot work locally."""

    config: AuthConfig
    api_keys: tuple[ApiKey, ...]
    iam_keys: tuple[IamKey, ...]
    oidc_issuer: LocalIssuer | None
    notes: tuple[str, ...]


def _role_arn(role: str) -> str:
    return role if role.startswith("arn:") else f"arn:aws:iam::{ACCOUNT}:role/{role}"


def _key(label: str, arn: str, auth_type: str | None = None) -> IamKey:
    """Random credentials for ``arn``: a role session's (``ASIA``) or a user's (``AKIA``)."""
    prefix = "ASIA" if ":assumed-role/" in arn else "AKIA"
    return IamKey(label, random_key_id(prefix), random_secret(), arn, auth_type)


def _iam_keys(security: Security) -> tuple[IamKey, ...]:
    keys = []
    for kind, role in (
        ("authenticated", security.authenticated_role or "LocalAuthenticatedRole"),
        ("unauthenticated", security.unauthenticated_role or "LocalUnauthenticatedRole"),
    ):
        arn = assumed_role_arn(_role_arn(role))
        keys.append(_key(f"identity pool, {kind} role ({role})", arn, kind))
    for role in security.admin_roles:
        keys.append(_key(f"admin role {role}", assumed_role_arn(_role_arn(role), "local")))
    keys.append(_key("IAM user outside the identity pool", f"arn:aws:iam::{ACCOUNT}:user/local"))
    return tuple(keys)


def _iam(security: Security, template: Mapping[str, Any]) -> tuple[IamAuth, tuple[IamKey, ...]]:
    pools = [
        k for k, r in template["Resources"].items() if r["Type"] == "AWS::Cognito::IdentityPool"
    ]
    pool_id = security.identity_pool_id or (pools[0] if pools else f"{REGION}:local")
    keys = _iam_keys(security)
    credentials = {
        key.access_key_id: IamCredential(
            secret_access_key=key.secret_access_key,
            arn=key.arn,
            cognito_identity_id=(
                None
                if key.cognito_auth_type is None
                else f"{REGION}:{uuid.uuid5(uuid.NAMESPACE_URL, key.arn)}"
            ),
            cognito_auth_type=key.cognito_auth_type,
        )
        for key in keys
    }
    iam = IamAuth(
        credentials=credentials,
        identity_pool_id=pool_id,
        authenticated_role_arn=_role_arn(security.authenticated_role or "LocalAuthenticatedRole"),
        unauthenticated_role_arn=_role_arn(
            security.unauthenticated_role or "LocalUnauthenticatedRole"
        ),
        admin_roles=security.admin_roles,
    )
    return iam, keys


def _api_keys(api: LoadedApi, now: float) -> tuple[ApiKey, ...]:
    """One random key for each of the template's keys, with that key's expiry."""
    expiry = api.source.key_expiry if api.source else {}
    lifetime = _API_KEY_DAYS * 86400
    return tuple(
        ApiKey(random_api_key(), float(expiry.get(key, now + lifetime))) for key in api.api_keys
    )


def _oidc(api: LoadedApi, api_props: Mapping[str, Any]) -> tuple[OidcAuth, LocalIssuer]:
    config = provider_config(api_props, "OpenIDConnectConfig")
    issuer = LocalIssuer(api.api.oidc_issuer or "https://issuer.local/")
    auth = OidcAuth(
        issuer=issuer.issuer,
        jwks=issuer.jwks,
        client_id=api.api.oidc_client_id,
        iat_ttl_ms=config.get("IatTTL"),
        auth_ttl_ms=config.get("AuthTTL"),
    )
    return auth, issuer


def serve_auth(
    template: Mapping[str, Any],
    api: LoadedApi,
    pool: CognitoPool | None,
    assembly: Path | None = None,
    *,
    pool_jwks: Mapping[str, object] | None = None,
    now: float | None = None,
) -> ServeAuth:
    """The authentication of the template's API: ``pool`` stands for its user pool, whose
    tokens verify with ``pool_jwks`` (the run's key set) alone."""
    at = time.time() if now is None else now
    api_props = api.source.props if api.source else {}
    modes = set(api.api.modes)
    api_keys = _api_keys(api, at) if "API_KEY" in modes else ()
    notes: list[str] = []
    user_pools: tuple[UserPoolAuth, ...] = ()
    if pool is not None:
        if pool_jwks is None:
            raise ValueError("serve_auth: a user pool needs the key set its tokens verify with.")
        settings = provider_config(api_props, "UserPoolConfig")
        # A client regex names deployed clients; locally the stand-in's client is the one.
        clients = re.escape(pool.client_id) if settings.get("AppIdClientRegex") else None
        user_pools = (
            UserPoolAuth(
                user_pool_id=pool.user_pool_id,
                jwks=pool_jwks,
                app_id_client_regex=clients,
                default_action=str(settings.get("DefaultAction", "ALLOW")),
            ),
        )
    oidc, issuer = _oidc(api, api_props) if "OPENID_CONNECT" in modes else (None, None)
    lambda_auth = None
    if "AWS_LAMBDA" in modes:
        lambda_auth, note = lambda_authorizer(template, api_props, assembly)
        notes.extend([note] if note else [])
    iam, iam_keys = _iam(api.api.security, template) if "AWS_IAM" in modes else (None, ())
    config = AuthConfig(
        default_mode=AuthMode(api.api.default_mode),
        api_key=(
            ApiKeyAuth(keys={k.value: k.expires for k in api_keys}) if "API_KEY" in modes else None
        ),
        user_pools=user_pools,
        oidc_providers=(oidc,) if oidc else (),
        lambda_authorizer=lambda_auth,
        iam=iam,
        api_id=API_ID,
        account_id=ACCOUNT,
        region=REGION,
    )
    return ServeAuth(config, api_keys, iam_keys, issuer, tuple(notes))
