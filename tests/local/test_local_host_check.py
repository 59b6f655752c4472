"""The ``Host`` header check of the local servers (finding 10 of the security review): the
guard against DNS rebinding. A page on a name the attacker controls, re-pointed at
127.0.0.1, calls the local server as its own origin; its requests carry that name in
``Host`` and are refused. Address literals and ``localhost`` are always answered."""

from __future__ import annotations

import http.client
import json

import pytest
from stacks import api_stack, pool_and_key, pool_issuer, running

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.endpoints.graphql_server import GraphQLServer
from authorized_appsync.local.endpoints.host_check import HostCheck, is_loopback
from authorized_appsync.local.identity.authenticator import Authenticator
from authorized_appsync.local.serve.run import exposure_warning

KEY = "da2-hostcheckkey"
SCHEMA = "type Post @model @auth(rules: [{ allow: public }]) { id: ID! text: String }"


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        ("127.0.0.1:4000", True),
        ("127.0.0.1", True),
        ("[::1]:4000", True),
        ("[::1]", True),
        ("192.168.1.20:4000", True),  # a page served from an address is that address
        ("localhost:4000", True),
        ("LOCALHOST", True),
        ("localhost.:4000", True),
        ("app.localhost:5173", True),
        ("dev.example.test:4000", True),  # given with --allow-host
        ("evil.example", False),
        ("evil.example:4000", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.evil.example", False),
        ("example.test", False),  # a parent of an allowed name is not it
        ("", False),
        (None, False),
        ("[::1", False),
    ],
)
def test_which_host_headers_a_loopback_server_answers(header, allowed):
    check = HostCheck.for_bind("127.0.0.1", ["dev.example.test"])
    assert check.allows(header) is allowed


def test_a_server_bound_to_a_name_answers_to_it():
    check = HostCheck.for_bind("devbox.internal")
    assert check.allows("devbox.internal:4000")
    assert check.allows("DEVBOX.INTERNAL.")
    assert not check.allows("other.internal")


def test_the_refusal_names_the_header_and_what_is_allowed():
    check = HostCheck.for_bind("127.0.0.1", ["dev.example.test"])
    assert check.refusal("evil.example:4000") == (
        "This local server refuses requests with Host 'evil.example:4000': it answers to IP "
        "addresses and dev.example.test, localhost only, a guard against DNS rebinding "
        "(serve: --allow-host NAME adds a name)."
    )


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("devbox.internal", False),
    ],
)
def test_finding_10_a_non_loopback_host_is_warned_about(host, loopback):
    assert is_loopback(host) is loopback
    warning = exposure_warning(host)
    if loopback:
        assert warning is None
    else:
        assert warning == (
            f"Warning: --host {host} is not a loopback address: anyone who can reach this "
            f"machine can call the API and sign up to its user pool; use --host 127.0.0.1 "
            f"unless that network is yours alone."
        )


@pytest.fixture(scope="module")
def server():
    _, pool = pool_issuer("us-east-1_hostpool")
    authenticator = Authenticator(pool_and_key(KEY, pool))
    stack = api_stack("HostCheck", SCHEMA, default_mode="API_KEY", user_pool=False, api_key=True)
    with (
        LocalAppSync.from_stack(stack) as local,
        running(GraphQLServer(local, authenticator, port=0)) as served,
    ):
        yield served


def call(server, method: str, host: str | None) -> tuple[int, dict[str, str], bytes]:
    address = server.url.split("/")[2]
    connection = http.client.HTTPConnection(address, timeout=30)
    body = json.dumps({"query": "{ listPosts { items { id } } }"}).encode()
    headers = {"x-api-key": KEY, "Content-Type": "application/json"}
    try:
        connection.putrequest(method, "/graphql", skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("method", ["POST", "OPTIONS", "GET"])
@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", None])
def test_finding_10_the_graphql_server_refuses_a_foreign_host(server, method, host):
    status, headers, body = call(server, method, host)
    assert status == 403
    assert headers["x-amzn-ErrorType"] == "ForbiddenException"
    (error,) = json.loads(body)["errors"]
    assert error["errorType"] == "ForbiddenException"
    assert "DNS rebinding" in error["message"]


def test_the_graphql_server_answers_its_own_names(server):
    port = server.url.split("/")[2].rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        status, _, body = call(server, "POST", host)
        assert status == 200, body
        assert "errors" not in json.loads(body)
