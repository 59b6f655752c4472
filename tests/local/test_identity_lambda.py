"""``AWS_LAMBDA``: the authorizer's event, its answer, caching by token, and the real default
authorizer (``lambda_authorizer/index.py``) run in-process (APPSYNC.md §2)."""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from authorized_appsync.local.identity.authenticator import (
    AuthConfig,
    Authenticator,
    AuthMode,
    Authorized,
    LambdaAuth,
    LambdaIdentity,
    Rejected,
)
from authorized_appsync.local.identity.issuer import b64url
from authorized_appsync.local.identity.lambda_auth import denied_field_names, lambda_event

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES: dict[str, Any] = json.loads((FIXTURES / "identity" / "appsync_examples.json").read_text())
API_ID = "GraphQLApiId"
NOW = 1_750_000_000.0
BODY = b'{"query":"query MyQuery { listEvents { items { id } } }","operationName":"MyQuery"}'
DENIED = Rejected(401, "UnauthorizedException", "You are not authorized to make this call.")
SECRET = "a local HMAC secret that is long enough, 42+"


class Authorizer:
    """A scripted Lambda authorizer: answers ``answer(event)`` and counts its calls."""

    def __init__(self, answer: Callable[[dict[str, object]], object]) -> None:
        self.answer = answer
        self.events: list[dict[str, object]] = []

    def __call__(self, event: dict[str, object]) -> object:
        self.events.append(event)
        return self.answer(event)


def authenticator(fn: Callable[[dict[str, object]], object], **options: Any) -> Authenticator:
    config = AuthConfig(
        default_mode=AuthMode.AWS_LAMBDA,
        lambda_authorizer=LambdaAuth(function=fn, **options),
        api_id=API_ID,
        account_id="111122223333",
    )
    return Authenticator(config)


def call(auth: Authenticator, token: str = "token-1", *, now: float = NOW) -> Authorized | Rejected:
    return auth.authenticate({"Authorization": token}, BODY, host="api.example.com", now=now)


def allow(**answer: object) -> Authorizer:
    return Authorizer(lambda _event: {"isAuthorized": True, **answer})


# --- the event ---------------------------------------------------------------------------------


def test_event_is_appsyncs() -> None:
    expected = json.loads((FIXTURES / "authorizer" / "event.json").read_text())
    body = json.dumps(
        {
            "query": expected["requestContext"]["queryString"],
            "operationName": "MyQuery",
            "variables": {},
        }
    ).encode()
    event = lambda_event(
        "ExampleAUTHtoken123123123",
        {"authorization": "ExampleAUTHtoken123123123", **expected["requestHeaders"]},
        body,
        api_id="aaaaaa123123123example123",
        account_id="111122223333",
        request_id="f4081827-1111-4444-5555-5cf4695f339f",
    )
    assert event == expected


def test_event_without_operation_name_or_variables() -> None:
    fn = allow()
    auth = authenticator(fn)
    auth.authenticate(
        {"Authorization": "t", "Content-Type": "application/json"},
        b'{"query":"{ a }"}',
        host="h",
        now=NOW,
    )
    event = fn.events[0]
    context = event["requestContext"]
    assert isinstance(context, dict)
    assert "operationName" not in context
    assert context["variables"] == {}
    assert context["queryString"] == "{ a }"
    assert context["apiId"] == API_ID
    assert event["requestHeaders"] == {"content-type": "application/json", "host": "h"}
    assert len(str(context["requestId"])) == 36  # a fresh UUID per request


# --- answers -----------------------------------------------------------------------------------


def test_allowed_with_resolver_context() -> None:
    result = call(authenticator(allow(resolverContext=EXAMPLES["AWS_LAMBDA"]["resolverContext"])))
    assert isinstance(result, Authorized)
    assert result.mode is AuthMode.AWS_LAMBDA
    assert result.auth_type == "Lambda Authorization"
    assert result.to_context() == EXAMPLES["AWS_LAMBDA"]
    assert result.denied_fields == frozenset()


def test_allowed_without_resolver_context() -> None:
    result = call(authenticator(allow()))
    assert result == Authorized(
        mode=AuthMode.AWS_LAMBDA, identity=LambdaIdentity(resolver_context={})
    )


