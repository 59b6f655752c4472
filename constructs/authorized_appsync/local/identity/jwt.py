"""JWTs in ``Authorization``: Cognito user-pool tokens and OIDC tokens (APPSYNC.md §2).

The raw header value is the token: AppSync strips nothing, so ``Bearer <jwt>`` does not parse.
The signature is checked first (against the pool's or issuer's JWKS), then time, then the
client id, so nothing is read from a token that was not proven genuine. No clock leeway
([unverified] whether AppSync allows any).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ...errors import JsonObject, JsonValue
from .. import json_input
from .config import OidcAuth, UserPoolAuth
from .jwks import RSA_ALGORITHMS
from .result import (
    MSG_NOT_AUTHORIZED,
    MSG_TOKEN_EXPIRED,
    MSG_UNAUTHORIZED,
    Authorized,
    AuthResult,
    Rejected,
    unauthorized,
)
from .types import AuthMode, CognitoIdentity, OidcIdentity

__all__ = ["Jwt", "parse_jwt", "verify_oidc_token", "verify_user_pool_token"]

_B64URL = re.compile(r"[A-Za-z0-9_-]*")
# Cognito signs with RS256 only; OIDC providers may use any RS algorithm [unverified which
# algorithms AppSync accepts for OIDC].
_USER_POOL_ALGORITHMS = frozenset({"RS256"})
_OIDC_ALGORITHMS = frozenset(RSA_ALGORITHMS)
_TOKEN_USES = {"id": "aud", "access": "client_id"}  # the claim holding the client id


@dataclass(frozen=True)
class Jwt:
    """A compact JWS split and decoded, not yet verified."""

    header: JsonObject
    claims: JsonObject
    signing_input: bytes
    signature: bytes

    @property
    def issuer(self) -> str | None:
        iss = self.claims.get("iss")
        return iss if isinstance(iss, str) else None


def _unique_object(pairs: list[tuple[str, JsonValue]]) -> JsonObject:
    result: JsonObject = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"member {key!r} appears twice")
        result[key] = value
    return result


def _reject_constant(name: str) -> JsonValue:
    raise ValueError(f"{name} is not JSON")


def _decode(segment: str) -> bytes | None:
    if not _B64URL.fullmatch(segment) or len(segment) % 4 == 1:
        return None
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        return None


def _json_object(raw: bytes | None) -> JsonObject | None:
    if not raw:
        return None
    try:
        value = json_input.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_unique_object,
            parse_constant=_reject_constant,
        )
    except ValueError:  # includes UnicodeDecodeError and json.JSONDecodeError
        return None
    return value if isinstance(value, dict) else None


def parse_jwt(token: str) -> Jwt | None:
    """The decoded token, or ``None`` when ``token`` is not a compact JWS with JSON-object
    header and payload (strict base64url: a ``Bearer `` prefix makes it unparseable)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header = _json_object(_decode(parts[0]))
    claims = _json_object(_decode(parts[1]))
    signature = _decode(parts[2])
    if header is None or claims is None or signature is None:
        return None
    return Jwt(header, claims, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def _number(claims: Mapping[str, JsonValue], name: str) -> float | None:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    seconds = float(value)
    return seconds if math.isfinite(seconds) else None


def _strings(value: JsonValue) -> Sequence[str]:
    """A string claim as a one-item list, a list claim's strings; otherwise nothing."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _check_signature(
    jwt: Jwt, algorithms: frozenset[str], key_owner: UserPoolAuth | OidcAuth
) -> Rejected | None:
    alg = jwt.header.get("alg")
    if not isinstance(alg, str) or alg not in algorithms:
        return unauthorized(
            MSG_NOT_AUTHORIZED, f"alg {alg!r} is not accepted; allowed: {sorted(algorithms)}"
        )
    if "crit" in jwt.header:
        return unauthorized(MSG_NOT_AUTHORIZED, "the header lists critical extensions ('crit')")
    problem = key_owner.key_set.verify(jwt.header.get("kid"), alg, jwt.signing_input, jwt.signature)
    return None if problem is None else unauthorized(MSG_NOT_AUTHORIZED, problem)


def _check_times(jwt: Jwt, now: float) -> Rejected | None:
    expires = _number(jwt.claims, "exp")
    if expires is None:
        return unauthorized(MSG_NOT_AUTHORIZED, "the token has no numeric 'exp' claim")
    if now >= expires:
        return unauthorized(
            MSG_TOKEN_EXPIRED, f"the token expired at {expires:.0f} (now {now:.0f})"
        )
    not_before = _number(jwt.claims, "nbf")
    if not_before is not None and now < not_before:
        return unauthorized(MSG_NOT_AUTHORIZED, f"the token is not valid before {not_before:.0f}")
    return None


def _check_client(
    client_ids: Sequence[str], pattern: re.Pattern[str] | None, what: str
) -> Rejected | None:
    if pattern is None or any(pattern.fullmatch(client) for client in client_ids):
        return None
    return unauthorized(
        MSG_UNAUTHORIZED, f"{what} {list(client_ids)} does not match {pattern.pattern!r}"
    )


def _sub(jwt: Jwt) -> str | Rejected:
    sub = jwt.claims.get("sub")
    if isinstance(sub, str) and sub:
        return sub
    return unauthorized(MSG_NOT_AUTHORIZED, "the token has no 'sub' claim")


def _check_token_use(jwt: Jwt, pattern: re.Pattern[str] | None) -> Rejected | None:
    """``token_use`` is ``id`` (client id in ``aud``) or ``access`` (in ``client_id``), and the
    client id matches the pool's ``appIdClientRegex``."""
    token_use = jwt.claims.get("token_use")
    if not isinstance(token_use, str) or token_use not in _TOKEN_USES:
        return unauthorized(
            MSG_UNAUTHORIZED, f"token_use {token_use!r} is neither 'id' nor 'access'"
        )
    client_claim = _TOKEN_USES[token_use]
    client_ids = _strings(jwt.claims.get(client_claim))
    if not client_ids:
        return unauthorized(MSG_UNAUTHORIZED, f"the {token_use} token has no {client_claim!r}")
    return _check_client(client_ids, pattern, client_claim)


def _username(jwt: Jwt) -> str | Rejected:
    """``cognito:username`` of an ID token, ``username`` of an access token."""
    if jwt.claims.get("token_use") == "id":
        names = ("cognito:username", "username")
    else:
        names = ("username", "cognito:username")
    username = next((v for v in map(jwt.claims.get, names) if isinstance(v, str)), None)
    if username is None:
        return unauthorized(MSG_NOT_AUTHORIZED, "the token names no user")
    return username


def verify_user_pool_token(
    jwt: Jwt, pool: UserPoolAuth, *, now: float, source_ip: tuple[str, ...]
) -> AuthResult:
    """A Cognito ID or access token of ``pool`` (its ``iss`` was already matched)."""
    rejected = (
        _check_signature(jwt, _USER_POOL_ALGORITHMS, pool)
        or _check_times(jwt, now)
        or _check_token_use(jwt, pool.client_pattern)
    )
    if rejected is not None:
        return rejected
    sub = _sub(jwt)
    if isinstance(sub, Rejected):
        return sub
    username = _username(jwt)
    if isinstance(username, Rejected):
        return username
    groups = jwt.claims.get("cognito:groups")
    identity = CognitoIdentity(
        sub=sub,
        issuer=pool.issuer,
        username=username,
        claims=jwt.claims,
        source_ip=source_ip,
        default_auth_strategy=pool.default_action,
        groups=tuple(_strings(groups)) if isinstance(groups, list) else None,
    )
    return Authorized(mode=AuthMode.AMAZON_COGNITO_USER_POOLS, identity=identity)


def _check_ttl(jwt: Jwt, claim: str, ttl_ms: int | None, now: float) -> Rejected | None:
    if ttl_ms is None or ttl_ms == 0:  # 0: not set, as AppSync reads it [unverified]
        return None
    since = _number(jwt.claims, claim)
    if since is None:
        return unauthorized(MSG_TOKEN_EXPIRED, f"the token has no {claim!r} to bound its age")
    if (now - since) * 1000 > ttl_ms:
        return unauthorized(MSG_TOKEN_EXPIRED, f"{claim} {since:.0f} is older than {ttl_ms} ms")
    return None


def verify_oidc_token(jwt: Jwt, provider: OidcAuth, *, now: float) -> AuthResult:
    """An OIDC token of ``provider`` (its ``iss`` was already matched)."""
    rejected = (
        _check_signature(jwt, _OIDC_ALGORITHMS, provider)
        or _check_times(jwt, now)
        or _check_ttl(jwt, "iat", provider.iat_ttl_ms, now)
        or _check_ttl(jwt, "auth_time", provider.auth_ttl_ms, now)
        or _check_client(_strings(jwt.claims.get("aud")), provider.client_pattern, "aud")
    )
    if rejected is not None:
        return rejected
    sub = _sub(jwt)
    if isinstance(sub, Rejected):
        return sub
    identity = OidcIdentity(sub=sub, issuer=provider.issuer, claims=jwt.claims)
    return Authorized(mode=AuthMode.OPENID_CONNECT, identity=identity)
