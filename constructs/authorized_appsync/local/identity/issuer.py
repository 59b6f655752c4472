"""Token makers for tests and local use: a local OIDC issuer, and Cognito-shaped user-pool
tokens signed by a key whose JWKS goes into the pool's :class:`UserPoolAuth`.

Tokens are RS256 compact JWS made with ``cryptography``; ``LocalIssuer.sign`` takes any header
and claims so tests can forge what a verifier must refuse.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterable, Mapping

from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .config import OidcAuth, UserPoolAuth
from .jwks import RSA_ALGORITHMS

__all__ = ["LocalIssuer", "LocalUserPool", "b64url"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _json_segment(value: Mapping[str, object]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def _int_b64url(number: int) -> str:
    return b64url(number.to_bytes((number.bit_length() + 7) // 8, "big"))


class LocalIssuer:
    """An OIDC issuer on this machine: one RSA key (2048 bits, made on construction unless
    given), its public JWKS, and tokens for any claims."""

    def __init__(
        self,
        issuer: str = "https://idp.local.test/",
        *,
        kid: str = "local-key-1",
        private_key: rsa.RSAPrivateKey | None = None,
    ) -> None:
        self.issuer = issuer
        self.kid = kid
        self.private_key = private_key or rsa.generate_private_key(
            public_exponent=65537, key_size=2048
        )

    @property
    def jwks(self) -> dict[str, object]:
        numbers = self.private_key.public_key().public_numbers()
        key = {
            "kty": "RSA",
            "kid": self.kid,
            "use": "sig",
            "alg": "RS256",
            "n": _int_b64url(numbers.n),
            "e": _int_b64url(numbers.e),
        }
        return {"keys": [key]}

    def sign(self, claims: Mapping[str, object], header: Mapping[str, object] | None = None) -> str:
        """A compact JWS of exactly ``claims`` under ``header`` (default: RS256 with this
        issuer's kid). The header's ``alg`` picks the hash; an unknown ``alg`` signs nothing."""
        header = header or {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = f"{_json_segment(header)}.{_json_segment(claims)}"
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in RSA_ALGORITHMS:
            return f"{signing_input}."
        signature = self.private_key.sign(
            signing_input.encode("ascii"), padding.PKCS1v15(), RSA_ALGORITHMS[alg]()
        )
        return f"{signing_input}.{b64url(signature)}"

    def token(
        self,
        claims: Mapping[str, object] | None = None,
        ttl: float = 3600,
        *,
        now: float | None = None,
    ) -> str:
        """A token with ``iss`` (this issuer), ``iat`` (now) and ``exp`` (now + ``ttl``
        seconds), then ``claims``, which may override any of them."""
        issued = int(time.time() if now is None else now)
        payload: dict[str, object] = {"iss": self.issuer, "iat": issued, "exp": int(issued + ttl)}
        payload.update(claims or {})
        return self.sign(payload)

    def oidc_auth(
        self,
        *,
        client_id: str | None = None,
        iat_ttl_ms: int | None = None,
        auth_ttl_ms: int | None = None,
    ) -> OidcAuth:
        return OidcAuth(
            issuer=self.issuer,
            jwks=self.jwks,
            client_id=client_id,
            iat_ttl_ms=iat_ttl_ms,
            auth_ttl_ms=auth_ttl_ms,
        )


class LocalUserPool:
    """Cognito-shaped ID and access tokens for one user pool (issuer
    ``https://cognito-idp.<region>.amazonaws.com/<poolId>``), signed by a local key. A user's
    ``sub`` is a UUID derived from the pool and username, so it is stable across runs."""

    def __init__(
        self,
        user_pool_id: str = "us-east-1_LocalPool1",
        *,
        client_id: str = "localclient0000000000000001",
        private_key: rsa.RSAPrivateKey | None = None,
    ) -> None:
        self.user_pool_id = user_pool_id
        self.client_id = client_id
        self.region = user_pool_id.split("_", 1)[0]
        self.issuer = f"https://cognito-idp.{self.region}.amazonaws.com/{user_pool_id}"
        self.signer = LocalIssuer(self.issuer, kid=f"{user_pool_id}-1", private_key=private_key)

    @property
    def jwks(self) -> dict[str, object]:
        return self.signer.jwks

    def auth(
        self, *, app_id_client_regex: str | None = None, default_action: str = "ALLOW"
    ) -> UserPoolAuth:
        return UserPoolAuth(
            user_pool_id=self.user_pool_id,
            jwks=self.jwks,
            app_id_client_regex=app_id_client_regex,
            default_action=default_action,
        )

    def sub_of(self, username: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.issuer}#{username}"))

    def _claims(
        self,
        username: str,
        groups: Iterable[str],
        sub: str | None,
        now: float | None,
        ttl: float,
    ) -> tuple[dict[str, object], dict[str, object]]:
        issued = int(time.time() if now is None else now)
        head: dict[str, object] = {"sub": sub or self.sub_of(username)}
        if groups := list(groups):
            head["cognito:groups"] = groups
        head["iss"] = self.issuer
        times: dict[str, object] = {"auth_time": issued, "exp": int(issued + ttl), "iat": issued}
        return head, times

    def id_token(
        self,
        username: str,
        *,
        groups: Iterable[str] = (),
        sub: str | None = None,
        client_id: str | None = None,
        ttl: float = 3600,
        now: float | None = None,
        claims: Mapping[str, object] | None = None,
    ) -> str:
        """An ID token (``token_use: id``, client id in ``aud``); ``claims`` are added last."""
        head, times = self._claims(username, groups, sub, now, ttl)
        payload = {
            **head,
            "cognito:username": username,
            "aud": client_id or self.client_id,
            "token_use": "id",
            **times,
            **(claims or {}),
        }
        return self.signer.sign(payload)

    def access_token(
        self,
        username: str,
        *,
        groups: Iterable[str] = (),
        sub: str | None = None,
        client_id: str | None = None,
        ttl: float = 3600,
        now: float | None = None,
        claims: Mapping[str, object] | None = None,
    ) -> str:
        """An access token (``token_use: access``, client id in ``client_id``, user in
        ``username``); ``claims`` are added last."""
        head, times = self._claims(username, groups, sub, now, ttl)
        payload = {
            **head,
            "client_id": client_id or self.client_id,
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            **times,
            "username": username,
            **(claims or {}),
        }
        return self.signer.sign(payload)
