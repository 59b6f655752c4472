"""The default AppSync Lambda authorizer: verifies a JWT with the Python standard library only.

Phase: runtime (a Lambda asset, Python 3.12, no dependencies). Invariant: every request that is
not proven valid is answered ``{"isAuthorized": false}``; no exception reaches AppSync, and the
token is never logged (one log line per denial, with the reason).

Configuration (environment variables, read on every invocation; empty means unset):

- ``AUTH_JWKS_URL`` (RS256/RS384/RS512 against the JWKS at this https URL; plain http only for
  127.0.0.1/localhost) or ``AUTH_HMAC_SECRET`` (HS256/HS384/HS512, UTF-8, at least 32 bytes):
  exactly one of them, otherwise every request is denied.
- ``AUTH_ISSUER`` (``iss`` must equal it) and ``AUTH_AUDIENCE`` (comma-separated; the token's
  audience must be one of them): both required, otherwise every request is denied.
- ``AUTH_TOKEN_USE`` (default ``id``): which tokens are accepted. ``id``: ``token_use`` must be
  ``id`` (a Cognito ID token) and ``aud`` holds the audience; ``access``: ``token_use`` must be
  ``access`` (a Cognito access token) and ``client_id`` holds the audience; ``none``: an issuer
  that sets no ``token_use`` (a token carrying one is refused) and ``aud`` holds the audience.
- ``AUTH_LEEWAY_SECONDS`` (default 60, at most 3600) for ``exp``, ``nbf`` and ``iat``.
- ``AUTH_CONTEXT_CLAIMS`` (default ``sub,username,email,groups``): claims copied into
  ``resolverContext``. AppSync wants a flat string map, so a string claim is copied as is and any
  other value (list, number, boolean, object) is JSON-encoded: ``groups`` arrives as
  ``'["admin","dev"]'`` and a resolver reads it with ``JSON.parse``. Absent or null claims are
  left out.
- ``AUTH_DENIED_FIELDS_CLAIM``: a claim holding ``Type.field`` entries (or field ARNs), as a list
  or one comma-separated string, returned as ``deniedFields``. A malformed claim denies the token.
  The ones of this API are also put in ``resolverContext`` under ``deniedFields``, as a JSON
  array of ``Type.field`` strings, so the resolvers refuse filters, conditions and key arguments
  on them (AppSync only nulls denied fields in the response; resolvers never see the list).
- ``AUTH_TTL_SECONDS`` (0-3600): ``ttlOverride``. Default: seconds until ``exp``, at most 3600.
  Either way it never outlives the token and is never negative.
- ``AUTH_TOKEN_PREFIX``: a prefix removed when present (case-insensitive), e.g. ``Bearer ``.
- ``AUTH_JWKS_CACHE_SECONDS`` (default 3600, at most 86400): how long fetched keys are used
  before the JWKS is fetched again (an unknown ``kid`` refetches early, once per 10 s).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import http.client
import json
import logging
import math
import os
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict

__all__ = [
    "DENIED_FIELDS_CONTEXT_KEY",
    "AuthorizerResponse",
    "Config",
    "ConfigError",
    "DeniedError",
    "RsaPublicKey",
    "VerifiedToken",
    "authorize",
    "handler",
    "load_config",
    "parse_jwks",
    "rsa_pkcs1v15_verify",
    "verify_token",
]

DEFAULT_CONTEXT_CLAIMS = ("sub", "username", "email", "groups")
DEFAULT_LEEWAY_SECONDS = 60
DEFAULT_JWKS_CACHE_SECONDS = 3600
MAX_TTL_SECONDS = 3600  # AppSync's ceiling for cached authorizer answers
MAX_LEEWAY_SECONDS = 3600
MAX_JWKS_CACHE_SECONDS = 86_400
REFETCH_COOLDOWN_SECONDS = 10.0  # unknown kids trigger at most one JWKS refetch per this period
JWKS_FETCH_TIMEOUT_SECONDS = 3.0  # the authorizer itself has 10 s
MAX_TOKEN_LENGTH = 16_384
MAX_JWKS_BYTES = 1_000_000
MIN_RSA_BITS = 2048
MIN_HMAC_SECRET_BYTES = 32  # RFC 7518 3.2: a key at least as long as the HS256 output

# AUTH_TOKEN_USE -> (the token_use claim it requires, the claim holding the audience).
_TOKEN_USES: Mapping[str, tuple[str | None, str]] = {
    "id": ("id", "aud"),
    "access": ("access", "client_id"),
    "none": (None, "aud"),
}
DEFAULT_TOKEN_USE = "id"

_HMAC_ALGORITHMS: Mapping[str, str] = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}
# EMSA-PKCS1-v1_5 DigestInfo DER prefixes (RFC 8017 9.2, note 1), per JWS alg.
_RSA_ALGORITHMS: Mapping[str, tuple[str, bytes]] = {
    "RS256": ("sha256", bytes.fromhex("3031300d060960864801650304020105000420")),
    "RS384": ("sha384", bytes.fromhex("3041300d060960864801650304020205000430")),
    "RS512": ("sha512", bytes.fromhex("3051300d060960864801650304020305000440")),
}
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_NAME = r"[_A-Za-z][_0-9A-Za-z]*"
_DENIED_FIELD = re.compile(
    rf"{_NAME}\.{_NAME}|arn:aws[a-z-]*:appsync:[a-z0-9-]+:\d{{12}}:apis/[A-Za-z0-9]+"
    rf"/types/{_NAME}/fields/{_NAME}"
)
_DENIED_ARN = re.compile(
    rf".*:apis/(?P<api>[A-Za-z0-9]+)/types/(?P<type>{_NAME})/fields/(?P<field>{_NAME})"
)
# The resolverContext key the resolvers read the caller's denied fields from
# (resolvers/lib/questions.js); the authorizer's own value replaces a claim of that name.
DENIED_FIELDS_CONTEXT_KEY = "deniedFields"

_LOG = logging.getLogger("authorized_appsync.authorizer")
_now = time.time  # the clock; tests replace it


class ConfigError(Exception):
    """The environment does not configure the authorizer; every request is denied."""


class DeniedError(Exception):
    """The request is not authorized. The message is the logged reason; it never holds the token."""


class AuthorizerResponse(TypedDict):
    isAuthorized: bool
    resolverContext: NotRequired[dict[str, str]]
    deniedFields: NotRequired[list[str]]
    ttlOverride: NotRequired[int]


@dataclass(frozen=True, kw_only=True)
class Config:
    jwks_url: str | None = None
    hmac_secret: bytes | None = field(default=None, repr=False)
    issuer: str
    audiences: tuple[str, ...]
    token_use: str = DEFAULT_TOKEN_USE  # a key of _TOKEN_USES
    leeway_seconds: int = DEFAULT_LEEWAY_SECONDS
    context_claims: tuple[str, ...] = DEFAULT_CONTEXT_CLAIMS
    denied_fields_claim: str | None = None
    ttl_seconds: int | None = None
    token_prefix: str | None = None
    jwks_cache_seconds: int = DEFAULT_JWKS_CACHE_SECONDS


@dataclass(frozen=True)
class RsaPublicKey:
    n: int
    e: int
    alg: str | None = None  # the JWK's "alg", when it names one


@dataclass(frozen=True)
class VerifiedToken:
    claims: Mapping[str, object]
    expires_at: float


# --- configuration -------------------------------------------------------------------------


def _setting(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "")
    return value if value.strip() else None


def _seconds(environ: Mapping[str, str], name: str, maximum: int) -> int | None:
    raw = _setting(environ, name)
    if raw is None:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", raw.strip()) or int(raw) > maximum:
        raise ConfigError(
            f"{name} must be a whole number of seconds from 0 to {maximum}, got {raw!r}."
        )
    return int(raw)


def _csv(raw: str | None) -> tuple[str, ...]:
    return tuple(item.strip() for item in (raw or "").split(",") if item.strip())


def _check_jwks_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS:
        return url
    raise ConfigError(
        f"AUTH_JWKS_URL must be an https:// URL (http:// only for 127.0.0.1 or localhost), "
        f"got {url!r}."
    )


_SECRETS: dict[str, str] = {}


def _secret_string(arn: str) -> str:
    """The HMAC key held in Secrets Manager (read once per container). boto3 comes with
    the Lambda Python runtime; it is imported only when this setting is used."""
    cached = _SECRETS.get(arn)
    if cached is None:
        try:
            import boto3

            answer = boto3.client("secretsmanager").get_secret_value(SecretId=arn)
            cached = str(answer["SecretString"])
        except Exception as error:  # any failure to read the key denies every request
            raise ConfigError(
                f"AUTH_HMAC_SECRET_ARN {arn!r} could not be read ({type(error).__name__}); "
                f"the function's role needs secretsmanager:GetSecretValue on it."
            ) from None
        _SECRETS[arn] = cached
    return cached


def _token_checks(environ: Mapping[str, str]) -> tuple[str, tuple[str, ...], str]:
    """``AUTH_ISSUER``, ``AUTH_AUDIENCE`` and ``AUTH_TOKEN_USE``: without an issuer and an
    audience, a token that any issuer or client got from keys the JWKS also serves (or the
    shared secret signs) would pass."""
    issuer = _setting(environ, "AUTH_ISSUER")
    if issuer is None:
        raise ConfigError(
            "AUTH_ISSUER must be set to the issuer whose tokens are accepted (their 'iss', "
            "e.g. https://cognito-idp.<region>.amazonaws.com/<user pool id>); without it "
            "tokens of any issuer the keys verify would be accepted."
        )
    audiences = _csv(_setting(environ, "AUTH_AUDIENCE"))
    if not audiences:
        raise ConfigError(
            "AUTH_AUDIENCE must be set to the accepted audiences, comma-separated (for a "
            "Cognito user pool: the app client ids); without it tokens issued to any other "
            "client of the issuer would be accepted."
        )
    raw = (_setting(environ, "AUTH_TOKEN_USE") or DEFAULT_TOKEN_USE).strip()
    if raw not in _TOKEN_USES:
        raise ConfigError(
            f"AUTH_TOKEN_USE must be one of {', '.join(_TOKEN_USES)}, got {raw!r}: id for "
            f"Cognito ID tokens, access for Cognito access tokens, none for an issuer that "
            f"sets no token_use claim."
        )
    return issuer.strip(), audiences, raw


def load_config(environ: Mapping[str, str]) -> Config:
    """Read the ``AUTH_*`` variables; raise :class:`ConfigError` naming the variable at fault."""
    jwks_url = _setting(environ, "AUTH_JWKS_URL")
    secret = _setting(environ, "AUTH_HMAC_SECRET")
    secret_arn = _setting(environ, "AUTH_HMAC_SECRET_ARN")
    given = [v for v in (jwks_url, secret, secret_arn) if v is not None]
    if len(given) != 1:
        got = "neither" if not given else "several"
        raise ConfigError(
            f"exactly one of AUTH_JWKS_URL (RS256/RS384/RS512 tokens), AUTH_HMAC_SECRET or "
            f"AUTH_HMAC_SECRET_ARN (HS256/HS384/HS512 tokens) must be set; got {got}."
        )
    if secret_arn is not None:
        secret = _secret_string(secret_arn.strip())
    hmac_secret = None if secret is None else secret.encode("utf-8")
    if hmac_secret is not None and len(hmac_secret) < MIN_HMAC_SECRET_BYTES:
        raise ConfigError(
            f"AUTH_HMAC_SECRET must be at least {MIN_HMAC_SECRET_BYTES} bytes long, "
            f"got {len(hmac_secret)}."
        )
    claims = _csv(_setting(environ, "AUTH_CONTEXT_CLAIMS")) or DEFAULT_CONTEXT_CLAIMS
    denied_claim = _setting(environ, "AUTH_DENIED_FIELDS_CLAIM")
    issuer, audiences, token_use = _token_checks(environ)
    leeway = _seconds(environ, "AUTH_LEEWAY_SECONDS", MAX_LEEWAY_SECONDS)
    cache = _seconds(environ, "AUTH_JWKS_CACHE_SECONDS", MAX_JWKS_CACHE_SECONDS)
    return Config(
        jwks_url=None if jwks_url is None else _check_jwks_url(jwks_url.strip()),
        hmac_secret=hmac_secret,
        issuer=issuer,
        audiences=audiences,
        token_use=token_use,
        leeway_seconds=DEFAULT_LEEWAY_SECONDS if leeway is None else leeway,
        context_claims=claims,
        denied_fields_claim=None if denied_claim is None else denied_claim.strip(),
        ttl_seconds=_seconds(environ, "AUTH_TTL_SECONDS", MAX_TTL_SECONDS),
        token_prefix=_setting(environ, "AUTH_TOKEN_PREFIX"),
        jwks_cache_seconds=DEFAULT_JWKS_CACHE_SECONDS if cache is None else cache,
    )


# --- encoding --------------------------------------------------------------------------------


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _b64decode(segment: str, what: str) -> bytes:
    """Strict base64url (RFC 7515 2): URL-safe alphabet, no padding, canonical trailing bits."""
    if not _B64URL.fullmatch(segment) or len(segment) % 4 == 1:
        raise DeniedError(f"{what} is not base64url")
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except binascii.Error:
        raise DeniedError(f"{what} is not base64url") from None
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != segment:
        raise DeniedError(f"{what} is not canonical base64url")
    return raw


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise DeniedError("JSON object repeats a member name")
    return result


def _reject_constant(name: str) -> object:
    raise DeniedError(f"JSON holds the non-standard constant {name}")


def _json_object(raw: bytes, what: str) -> dict[str, object]:
    try:
        value: object = json.loads(
            raw.decode("utf-8"), object_pairs_hook=_unique_keys, parse_constant=_reject_constant
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DeniedError(f"{what} is not JSON") from None
    except DeniedError as error:  # from the hooks: a repeated name, NaN or Infinity
        raise DeniedError(f"{what}: {error}") from None
    if not isinstance(value, dict):
        raise DeniedError(f"{what} is not a JSON object")
    return value


# --- signatures ------------------------------------------------------------------------------


def rsa_pkcs1v15_verify(key: RsaPublicKey, alg: str, message: bytes, signature: bytes) -> bool:
    """RSASSA-PKCS1-v1_5 verification (RFC 8017 8.2.2): the whole encoded block is rebuilt and
    compared, so no part of the padding is parsed (Bleichenbacher's e=3 forgery fails)."""
    hash_name, digest_info = _RSA_ALGORITHMS[alg]
    size = (key.n.bit_length() + 7) // 8
    encoded_digest = digest_info + hashlib.new(hash_name, message).digest()
    if len(signature) != size or size < len(encoded_digest) + 11:
        return False
    value = int.from_bytes(signature, "big")
    if value >= key.n:
        return False
    block = pow(value, key.e, key.n).to_bytes(size, "big")
    expected = b"\x00\x01" + b"\xff" * (size - len(encoded_digest) - 3) + b"\x00" + encoded_digest
    return hmac.compare_digest(block, expected)


def _jwk_int(jwk: Mapping[str, object], name: str) -> int | None:
    value = jwk.get(name)
    if not isinstance(value, str):
        return None
    try:
        return int.from_bytes(_b64decode(value.rstrip("="), f"JWK {name}"), "big")
    except DeniedError:
        return None


def _rsa_key(jwk: object) -> RsaPublicKey | None:
    """An RSA signing key from a JWK, or None for keys this authorizer cannot or must not use."""
    if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or jwk.get("use", "sig") != "sig":
        return None
    alg = jwk.get("alg")
    if alg is not None and alg not in _RSA_ALGORITHMS:
        return None
    n, e = _jwk_int(jwk, "n"), _jwk_int(jwk, "e")
    if n is None or e is None or n.bit_length() < MIN_RSA_BITS or n % 2 == 0:
        return None
    if e < 3 or e % 2 == 0:
        return None
    return RsaPublicKey(n=n, e=e, alg=alg if isinstance(alg, str) else None)


def parse_jwks(document: bytes) -> dict[str, RsaPublicKey]:
    """Usable RSA signing keys by ``kid`` (``""`` for a key without one); other keys are skipped."""
    keys = _json_object(document, "JWKS").get("keys")
    if not isinstance(keys, list):
        raise DeniedError("JWKS has no 'keys' list")
    result: dict[str, RsaPublicKey] = {}
    for jwk in keys:
        key = _rsa_key(jwk)
        if key is not None and isinstance(jwk, dict):
            kid = jwk.get("kid")
            result[kid if isinstance(kid, str) else ""] = key
    return result


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: they could move the key fetch off https."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch_jwks(url: str) -> bytes:
    """GET the JWKS document; raise :class:`DeniedError` when it cannot be had."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with opener.open(request, timeout=JWKS_FETCH_TIMEOUT_SECONDS) as response:
            body: bytes = response.read(MAX_JWKS_BYTES + 1)
    except (OSError, http.client.HTTPException) as error:
        raise DeniedError(f"cannot fetch the JWKS from {url}: {_short(str(error))}") from None
    if len(body) > MAX_JWKS_BYTES:
        raise DeniedError(f"the JWKS at {url} is larger than {MAX_JWKS_BYTES} bytes")
    return body


@dataclass
class _KeySet:
    keys: dict[str, RsaPublicKey]
    fetched_at: float
    refetched_at: float = -math.inf  # last refetch caused by an unknown kid


_KEY_SETS: dict[str, _KeySet] = {}  # per JWKS URL, for the life of the Lambda container


def _fetch_key_set(url: str, now: float, previous: _KeySet | None) -> _KeySet:
    key_set = _KeySet(keys=parse_jwks(fetch_jwks(url)), fetched_at=now)
    if previous is not None:
        key_set.refetched_at = previous.refetched_at
    _KEY_SETS[url] = key_set
    return key_set


def _select(key_set: _KeySet, kid: str | None) -> RsaPublicKey | None:
    if kid is None:
        return next(iter(key_set.keys.values())) if len(key_set.keys) == 1 else None
    return key_set.keys.get(kid)


def _jwks_key(url: str, kid: str | None, config: Config, now: float) -> RsaPublicKey:
    key_set = _KEY_SETS.get(url)
    fetched = False
    if key_set is None or now - key_set.fetched_at >= config.jwks_cache_seconds:
        key_set, fetched = _fetch_key_set(url, now, key_set), True
    key = _select(key_set, kid)
    if key is None and not fetched and now - key_set.refetched_at >= REFETCH_COOLDOWN_SECONDS:
        key_set = _fetch_key_set(url, now, key_set)
        key_set.refetched_at = now
        key = _select(key_set, kid)
    if key is None:
        if kid is None:
            raise DeniedError(f"the token has no kid and the JWKS holds {len(key_set.keys)} keys")
        raise DeniedError(f"the JWKS has no usable key for kid {_short(kid)}")
    return key


def _check_alg(alg: object, config: Config) -> str:
    """The algorithm must belong to the configured key type: this stops 'none' and the
    HS-with-an-RSA-public-key / RS-with-an-HMAC-secret confusion attacks."""
    allowed = _RSA_ALGORITHMS if config.jwks_url is not None else _HMAC_ALGORITHMS
    if not isinstance(alg, str) or alg not in allowed:
        source = "AUTH_JWKS_URL" if config.jwks_url is not None else "AUTH_HMAC_SECRET"
        raise DeniedError(
            f"alg {_short(alg)} is not accepted with {source}; allowed: {', '.join(allowed)}"
        )
    return alg


def _verify_signature(
    header: Mapping[str, object],
    alg: str,
    signed: bytes,
    signature: bytes,
    config: Config,
    now: float,
) -> None:
    if config.jwks_url is not None:
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise DeniedError("header 'kid' is not a string")
        key = _jwks_key(config.jwks_url, kid, config, now)
        if key.alg is not None and key.alg != alg:
            raise DeniedError(f"key {_short(kid)} is for {key.alg}, the token says {alg}")
        valid = rsa_pkcs1v15_verify(key, alg, signed, signature)
    elif config.hmac_secret is not None:
        mac = hmac.new(config.hmac_secret, signed, _HMAC_ALGORITHMS[alg]).digest()
        valid = hmac.compare_digest(mac, signature)
    else:  # load_config never builds such a Config
        raise DeniedError("no key is configured")
    if not valid:
        raise DeniedError(f"{alg} signature does not verify")


# --- claims ----------------------------------------------------------------------------------


def _time_claim(claims: Mapping[str, object], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DeniedError(f"claim {name!r} is not a number of seconds")
    try:
        seconds = float(value)
    except OverflowError:  # an integer beyond any float
        seconds = math.inf
    if not math.isfinite(seconds):
        raise DeniedError(f"claim {name!r} is not a number of seconds")
    return seconds


def _check_claims(claims: Mapping[str, object], config: Config, now: float) -> float:
    """Check the registered claims; return ``exp``, which is required (it bounds ttlOverride)."""
    leeway = config.leeway_seconds
    expires_at = _time_claim(claims, "exp")
    if expires_at is None:
        raise DeniedError("token has no 'exp' claim")
    if now >= expires_at + leeway:
        raise DeniedError(f"token expired at {expires_at:.0f} (now {now:.0f}, leeway {leeway} s)")
    not_before = _time_claim(claims, "nbf")
    if not_before is not None and now + leeway < not_before:
        raise DeniedError(f"token is not valid before {not_before:.0f} (now {now:.0f})")
    issued_at = _time_claim(claims, "iat")
    if issued_at is not None and issued_at > now + leeway:
        raise DeniedError(f"token is issued in the future, at {issued_at:.0f} (now {now:.0f})")
    if claims.get("iss") != config.issuer:
        raise DeniedError(f"issuer {_short(claims.get('iss'))} is not {config.issuer!r}")
    _check_token_use(claims, config)
    return expires_at


def _check_token_use(claims: Mapping[str, object], config: Config) -> None:
    """The kind of token (``token_use``), then its audience in the claim that kind uses:
    ``aud`` for ID tokens, ``client_id`` for Cognito access tokens (which have no ``aud``)."""
    if config.token_use not in _TOKEN_USES:  # load_config never builds such a Config
        raise DeniedError(f"token_use setting {config.token_use!r} is unknown")
    required, audience_claim = _TOKEN_USES[config.token_use]
    token_use = claims.get("token_use")
    if token_use != required:
        expected = "tokens without one" if required is None else f"only {required!r}"
        raise DeniedError(
            f"token_use {_short(token_use)} is not accepted; AUTH_TOKEN_USE={config.token_use} "
            f"takes {expected}"
        )
    aud = claims.get(audience_claim)
    if isinstance(aud, str):
        audiences: list[object] = [aud]
    elif isinstance(aud, list) and audience_claim == "aud":  # client_id is one string
        audiences = aud
    else:
        audiences = []
    if not any(isinstance(item, str) and item in config.audiences for item in audiences):
        raise DeniedError(
            f"audience ({audience_claim}) {_short(aud)} is not one of {list(config.audiences)}"
        )


def verify_token(token: str, config: Config, now: float) -> VerifiedToken:
    """Verify a compact JWS: header, algorithm, signature, then the payload's claims."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise DeniedError(f"token is longer than {MAX_TOKEN_LENGTH} characters")
    parts = token.split(".")
    if len(parts) != 3:
        raise DeniedError(f"token has {len(parts)} dot-separated part(s), a JWS has 3")
    header = _json_object(_b64decode(parts[0], "header"), "header")
    alg = _check_alg(header.get("alg"), config)
    if "crit" in header:
        raise DeniedError("header lists critical extensions ('crit'); none are supported")
    signature = _b64decode(parts[2], "signature")
    _verify_signature(header, alg, f"{parts[0]}.{parts[1]}".encode("ascii"), signature, config, now)
    claims = _json_object(_b64decode(parts[1], "payload"), "payload")
    return VerifiedToken(claims=claims, expires_at=_check_claims(claims, config, now))


# --- the handler -----------------------------------------------------------------------------


def _token(event: object, config: Config) -> str:
    token = event.get("authorizationToken") if isinstance(event, Mapping) else None
    if not isinstance(token, str) or not token.strip():
        raise DeniedError("the event has no authorizationToken")
    token = token.strip()
    prefix = config.token_prefix
    if prefix and token[: len(prefix)].lower() == prefix.lower():
        token = token[len(prefix) :].strip()
    return token


def _resolver_context(claims: Mapping[str, object], names: tuple[str, ...]) -> dict[str, str]:
    context: dict[str, str] = {}
    for name in names:
        value = claims.get(name)
        if isinstance(value, str):
            context[name] = value
        elif value is not None:
            context[name] = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return context


def _denied_fields(claims: Mapping[str, object], claim: str | None) -> list[str]:
    value = None if claim is None else claims.get(claim)
    if value is None:
        return []
    entries = value.split(",") if isinstance(value, str) else value
    if not isinstance(entries, list) or not all(isinstance(item, str) for item in entries):
        raise DeniedError(f"claim {claim!r} is not a list of Type.field strings")
    fields = [item.strip() for item in entries if item.strip()]
    for item in fields:
        if not _DENIED_FIELD.fullmatch(item):
            raise DeniedError(
                f"claim {claim!r} holds {_short(item)}, not Type.field or a field ARN"
            )
    return list(dict.fromkeys(fields))


def _with_denied_fields(context: dict[str, str], denied: list[str], event: object) -> None:
    """Put the denied fields of the API the event is for into ``context``, as a JSON array of
    ``Type.field`` (ARNs of other APIs left out) under :data:`DENIED_FIELDS_CONTEXT_KEY`.
    With none the key is absent; a claim copied under that name is dropped either way."""
    request = event.get("requestContext") if isinstance(event, Mapping) else None
    api_id = request.get("apiId") if isinstance(request, Mapping) else None
    names: list[str] = []
    for entry in denied:
        arn = _DENIED_ARN.fullmatch(entry)
        if arn is None:
            names.append(entry)
        elif not isinstance(api_id, str) or arn["api"] == api_id:
            names.append(f"{arn['type']}.{arn['field']}")
    context.pop(DENIED_FIELDS_CONTEXT_KEY, None)
    if names:
        unique = list(dict.fromkeys(names))
        context[DENIED_FIELDS_CONTEXT_KEY] = json.dumps(unique, separators=(",", ":"))


def authorize(event: object, config: Config, now: float) -> AuthorizerResponse:
    """The authorizer's answer for an event; raises :class:`DeniedError` with the reason."""
    verified = verify_token(_token(event, config), config, now)
    remaining = max(0, math.floor(verified.expires_at - now))
    ttl = MAX_TTL_SECONDS if config.ttl_seconds is None else config.ttl_seconds
    context = _resolver_context(verified.claims, config.context_claims)
    denied = _denied_fields(verified.claims, config.denied_fields_claim)
    _with_denied_fields(context, denied, event)
    return {
        "isAuthorized": True,
        "resolverContext": context,
        "deniedFields": denied,
        "ttlOverride": min(ttl, remaining),
    }


def _request_label(event: object) -> str:
    request = event.get("requestContext") if isinstance(event, Mapping) else None
    if not isinstance(request, Mapping):
        return ""
    ids = [f"{name}={_short(request.get(name))}" for name in ("requestId", "apiId")]
    return f" ({', '.join(ids)})"


def handler(event: object, context: object) -> AuthorizerResponse:
    """AppSync Lambda authorizer entry point (APPSYNC.md 2): never raises, never logs the token."""
    label = _request_label(event)
    try:
        config = load_config(os.environ)
    except ConfigError as error:
        _LOG.error("authorizer misconfigured, denying every request: %s%s", error, label)
        return {"isAuthorized": False}
    try:
        return authorize(event, config, _now())
    except DeniedError as denial:
        _LOG.warning("denied: %s%s", denial, label)
    except Exception as error:  # nothing may escape to AppSync; logged by type, never by value
        _LOG.error("denied: unexpected %s%s", type(error).__name__, label)
    return {"isAuthorized": False}
