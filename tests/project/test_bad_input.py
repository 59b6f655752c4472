"""Bad input, table-driven, across the three places a user's mistakes land: the schema
compiler (``authorized-appsync check``), the construct (``AuthorizedGraphqlApi``'s
properties: ``ConfigurationError``) and the local runtime (requests over HTTP and over the
real-time WebSocket). Each case asserts a clear sentence (it names the thing and what is
allowed) and no traceback: for the command line, an exit status and no "Traceback" on
standard error; for the construct, a ``ConfigurationError`` naming its path; for HTTP,
AppSync's error shape with a 4xx status (or a GraphQL error in a 200, where AppSync puts
it), never a traceback.
"""

from __future__ import annotations

import base64
import io
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from websockets.sync.client import connect

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    ConfigurationError,
    IamConfig,
    IdentityPoolConfig,
    LambdaConfig,
    OidcConfig,
    UserPoolConfig,
)
from authorized_appsync.cli import main
from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.endpoints.graphql_server import GraphQLServer
from authorized_appsync.local.endpoints.realtime import RealtimeServer
from authorized_appsync.local.identity.authenticator import AuthConfig, Authenticator, AuthMode
from authorized_appsync.local.identity.config import ApiKeyAuth
from authorized_appsync.local.identity.issuer import LocalUserPool, b64url

PUBLIC = "@auth(rules: [{ allow: public }])"


# -- the schema compiler ------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """``sdl`` gives the problem ``says`` at ``at`` (``line:column``)."""

    id: str
    sdl: str
    at: str
    says: str


