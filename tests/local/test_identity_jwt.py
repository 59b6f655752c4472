"""User-pool and OIDC tokens: accepted when genuine, refused as AppSync refuses them
(APPSYNC.md §2, §3). Tokens come from ``LocalUserPool`` / ``LocalIssuer``; forgeries are made
by re-signing or editing them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from authorized_appsync.local.identity.authenticator import (
    AuthConfig,
    Authenticator,
    AuthMode,
    Authorized,
    OidcAuth,
    Rejected,
    UserPoolAuth,
)
from authorized_appsync.local.identity.issuer import LocalIssuer, LocalUserPool, b64url
from authorized_appsync.local.identity.jwks import JwkSet
from authorized_appsync.local.identity.jwt import parse_jwt

EXAMPLES: dict[str, Any] = json.loads(
    (
        Path(__file__).resolve().parent.parent / "fixtures" / "identity" / "appsync_examples.json"
    ).read_text()
)
CLIENT = "10f1mu8jtpi9asm1drp3a0cclo"
POOL = LocalUserPool("eu-central-1_AbCdEf", client_id=CLIENT)
OTHER_POOL = LocalUserPool("eu-central-1_Other1", client_id=CLIENT)
IMPOSTOR = LocalUserPool("eu-central-1_AbCdEf", client_id=CLIENT)  # same pool id, another key
IDP = LocalIssuer("https://idp.example.com/", kid="idp-1")
IDP_IMPOSTOR = LocalIssuer("https://idp.example.com/", kid="idp-1")
ISSUED = 1_700_000_000
NOW = ISSUED + 60.0

EXPIRED = "Token has expired."
NOT_AUTHORIZED = "You are not authorized to make this call."
UNAUTHORIZED = "Unauthorized"


def run(
    token: str, *, pool: UserPoolAuth | None = None, oidc: OidcAuth | None = None, now: float = NOW
) -> Authorized | Rejected:
    config = AuthConfig(
        default_mode=AuthMode.AMAZON_COGNITO_USER_POOLS,
        user_pools=(pool or POOL.auth(),),
        oidc_providers=(oidc or IDP.oidc_auth(client_id="client-1"),),
    )
    return Authenticator(config).authenticate(
        {"Authorization": token}, b"{}", source_ip="203.0.113.10", now=now
    )


def reject(message: str) -> Rejected:
    return Rejected(401, "UnauthorizedException", message)


def edit_claims(token: str, **changes: object) -> str:
    """The token with its payload changed and its signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    return f"{header}.{b64url(json.dumps(claims).encode())}.{signature}"


def flip_signature(token: str) -> str:
    header, payload, signature = token.split(".")
    first = "B" if signature[0] != "B" else "C"
    return f"{header}.{payload}.{first}{signature[1:]}"


