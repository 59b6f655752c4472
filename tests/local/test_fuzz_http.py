"""A bounded fuzz of the local GraphQL endpoint: random methods, paths, headers and bodies
(raw bytes, JSON of any shape and depth, GraphQL requests with random queries, variables
and operation names) against a running ``GraphQLServer``. Every request gets an HTTP
answer: AppSync's status codes, AppSync's error shape whenever it is not a 200, never a
500, never a traceback (in the answer or on the server's standard error), and the server
answers an ordinary request afterwards.

Fixed seed (``derandomize``), no example database: every run sends the same requests.
"""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from stacks import api_stack, pool_and_key, running

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.endpoints.graphql_server import GraphQLServer
from authorized_appsync.local.identity.authenticator import Authenticator
from authorized_appsync.local.identity.issuer import LocalUserPool

KEY = "da2-fuzzhttpkey"
SCHEMA = """type Post @model @auth(rules: [{ allow: public }, { allow: owner }]) {
  content: String
  rank: Int @index(name: "byRank", queryField: "postsByRank")
}"""
STATUSES = {200, 400, 401, 403, 404, 408, 411, 413, 431, 501}
POOL = LocalUserPool()
LIST = "{ listPosts { items { id } } }"
QUERY_WORDS = (
    *"{ } ( ) : $ ! [ ] ... @ , =".split(),
    *"query mutation subscription fragment on listPosts getPost createPost updatePost".split(),
    *"deletePost postsByRank onCreatePost items id content rank owner nextToken".split(),
    *"input filter condition limit id: $id $x Int String ID __typename __schema".split(),
    '"x"',
    "1",
    "-1",
    "1e999",
    "null",
    "true",
    "@skip(if: true)",
    '"\\u0000"',
)


@pytest.fixture(scope="module")
def server():
    authenticator = Authenticator(pool_and_key(KEY, POOL.auth()))
    with (
        LocalAppSync.from_stack(api_stack("FuzzHttp", SCHEMA, api_key=True)) as local,
        running(GraphQLServer(local, authenticator, port=0, request_timeout=5)) as served,
    ):
        yield served


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
queries = st.lists(st.sampled_from(QUERY_WORDS), max_size=25).map(" ".join) | st.sampled_from(
    [
        LIST,
        "query A { listPosts { items { id } } } query B { getPost(id: 1) { id } }",
        "mutation($c: String) { createPost(input: {content: $c}) { id content } }",
        "{ postsByRank(rank: 1, limit: 2) { items { id } nextToken } }",
        "subscription { onCreatePost { id } }",
    ]
)
requests_ = st.fixed_dictionaries(
    {"query": queries | json_values},
    optional={"variables": json_values, "operationName": json_values | st.sampled_from("AB")},
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["request", "json", "bytes", "deep"]))
    if kind == "request":
        return json.dumps(draw(requests_)).encode()
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    depth = draw(st.integers(1, 20_000))
    opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    inner = (opening * depth + "1" + closing * depth).encode()
    return b'{"query": "{ listPosts { items { id } } }", "variables": {"v": ' + inner + b"}}"


header_values = st.sampled_from(
    [
        KEY,
        "da2-wrong",
        "",
        "a.b.c",
        "Bearer x",
        "AWS4-HMAC-SHA256 Credential=AKIA/20240101/us-east-1/appsync/aws4_request, "
        "SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 garbage",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "x" * 5000,
        "é",
    ]
) | st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
headers = st.dictionaries(
    st.sampled_from(
        ["x-api-key", "Authorization", "Content-Type", "X-Amz-Date", "X-Forwarded-For", "Origin"]
    ),
    header_values,
    max_size=4,
)


def send(
    server: GraphQLServer, method: str, path: str, head: dict[str, str], body: bytes
) -> tuple[int, bytes]:
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=30)
    try:
        connection.request(method, path, body=body, headers=head)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def check(status: int, method: str, raw: bytes) -> None:
    assert status in STATUSES, (status, raw[:300])
    assert b"Traceback" not in raw
    if method == "HEAD" or (method == "OPTIONS" and status == 200):
        return
    body = json.loads(raw)
    if status != 200:
        assert set(body) == {"errors"}, body
        (error,) = body["errors"]
        assert isinstance(error["errorType"], str)
        assert error["errorType"]
        assert isinstance(error["message"], str)
        assert error["message"]
    else:
        assert "data" in body or "errors" in body, body


DEEP = b'{"query": "{ listPosts { items { id } } }", "variables": {"v": ' + b"[" * 20_000


@example(method="POST", path="/graphql", head={"x-api-key": KEY}, body=b"[" * 20_000)
@example(method="POST", path="/graphql", head={"x-api-key": KEY}, body=DEEP)
@example(method="POST", path="/graphql", head={"x-api-key": KEY}, body=b'{"query": 1}')
@example(method="OPTIONS", path="/graphql", head={}, body=b"")
@given(
    method=st.sampled_from(["POST"] * 6 + ["GET", "PUT", "OPTIONS", "HEAD", "DELETE", "PATCH"]),
    path=st.sampled_from(["/graphql"] * 6 + ["/graphql?x=1", "/", "/graphql/", "/%00"]),
    head=headers,
    body=bodies(),
)
@settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_fuzz_the_endpoint_answers_everything_in_shape(
    server: Any, capfd: Any, method: str, path: str, head: dict[str, str], body: bytes
) -> None:
    status, raw = send(server, method, path, head, body)
    check(status, method, raw)
    # The server's threads print nothing either (this request's, or an earlier one's).
    assert "Traceback" not in capfd.readouterr().err


def test_the_endpoint_still_serves_after_the_fuzz(server):
    # Tests of a module run in order: this one follows the fuzz.
    request = json.dumps({"query": LIST}).encode()
    status, raw = send(server, "POST", "/graphql", {"x-api-key": KEY}, request)
    assert status == 200
    assert "errors" not in json.loads(raw)