SCHEMAS = [
    Bad("syntax", "type Todo @model { content: String ", "1:36", "GraphQL syntax error"),
    Bad(
        "strategy",
        "type T @model @auth(rules: [{ allow: everyone }]) { a: Int }",
        "1:38",
        "strategies are 'public', 'private', 'owner', 'groups' or 'custom'",
    ),
    Bad(
        "provider",
        "type T @model @auth(rules: [{ allow: owner, provider: apiKey }]) { a: Int }",
        "1:55",
        "'owner' rules accept 'userPools' or 'oidc'",
    ),
    Bad(
        "groups",
        "type T @model @auth(rules: [{ allow: groups }]) { a: Int }",
        "1:29",
        "names no groups",
    ),
    Bad(
        "rules-object",
        "type T @model @auth(rules: { allow: owner }) { a: Int }",
        "1:28",
        "must be a list of rule objects",
    ),
    Bad(
        "operation",
        "type T @model @auth(rules: [{ allow: owner, operations: [reed] }]) { a: Int }",
        "1:58",
        "Did you mean 'read'?",
    ),
    Bad("directive", "type T @model @modle { a: Int }", "1:15", "Did you mean '@model'?"),
    Bad("v1-key", 'type T @model @key(fields: ["id"]) { id: ID! }', "1:15", "transformer v1"),
    Bad(
        "owner-is-key",
        'type T @model @auth(rules: [{ allow: owner, ownerField: "id" }]) { id: ID! }',
        "1:57",
        "is the primary key",
    ),
    Bad("nullable-key", "type T @model { name: String @primaryKey }", "1:17", "must be non-null"),
    Bad("default", 'type T @model { n: Int @default(value: "many") }', "1:40", "not a valid Int"),
    Bad("unknown-type", "type T @model { a: Strng }", "1:17", "Did you mean 'String'?"),
    # What the generated AppSync schema cannot carry (found by tests/test_fuzz_sdl.py).
    Bad(
        "union-field",
        f"type T @model {PUBLIC} {{ u: U }} union U = T",
        "1:51",
        "unions and interfaces are not supported yet",
    ),
    Bad(
        "interface-field",
        f"type T @model {PUBLIC} {{ n: N }} interface N {{ id: ID! }}",
        "1:51",
        "which is an interface",
    ),
    Bad(
        "custom-scalar",
        f"type T @model {PUBLIC} {{ f: Upload }} scalar Upload",
        "1:51",
        "AppSync has no custom scalars",
    ),
    Bad(
        "input-argument",
        f"type T @model {PUBLIC} {{ a: Int }} input F {{ a: Int }} "
        "type Query { find(by: F): Int }",
        "1:92",
        "inputs are not generated",
    ),
    Bad(
        "unknown-argument-type",
        f"type T @model {PUBLIC} {{ a: Int }} type Query {{ f(x: Nope): Int }}",
        "1:73",
        "Argument 'x' of field 'Query.f' has unknown type 'Nope'",
    ),
    Bad(
        "object-argument",
        f"type T @model {PUBLIC} {{ a: Int }} type Query {{ f(t: T): Int }}",
        "1:73",
        "arguments take scalars and enums",
    ),
    Bad(
        "empty-type",
        f"type T @model {PUBLIC} {{ a: Int }} type Bare",
        "1:60",
        "Type 'Bare' has no fields",
    ),
    Bad(
        "empty-enum",
        f"type T @model {PUBLIC} {{ a: Int }} enum Level",
        "1:60",
        "Enum 'Level' has no values",
    ),
    Bad(
        "timestamp-name",
        'type T @model(timestamps: { createdAt: "made at" }) { a: Int }',
        "1:40",
        "must be a field name",
    ),
    Bad(
        "timestamps-twice",
        'type T @model(timestamps: { createdAt: "at", updatedAt: "at" }) { a: Int }',
        "1:27",
        "names 'at' for both createdAt and updatedAt",
    ),
    Bad(
        "query-field-list",
        f'type Todo @model {PUBLIC} {{ c: String @index(name: "byC", ' 'queryField: "listTodos") }',
        "1:96",
        "clashes with the generated query 'listTodos'",
    ),
    Bad(
        "root-field-generated",
        f"type Todo @model {PUBLIC} {{ c: String }} type Query {{ listTodos: Int }}",
        "1:79",
        "has the name of the operation generated for the model 'Todo'",
    ),
    Bad(
        "mutation-generated",
        f"type Todo @model {PUBLIC} {{ c: String }} " "type Mutation { deleteTodo(id: ID): Int }",
        "1:82",
        "@model(mutations: null)",
    ),
    Bad(
        "generated-type",
        f"type Todo @model {PUBLIC} {{ c: String }} type ModelTodoConnection {{ n: Int }}",
        "1:66",
        "takes a name the generated API uses for the model 'Todo'",
    ),
    Bad(
        "generated-enum",
        f"type Todo @model {PUBLIC} {{ c: String }} enum ModelSortDirection {{ UP }}",
        "1:66",
        "the models' shared inputs",
    ),
    Bad(
        "generated-input-of-type",
        f"type Todo @model {PUBLIC} {{ a: Address }} type Address {{ s: String }} "
        "type AddressInput { s: String }",
        "1:94",
        "inputs of the type 'Address'",
    ),
    Bad(
        "models-same-operations",
        f"type todo @model {PUBLIC} {{ c: String }} " f"type Todo @model {PUBLIC} {{ c: String }}",
        "1:66",
        "Models 'todo' and 'Todo'",
    ),
    Bad(
        "no-query",
        f"type T @model(queries: null) {PUBLIC} {{ a: Int }}",
        "1:1",
        "The API has no query",
    ),
    Bad(
        "operation-in-schema",
        f"type T @model {PUBLIC} {{ a: Int }} query {{ listTs {{ items {{ a }} }} }}",
        "1:60",
        "This is an operation, which clients send",
    ),
    Bad(
        "root-renamed",
        f"schema {{ query: T }} type T @model {PUBLIC} {{ a: Int }}",
        "1:10",
        "Name the type 'Query'",
    ),
]