def raise_error(_event: dict[str, object]) -> object:
    raise RuntimeError("the token database is down")


@pytest.mark.parametrize(
    "answer",
    [
        lambda _e: {"isAuthorized": False},
        lambda _e: {"isAuthorized": False, "resolverContext": {"a": "b"}},
        raise_error,
        lambda _e: None,
        lambda _e: "yes",
        lambda _e: {},
        lambda _e: {"isAuthorized": "true"},
        lambda _e: {"isAuthorized": 1},
        lambda _e: {"isAuthorized": True, "resolverContext": ["a"]},
        lambda _e: {"isAuthorized": True, "resolverContext": {"a": object()}},
        lambda _e: {"isAuthorized": True, "deniedFields": "Post.secret"},
        lambda _e: {"isAuthorized": True, "deniedFields": [1]},
        lambda _e: {"isAuthorized": True, "ttlOverride": "10"},
        lambda _e: {"isAuthorized": True, "ttlOverride": True},
        lambda _e: {"isAuthorized": True, "ttlOverride": 1.5},
    ],
)
def test_refusals_and_unusable_answers_are_401(
    answer: Callable[[dict[str, object]], object],
) -> None:
    result = call(authenticator(Authorizer(answer)))
    assert result == DENIED


def test_an_exception_is_not_cached_and_not_leaked() -> None:
    fn = Authorizer(raise_error)
    auth = authenticator(fn, result_ttl_seconds=300)
    first = call(auth)
    assert first == DENIED
    assert isinstance(first, Rejected)
    assert "database" not in first.message
    assert "database" in first.detail
    call(auth)
    assert len(fn.events) == 2


def test_a_timeout_is_401() -> None:
    release = threading.Event()

    def hang(_event: dict[str, object]) -> object:
        release.wait(5)
        return {"isAuthorized": True}

    started = time.monotonic()
    result = call(authenticator(hang, timeout_seconds=0.2))
    release.set()
    assert result == DENIED
    assert isinstance(result, Rejected)
    assert "did not answer within 0.2 s" in result.detail
    assert time.monotonic() - started < 2


# --- caching -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api_ttl", "answer", "cached_until"),
    [
        (0, {}, None),  # the API reference's default: nothing cached
        (300, {}, 300),
        (0, {"ttlOverride": 10}, 10),
        (300, {"ttlOverride": 10}, 10),
        (300, {"ttlOverride": 0}, None),  # 0 turns caching off for this answer
        (0, {"ttlOverride": 86_400}, 3600),  # at most 3600 s
        (0, {"ttlOverride": -5}, None),
    ],
)
def test_answers_are_cached_by_token(
    api_ttl: int, answer: dict[str, object], cached_until: int | None
) -> None:
    fn = allow(resolverContext={"n": "1"}, **answer)
    auth = authenticator(fn, result_ttl_seconds=api_ttl)
    assert isinstance(call(auth), Authorized)
    if cached_until is None:
        call(auth, now=NOW + 0.5)
        assert len(fn.events) == 2
        return
    cached = call(auth, now=NOW + cached_until - 1)
    assert len(fn.events) == 1
    assert cached == call(auth)
    call(auth, "another-token", now=NOW + 1)  # the cache is by token
    assert len(fn.events) == 2
    call(auth, now=NOW + cached_until)
    assert len(fn.events) == 3


def test_denials_are_cached_too() -> None:
    fn = Authorizer(lambda _e: {"isAuthorized": False, "ttlOverride": 60})
    auth = authenticator(fn)
    assert call(auth) == DENIED
    assert call(auth, now=NOW + 59) == DENIED
    assert len(fn.events) == 1
    auth.lambda_runner.clear_cache()
    call(auth, now=NOW + 1)
    assert len(fn.events) == 2


# --- denied fields and the validation expression ----------------------------------------------


def test_denied_fields_in_both_forms() -> None:
    fields = [
        f"arn:aws:appsync:us-east-1:111122223333:apis/{API_ID}/types/Event/fields/comments",
        "Mutation.createEvent",
        "arn:aws:appsync:us-east-1:111122223333:apis/AnotherApi/types/Event/fields/secret",
        "not a field",
        "Event.",
    ]
    result = call(authenticator(allow(deniedFields=fields)))
    assert isinstance(result, Authorized)
    assert result.denied_fields == {"Event.comments", "Mutation.createEvent"}
    assert denied_field_names(fields, "AnotherApi") == {"Event.secret", "Mutation.createEvent"}


