"""The shipped ``DefaultLambdaAuthorizer``, synthesized into a stack and run by the local
runtime from its asset (``LocalAppSync.lambda_token``): tokens of the configured issuer, for
the configured audience, of the configured kind (``token_use``) are admitted; any other is
AppSync's 401. Its keys come from a JWKS served here over http on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aws_cdk import App, Stack
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from stacks import ok

from authorized_appsync import (
    ApiDefinition,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    DefaultLambdaAuthorizer,
    LambdaConfig,
)
from authorized_appsync.local.app import CredentialsRejectedError, LocalAppSync

SCHEMA = """type Report @model @auth(rules: [{ allow: custom }]) {
  id: ID!
  title: String
}"""
CREATE = 'mutation { createReport(input: {title: "q3"}) { id title } }'
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example"
CLIENT = "web-client-id"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk() -> dict[str, str]:
    numbers = KEY.public_key().public_numbers()
    return {
        "kty": "RSA",
        "kid": "k1",
        "use": "sig",
        "alg": "RS256",
        "n": b64(numbers.n.to_bytes(256, "big")),
        "e": b64(numbers.e.to_bytes(3, "big")),
    }


def token(**changes: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "u-1",
        "cognito:username": "alice",
        "iss": ISSUER,
        "aud": CLIENT,
        "token_use": "id",
        "iat": now,
        "exp": now + 600,
    }
    for name, value in changes.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    header = b64(json.dumps({"alg": "RS256", "kid": "k1", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    signed = f"{header}.{body}".encode()
    signature = KEY.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{body}.{b64(signature)}"


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    document = json.dumps({"keys": [jwk()]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(document)))
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def api(jwks_url: str) -> Iterator[LocalAppSync]:
    stack = Stack(App(), "DefaultAuthorizer")
    authorizer = DefaultLambdaAuthorizer(
        stack, "Authorizer", jwks_url=jwks_url, issuer=ISSUER, audience=CLIENT
    )
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(SCHEMA),
        authorization_modes=AuthorizationModes(lambda_config=LambdaConfig(function=authorizer)),
    )
    with LocalAppSync.from_stack(stack) as local:
        yield local


def test_finding_12_an_id_token_of_the_issuer_for_the_client_is_admitted(api):
    caller = api.lambda_token(token())
    assert caller.identity["resolverContext"]["sub"] == "u-1"
    assert ok(api.graphql(CREATE, auth=caller), "createReport")["title"] == "q3"


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"token_use": "access", "aud": None, "client_id": CLIENT}, id="access-token"),
        pytest.param({"token_use": None}, id="no-token-use"),
        pytest.param({"aud": "another-client"}, id="another-client"),
        pytest.param({"aud": None}, id="no-audience"),
        pytest.param({"iss": "https://cognito-idp.us-east-1.amazonaws.com/other"}, id="issuer"),
        pytest.param({"iss": None}, id="no-issuer"),
    ],
)
def test_finding_12_other_tokens_signed_by_the_same_keys_are_refused(api, changes):
    with pytest.raises(CredentialsRejectedError) as refused:
        api.lambda_token(token(**changes))
    assert refused.value.status == 401