@pytest.mark.parametrize("case", SCHEMAS, ids=lambda case: case.id)
def test_a_bad_schema_is_a_located_sentence(case: Bad, tmp_path: Path) -> None:
    path = tmp_path / "schema.graphql"
    path.write_text(case.sdl)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(path)], out=out, err=err) == 1
    printed = err.getvalue()
    lines = [line for line in printed.splitlines() if line.startswith(f"{path}:{case.at}: ")]
    assert any(case.says in line for line in lines), printed
    assert printed.rstrip().endswith("found.")
    assert "Traceback" not in printed
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda d: d / "missing.graphql", "does not exist; give a .graphql file"),
        (lambda d: d, "holds no .graphql file"),
        (
            lambda d: _write(d / "latin1.graphql", "type T @model { é: Int }".encode("latin-1")),
            "is not UTF-8 text (byte 0xe9 at offset 16); save it as UTF-8.",
        ),
    ],
    ids=["missing", "empty-directory", "not-utf8"],
)
def test_a_bad_schema_path_is_a_sentence(make: Callable[[Path], Path], says: str, tmp_path) -> None:
    err = io.StringIO()
    assert main(["check", str(make(tmp_path))], out=io.StringIO(), err=err) == 2
    assert says in err.getvalue()
    assert err.getvalue().startswith("authorized-appsync check: ")


