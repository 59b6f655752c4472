"""The default Lambda authorizer (``lambda_authorizer/index.py``), exercised through ``handler``.

The module is loaded by path with the ``AUTH_*`` variables of each test, its clock is pinned, RSA
tokens are signed with ``cryptography`` and their JWKS is served over HTTP from 127.0.0.1.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import importlib.util
import json
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ROOT = Path(__file__).resolve().parents[2]
INDEX = ROOT / "lambda_authorizer" / "index.py"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "authorizer"
EVENT = json.loads((FIXTURES / "event.json").read_text())
VECTORS = json.loads((FIXTURES / "rfc7515_vectors.json").read_text())

LOGGER = "authorized_appsync.authorizer"
NOW = 1_760_000_000
ISSUER = "https://idp.example.com/"
AUDIENCE = "client-1"
SECRET = "correct horse battery staple, 42 bytes ok"
ENV_VARS = (
    "AUTH_JWKS_URL",
    "AUTH_HMAC_SECRET",
    "AUTH_ISSUER",
    "AUTH_AUDIENCE",
    "AUTH_LEEWAY_SECONDS",
    "AUTH_CONTEXT_CLAIMS",
    "AUTH_DENIED_FIELDS_CLAIM",
    "AUTH_TTL_SECONDS",
    "AUTH_TOKEN_PREFIX",
    "AUTH_JWKS_CACHE_SECONDS",
    "AUTH_TOKEN_USE",
)
HMAC_HASHES = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}
RSA_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}
DROP = object()  # a claims() value that removes the claim


# --- tokens ----------------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def claims(**changes: object) -> dict[str, object]:
    result: dict[str, object] = {
        "sub": "user-1",
        "username": "alice",
        "email": "alice@example.com",
        "groups": ["admin", "dev"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "token_use": "id",
        "iat": NOW - 10,
        "exp": NOW + 600,
    }
    for name, value in changes.items():
        if value is DROP:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def sign(signing_input: bytes, alg: str, key: rsa.RSAPrivateKey | bytes | None) -> bytes:
    if isinstance(key, bytes):
        return hmac.new(key, signing_input, HMAC_HASHES[alg]).digest()
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(signing_input, padding.PKCS1v15(), RSA_HASHES[alg]())
    return b""


def token(
    key: rsa.RSAPrivateKey | bytes | None,
    payload: dict[str, object] | bytes | None = None,
    *,
    alg: str,
    kid: str | None = None,
    header: dict[str, object] | None = None,
) -> str:
    head: dict[str, object] = {"alg": alg, "typ": "JWT"}
    if kid is not None:
        head["kid"] = kid
    head.update(header or {})
    body = payload if isinstance(payload, bytes) else json.dumps(payload or claims()).encode()
    signing_input = f"{b64(json.dumps(head).encode())}.{b64(body)}"
    return f"{signing_input}.{b64(sign(signing_input.encode(), alg, key))}"


def rs(
    key: rsa.RSAPrivateKey,
    payload: dict[str, object] | bytes | None = None,
    *,
    alg: str = "RS256",
    kid: str | None = "key-a",
    header: dict[str, object] | None = None,
) -> str:
    return token(key, payload, alg=alg, kid=kid, header=header)


def hs(
    payload: dict[str, object] | bytes | None = None,
    *,
    secret: str = SECRET,
    alg: str = "HS256",
    header: dict[str, object] | None = None,
) -> str:
    return token(secret.encode(), payload, alg=alg, header=header)


def jwk(key: rsa.RSAPrivateKey, kid: str | None, **extra: object) -> dict[str, object]:
    numbers = key.public_key().public_numbers()
    result: dict[str, object] = {
        "kty": "RSA",
        "use": "sig",
        "n": b64(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        "e": b64(numbers.e.to_bytes(3, "big")),
    }
    if kid is not None:
        result["kid"] = kid
    result.update(extra)
    return result


def swap_payload(original: str, payload: dict[str, object]) -> str:
    header, _, signature = original.split(".")
    return f"{header}.{b64(json.dumps(payload).encode())}.{signature}"


def icbrt(value: int) -> int:
    low, high = 0, 1 << (value.bit_length() // 3 + 2)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if middle**3 <= value else (low, middle - 1)
    return low


def forge_e3_signature(message: bytes, size: int = 256) -> tuple[bytes, bytes]:
    """Bleichenbacher's 2006 forgery: a cube whose top bytes are 00 01 FF 00 DigestInfo(hash)
    followed by garbage. A verifier that parses the padding instead of comparing it accepts it."""
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420")
    prefix = b"\x00\x01\xff\x00" + digest_info + hashlib.sha256(message).digest()
    root = icbrt(int.from_bytes(prefix + b"\xff" * (size - len(prefix)), "big"))
    return root.to_bytes(size, "big"), prefix


# --- fixtures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keys:
    a: rsa.RSAPrivateKey
    b: rsa.RSAPrivateKey


@pytest.fixture(scope="module")
def keys() -> Keys:
    def generate() -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    return Keys(a=generate(), b=generate())


@dataclass
class JwksServer:
    url: str
    document: object = None
    status: int = 200
    location: str | None = None
    requests: int = 0


@pytest.fixture(scope="module")
def jwks_server() -> Iterator[JwksServer]:
    state = JwksServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
            state.requests += 1
            body = json.dumps(state.document).encode()
            self.send_response(state.status)
            if state.location is not None:
                self.send_header("Location", state.location)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def jwks(jwks_server: JwksServer, keys: Keys) -> JwksServer:
    jwks_server.document = {"keys": [jwk(keys.a, "key-a")]}
    jwks_server.status, jwks_server.location, jwks_server.requests = 200, None, 0
    return jwks_server


@dataclass
class Clock:
    now: float = NOW


@pytest.fixture
def clock() -> Clock:
    return Clock()


Loader = Callable[..., ModuleType]


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> Loader:
    """A freshly executed authorizer module (a reload: empty JWKS cache) under the given env;
    ``AUTH_ISSUER`` and ``AUTH_AUDIENCE`` are :data:`ISSUER` and :data:`AUDIENCE` unless given
    (``""``: unset)."""

    def _load(**env: str) -> ModuleType:
        for name in ENV_VARS:
            monkeypatch.delenv(name, raising=False)
        for name, value in {"AUTH_ISSUER": ISSUER, "AUTH_AUDIENCE": AUDIENCE, **env}.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("lambda_authorizer_index", INDEX)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, spec.name, module)
        monkeypatch.setattr(sys, "dont_write_bytecode", True)  # no __pycache__ in the asset
        spec.loader.exec_module(module)
        module._now = lambda: clock.now
        return module

    return _load


@pytest.fixture
def rs_authorizer(load: Loader, jwks: JwksServer) -> ModuleType:
    return load(AUTH_JWKS_URL=jwks.url, AUTH_ISSUER=ISSUER, AUTH_AUDIENCE=AUDIENCE)


@pytest.fixture
def hs_authorizer(load: Loader) -> ModuleType:
    return load(AUTH_HMAC_SECRET=SECRET, AUTH_ISSUER=ISSUER, AUTH_AUDIENCE=AUDIENCE)


def invoke(module: ModuleType, authorization: object) -> dict[str, Any]:
    event = copy.deepcopy(EVENT)
    event["authorizationToken"] = authorization
    result: dict[str, Any] = module.handler(event, None)
    return result


def deny(module: ModuleType, authorization: object, caplog: pytest.LogCaptureFixture) -> str:
    """Invoke, expect a plain denial, one log line naming the request and never the token."""
    caplog.clear()
    event = copy.deepcopy(EVENT)
    event["authorizationToken"] = authorization
    assert module.handler(event, None) == {"isAuthorized": False}
    records = [record for record in caplog.records if record.name == LOGGER]
    assert len(records) == 1, [record.getMessage() for record in records]
    message = records[0].getMessage()
    assert EVENT["requestContext"]["requestId"] in message
    if isinstance(authorization, str):
        for secret_part in [authorization, *authorization.split(".")]:
            assert len(secret_part) < 8 or secret_part not in caplog.text
    return message


# --- authorized ------------------------------------------------------------------------------


def test_rs256_token_checked_against_a_jwks_fetched_over_http(
    rs_authorizer: ModuleType, jwks: JwksServer, keys: Keys
) -> None:
    assert invoke(rs_authorizer, rs(keys.a)) == {
        "isAuthorized": True,
        "resolverContext": {
            "sub": "user-1",
            "username": "alice",
            "email": "alice@example.com",
            "groups": '["admin","dev"]',
        },
        "deniedFields": [],
        "ttlOverride": 600,
    }
    assert jwks.requests == 1


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_every_rsa_algorithm_is_accepted_with_a_jwks(
    rs_authorizer: ModuleType, keys: Keys, alg: str
) -> None:
    assert invoke(rs_authorizer, rs(keys.a, alg=alg))["isAuthorized"] is True


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_every_hmac_algorithm_is_accepted_with_a_secret(
    hs_authorizer: ModuleType, alg: str
) -> None:
    result = invoke(hs_authorizer, hs(alg=alg))
    assert result["isAuthorized"] is True
    assert result["resolverContext"]["sub"] == "user-1"
    assert result["ttlOverride"] == 600


def test_rfc7515_known_answer_vectors(
    load: Loader, jwks: JwksServer, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.now = 1300819380 - 100
    jwks.document = {"keys": [VECTORS["A.2"]["jwk"]]}  # a single key without a kid
    # The RFC's example tokens (issuer "joe") have no audience: the signature and the issuer
    # verify, then the audience, which is always required, refuses them.
    module = load(AUTH_JWKS_URL=jwks.url, AUTH_ISSUER="joe", AUTH_TOKEN_USE="none")
    reason = deny(module, VECTORS["A.2"]["token"], caplog)
    assert reason.startswith(f"denied: audience (aud) None is not one of ['{AUDIENCE}']")
    tampered = VECTORS["A.2"]["token"][:-4] + "AAAA"
    assert "RS256 signature does not verify" in deny(module, tampered, caplog)
    secret = base64.urlsafe_b64decode(VECTORS["A.1"]["jwk"]["k"] + "==")
    config = module.Config(hmac_secret=secret, issuer="joe", audiences=("x",), token_use="none")
    with pytest.raises(module.DeniedError, match=r"^audience \(aud\) None"):
        module.verify_token(VECTORS["A.1"]["token"], config, clock.now)
    with pytest.raises(module.DeniedError, match="HS256 signature does not verify"):
        module.verify_token(VECTORS["A.1"]["token"][:-4] + "AAAA", config, clock.now)


@pytest.mark.parametrize(
    "aud", [AUDIENCE, ["other", AUDIENCE]], ids=["string", "list-containing-it"]
)
def test_audience_as_string_or_list(hs_authorizer: ModuleType, aud: object) -> None:
    assert invoke(hs_authorizer, hs(claims(aud=aud)))["isAuthorized"] is True


def test_any_of_several_configured_audiences(load: Loader) -> None:
    module = load(AUTH_HMAC_SECRET=SECRET, AUTH_AUDIENCE="web, mobile")
    assert invoke(module, hs(claims(aud="mobile")))["isAuthorized"] is True
    assert invoke(module, hs(claims(aud=AUDIENCE))) == {"isAuthorized": False}


# --- finding 12: the issuer, the audience and the kind of token are always checked ----------


@pytest.mark.parametrize("unset", ["AUTH_ISSUER", "AUTH_AUDIENCE"])
def test_finding_12_issuer_and_audience_are_required(
    load: Loader, caplog: pytest.LogCaptureFixture, unset: str
) -> None:
    module = load(AUTH_HMAC_SECRET=SECRET, **{unset: ""})
    # Not even a token with neither claim (which an unchecked setting used to accept).
    for build in (hs(), hs(claims(iss=DROP, aud=DROP))):
        message = deny(module, build, caplog)
        assert message.startswith("authorizer misconfigured, denying every request:")
        assert f"{unset} must be set" in message


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        pytest.param(
            claims(token_use="access", aud=DROP, client_id=AUDIENCE),
            "token_use 'access' is not accepted; AUTH_TOKEN_USE=id takes only 'id'",
            id="cognito-access-token",
        ),
        pytest.param(
            claims(token_use="access"),
            "token_use 'access' is not accepted",
            id="access-token-with-aud",
        ),
        pytest.param(claims(token_use=DROP), "token_use None is not accepted", id="no-token-use"),
        pytest.param(claims(token_use="refresh"), "token_use 'refresh'", id="refresh"),
        pytest.param(claims(token_use=["id"]), "token_use ['id']", id="token-use-list"),
        pytest.param(claims(token_use="ID"), "token_use 'ID'", id="token-use-case"),
    ],
)
def test_finding_12_only_id_tokens_are_accepted_by_default(
    hs_authorizer: ModuleType,
    caplog: pytest.LogCaptureFixture,
    payload: dict[str, object],
    reason: str,
) -> None:
    assert invoke(hs_authorizer, hs(claims()))["isAuthorized"] is True
    assert reason in deny(hs_authorizer, hs(payload), caplog)


ACCESS = claims(token_use="access", aud=DROP, client_id=AUDIENCE)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        pytest.param(ACCESS, None, id="access-token"),
        pytest.param(claims(), "token_use 'id' is not accepted", id="id-token"),
        pytest.param(
            claims(token_use="access"), "audience (client_id) None", id="aud-instead-of-client-id"
        ),
        pytest.param({**ACCESS, "client_id": "client-2"}, "audience (client_id)", id="other"),
        pytest.param({**ACCESS, "client_id": [AUDIENCE]}, "audience (client_id)", id="list"),
        pytest.param({**ACCESS, "iss": "https://evil/"}, "issuer", id="other-issuer"),
    ],
)
def test_access_tokens_when_configured_check_client_id(
    load: Loader, caplog: pytest.LogCaptureFixture, payload: dict[str, object], reason: str | None
) -> None:
    # Cognito access tokens carry the app client id in client_id and have no aud.
    module = load(AUTH_HMAC_SECRET=SECRET, AUTH_TOKEN_USE="access")
    if reason is None:
        assert invoke(module, hs(payload))["isAuthorized"] is True
    else:
        assert reason in deny(module, hs(payload), caplog)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        pytest.param(claims(token_use=DROP), None, id="no-token-use"),
        pytest.param(claims(), "AUTH_TOKEN_USE=none takes tokens without one", id="id-token"),
        pytest.param(claims(token_use=DROP, aud="client-2"), "audience (aud)", id="other-aud"),
        pytest.param(claims(token_use=DROP, iss=DROP), "issuer None", id="no-issuer"),
    ],
)
def test_issuers_without_token_use(
    load: Loader, caplog: pytest.LogCaptureFixture, payload: dict[str, object], reason: str | None
) -> None:
    module = load(AUTH_HMAC_SECRET=SECRET, AUTH_TOKEN_USE="none")
    if reason is None:
        assert invoke(module, hs(payload))["isAuthorized"] is True
    else:
        assert reason in deny(module, hs(payload), caplog)


@pytest.mark.parametrize(
    ("changes", "ttl"),
    [
        pytest.param({"exp": NOW - 30}, 0, id="expired-within-leeway"),
        pytest.param({"nbf": NOW + 30}, 600, id="nbf-within-leeway"),
        pytest.param({"iat": NOW + 30}, 600, id="iat-within-leeway"),
        pytest.param({"exp": NOW + 90.9}, 90, id="fractional-exp"),
    ],
)
def test_leeway_accepts_small_clock_skew(
    hs_authorizer: ModuleType, changes: dict[str, object], ttl: int
) -> None:
    result = invoke(hs_authorizer, hs(claims(**changes)))
    assert result["isAuthorized"] is True
    assert result["ttlOverride"] == ttl


@pytest.mark.parametrize(
    ("env", "exp", "ttl"),
    [
        pytest.param({}, NOW + 7200, 3600, id="default-capped-at-3600"),
        pytest.param({}, NOW + 42, 42, id="default-until-expiry"),
        pytest.param({"AUTH_TTL_SECONDS": "30"}, NOW + 600, 30, id="configured"),
        pytest.param({"AUTH_TTL_SECONDS": "0"}, NOW + 600, 0, id="caching-off"),
        pytest.param({"AUTH_TTL_SECONDS": "3600"}, NOW + 100, 100, id="never-beyond-expiry"),
    ],
)
def test_ttl_override(load: Loader, env: dict[str, str], exp: int, ttl: int) -> None:
    module = load(AUTH_HMAC_SECRET=SECRET, **env)
    assert invoke(module, hs(claims(exp=exp)))["ttlOverride"] == ttl


def test_resolver_context_is_a_flat_string_map(load: Loader) -> None:
    module = load(
        AUTH_HMAC_SECRET=SECRET,
        AUTH_CONTEXT_CLAIMS=" sub, cognito:groups,tenant,level,admin,missing,nothing ,",
    )
    payload = claims(
        **{"cognito:groups": ["a", "b,c"], "tenant": {"id": "t-1"}, "level": 3, "admin": False},
        nothing=None,
    )
    assert invoke(module, hs(payload))["resolverContext"] == {
        "sub": "user-1",
        "cognito:groups": '["a","b,c"]',
        "tenant": '{"id":"t-1"}',
        "level": "3",
        "admin": "false",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            ["Post.secret", "Query.listUsers", "Post.secret"],
            ["Post.secret", "Query.listUsers"],
            id="list-deduplicated",
        ),
        pytest.param("Post.secret, User.email", ["Post.secret", "User.email"], id="csv-string"),
        pytest.param(
            ["arn:aws:appsync:us-east-1:111122223333:apis/abc123/types/Event/fields/comments"],
            ["arn:aws:appsync:us-east-1:111122223333:apis/abc123/types/Event/fields/comments"],
            id="field-arn",
        ),
        pytest.param([], [], id="empty"),
        pytest.param(DROP, [], id="claim-absent"),
    ],
)
def test_denied_fields_from_the_configured_claim(
    load: Loader, value: object, expected: list[str]
) -> None:
    module = load(AUTH_HMAC_SECRET=SECRET, AUTH_DENIED_FIELDS_CLAIM="denied")
    result = invoke(module, hs(claims(denied=value)))
    assert result["isAuthorized"] is True
    assert result["deniedFields"] == expected
    assert "denied" not in result["resolverContext"]


def test_finding_4_denied_fields_reach_the_resolvers_in_resolver_context(load: Loader) -> None:
    # AppSync only nulls deniedFields in responses; the resolvers read the list from
    # resolverContext.deniedFields to refuse filters, conditions and keys on those fields.
    api = EVENT["requestContext"]["apiId"]
    arn = "arn:aws:appsync:us-east-1:111122223333:apis/{}/types/Event/fields/{}"
    module = load(AUTH_HMAC_SECRET=SECRET, AUTH_DENIED_FIELDS_CLAIM="denied")
    denied = ["Post.secret", arn.format(api, "comments"), arn.format("another1", "notes")]
    result = invoke(module, hs(claims(denied=denied)))
    assert result["deniedFields"] == denied
    # This API's entries as Type.field, a JSON array (resolverContext holds strings).
    assert json.loads(result["resolverContext"]["deniedFields"]) == [
        "Post.secret",
        "Event.comments",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(DROP, {"sub": "user-1"}, id="absent"),
        pytest.param([], {"sub": "user-1"}, id="empty"),
        pytest.param(
            ["Post.secret"], {"sub": "user-1", "deniedFields": '["Post.secret"]'}, id="listed"
        ),
    ],
)
def test_a_claim_named_denied_fields_never_stands_for_the_list(
    load: Loader, value: object, expected: dict[str, str]
) -> None:
    # A token's own "deniedFields" claim, copied by AUTH_CONTEXT_CLAIMS, would tell the
    # resolvers something the authorizer did not decide: the authorizer's list replaces it.
    module = load(
        AUTH_HMAC_SECRET=SECRET,
        AUTH_DENIED_FIELDS_CLAIM="denied",
        AUTH_CONTEXT_CLAIMS="sub,deniedFields",
    )
    result = invoke(module, hs(claims(denied=value, deniedFields='["Post.title"]')))
    assert result["resolverContext"] == expected


@pytest.mark.parametrize(
    "value", [["Post"], ["Post.secret", 3], 7, {"Post": "secret"}, ["Post.secret;drop"]]
)
def test_a_malformed_denied_fields_claim_denies(
    load: Loader, caplog: pytest.LogCaptureFixture, value: object
) -> None:
    module = load(AUTH_HMAC_SECRET=SECRET, AUTH_DENIED_FIELDS_CLAIM="denied")
    assert "claim 'denied'" in deny(module, hs(claims(denied=value)), caplog)


@pytest.mark.parametrize("prefix", ["Bearer ", "bearer ", "BEARER  ", ""])
def test_token_prefix_is_stripped_when_present(load: Loader, prefix: str) -> None:
    module = load(AUTH_HMAC_SECRET=SECRET, AUTH_TOKEN_PREFIX="Bearer ")
    assert invoke(module, prefix + hs())["isAuthorized"] is True


def test_a_prefix_is_not_stripped_unless_configured(
    hs_authorizer: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    assert "header is not base64url" in deny(hs_authorizer, "Bearer " + hs(), caplog)


def test_a_token_without_kid_uses_the_only_key(
    load: Loader, jwks: JwksServer, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    module = load(AUTH_JWKS_URL=jwks.url)
    assert invoke(module, rs(keys.a, kid=None))["isAuthorized"] is True
    jwks.document = {"keys": [jwk(keys.a, "key-a"), jwk(keys.b, "key-b")]}
    module = load(AUTH_JWKS_URL=jwks.url)
    assert "no kid and the JWKS holds 2 keys" in deny(module, rs(keys.a, kid=None), caplog)


# --- denied: claims, signatures, algorithms --------------------------------------------------

RS_DENIALS = [
    pytest.param(lambda k: rs(k.a, claims(exp=NOW - 61)), "token expired", id="expired"),
    pytest.param(lambda k: rs(k.a, claims(nbf=NOW + 61)), "not valid before", id="not-yet-valid"),
    pytest.param(lambda k: rs(k.a, claims(iat=NOW + 61)), "issued in the future", id="iat-future"),
    pytest.param(lambda k: rs(k.a, claims(exp=DROP)), "no 'exp'", id="no-exp"),
    pytest.param(lambda k: rs(k.a, claims(exp="soon")), "'exp' is not a number", id="exp-text"),
    pytest.param(lambda k: rs(k.a, claims(nbf=True)), "'nbf' is not a number", id="nbf-bool"),
    pytest.param(
        lambda k: rs(k.a, json.dumps(claims(exp=DROP))[:-1].encode() + b', "exp": 1e400}'),
        "'exp' is not a number",
        id="exp-overflows-to-inf",
    ),
    pytest.param(
        lambda k: rs(k.a, claims(exp=10**400)), "'exp' is not a number", id="exp-huge-int"
    ),
    pytest.param(lambda k: rs(k.a, claims(iss="https://evil/")), "issuer", id="wrong-issuer"),
    pytest.param(lambda k: rs(k.a, claims(iss=DROP)), "issuer None", id="no-issuer"),
    pytest.param(lambda k: rs(k.a, claims(aud="client-2")), "audience", id="wrong-aud-string"),
    pytest.param(lambda k: rs(k.a, claims(aud=["x", "y"])), "audience", id="wrong-aud-list"),
    pytest.param(lambda k: rs(k.a, claims(aud=DROP)), "audience", id="no-aud"),
    pytest.param(lambda k: rs(k.a, claims(aud=[AUDIENCE[:-1]])), "audience", id="aud-prefix"),
    pytest.param(
        lambda k: swap_payload(rs(k.a), claims(sub="admin")),
        "RS256 signature does not verify",
        id="tampered-payload",
    ),
    pytest.param(lambda k: rs(k.b), "RS256 signature does not verify", id="wrong-key"),
    pytest.param(
        lambda k: rs(k.a, alg="RS384")[:-3] + "AAA", "signature does not verify", id="bad-sig"
    ),
    pytest.param(
        lambda k: rs(k.a).rsplit(".", 1)[0] + "." + b64(b"\x01" * 255),
        "signature does not verify",
        id="short-signature",
    ),
    pytest.param(
        lambda k: rs(k.a).rsplit(".", 1)[0] + "." + b64(b"\xff" * 256),
        "signature does not verify",
        id="signature-not-below-n",
    ),
    pytest.param(
        lambda k: token(None, claims(), alg="none", kid="key-a"),
        "alg 'none' is not accepted",
        id="alg-none",
    ),
    pytest.param(
        lambda k: token(None, claims(), alg="none", kid="key-a") + "AAAA",
        "alg 'none' is not accepted",
        id="alg-none-with-signature",
    ),
    pytest.param(
        lambda k: token(None, claims(), alg="None"), "alg 'None' is not accepted", id="alg-None"
    ),
    pytest.param(
        lambda k: token(
            k.a.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ),
            claims(),
            alg="HS256",
            kid="key-a",
        ),
        "alg 'HS256' is not accepted with AUTH_JWKS_URL",
        id="alg-confusion-hs-with-public-key",
    ),
    pytest.param(lambda k: rs(k.a, header={"alg": 256}), "alg 256", id="alg-not-text"),
    pytest.param(lambda k: rs(k.a, header={"alg": "ES256"}), "alg 'ES256'", id="alg-es256"),
    pytest.param(lambda k: rs(k.a, kid="key-z"), "no usable key for kid 'key-z'", id="unknown-kid"),
    pytest.param(lambda k: rs(k.a, header={"kid": 7}), "'kid' is not a string", id="kid-number"),
    pytest.param(lambda k: rs(k.a, header={"crit": ["b64"]}), "'crit'", id="crit-header"),
]


@pytest.mark.parametrize(("build", "reason"), RS_DENIALS)
def test_rs_denials(
    rs_authorizer: ModuleType,
    keys: Keys,
    caplog: pytest.LogCaptureFixture,
    build: Callable[[Keys], str],
    reason: str,
) -> None:
    assert reason in deny(rs_authorizer, build(keys), caplog)


HS_DENIALS = [
    pytest.param(lambda k: rs(k.a), "alg 'RS256' is not accepted with AUTH_HMAC_SECRET", id="rs"),
    pytest.param(lambda k: hs(secret=SECRET + "!"), "HS256 signature does not", id="wrong-secret"),
    pytest.param(
        lambda k: swap_payload(hs(), claims(groups=["root"])), "signature", id="tampered-payload"
    ),
    pytest.param(lambda k: hs(header={"alg": "HS384"}), "HS384 signature", id="alg-swapped"),
    pytest.param(lambda k: hs(claims(exp=NOW - 61)), "token expired", id="expired"),
    pytest.param(lambda k: hs(claims(aud=["a", "b"])), "audience", id="wrong-aud-list"),
    pytest.param(lambda k: token(None, claims(), alg="none"), "alg 'none'", id="alg-none"),
]


@pytest.mark.parametrize(("build", "reason"), HS_DENIALS)
def test_hs_denials(
    hs_authorizer: ModuleType,
    keys: Keys,
    caplog: pytest.LogCaptureFixture,
    build: Callable[[Keys], str],
    reason: str,
) -> None:
    assert reason in deny(hs_authorizer, build(keys), caplog)


# --- denied: malformed input -----------------------------------------------------------------

GOOD_HEADER = b64(b'{"alg":"HS256"}')
GOOD_PAYLOAD = b64(json.dumps(claims()).encode())

MALFORMED = [
    pytest.param("", "no authorizationToken", id="empty"),
    pytest.param("   ", "no authorizationToken", id="blank"),
    pytest.param(None, "no authorizationToken", id="missing"),
    pytest.param(12345, "no authorizationToken", id="number"),
    pytest.param("opaque-api-token", "1 dot-separated part(s)", id="one-part"),
    pytest.param(f"{GOOD_HEADER}.{GOOD_PAYLOAD}", "2 dot-separated part(s)", id="two-parts"),
    pytest.param(hs() + ".x", "4 dot-separated part(s)", id="four-parts"),
    pytest.param("a.b.c.d.e", "5 dot-separated part(s)", id="jwe-shaped"),
    pytest.param(f"{GOOD_HEADER}!.{GOOD_PAYLOAD}.AAAA", "header is not base64url", id="bad-char"),
    pytest.param(f"{GOOD_HEADER}=.{GOOD_PAYLOAD}.AAAA", "header is not base64url", id="padded"),
    pytest.param(f"e+J9.{GOOD_PAYLOAD}.AAAA", "header is not base64url", id="std-alphabet"),
    pytest.param(f"eyJ9A.{GOOD_PAYLOAD}.AAAA", "header is not base64url", id="bad-length"),
    pytest.param(f"e30B.{GOOD_PAYLOAD}.AAAA", "header is not JSON", id="trailing-garbage"),
    pytest.param(f"e31.{GOOD_PAYLOAD}.AAAA", "not canonical base64url", id="non-canonical"),
    pytest.param(f"{b64(b'{alg: HS256}')}.{GOOD_PAYLOAD}.AAAA", "header is not JSON", id="json"),
    pytest.param(f"{b64(b'[1]')}.{GOOD_PAYLOAD}.AAAA", "not a JSON object", id="header-list"),
    pytest.param(f"{b64(bytes([0xFF]))}.{GOOD_PAYLOAD}.AAAA", "not JSON", id="not-utf8"),
    pytest.param(f"{GOOD_HEADER}.{GOOD_PAYLOAD}.", "signature is not base64url", id="no-sig"),
    pytest.param(f"{GOOD_HEADER}.{GOOD_PAYLOAD}.*", "signature is not base64url", id="sig-char"),
    pytest.param(hs(b"{not json"), "payload is not JSON", id="payload-json"),
    pytest.param(hs(b"42"), "payload is not a JSON object", id="payload-number"),
    pytest.param(
        hs(b'{"exp": NaN}'), "payload: JSON holds the non-standard constant NaN", id="payload-nan"
    ),
    pytest.param(hs(b"[" * 5000 + b"]" * 5000), "payload is not JSON", id="payload-deep"),
    pytest.param(
        hs(f'{{"sub":"a","sub":"root","exp":{NOW + 60}}}'.encode()),
        "payload: JSON object repeats a member name",
        id="duplicate-claim",
    ),
    pytest.param(hs(claims(pad="x" * 20_000)), "longer than 16384", id="too-long"),
]


@pytest.mark.parametrize(("authorization", "reason"), MALFORMED)
def test_malformed_tokens_are_denied(
    hs_authorizer: ModuleType,
    caplog: pytest.LogCaptureFixture,
    authorization: object,
    reason: str,
) -> None:
    assert reason in deny(hs_authorizer, authorization, caplog)


@pytest.mark.parametrize("event", [None, [], "token", {}, {"requestContext": "x"}])
def test_malformed_events_are_denied_without_raising(
    hs_authorizer: ModuleType, event: object
) -> None:
    assert hs_authorizer.handler(event, None) == {"isAuthorized": False}


def test_an_unexpected_error_is_a_denial_logged_by_type_only(
    hs_authorizer: ModuleType, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("details that may quote the token")

    monkeypatch.setattr(hs_authorizer, "verify_token", explode)
    message = deny(hs_authorizer, hs(), caplog)
    assert "unexpected RuntimeError" in message
    assert "details" not in caplog.text


# --- RSA verification itself -----------------------------------------------------------------


def test_bleichenbacher_e3_forgery_is_rejected(
    load: Loader, jwks: JwksServer, caplog: pytest.LogCaptureFixture
) -> None:
    header = b64(json.dumps({"alg": "RS256", "kid": "weak"}).encode())
    signing_input = f"{header}.{b64(json.dumps(claims()).encode())}"
    signature, prefix = forge_e3_signature(signing_input.encode())
    n = 2**2048 - 1
    # The forged block does start with the right padding, DigestInfo and hash...
    assert pow(int.from_bytes(signature, "big"), 3, n).to_bytes(256, "big").startswith(prefix)
    module = load(AUTH_JWKS_URL=jwks.url)
    weak = module.RsaPublicKey(n=n, e=3)
    # ...but is not the exact EMSA-PKCS1-v1_5 block, so it is refused, directly and end to end.
    assert module.rsa_pkcs1v15_verify(weak, "RS256", signing_input.encode(), signature) is False
    jwks.document = {"keys": [{"kty": "RSA", "kid": "weak", "n": b64(n.to_bytes(256)), "e": "Aw"}]}
    forged = f"{signing_input}.{b64(signature)}"
    assert "signature does not verify" in deny(module, forged, caplog)


def test_rsa_verification_matches_cryptography(load: Loader, keys: Keys) -> None:
    module = load(AUTH_HMAC_SECRET=SECRET)
    numbers = keys.a.public_key().public_numbers()
    public = module.RsaPublicKey(n=numbers.n, e=numbers.e)
    for alg, hash_type in RSA_HASHES.items():
        signature = keys.a.sign(b"message", padding.PKCS1v15(), hash_type())
        assert module.rsa_pkcs1v15_verify(public, alg, b"message", signature) is True
        assert module.rsa_pkcs1v15_verify(public, alg, b"messagE", signature) is False
    pss = keys.a.sign(
        b"message",
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        hashes.SHA256(),
    )
    assert module.rsa_pkcs1v15_verify(public, "RS256", b"message", pss) is False


def test_parse_jwks_keeps_only_usable_rsa_signing_keys(load: Loader, keys: Keys) -> None:
    module = load(AUTH_HMAC_SECRET=SECRET)
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    document = {
        "keys": [
            jwk(keys.a, "good"),
            jwk(keys.b, "padded", n=jwk(keys.b, None)["n"] + "=="),
            jwk(keys.a, "enc", use="enc"),
            jwk(keys.a, "es", alg="ES256"),
            jwk(small, "small"),
            jwk(keys.a, "even-e", e="Ag"),
            {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"},
            {"kty": "RSA", "kid": "no-n", "e": "AQAB"},
            "not a key",
        ]
    }
    parsed = module.parse_jwks(json.dumps(document).encode())
    assert sorted(parsed) == ["good", "padded"]
    assert parsed["good"].n == keys.a.public_key().public_numbers().n


# --- the JWKS: fetch, cache, refetch ---------------------------------------------------------


def test_jwks_is_cached_until_its_ttl(
    load: Loader, jwks: JwksServer, keys: Keys, clock: Clock
) -> None:
    module = load(AUTH_JWKS_URL=jwks.url, AUTH_JWKS_CACHE_SECONDS="300")
    long_lived = rs(keys.a, claims(exp=NOW + 7200))
    for _ in range(3):
        assert invoke(module, long_lived)["isAuthorized"] is True
    assert jwks.requests == 1
    clock.now += 300
    assert invoke(module, long_lived)["isAuthorized"] is True
    assert jwks.requests == 2


def test_unknown_kid_refetches_once_then_waits_for_the_cooldown(
    load: Loader, jwks: JwksServer, keys: Keys, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    module = load(AUTH_JWKS_URL=jwks.url)
    assert invoke(module, rs(keys.a))["isAuthorized"] is True
    assert jwks.requests == 1
    jwks.document = {"keys": [jwk(keys.a, "key-a"), jwk(keys.b, "key-b")]}  # the IdP rotates
    assert invoke(module, rs(keys.b, kid="key-b"))["isAuthorized"] is True
    assert jwks.requests == 2
    assert invoke(module, rs(keys.b, kid="key-b"))["isAuthorized"] is True
    assert jwks.requests == 2
    assert "kid 'key-c'" in deny(module, rs(keys.b, kid="key-c"), caplog)
    assert jwks.requests == 2  # a stream of made-up kids cannot hammer the IdP
    clock.now += module.REFETCH_COOLDOWN_SECONDS
    assert "kid 'key-c'" in deny(module, rs(keys.b, kid="key-c"), caplog)
    assert jwks.requests == 3


def test_a_key_removed_from_the_jwks_stops_verifying(
    load: Loader, jwks: JwksServer, keys: Keys, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    module = load(AUTH_JWKS_URL=jwks.url, AUTH_JWKS_CACHE_SECONDS="60")
    assert invoke(module, rs(keys.a))["isAuthorized"] is True
    jwks.document = {"keys": [jwk(keys.b, "key-b")]}
    clock.now += 60
    assert "kid 'key-a'" in deny(module, rs(keys.a), caplog)


def test_a_jwk_alg_must_match_the_token_alg(
    load: Loader, jwks: JwksServer, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    jwks.document = {"keys": [jwk(keys.a, "key-a", alg="RS512")]}
    module = load(AUTH_JWKS_URL=jwks.url)
    assert invoke(module, rs(keys.a, alg="RS512"))["isAuthorized"] is True
    assert "is for RS512, the token says RS256" in deny(module, rs(keys.a), caplog)


@pytest.mark.parametrize(
    ("status", "location", "document", "reason"),
    [
        pytest.param(500, None, {"keys": []}, "HTTP Error 500", id="server-error"),
        pytest.param(302, "https://example.com/", {}, "HTTP Error 302", id="redirect"),
        pytest.param(200, None, ["not", "a", "jwks"], "JWKS is not a JSON object", id="list"),
        pytest.param(200, None, {"keys": "none"}, "no 'keys' list", id="no-keys"),
        pytest.param(200, None, {"keys": []}, "no usable key", id="empty"),
    ],
)
def test_an_unusable_jwks_denies(
    load: Loader,
    jwks: JwksServer,
    keys: Keys,
    caplog: pytest.LogCaptureFixture,
    status: int,
    location: str | None,
    document: object,
    reason: str,
) -> None:
    jwks.status, jwks.location, jwks.document = status, location, document
    module = load(AUTH_JWKS_URL=jwks.url)
    assert reason in deny(module, rs(keys.a), caplog)


def test_an_unreachable_jwks_denies(
    load: Loader, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    module = load(AUTH_JWKS_URL="http://127.0.0.1:9/jwks.json")
    assert "cannot fetch the JWKS from http://127.0.0.1:9/jwks.json" in deny(
        module, rs(keys.a), caplog
    )


# --- misconfiguration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        pytest.param({}, "exactly one of AUTH_JWKS_URL", id="neither"),
        pytest.param({"AUTH_HMAC_SECRET": "  "}, "got neither", id="blank-secret"),
        pytest.param(
            {"AUTH_HMAC_SECRET": SECRET, "AUTH_JWKS_URL": "https://idp.example.com/jwks"},
            "AUTH_HMAC_SECRET_ARN (HS256/HS384/HS512 tokens) must be set; got several",
            id="both",
        ),
        pytest.param({"AUTH_HMAC_SECRET": "short"}, "at least 32 bytes", id="short-secret"),
        pytest.param(
            {"AUTH_JWKS_URL": "http://idp.example.com/jwks"},
            "AUTH_JWKS_URL must be an https:// URL",
            id="plain-http",
        ),
        pytest.param({"AUTH_JWKS_URL": "jwks.json"}, "https:// URL", id="relative-url"),
        pytest.param(
            {"AUTH_HMAC_SECRET": SECRET, "AUTH_TOKEN_USE": "refresh"},
            "AUTH_TOKEN_USE must be one of id, access, none, got 'refresh'",
            id="token-use-unknown",
        ),
        pytest.param(
            {"AUTH_HMAC_SECRET": SECRET, "AUTH_LEEWAY_SECONDS": "1m"},
            "AUTH_LEEWAY_SECONDS must be a whole number",
            id="leeway-text",
        ),
        pytest.param(
            {"AUTH_HMAC_SECRET": SECRET, "AUTH_TTL_SECONDS": "3601"},
            "AUTH_TTL_SECONDS must be a whole number of seconds from 0 to 3600",
            id="ttl-too-big",
        ),
        pytest.param(
            {"AUTH_HMAC_SECRET": SECRET, "AUTH_TTL_SECONDS": "-1"}, "AUTH_TTL_SECONDS", id="ttl<0"
        ),
        pytest.param(
            {"AUTH_HMAC_SECRET": SECRET, "AUTH_JWKS_CACHE_SECONDS": "²"},
            "AUTH_JWKS_CACHE_SECONDS",
            id="unicode-digit",
        ),
    ],
)
def test_misconfiguration_denies_every_request(
    load: Loader, caplog: pytest.LogCaptureFixture, env: dict[str, str], reason: str
) -> None:
    module = load(**env)
    message = deny(module, hs(), caplog)
    assert message.startswith("authorizer misconfigured, denying every request:")
    assert reason in message
    assert caplog.records[-1].levelname == "ERROR"


def test_hmac_secret_from_secrets_manager(load: Loader, monkeypatch: pytest.MonkeyPatch) -> None:
    # The construct passes the secret's ARN, never the key itself, to the function.
    from moto import mock_aws

    for name, value in (
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
    ):
        monkeypatch.setenv(name, value)
    with mock_aws():
        import boto3

        arn = boto3.client("secretsmanager").create_secret(Name="k", SecretString=SECRET)["ARN"]
        module = load(AUTH_HMAC_SECRET_ARN=arn)
        assert invoke(module, hs())["isAuthorized"] is True
        missing = load(AUTH_HMAC_SECRET_ARN=arn.replace(":k-", ":missing-"))
        assert invoke(missing, hs()) == {"isAuthorized": False}


def test_configuration_is_read_per_invocation(
    load: Loader, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = load()
    assert invoke(module, hs()) == {"isAuthorized": False}
    monkeypatch.setenv("AUTH_HMAC_SECRET", SECRET)
    assert invoke(module, hs())["isAuthorized"] is True
