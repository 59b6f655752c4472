"""The local runtime under abuse: a resolver that never returns, a node host that dies or
hangs, and malformed HTTP requests. Each gets AppSync's error shape, and the runtime keeps
serving afterwards."""

from __future__ import annotations

import copy
import http.client
import json
import os
import signal
from typing import Any

import pytest
from aws_cdk.assertions import Template
from stacks import api_stack, pool_and_key, running

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.dynamodb.source import DynamoDataSource
from authorized_appsync.local.endpoints.graphql_server import MAX_BODY_BYTES, GraphQLServer
from authorized_appsync.local.identity.authenticator import Authenticator
from authorized_appsync.local.identity.issuer import LocalUserPool
from authorized_appsync.local.js.runner import HandlerCall, JsSession

KEY = "da2-robustnesskey"
SCHEMA = """type Post @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner }
]) { id: ID! content: String! }"""
LOOPING = """export function request(ctx) { for (;;) { } }
export function response(ctx) { return ctx.result; }
"""
GET = 'query { getPost(id: "p1") { id content } }'
LIST = "{ listPosts { items { id content owner } } }"
CREATE = 'mutation { createPost(input: {content: "still serving"}) { id content } }'
TIMED_OUT = {
    "path": ["getPost"],
    "data": None,
    "errorType": "ExecutionTimeout",
    "errorInfo": None,
    "message": "Execution timed out.",
}


def looping_get(template: dict[str, Any]) -> dict[str, Any]:
    """``template`` with Query.getPost's code replaced by a handler that never returns."""
    changed = copy.deepcopy(template)
    (resolver,) = [
        r
        for r in changed["Resources"].values()
        if r["Type"] == "AWS::AppSync::Resolver" and r["Properties"]["FieldName"] == "getPost"
    ]
    resolver["Properties"]["Code"] = LOOPING
    return changed


@pytest.fixture(scope="module")
def pool() -> LocalUserPool:
    return LocalUserPool()


@pytest.fixture(scope="module")
def local():
    template = Template.from_stack(api_stack("Robust", SCHEMA, api_key=True)).to_json()
    api = LocalAppSync.from_template(looping_get(template))
    api.resolver_timeout = 1.0
    with api:
        yield api


@pytest.fixture(scope="module")
def server(local: LocalAppSync, pool: LocalUserPool):
    authenticator = Authenticator(pool_and_key(KEY, pool.auth()))
    with running(GraphQLServer(local, authenticator, port=0)) as served:
        yield served


def request(
    server: GraphQLServer,
    body: bytes,
    *,
    method: str = "POST",
    path: str = "/graphql",
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=30)
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={"Content-Type": "application/json", **(headers or {"x-api-key": KEY})},
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def graphql(server: GraphQLServer, query: str, **kw: Any) -> tuple[int, dict[str, Any]]:
    status, raw = request(server, json.dumps({"query": query}).encode(), **kw)
    return status, json.loads(raw)


def assert_error_shape(raw: bytes) -> dict[str, Any]:
    """AppSync's body for a refused request: only ``errors``, each with a type and a
    message; never a Python traceback."""
    assert b"Traceback" not in raw
    body = json.loads(raw)
    assert set(body) == {"errors"}, body
    (error,) = body["errors"]
    assert isinstance(error["errorType"], str)
    assert isinstance(error["message"], str)
    assert error["errorType"]
    assert error["message"]
    return dict(error)


# ---- a resolver that never returns ------------------------------------------------------


def test_a_looping_resolver_times_out_in_process_and_the_runtime_keeps_serving(local):
    alice = local.user("alice")
    got = local.graphql(GET, auth=alice)
    assert got["data"] == {"getPost": None}
    (error,) = got["errors"]
    assert {k: v for k, v in error.items() if k != "locations"} == TIMED_OUT
    created = local.graphql(CREATE, auth=alice)
    assert "errors" not in created, created
    listed = local.graphql(LIST, auth=local.api_key())
    assert created["data"]["createPost"]["id"] in [
        p["id"] for p in listed["data"]["listPosts"]["items"]
    ]


def test_a_looping_resolver_times_out_over_http_and_the_server_keeps_serving(server, pool):
    token = {"Authorization": pool.id_token("bob")}
    status, body = graphql(server, GET, headers=token)
    assert status == 200
    assert body["data"] == {"getPost": None}
    assert body["errors"][0]["errorType"] == "ExecutionTimeout"
    assert body["errors"][0]["message"] == "Execution timed out."
    status, body = graphql(server, CREATE, headers=token)
    assert (status, body["data"]["createPost"]["content"]) == (200, "still serving"), body
    status, body = graphql(server, LIST)
    assert status == 200
    assert "still serving" in [p["content"] for p in body["data"]["listPosts"]["items"]]


# ---- the node host ------------------------------------------------------------------------


def call(code: str, handler: str = "request", **ctx: Any) -> HandlerCall:
    return HandlerCall(code, handler, ctx, "API_KEY", timeout_ms=2_000)


ECHO = "export function request(ctx) { return ctx.args.n; }\n"


def test_a_killed_node_host_is_started_again():
    with JsSession() as session:
        assert session.run(call(ECHO, arguments={"n": 1})).result == 1
        os.kill(session._process.pid, signal.SIGKILL)
        session._process.wait(timeout=10)
        assert session.run(call(ECHO, arguments={"n": 2})).result == 2
        assert session.restarts == 1