def test_the_command_prints_no_traceback(tmp_path: Path) -> None:
    # The installed command itself, on a schema nested deeper than Python's recursion limit.
    path = _write(
        tmp_path / "deep.graphql",
        ("type T @model { a: " + "[" * 5000 + "Int" + "]" * 5000 + " }").encode(),
    )
    done = subprocess.run(
        [sys.executable, "-m", "authorized_appsync.cli", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert f"{path}:1:" in done.stderr
    assert "nested too deeply" in done.stderr
    assert "Traceback" not in done.stderr


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- the construct ------------------------------------------------------------------------

GOOD_SDL = f"type Todo @model {PUBLIC} {{ content: String }}"


def _key() -> AuthorizationModes:
    return AuthorizationModes(api_key_config=ApiKeyConfig())


def _role(stack: Stack, name: str) -> iam.Role:
    return iam.Role(stack, name, assumed_by=iam.AccountRootPrincipal())


# Each: the properties (built in a fresh stack), and what the one problem says.
CONSTRUCTS: list[tuple[str, Callable[[Stack], dict[str, Any]], str]] = [
    ("definition-str", lambda s: {"definition": GOOD_SDL}, "definition is 'type Todo"),
    (
        "definition-none",
        lambda s: {"definition": None},
        "definition is None; give an ApiDefinition",
    ),
    (
        "modes-dict",
        lambda s: {"authorization_modes": {"api_key_config": ApiKeyConfig()}},
        "authorization_modes is {'api_key_config'",
    ),
    (
        "modes-none",
        lambda s: {"authorization_modes": None},
        "authorization_modes is None; give AuthorizationModes(...)",
    ),
    (
        "expires-int",
        lambda s: {
            "authorization_modes": AuthorizationModes(api_key_config=ApiKeyConfig(expires=7))
        },  # type: ignore[arg-type]
        "api_key_config.expires is 7 (an int); give a Duration",
    ),
    (
        "expires-400-days",
        lambda s: {
            "authorization_modes": AuthorizationModes(
                api_key_config=ApiKeyConfig(expires=Duration.days(400))
            )
        },
        "api_key_config.expires is 400 days; AppSync accepts API keys valid for 1 to 365 days.",
    ),
    (
        "user-pool-none",
        lambda s: {
            "definition": ApiDefinition.from_string(
                "type T @model @auth(rules: [{ allow: owner }]) { a: Int }"
            ),
            "authorization_modes": AuthorizationModes(
                user_pool_config=UserPoolConfig(user_pool=None)
            ),
        },  # type: ignore[arg-type]
        "user_pool_config.user_pool is None; give a Cognito user pool (IUserPool).",
    ),
    (
        "oidc-issuer-empty",
        lambda s: {
            "definition": ApiDefinition.from_string(
                "type T @model @auth(rules: [{ allow: private, provider: oidc }]) { a: Int }"
            ),
            "authorization_modes": AuthorizationModes(
                oidc_config=OidcConfig(oidc_provider_name="Idp", oidc_issuer_url=" ")
            ),
        },
        "oidc_config.oidc_issuer_url is ' ' (a str); give a non-empty string.",
    ),
    (
        "lambda-function-none",
        lambda s: {
            "definition": ApiDefinition.from_string(
                "type T @model @auth(rules: [{ allow: custom }]) { a: Int }"
            ),
            "authorization_modes": AuthorizationModes(lambda_config=LambdaConfig(function=None)),
        },  # type: ignore[arg-type]
        "lambda_config.function is None; give a Lambda function (IFunction).",
    ),
    (
        "lambda-ttl",
        lambda s: {
            "definition": ApiDefinition.from_string(
                "type T @model @auth(rules: [{ allow: custom }]) { a: Int }"
            ),
            "authorization_modes": AuthorizationModes(
                lambda_config=LambdaConfig(function=_function(s), ttl=Duration.hours(2))
            ),
        },
        "lambda_config.ttl is 7200 s; AppSync caches authorizer answers 0 to 3600 s.",
    ),
    (
        "pool-id-empty",
        lambda s: {
            "definition": ApiDefinition.from_string(
                "type T @model @auth(rules: [{ allow: private, provider: iam }]) { a: Int }"
            ),
            "authorization_modes": AuthorizationModes(
                identity_pool_config=IdentityPoolConfig(
                    identity_pool_id="", authenticated_user_role=_role(s, "SignedIn")
                )
            ),
        },
        "identity_pool_config.identity_pool_id is '' (a str); give a non-empty string.",
    ),
    (
        "pool-role-name",
        lambda s: {
            "definition": ApiDefinition.from_string(
                "type T @model @auth(rules: [{ allow: private, provider: iam }]) { a: Int }"
            ),
            "authorization_modes": AuthorizationModes(
                identity_pool_config=IdentityPoolConfig(
                    identity_pool_id="us-east-1:x", authenticated_user_role="SignedIn"
                )
            ),
        },  # type: ignore[arg-type]
        "authenticated_user_role is 'SignedIn' (a str); give an IAM role (IRole).",
    ),
    (
        "iam-flag-str",
        lambda s: {
            "authorization_modes": AuthorizationModes(
                api_key_config=ApiKeyConfig(),
                iam_config=IamConfig(enable_iam_authorization_mode="yes"),
            )
        },  # type: ignore[arg-type]
        "iam_config.enable_iam_authorization_mode is 'yes' (a str); give True or False.",
    ),
    (
        "admin-roles-str",
        lambda s: {
            "authorization_modes": AuthorizationModes(
                api_key_config=ApiKeyConfig(),
                default_authorization_mode="API_KEY",
                admin_roles="Admin",
            )
        },  # type: ignore[arg-type]
        "admin_roles is 'Admin' (a str); give a list of roles",
    ),
    (
        "admin-role-int",
        lambda s: {
            "authorization_modes": AuthorizationModes(
                api_key_config=ApiKeyConfig(), default_authorization_mode="API_KEY", admin_roles=[5]
            )
        },  # type: ignore[list-item]
        "admin_roles[0] is 5 (an int); give an IAM role",
    ),
    (
        "admin-user-arn",
        lambda s: {
            "authorization_modes": AuthorizationModes(
                api_key_config=ApiKeyConfig(),
                default_authorization_mode="API_KEY",
                admin_roles=["arn:aws:iam::123456789012:user/Admin"],
            )
        },
        "is an IAM user; admin roles are IAM roles",
    ),
    ("model-stacks-str", lambda s: {"model_stacks": "2"}, "model_stacks is '2'; give 0"),
    (
        "sandbox-str",
        lambda s: {"sandbox_mode_enabled": "true"},
        "sandbox_mode_enabled is 'true' (a str); give True or False.",
    ),
    (
        "removal-str",
        lambda s: {"removal_policy": "destroy"},
        "removal_policy is 'destroy' (a str); give a RemovalPolicy",
    ),
    ("api-name-int", lambda s: {"api_name": 7}, "api_name is 7 (an int); give a string"),
    (
        "no-mode",
        lambda s: {"authorization_modes": AuthorizationModes()},
        "no authorization mode is configured",
    ),
    (
        "default-mode-typo",
        lambda s: {
            "authorization_modes": AuthorizationModes(
                default_authorization_mode="API_KYE", api_key_config=ApiKeyConfig()
            )
        },
        "Did you mean 'API_KEY'?",
    ),
    (
        "no-model-no-query",
        lambda s: {"definition": ApiDefinition.from_string("enum Level { A }")},
        "the schema has no @model type and no Query field",
    ),
    (
        "schema-problem",
        lambda s: {
            "definition": ApiDefinition.from_string(
                "type T @model @auth(rules: [{ allow: ownr }]) { a: Int }"
            )
        },
        "<string>:1:38: ",
    ),
]


def _function(stack: Stack) -> Any:
    from aws_cdk import aws_lambda as lambda_

    return lambda_.Function(
        stack,
        "Authorizer",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return {}\n"),
    )


@pytest.mark.parametrize(
    ("make", "says"), [c[1:] for c in CONSTRUCTS], ids=[c[0] for c in CONSTRUCTS]
)
def test_a_bad_configuration_is_a_sentence_naming_the_construct(make, says) -> None:
    stack = Stack(App(), "Test")
    props: dict[str, Any] = {
        "definition": ApiDefinition.from_string(GOOD_SDL),
        "authorization_modes": _key(),
        **make(stack),
    }
    with pytest.raises(ConfigurationError) as raised:
        AuthorizedGraphqlApi(stack, "Api", **props)
    text = str(raised.value)
    assert text.startswith("AuthorizedGraphqlApi 'Test/Api' cannot be synthesized:\n- ")
    assert says in text, text
    assert all(p.rstrip().endswith((".", "?", ")")) for p in raised.value.problems), text


def test_a_user_pool_config_with_a_user_pool_synthesizes() -> None:
    # The counterpart of the type checks: the real objects pass them.
    stack = Stack(App(), "Test")
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(
            "type T @model @auth(rules: [{ allow: owner }]) { a: Int }"
        ),
        authorization_modes=AuthorizationModes(
            default_authorization_mode="AMAZON_COGNITO_USER_POOLS",
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users")),
            admin_roles=[_role(stack, "Ops"), "Admin"],
        ),
        removal_policy=RemovalPolicy.DESTROY,
        model_stacks=0,
    )


# -- the local runtime --------------------------------------------------------------------

KEY = "da2-badinputkey"
POOL = LocalUserPool()
SCHEMA = f"""type Post @model {PUBLIC} {{
  content: String
}}
type Query {{ ping: String @auth(rules: [{{ allow: public }}]) }}"""
LIST = "{ listPosts { items { id } } }"


@dataclass(frozen=True)
class Served:
    http: GraphQLServer
    realtime: RealtimeServer


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    stack = Stack(App(), "BadInput")
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(SCHEMA),
        authorization_modes=AuthorizationModes(api_key_config=ApiKeyConfig()),
    )
    config = AuthConfig(
        default_mode=AuthMode.API_KEY,
        api_key=ApiKeyAuth(keys={KEY: time.time() + 3600}),
        user_pools=(POOL.auth(),),
    )
    authenticator = Authenticator(config)
    with LocalAppSync.from_stack(stack) as local:
        http = GraphQLServer(local, authenticator, port=0, request_timeout=1).start()
        realtime = RealtimeServer(local, authenticator, port=0).start()
        try:
            yield Served(http, realtime)
        finally:
            realtime.stop()
            http.stop()


