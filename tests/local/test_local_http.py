"""The local runtime over HTTP on 127.0.0.1: verified credentials, AppSync's status codes and
bodies, and seed 004's rules through real requests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from stacks import api_stack, id_token, pool_and_key, pool_issuer, running

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.endpoints.graphql_server import MAX_BODY_BYTES, GraphQLServer
from authorized_appsync.local.identity.authenticator import Authenticator

POOL = "us-east-1_localpool"
KEY = "da2-localtestkey"
SCHEMA = """type Post @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner, operations: [create, update, delete] }
]) { id: ID! content: String! }"""
CREATE = 'mutation { createPost(input: {content: "over http"}) { id content owner } }'
LIST = "{ listPosts { items { content owner } } }"


@pytest.fixture(scope="module")
def served():
    issuer, pool = pool_issuer(POOL)
    authenticator = Authenticator(pool_and_key(KEY, pool))
    with (
        LocalAppSync.from_stack(api_stack("Http", SCHEMA, api_key=True)) as local,
        running(GraphQLServer(local, authenticator, port=0)) as server,
    ):
        yield server, issuer


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], dict]:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def query(server, text: str, headers: dict[str, str]):
    return post(server.url, json.dumps({"query": text}).encode(), headers)


def test_signed_in_user_creates_and_api_key_reads(served):
    server, issuer = served
    status, _, body = query(server, CREATE, {"Authorization": id_token(issuer, "alice")})
    assert status == 200
    # The mutation's response (the subscription event) holds the owner as stored.
    assert body["data"]["createPost"]["owner"] == "sub-alice::alice", body
    status, _, body = query(server, LIST, {"x-api-key": KEY})
    assert status == 200
    assert {"content": "over http", "owner": "alice"} in body["data"]["listPosts"]["items"]


def test_api_key_may_not_write(served):
    server, _ = served
    status, _, body = query(server, CREATE, {"x-api-key": KEY})
    assert status == 200
    assert body["errors"][0]["message"] == "Not Authorized to access createPost on type Mutation"


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({}, 401, "Valid authorization header not provided."),
        ({"x-api-key": "da2-wrong"}, 401, "You are not authorized to make this call."),
    ],
)
def test_bad_credentials_are_refused_before_execution(served, headers, status, message):
    server, _ = served
    got, response_headers, body = query(server, LIST, headers)
    assert got == status
    assert body == {"errors": [{"errorType": "UnauthorizedException", "message": message}]}
    assert response_headers.get("x-amzn-ErrorType") == "UnauthorizedException"


def test_a_forged_token_is_refused(served):
    server, _ = served
    stranger, _ = pool_issuer(POOL)  # the pool's issuer, another key
    status, _, body = query(server, CREATE, {"Authorization": id_token(stranger, "mallory")})
    assert status == 401
    assert body["errors"][0]["errorType"] == "UnauthorizedException"


def test_malformed_requests_get_error_shapes_not_tracebacks(served):
    server, _ = served
    status, _, body = post(server.url, b"{not json", {"x-api-key": KEY})
    assert (status, body["errors"][0]["errorType"]) == (400, "MalformedHttpRequestException")
    status, _, body = post(server.url, b'{"variables": {}}', {"x-api-key": KEY})
    assert status == 400
    status, _, body = query(server, "{ nosuch }", {"x-api-key": KEY})
    assert status == 200
    assert body["errors"][0]["errorType"] == "ValidationError"
    status, _, body = post(server.url, b" " * (MAX_BODY_BYTES + 1), {"x-api-key": KEY})
    assert status == 413
    # ...and the server keeps serving.
    assert query(server, LIST, {"x-api-key": KEY})[0] == 200