@pytest.mark.parametrize(
    ("token", "called"),
    [
        ("Token-1234", True),
        ("Token-12345", False),  # the expression must match the whole token
        ("xToken-1234", False),
        ("token-1234", False),
    ],
)
def test_identity_validation_expression(token: str, called: bool) -> None:
    fn = allow()
    result = call(authenticator(fn, identity_validation_expression=r"Token-\d{4}"), token)
    assert isinstance(result, Authorized) is called
    assert len(fn.events) == int(called)
    if not called:
        assert result == DENIED


# --- the real default authorizer ---------------------------------------------------------------


@pytest.fixture
def default_authorizer(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """``lambda_authorizer/index.py`` loaded by path, configured with an HMAC secret."""
    for name in (
        "AUTH_JWKS_URL",
        "AUTH_HMAC_SECRET_ARN",
        "AUTH_ISSUER",
        "AUTH_AUDIENCE",
        "AUTH_TTL_SECONDS",
        "AUTH_TOKEN_USE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUTH_HMAC_SECRET", SECRET)
    monkeypatch.setenv("AUTH_ISSUER", "https://auth.example.com/")
    monkeypatch.setenv("AUTH_AUDIENCE", "web-client")
    monkeypatch.setenv("AUTH_DENIED_FIELDS_CLAIM", "denied")
    monkeypatch.setenv("AUTH_TOKEN_PREFIX", "Bearer ")
    spec = importlib.util.spec_from_file_location(
        "_default_authorizer", ROOT / "lambda_authorizer" / "index.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look themselves up
    spec.loader.exec_module(module)
    return module


def hs256(claims: dict[str, object], secret: str = SECRET) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    mac = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(mac)}"


def claims(**changes: object) -> dict[str, object]:
    now = int(time.time())
    base: dict[str, object] = {
        "iss": "https://auth.example.com/",
        "aud": "web-client",
        "token_use": "id",
        "sub": "u-1",
        "username": "alice",
        "groups": ["admin", "dev"],
        "denied": ["Event.comments"],
        "iat": now,
        "exp": now + 600,
    }
    base.update(changes)
    return base


def test_default_authorizer_allows_a_valid_token(default_authorizer: ModuleType) -> None:
    calls: list[dict[str, object]] = []

    def function(event: dict[str, object]) -> object:
        calls.append(event)
        return default_authorizer.handler(event, None)

    auth = authenticator(function)
    token = hs256(claims())
    result = auth.authenticate({"Authorization": token}, BODY, host="h")
    assert isinstance(result, Authorized), result
    assert result.to_context() == {
        "resolverContext": {
            "sub": "u-1",
            "username": "alice",
            "groups": '["admin","dev"]',
            # For the resolvers, which never see deniedFields (questions about them).
            "deniedFields": '["Event.comments"]',
        }
    }
    assert result.denied_fields == {"Event.comments"}
    # Its ttlOverride (the token's remaining life, at most 3600 s) caches the answer.
    assert isinstance(auth.authenticate({"Authorization": token}, BODY, host="h"), Authorized)
    assert len(calls) == 1
    # AppSync passes "Bearer <jwt>" through untouched; this authorizer strips the prefix.
    assert isinstance(
        auth.authenticate({"Authorization": f"Bearer {token}"}, BODY, host="h"), Authorized
    )
    assert calls[-1]["authorizationToken"] == f"Bearer {token}"


@pytest.mark.parametrize(
    "token",
    [
        lambda: hs256(claims(), secret="another secret that is also long enough!!"),
        lambda: hs256(claims(exp=int(time.time()) - 120)),
        lambda: hs256(claims(iss="https://elsewhere.example.com/")),
        lambda: hs256(claims(aud="another-client")),
        lambda: hs256(claims(token_use="access")),
        lambda: "not-a-token",
    ],
)
def test_default_authorizer_denies(
    default_authorizer: ModuleType, token: Callable[[], str]
) -> None:
    auth = authenticator(lambda event: default_authorizer.handler(event, None))
    assert auth.authenticate({"Authorization": token()}, BODY, host="h") == DENIED