def test_a_wedged_node_host_times_out_and_is_replaced():
    with JsSession() as session:
        assert session.run(call(ECHO, arguments={"n": 1})).result == 1
        os.kill(session._process.pid, signal.SIGSTOP)
        stuck = session.run(call(ECHO, arguments={"n": 2}))
        assert stuck.timed_out
        assert stuck.error is not None
        assert "timed out" in stuck.error.message
        assert session.run(call(ECHO, arguments={"n": 3})).result == 3


def test_a_promise_job_that_loops_is_stopped():
    code = "export function request() { Promise.resolve().then(() => { for (;;) { } }); }\n"
    with JsSession() as session:
        assert session.run(call(code)).timed_out
        assert session.run(call(ECHO, arguments={"n": 4})).result == 4


def test_kept_contexts_give_every_call_its_own_utils_and_ctx():
    code = (
        "export function request(ctx) {\n"
        "  if (ctx.args.fail) { util.appendError('first call only'); }\n"
        "  ctx.stash.seen = ctx.args.n;\n"
        "  return [util.authType(), ctx.stash.before ?? null];\n"
        "}\n"
    )
    with JsSession() as session:
        first = session.run(call(code, arguments={"fail": True, "n": 1}))
        second = HandlerCall(code, "request", {"arguments": {"n": 2}}, "AWS_IAM")
        got = session.run(second)
    assert [e.message for e in first.errors] == ["first call only"]
    assert got.errors == ()
    assert got.result == ["IAM Authorization", None]
    assert got.stash == {"seen": 2}


def test_code_beyond_the_kept_contexts_is_loaded_again():
    codes = [f"export function request() {{ return {n}; }}\n" for n in range(4)]
    with JsSession(keep=2) as session:
        got = [session.run(call(codes[n % 4])).result for n in range(10)]
    assert got == [n % 4 for n in range(10)]


def test_code_that_does_not_load_fails_the_same_way_each_time():
    broken = "export function request() { return ; ) }\n"
    with JsSession() as session:
        errors = [session.run(call(broken)).error for _ in range(2)]
    assert errors[0] is not None
    assert errors[0].error_type == "Code"
    assert errors[0] == errors[1]


# ---- malformed HTTP requests -------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", "/nosuch", 404),
        ("POST", "/", 404),
        ("GET", "/graphql", 404),
        ("PUT", "/graphql", 501),
        ("DELETE", "/graphql", 501),
    ],
)
def test_wrong_paths_and_methods_get_the_error_shape(server, method, path, status):
    got, raw = request(
        server, b'{"query": "{ listPosts { items { id } } }"}', method=method, path=path
    )
    assert got == status
    assert_error_shape(raw)


@pytest.mark.parametrize(
    ("body", "error_type"),
    [
        (b"{not json", "MalformedHttpRequestException"),
        (b"\xff\xfe\x00garbage", "MalformedHttpRequestException"),
        (b"", "BadRequestException"),
        (b"[]", "BadRequestException"),
        (b'"a string"', "BadRequestException"),
        (b'{"query": 42}', "BadRequestException"),
        (b'{"query": "{ listPosts { items { id } } }", "variables": [1]}', "BadRequestException"),
    ],
)
def test_malformed_bodies_get_a_400_with_the_error_shape(server, body, error_type):
    status, raw = request(server, body)
    assert status == 400
    assert assert_error_shape(raw)["errorType"] == error_type


def test_an_oversized_body_is_refused_and_the_server_keeps_serving(server):
    status, raw = request(server, b" " * (MAX_BODY_BYTES + 1))
    assert status == 413
    assert assert_error_shape(raw)["errorType"] == "BadRequestException"
    assert graphql(server, LIST)[0] == 200


def test_unknown_fields_and_bad_syntax_are_validation_errors(server):
    for query in ("{ nosuch }", "{ listPosts { items { id } }"):
        status, body = graphql(server, query)
        assert status == 200
        assert body["data"] is None
        assert body["errors"][0]["errorType"] == "ValidationError"


def test_a_python_error_in_a_data_source_is_a_field_error_not_a_traceback(server, monkeypatch):
    def broken(self: DynamoDataSource, request_object: Any) -> Any:
        raise RuntimeError("the data source broke")

    monkeypatch.setattr(DynamoDataSource, "execute", broken)
    status, raw = request(server, json.dumps({"query": LIST}).encode())
    assert status == 200
    assert b"Traceback" not in raw
    body = json.loads(raw)
    assert body["data"] == {"listPosts": None}
    assert body["errors"][0]["path"] == ["listPosts"]
    assert "the data source broke" in body["errors"][0]["message"]
    monkeypatch.undo()
    assert graphql(server, LIST)[0] == 200


def test_a_python_error_outside_the_resolvers_is_a_500_in_shape(server, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("engine state")

    monkeypatch.setattr(LocalAppSync, "graphql", broken)
    status, raw = request(server, json.dumps({"query": LIST}).encode())
    assert status == 500
    error = assert_error_shape(raw)
    assert error["errorType"] == "InternalFailureException"
    assert "KeyError" in error["message"]
    monkeypatch.undo()
    assert graphql(server, LIST)[0] == 200
