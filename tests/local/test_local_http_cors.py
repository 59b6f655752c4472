"""CORS over HTTP, as AppSync answers it, so a browser front end on another origin can use the
local endpoint: preflights from any origin are answered, and every response (errors too)
carries ``Access-Control-Allow-Origin: *`` and AppSync's exposed headers. A small model of
the browser's CORS checks (the Fetch standard's, for requests without credentials) judges
the answers; the WebSocket endpoint takes handshakes from any origin (WebSockets have no
preflight)."""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Mapping

import pytest
from stacks import api_stack, id_token, pool_and_key, pool_issuer, running
from websockets.sync.client import connect

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.endpoints.graphql_server import GraphQLServer
from authorized_appsync.local.endpoints.realtime import SUBPROTOCOL, RealtimeServer
from authorized_appsync.local.identity.authenticator import Authenticator

POOL = "us-east-1_corspool"
KEY = "da2-localcorskey"
SCHEMA = """type Post @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner }
]) { id: ID! content: String! }"""
ORIGIN = "http://localhost:5173"  # a front end's dev server
# What Amplify JS and gql's AppSync transports send (SigV4 adds the x-amz-* ones).
CLIENT_HEADERS = (
    "authorization,content-type,x-amz-date,x-amz-security-token,x-amz-user-agent,x-api-key"
)
SAFELISTED_METHODS = {"GET", "HEAD", "POST"}


@pytest.fixture(scope="module")
def served():
    issuer, pool = pool_issuer(POOL)
    authenticator = Authenticator(pool_and_key(KEY, pool))
    with (
        LocalAppSync.from_stack(api_stack("Cors", SCHEMA, api_key=True)) as local,
        running(GraphQLServer(local, authenticator, port=0)) as server,
        running(RealtimeServer(local, authenticator, port=0)) as realtime,
    ):
        yield server, realtime, issuer


def request(
    url: str, method: str, path: str, headers: Mapping[str, str], body: bytes = b""
) -> tuple[int, dict[str, str], bytes]:
    """One request; the response's status, headers (names lower-cased) and body."""
    host = url.split("/")[2]
    connection = http.client.HTTPConnection(host, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=dict(headers))
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def preflight(url: str, method: str = "POST", headers: str = CLIENT_HEADERS):
    return request(
        url,
        "OPTIONS",
        "/graphql",
        {
            "Origin": ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )


def browser_allows_preflight(
    status: int, answer: Mapping[str, str], method: str, headers: str
) -> bool:
    """The browser's CORS-preflight fetch: an ok status, the origin allowed, the method
    allowed or CORS-safelisted, and every requested header allowed."""
    origin = answer.get("access-control-allow-origin")
    methods = {m.strip().upper() for m in answer.get("access-control-allow-methods", "").split(",")}
    allowed = {h.strip().lower() for h in answer.get("access-control-allow-headers", "").split(",")}
    return (
        200 <= status < 300
        and origin in ("*", ORIGIN)
        and (method in SAFELISTED_METHODS or method in methods or "*" in methods)
        and all(h.strip().lower() in allowed for h in headers.split(",") if h.strip())
    )


def test_a_preflight_is_answered_as_appsync_answers_it(served):
    server, _, _ = served
    status, headers, body = preflight(server.url)
    assert status == 200
    assert body == b""
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-max-age"] == "172800"
    assert headers["access-control-expose-headers"] == (
        "x-amzn-RequestId,x-amzn-ErrorType,x-amz-user-agent,x-amzn-ErrorMessage,Date,"
        "x-amz-schema-version"
    )
    assert headers["access-control-allow-headers"] == CLIENT_HEADERS
    assert headers["x-amzn-requestid"]
    assert browser_allows_preflight(status, headers, "POST", CLIENT_HEADERS)


@pytest.mark.parametrize(
    "asked", ["content-type", "x-api-key,content-type", "authorization,baggage,sentry-trace"]
)
def test_any_origin_may_send_the_headers_it_asks_for(served, asked):
    server, _, _ = served
    status, headers, _ = preflight(server.url, headers=asked)
    assert browser_allows_preflight(status, headers, "POST", asked)


def test_a_preflight_without_requested_headers_allows_a_post(served):
    server, _, _ = served
    status, headers, _ = request(
        server.url,
        "OPTIONS",
        "/graphql",
        {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert status == 200
    assert "access-control-allow-headers" not in headers
    assert browser_allows_preflight(status, headers, "POST", "")


def test_only_post_is_offered(served):
    """AppSync serves POST only; a preflight for another method is not allowed by the browser."""
    server, _, _ = served
    status, headers, _ = preflight(server.url, method="PUT", headers="content-type")
    assert not browser_allows_preflight(status, headers, "PUT", "content-type")


def _post(url: str, headers: Mapping[str, str], query: str) -> tuple[int, dict[str, str], dict]:
    body = json.dumps({"query": query}).encode()
    status, answer, data = request(
        url,
        "POST",
        "/graphql",
        {"Origin": ORIGIN, "Content-Type": "application/json", **headers},
        body,
    )
    return status, answer, json.loads(data)


@pytest.mark.parametrize(
    ("credentials", "status"),
    [("key", 200), ("user", 200), ("none", 401), ("wrong key", 401)],
)
def test_every_response_lets_the_browser_read_it(served, credentials, status):
    server, _, issuer = served
    headers = {
        "key": {"x-api-key": KEY},
        "user": {"Authorization": id_token(issuer, "alice")},
        "none": {},
        "wrong key": {"x-api-key": "da2-wrong"},
    }[credentials]
    got, answer, body = _post(server.url, headers, "{ listPosts { items { id } } }")
    assert got == status, body
    assert answer["access-control-allow-origin"] == "*"
    exposed = {h.lower() for h in answer["access-control-expose-headers"].split(",")}
    assert {"x-amzn-requestid", "x-amzn-errortype"} <= exposed
    assert answer["x-amzn-requestid"]
    if status == 401:  # the error type a client reads is exposed
        assert answer["x-amzn-errortype"].startswith("UnauthorizedException")


def test_refusals_of_the_http_layer_carry_cors_too(served):
    server, _, _ = served
    for method, path in (("GET", "/graphql"), ("OPTIONS", "/other"), ("DELETE", "/graphql")):
        status, headers, _ = request(server.url, method, path, {"Origin": ORIGIN})
        assert status >= 400
        assert headers["access-control-allow-origin"] == "*", (method, path)


def test_the_realtime_endpoint_takes_a_handshake_from_any_origin(served):
    _, realtime, _ = served
    auth = {"host": "localhost", "x-api-key": KEY}
    header = base64.b64encode(json.dumps(auth).encode()).decode()
    url = f"{realtime.url}?header={header}&payload=e30="
    with connect(url, subprotocols=[SUBPROTOCOL], origin=ORIGIN, open_timeout=10) as socket:
        socket.send(json.dumps({"type": "connection_init"}))
        assert json.loads(socket.recv(timeout=10))["type"] == "connection_ack"