def id_claims(**changes: object) -> dict[str, object]:
    claims: dict[str, object] = {
        "sub": POOL.sub_of("alice"),
        "iss": POOL.issuer,
        "cognito:username": "alice",
        "aud": CLIENT,
        "token_use": "id",
        "auth_time": ISSUED,
        "iat": ISSUED,
        "exp": ISSUED + 3600,
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def hs256_with_public_key(signer: LocalIssuer, claims: dict[str, object]) -> str:
    """The algorithm-confusion forgery: HS256 keyed with the RSA public key's bytes."""
    header = b64url(json.dumps({"alg": "HS256", "kid": signer.kid}).encode())
    body = b64url(json.dumps(claims).encode())
    key = json.dumps(signer.jwks).encode()
    mac = hmac.new(key, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64url(mac)}"


def _jwk(**changes: object) -> dict[str, object]:
    key = dict(IDP.jwks["keys"][0])
    key.update(changes)
    return {name: value for name, value in key.items() if value is not None}


# --- user pools --------------------------------------------------------------------------------


def test_user_pool_id_token_gives_appsync_example_identity() -> None:
    token = POOL.id_token(
        "user1",
        sub="af08acd8-f118-4016-a35d-2e47d43015a3",
        groups=["user"],
        now=1664354661,
        claims={"email_verified": True},
    )
    result = run(token, now=1664354661 + 10)
    assert isinstance(result, Authorized)
    assert result.mode is AuthMode.AMAZON_COGNITO_USER_POOLS
    assert result.auth_type == "User Pool Authorization"
    assert result.to_context() == EXAMPLES["AMAZON_COGNITO_USER_POOLS"]


def test_user_pool_access_token() -> None:
    result = run(POOL.access_token("alice", groups=["Admins", "Editors"], now=ISSUED))
    assert isinstance(result, Authorized)
    context = result.to_context()
    assert context is not None
    assert context["username"] == "alice"
    assert context["groups"] == ["Admins", "Editors"]
    assert context["claims"]["client_id"] == CLIENT
    assert context["claims"]["token_use"] == "access"


@pytest.mark.parametrize(
    ("make", "auth", "groups", "strategy"),
    [
        (lambda: POOL.id_token("bob", now=ISSUED), {}, None, "ALLOW"),
        (lambda: POOL.id_token("bob", now=ISSUED), {"default_action": "DENY"}, None, "DENY"),
        (
            lambda: POOL.id_token("bob", now=ISSUED),
            {"app_id_client_regex": "10f1mu8[a-z0-9]+"},
            None,
            "ALLOW",
        ),
        (
            lambda: POOL.id_token("bob", groups=["g"], now=ISSUED),
            {"app_id_client_regex": CLIENT},
            ["g"],
            "ALLOW",
        ),
        # No kid, and the JWKS has one key: that key.
        (lambda: POOL.signer.sign(id_claims(), {"alg": "RS256"}), {}, None, "ALLOW"),
    ],
)
def test_user_pool_tokens_accepted(
    make: Callable[[], str], auth: dict[str, Any], groups: list[str] | None, strategy: str
) -> None:
    result = run(make(), pool=POOL.auth(**auth))
    assert isinstance(result, Authorized), result
    context = result.to_context()
    assert context is not None
    assert context["groups"] == groups
    assert context["defaultAuthStrategy"] == strategy


@pytest.mark.parametrize(
    ("label", "make", "message"),
    [
        ("expired (now == exp)", lambda: POOL.id_token("alice", now=NOW - 3600), EXPIRED),
        ("expired long ago", lambda: POOL.id_token("alice", now=NOW - 86_400), EXPIRED),
        (
            "tampered claims",
            lambda: edit_claims(
                POOL.id_token("alice", now=ISSUED), **{"cognito:username": "mallory"}
            ),
            NOT_AUTHORIZED,
        ),
        (
            "tampered signature",
            lambda: flip_signature(POOL.id_token("alice", now=ISSUED)),
            NOT_AUTHORIZED,
        ),
        ("signed by another key", lambda: IMPOSTOR.id_token("alice", now=ISSUED), NOT_AUTHORIZED),
        (
            "alg none",
            lambda: POOL.signer.sign(id_claims(), {"alg": "none", "kid": POOL.signer.kid}),
            NOT_AUTHORIZED,
        ),
        (
            "alg none, no signature part",
            lambda: POOL.signer.sign(id_claims(), {"alg": "none"})[:-1],
            "Unable to parse JWT token.",
        ),
        (
            "HS256 keyed with the public key",
            lambda: hs256_with_public_key(POOL.signer, id_claims()),
            NOT_AUTHORIZED,
        ),
        (
            "RS512 (Cognito signs RS256)",
            lambda: POOL.signer.sign(id_claims(), {"alg": "RS512", "kid": POOL.signer.kid}),
            NOT_AUTHORIZED,
        ),
        (
            "unknown kid",
            lambda: POOL.signer.sign(id_claims(), {"alg": "RS256", "kid": "rotated"}),
            NOT_AUTHORIZED,
        ),
        (
            "crit header",
            lambda: POOL.signer.sign(
                id_claims(), {"alg": "RS256", "kid": POOL.signer.kid, "crit": ["x"]}
            ),
            NOT_AUTHORIZED,
        ),
        ("no exp", lambda: POOL.signer.sign(id_claims(exp=None)), NOT_AUTHORIZED),
        ("exp not a number", lambda: POOL.signer.sign(id_claims(exp="tomorrow")), NOT_AUTHORIZED),
        ("no sub", lambda: POOL.signer.sign(id_claims(sub=None)), NOT_AUTHORIZED),
        (
            "no username",
            lambda: POOL.signer.sign(id_claims(**{"cognito:username": None})),
            NOT_AUTHORIZED,
        ),
        (
            "token_use refresh",
            lambda: POOL.signer.sign(id_claims(token_use="refresh")),
            UNAUTHORIZED,
        ),
        ("token_use missing", lambda: POOL.signer.sign(id_claims(token_use=None)), UNAUTHORIZED),
        ("id token without aud", lambda: POOL.signer.sign(id_claims(aud=None)), UNAUTHORIZED),
        (
            "wrong app client",
            lambda: POOL.id_token("alice", client_id="someotherclient", now=ISSUED),
            UNAUTHORIZED,
        ),
        (
            "access token of a wrong client",
            lambda: POOL.access_token("alice", client_id="someotherclient", now=ISSUED),
            UNAUTHORIZED,
        ),
        (
            "another pool",
            lambda: OTHER_POOL.id_token("alice", now=ISSUED),
            "Valid authorization header not provided.",
        ),
        (
            "Bearer prefix",
            lambda: "Bearer " + POOL.id_token("alice", now=ISSUED),
            "Unable to parse JWT token.",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_user_pool_tokens_rejected(label: str, make: Callable[[], str], message: str) -> None:
    result = run(make(), pool=POOL.auth(app_id_client_regex=CLIENT))
    assert result == reject(message), result


def test_app_client_regex_must_match_the_whole_client_id() -> None:
    token = POOL.id_token("alice", now=ISSUED)
    assert isinstance(run(token, pool=POOL.auth(app_id_client_regex="10f1mu8.*")), Authorized)
    assert run(token, pool=POOL.auth(app_id_client_regex="10f1mu8")) == reject(UNAUTHORIZED)


def test_claims_arrive_as_json_values() -> None:
    token = POOL.id_token("alice", now=ISSUED, claims={"custom:tier": "gold", "custom:n": 3})
    result = run(token)
    assert isinstance(result, Authorized)
    claims = result.to_context()["claims"]
    assert claims["custom:tier"] == "gold"
    assert claims["custom:n"] == 3


# --- OIDC --------------------------------------------------------------------------------------


def test_oidc_token_gives_appsync_example_identity() -> None:
    token = IDP.token({"sub": "user-123", "aud": "client-1"}, ttl=3600, now=1699996400)
    result = run(token, now=1699996400 + 10)
    assert isinstance(result, Authorized)
    assert result.mode is AuthMode.OPENID_CONNECT
    assert result.auth_type == "Open ID Connect Authorization"
    assert result.to_context() == EXAMPLES["OPENID_CONNECT"]


@pytest.mark.parametrize(
    ("claims", "oidc"),
    [
        ({"sub": "u", "aud": "client-1"}, {"client_id": "client-1"}),
        ({"sub": "u", "aud": ["api", "client-1"]}, {"client_id": "client-1"}),
        ({"sub": "u", "aud": "client-7"}, {"client_id": "client-[0-9]"}),
        ({"sub": "u"}, {}),  # no client id configured: any audience
        ({"sub": "u", "aud": "x"}, {"iat_ttl_ms": 60_000}),
        ({"sub": "u", "aud": "x", "auth_time": ISSUED}, {"auth_ttl_ms": 60_000}),
        ({"sub": "u", "aud": "x", "nbf": ISSUED}, {}),
    ],
)
def test_oidc_tokens_accepted(claims: dict[str, object], oidc: dict[str, Any]) -> None:
    result = run(IDP.token(claims, now=ISSUED), oidc=IDP.oidc_auth(**oidc))
    assert isinstance(result, Authorized), result
    assert result.to_context()["sub"] == "u"


def test_oidc_accepts_rs384_and_rs512_from_a_key_naming_no_alg() -> None:
    claims = {"iss": IDP.issuer, "sub": "u", "aud": "client-1", "exp": ISSUED + 600}
    any_alg = OidcAuth(issuer=IDP.issuer, jwks={"keys": [_jwk(alg=None)]})
    for alg in ("RS256", "RS384", "RS512"):
        token = IDP.sign(claims, {"alg": alg, "kid": IDP.kid})
        assert isinstance(run(token, oidc=any_alg), Authorized)
        # A key that names RS256 verifies RS256 only.
        assert isinstance(run(token), Authorized) is (alg == "RS256")


@pytest.mark.parametrize(
    ("label", "make", "oidc", "message"),
    [
        (
            "expired",
            lambda: IDP.token({"sub": "u", "aud": "client-1"}, ttl=60, now=ISSUED),
            {"client_id": "client-1"},
            EXPIRED,
        ),
        (
            "wrong audience",
            lambda: IDP.token({"sub": "u", "aud": "client-2"}, now=ISSUED),
            {"client_id": "client-1"},
            UNAUTHORIZED,
        ),
        (
            "audience only partly matching",
            lambda: IDP.token({"sub": "u", "aud": "client-10"}, now=ISSUED),
            {"client_id": "client-1"},
            UNAUTHORIZED,
        ),
        (
            "no audience",
            lambda: IDP.token({"sub": "u"}, now=ISSUED),
            {"client_id": "client-1"},
            UNAUTHORIZED,
        ),
        (
            "iat older than iatTTL",
            lambda: IDP.token({"sub": "u"}, now=ISSUED),
            {"iat_ttl_ms": 59_000},
            EXPIRED,
        ),
        (
            "no iat with iatTTL",
            lambda: IDP.sign({"iss": IDP.issuer, "sub": "u", "exp": ISSUED + 600}),
            {"iat_ttl_ms": 1000},
            EXPIRED,
        ),
        (
            "auth_time older than authTTL",
            lambda: IDP.token({"sub": "u", "auth_time": ISSUED - 120}, now=ISSUED),
            {"auth_ttl_ms": 120_000},
            EXPIRED,
        ),
        (
            "no auth_time with authTTL",
            lambda: IDP.token({"sub": "u"}, now=ISSUED),
            {"auth_ttl_ms": 120_000},
            EXPIRED,
        ),
        (
            "not yet valid",
            lambda: IDP.token({"sub": "u", "nbf": NOW + 30}, now=ISSUED),
            {},
            NOT_AUTHORIZED,
        ),
        (
            "signed by another key",
            lambda: IDP_IMPOSTOR.token({"sub": "u"}, now=ISSUED),
            {},
            NOT_AUTHORIZED,
        ),
        (
            "tampered claims",
            lambda: edit_claims(IDP.token({"sub": "u"}, now=ISSUED), sub="admin"),
            {},
            NOT_AUTHORIZED,
        ),
        (
            "tampered signature",
            lambda: flip_signature(IDP.token({"sub": "u"}, now=ISSUED)),
            {},
            NOT_AUTHORIZED,
        ),
        (
            "alg none",
            lambda: IDP.sign({"iss": IDP.issuer, "sub": "u", "exp": ISSUED + 600}, {"alg": "none"}),
            {},
            NOT_AUTHORIZED,
        ),
        (
            "HS256 keyed with the public key",
            lambda: hs256_with_public_key(
                IDP, {"iss": IDP.issuer, "sub": "u", "exp": ISSUED + 600}
            ),
            {},
            NOT_AUTHORIZED,
        ),
        ("no sub", lambda: IDP.token({"aud": "x"}, now=ISSUED), {}, NOT_AUTHORIZED),
        (
            "another issuer",
            lambda: LocalIssuer("https://idp.example.com").token({"sub": "u"}, now=ISSUED),
            {},
            "Valid authorization header not provided.",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_oidc_tokens_rejected(
    label: str, make: Callable[[], str], oidc: dict[str, Any], message: str
) -> None:
    result = run(make(), oidc=IDP.oidc_auth(**oidc))
    assert result == reject(message), result


# --- parsing and key sets ----------------------------------------------------------------------


EMPTY = b64url(b"{}")
REPEATED = b64url(b'{"a":1,"a":2}')
NOT_A_NUMBER = b64url(b'{"a":NaN}')


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "eyJhbGciOiJSUzI1NiJ9.e30=.c2ln",  # padding is not base64url
        f"{b64url(b'[1]')}.{EMPTY}.",  # header not an object
        f"{EMPTY}.{REPEATED}.",  # a member given twice
        f"{EMPTY}.{NOT_A_NUMBER}.",
        f"{EMPTY}.{b64url(bytes([0xFF]))}.",  # not UTF-8
    ],
)
def test_parse_jwt_is_strict(token: str) -> None:
    assert parse_jwt(token) is None


def test_parse_jwt_accepts_an_unsigned_token_for_verification_to_refuse() -> None:
    parsed = parse_jwt(f"{EMPTY}.{EMPTY}.")
    assert parsed is not None
    assert (parsed.header, parsed.claims, parsed.signature) == ({}, {}, b"")


@pytest.mark.parametrize(
    ("jwks", "message"),
    [
        ({}, "at least one key"),
        ({"keys": []}, "at least one key"),
        ({"keys": ["x"]}, "JSON object"),
        ({"keys": [_jwk(kty="EC")]}, "kty 'EC'"),
        ({"keys": [_jwk(alg="HS256")]}, "alg 'HS256'"),
        ({"keys": [_jwk(), _jwk()]}, "appears twice"),
        ({"keys": [_jwk(n="***")]}, "not base64url"),
        ({"keys": [_jwk(e=None)]}, "'e' must be"),
        ({"keys": [_jwk(use="enc")]}, "no signing key"),
    ],
)
def test_bad_jwks_is_a_configuration_error(jwks: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        JwkSet.parse(jwks)


def test_small_rsa_keys_are_refused() -> None:
    small = LocalIssuer(private_key=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    with pytest.raises(ValueError, match="1024-bit keys are too small"):
        small.oidc_auth()


def test_encryption_keys_are_skipped() -> None:
    jwks = {"keys": [_jwk(kid="enc-1", use="enc"), _jwk()]}
    assert list(JwkSet.parse(jwks).keys) == [IDP.kid]