def _exchange(server: GraphQLServer, raw: bytes) -> tuple[int, dict[str, Any]]:
    """Send ``raw`` bytes as the request; the status and JSON body of the answer."""
    host, port = server.httpd.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=30) as connection:
        connection.sendall(raw)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert b"Traceback" not in received
    return int(head.split(b" ")[1]), json.loads(body.decode())


def _post(body: bytes, *, headers: str = "", length: int | None = None, auth: str = "") -> bytes:
    size = len(body) if length is None else length
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"{auth or f'x-api-key: {KEY}'}\r\n{headers}"
    )
    return (head + (f"Content-Length: {size}\r\n" if size >= 0 else "") + "\r\n").encode() + body


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


DEEP_JWT = b64url(b'{"alg":"RS256","x":' + _deep(20_000).encode() + b"}") + ".e30.c2ln"
DEEP_TOKEN = base64.b64encode(_deep(20_000).encode()).decode()

# Each: the raw request, the status, the errorType and a fragment of the message.
REQUESTS = [
    (
        "deep-body",
        _post(_deep(100_000).encode()),
        400,
        "MalformedHttpRequestException",
        "The request body is not valid JSON.",
    ),
    (
        "deep-variables",
        _post(b'{"query": "{ ping }", "variables": {"v": ' + _deep(50_000).encode() + b"}}"),
        400,
        "MalformedHttpRequestException",
        "not valid JSON",
    ),
    (
        "deep-jwt",
        _post(_json({"query": LIST}), auth=f"Authorization: {DEEP_JWT}"),
        401,
        "UnauthorizedException",
        "Unable to parse JWT token.",
    ),
    (
        "chunked",
        _post(b"5\r\nhello\r\n0\r\n\r\n", headers="Transfer-Encoding: chunked\r\n", length=-1),
        411,
        "BadRequestException",
        "Send the request body with a Content-Length header",
    ),
    (
        "stalled-body",
        _post(b"{}", length=100),
        408,
        "BadRequestException",
        "did not arrive within 1 s (Content-Length: 100)",
    ),
    (
        "length-not-a-number",
        _post(b"{}", headers="Content-Length: many\r\n", length=-1),
        413,
        "BadRequestException",
        "at most 1048576 bytes",
    ),
    (
        "operation-name-not-text",
        _post(_json({"query": LIST, "operationName": 5})),
        400,
        "BadRequestException",
        "'operationName' must be a string",
    ),
    (
        "query-not-text",
        _post(_json({"query": ["{ ping }"]})),
        400,
        "BadRequestException",
        "needs a 'query' string",
    ),
    (
        "variables-not-object",
        _post(_json({"query": LIST, "variables": "{}"})),
        400,
        "BadRequestException",
        "'variables' must be a JSON object.",
    ),
    (
        "not-utf8",
        _post(b'{"query": "\xff"}'),
        400,
        "MalformedHttpRequestException",
        "not valid JSON",
    ),
    (
        "unknown-key",
        _post(_json({"query": LIST}), auth="x-api-key: da2-nope"),
        401,
        "UnauthorizedException",
        "You are not authorized to make this call.",
    ),
    (
        "put",
        b"PUT /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n",
        501,
        "BadRequestException",
        "Unsupported method ('PUT'). Use POST /graphql.",
    ),
    (
        "foreign-host",
        b"POST /graphql HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 0\r\n\r\n",
        403,
        "ForbiddenException",
        "evil.example",
    ),
]


