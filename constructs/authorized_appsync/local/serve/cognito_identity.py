"""Cognito Identity for the API's identity pool, the two calls Amplify JS makes for
credentials (``Auth.Cognito.identityPoolEndpoint``): ``GetId`` and
``GetCredentialsForIdentity``, answered at serve's Cognito endpoint
(``X-Amz-Target: AWSCognitoIdentityService.<Action>``, ``cognito_front.py``).

The credentials handed out are the SigV4 keys ``serve`` prints for the pool's roles: without
``Logins``, the unauthenticated role's, when the API has one (guests); with ``Logins`` holding
an ID token of serve's user pool, verified as the API verifies it, the authenticated role's.
Every guest shares one identity id and every signed-in user another, those the keys stand
for (``auth.py``); a guest identity given a login is answered for the signed-in one, as
Cognito links a login to the guest identity that presents it. Clients name the pool as
Amplify requires, ``<region>:<id>``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..assembly.security import Security
from ..assembly.template import REGION
from ..identity.authenticator import Authenticator
from ..identity.jwt import parse_jwt
from ..identity.result import Authorized
from ..identity.types import AuthMode
from .auth import IamKey, ServeAuth
from .cognito import CognitoPool
from .cognito_actions import CognitoRefusal

__all__ = ["IDENTITY_TARGET_PREFIX", "IdentityDesk", "client_pool_id", "identity_desk"]

IDENTITY_TARGET_PREFIX = "AWSCognitoIdentityService."
CREDENTIALS_SECONDS = 3600  # what Cognito Identity gives by default


def client_pool_id(pool_id: str, region: str) -> str:
    """The pool id as clients give it: ``<region>:<id>`` (Amplify JS refuses any other)."""
    return pool_id if ":" in pool_id else f"{region}:{pool_id}"


@dataclass(frozen=True)
class Identity:
    identity_id: str
    key: IamKey


@dataclass(frozen=True)
class IdentityDesk:
    """``pool_id``: as clients name it; ``login``: the ``Logins`` key of serve's user pool
    (``cognito-idp.<region>.amazonaws.com/<pool id>``); ``verify``: whether a token is a
    valid ID token of that pool."""

    pool_id: str
    login: str
    signed_in: Identity
    guest: Identity | None
    verify: Callable[[str], bool]

    def answer(
        self, action: str, params: Mapping[str, object]
    ) -> dict[str, object] | CognitoRefusal:
        """The answer of ``action``, or the refusal Cognito would give."""
        if action == "GetId":
            return self._get_id(params)
        if action == "GetCredentialsForIdentity":
            return self._credentials(params)
        return CognitoRefusal(
            400,
            "UnknownOperationException",
            f"The Cognito endpoint of `authorized-appsync serve` serves GetId and "
            f"GetCredentialsForIdentity of Cognito Identity, not {action!r}.",
        )

    def _get_id(self, params: Mapping[str, object]) -> dict[str, object] | CognitoRefusal:
        if params.get("IdentityPoolId") != self.pool_id:
            return CognitoRefusal(
                400,
                "ResourceNotFoundException",
                f"IdentityPool '{params.get('IdentityPoolId')}' not found; this endpoint "
                f"serves {self.pool_id}.",
            )
        identity = self._identity(params.get("Logins"))
        if isinstance(identity, CognitoRefusal):
            return identity
        return {"IdentityId": identity.identity_id}

    def _credentials(self, params: Mapping[str, object]) -> dict[str, object] | CognitoRefusal:
        identity = self._identity(params.get("Logins"))
        if isinstance(identity, CognitoRefusal):
            return identity
        # A guest who signs in keeps the guest's identity id (Cognito links the login to it);
        # the answer names the identity the login stands for here.
        known = {identity.identity_id, *([self.guest.identity_id] if self.guest else [])}
        if params.get("IdentityId") not in known:
            return CognitoRefusal(
                400,
                "NotAuthorizedException",
                "Logins don't match. Please include at least one valid login for this "
                "identity or identity pool.",
            )
        return {
            "IdentityId": identity.identity_id,
            "Credentials": {
                "AccessKeyId": identity.key.access_key_id,
                "SecretKey": identity.key.secret_access_key,
                "Expiration": int(time.time()) + CREDENTIALS_SECONDS,
            },
        }

    def _identity(self, logins: object) -> Identity | CognitoRefusal:
        if not logins:
            if self.guest is None:
                return CognitoRefusal(
                    400,
                    "NotAuthorizedException",
                    "Unauthenticated access is not supported for this identity pool.",
                )
            return self.guest
        given = dict(logins) if isinstance(logins, Mapping) else {}
        token = given.get(self.login)
        if not isinstance(token, str) or len(given) != 1 or not self.verify(token):
            return CognitoRefusal(
                400,
                "NotAuthorizedException",
                f"Invalid login token: Logins must hold one ID token of serve's user pool, "
                f"under {self.login}.",
            )
        return self.signed_in


def identity_desk(
    auth: ServeAuth, security: Security, pool: CognitoPool, authenticator: Authenticator
) -> IdentityDesk | None:
    """The desk of the API's identity pool (``None`` when the API names none), its tokens
    verified by ``authenticator``, the API's own."""
    iam = auth.config.iam
    if iam is None or security.identity_pool_id is None:
        return None
    by_kind = {key.cognito_auth_type: key for key in auth.iam_keys if key.cognito_auth_type}

    def identity(kind: str) -> Identity:
        key = by_kind[kind]
        identity_id = iam.credentials[key.access_key_id].cognito_identity_id
        return Identity(identity_id or "", key)

    def verify(token: str) -> bool:
        jwt = parse_jwt(token)
        if jwt is None or jwt.claims.get("token_use") != "id":
            return False  # Cognito Identity takes a user pool's ID tokens only
        verdict = authenticator.authenticate({"Authorization": token}, b"{}")
        pools = AuthMode.AMAZON_COGNITO_USER_POOLS
        return isinstance(verdict, Authorized) and verdict.mode is pools

    issuer = pool.issuer.removeprefix("https://")
    return IdentityDesk(
        pool_id=client_pool_id(iam.identity_pool_id or security.identity_pool_id, REGION),
        login=issuer,
        signed_in=identity("authenticated"),
        guest=identity("unauthenticated") if security.unauthenticated_role else None,
        verify=verify,
    )