@pytest.mark.parametrize(
    ("raw", "status", "error_type", "says"), [r[1:] for r in REQUESTS], ids=[r[0] for r in REQUESTS]
)
def test_a_bad_request_gets_appsyncs_error_shape(served: Served, raw, status, error_type, says):
    got, body = _exchange(served.http, raw)
    assert got == status, body
    assert set(body) == {"errors"}, body
    (error,) = body["errors"]
    assert error["errorType"] == error_type
    assert says in error["message"], error


# Requests AppSync answers with 200 and GraphQL errors.
GRAPHQL = [
    (
        "operation-unknown",
        {"query": "query A { ping }", "operationName": "B"},
        "Unknown operation named 'B'.",
    ),
    (
        "operations-unnamed",
        {"query": "query A { ping } query B { ping }"},
        "Must provide operation name if query contains multiple operations.",
    ),
    (
        "deep-page-token",
        {
            "query": "query($t: String) { listPosts(nextToken: $t) { items { id } } }",
            "variables": {"t": DEEP_TOKEN},
        },
        "Invalid pagination token given.",
    ),
    (
        "deep-query",
        {"query": "{" + "listPosts { items { " * 2000 + "id" + " } }" * 2000 + "}"},
        "nested too deeply",
    ),
    (
        "variable-type",
        {
            "query": "query($l: Int) { listPosts(limit: $l) { items { id } } }",
            "variables": {"l": "ten"},
        },
        "Int cannot represent non-integer value",
    ),
]


@pytest.mark.parametrize(
    ("request_", "says"), [g[1:] for g in GRAPHQL], ids=[g[0] for g in GRAPHQL]
)
def test_a_bad_graphql_request_is_a_graphql_error(served: Served, request_, says):
    status, body = _exchange(served.http, _post(_json(request_)))
    assert status == 200
    assert says in body["errors"][0]["message"], body


def test_the_operation_name_picks_the_operation(served: Served):
    request_ = {
        "query": "query A { ping } query B { listPosts { items { id } } }",
        "operationName": "B",
    }
    status, body = _exchange(served.http, _post(_json(request_)))
    assert (status, set(body["data"])) == (200, {"listPosts"})


def _socket(served: Served) -> Any:
    header = base64.b64encode(_json({"host": "localhost", "x-api-key": KEY})).decode()
    return connect(
        f"{served.realtime.url}?header={header}&payload=e30=",
        subprotocols=["graphql-ws"],  # type: ignore[list-item]
        open_timeout=10,
    )


@pytest.mark.parametrize(
    ("message", "says"),
    [
        ('{"type": ' + _deep(50_000), "A message must be a JSON object with a 'type'."),
        (_deep(50_000), "A message must be a JSON object with a 'type'."),
        (
            json.dumps({"id": "1", "type": "start", "payload": {"data": _deep(50_000)}}),
            "'payload.data' is not valid JSON.",
        ),
    ],
    ids=["deep-unclosed", "deep-list", "deep-start-data"],
)
def test_a_bad_realtime_message_is_an_error_message_and_the_connection_stays(
    served: Served, message: str, says: str
):
    with _socket(served) as ws:
        ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(message)
        answer = _next(ws)
        assert answer["type"] == "error", answer
        assert says in json.dumps(answer), answer
        ws.send(json.dumps({"type": "connection_init"}))
        assert _next(ws)["type"] == "connection_ack"


def _next(ws: Any) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(ws.recv(timeout=10))
        if message["type"] != "ka":
            return message


@pytest.mark.parametrize("method_path", ["POST /nosuch", "GET /graphql", "PUT /graphql"])
def test_a_refused_request_with_a_body_leaves_the_connection_usable(served: Served, method_path):
    # Its body is read and dropped: it is not taken for the next request on the connection.
    refused = f"{method_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 9\r\n\r\n".encode()
    then = _post(_json({"query": "{ ping }"}))
    host, port = served.http.httpd.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=30) as connection:
        connection.sendall(refused + b'{"x": 1}\n' + then)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    statuses = [int(code) for code in re.findall(rb"HTTP/1\.1 (\d{3}) ", received)]
    if method_path.startswith("PUT"):
        assert statuses == [501]  # the stdlib closes after an unsupported method
    else:
        assert statuses == [404, 200]
    assert b"Traceback" not in received
