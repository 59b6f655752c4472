"""``authorized-appsync serve`` as an attacker who reaches its ports finds it (findings 9 and 10
of the security review), run as a subprocess:

- 9: a user-pool token signed with moto's published key (anyone can mint one, for any user and
  group) is refused with AppSync's 401; tokens from the ``token`` command and from a Cognito
  sign-in work; the key differs between runs.
- 10: the process listens on its GraphQL, real-time and Cognito ports only, and none of them
  serves the API's tables or Cognito's administrator actions to a caller without the run's
  credentials; the ``Host`` header must name the server (DNS rebinding); API keys and SigV4
  keys are random for each run; a non-loopback ``--host`` is warned about.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from aws_cdk import App
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from joserfc import jwk, jwt
from moto.utilities.utils import load_resource
from serve_harness import REGION, Served, cli, cognito_clients, serving, synth
from stacks import IdentityPool, api_stack, ok

from authorized_appsync.local.identity.authenticator import moto_cognito_jwks

SCHEMA = """
type Note @model @auth(rules: [
  { allow: owner }
  { allow: groups, groups: ["Admins"] }
  { allow: public, provider: apiKey, operations: [read] }
  { allow: private, provider: iam, operations: [read] }
]) { text: String }
"""
CREATE = 'mutation { createNote(input: {text: "mine"}) { id text owner } }'
LIST = "{ listNotes { items { id text owner } } }"


def build(app: App) -> None:
    api_stack("Guarded", SCHEMA, app=app, api_key=True, identity_pool=IdentityPool())


@pytest.fixture(scope="module")
def assembly(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("security") / "cdk.out", build)


@pytest.fixture(scope="module")
def served(assembly) -> Iterator[Served]:
    with serving(assembly, "Guarded") as running:
        yield running


def post(url: str, body: object, **headers: str) -> requests.Response:
    return requests.post(url, json=body, headers=headers, timeout=30)


def moto_token(cognito: dict[str, Any], username: str, groups: list[str]) -> str:
    """What anyone can mint: moto ships its private key. An ID token of the served pool for
    any user and group."""
    key = jwk.RSAKey.import_key(load_resource("moto.cognitoidp", "resources/jwks-private.json"))
    now = int(time.time())
    claims = {
        "sub": "6a1f9a1e-0000-4000-8000-000000000001",
        "iss": f"https://cognito-idp.{REGION}.amazonaws.com/{cognito['user_pool_id']}",
        "aud": cognito["client_id"],
        "token_use": "id",
        "cognito:username": username,
        "cognito:groups": groups,
        "auth_time": now,
        "iat": now,
        "exp": now + 3600,
    }
    return str(jwt.encode({"kid": "dummy", "alg": "RS256"}, claims, key))


def test_finding_9_a_token_signed_with_motos_published_key_is_refused(served):
    forged = moto_token(served.state["cognito"], "root", ["Admins"])
    answer = post(served.url, {"query": LIST}, Authorization=forged)
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["errorType"] == "UnauthorizedException"
    assert answer.headers["x-amzn-ErrorType"] == "UnauthorizedException"
    # What a user gets from the `token` command, and from a Cognito sign-in, works.
    token = served.token_command("root", ("Admins",))
    created = ok(served.run(served.jwt(token), CREATE), "createNote")
    assert created["owner"].endswith("::root")  # mutation responses hold the stored owner
    ok(served.run(served.user("ann"), LIST), "listNotes")


def jwks_of(served: Served) -> dict[str, Any]:
    cognito = served.state["cognito"]
    url = f"{cognito['endpoint']}/{cognito['user_pool_id']}/.well-known/jwks.json"
    loaded: dict[str, Any] = requests.get(url, timeout=30).json()
    return loaded


def listening_ports(pid: int) -> set[int]:
    """The TCP ports process ``pid`` listens on (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def port_of(url: str) -> int:
    return int(url.split("/")[2].rsplit(":", 1)[1])


def test_finding_10_no_port_of_serve_serves_the_tables(served):
    state = served.state
    ports = listening_ports(served.process.pid)
    expected = {port_of(state[k]) for k in ("graphql_url", "realtime_url")}
    assert ports == expected | {port_of(state["cognito"]["endpoint"])}
    for port in sorted(ports):
        dynamodb = boto3.client(
            "dynamodb",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name=REGION,
            aws_access_key_id="AKIAANYKEYANYKEY0000",
            aws_secret_access_key="x" * 40,
        )
        for call in (dynamodb.list_tables, lambda d=dynamodb: d.scan(TableName="Note")):
            with pytest.raises((ClientError, BotoCoreError)):
                call()


def test_finding_10_cognito_admin_actions_need_the_runs_credentials(served):
    cognito = served.state["cognito"]
    served.token_command("victim")
    idp = boto3.client(  # an app's client: no credentials
        "cognito-idp",
        endpoint_url=cognito["endpoint"],
        region_name=REGION,
        config=Config(signature_version=UNSIGNED),
    )
    reset = {
        "UserPoolId": cognito["user_pool_id"],
        "Username": "victim",
        "Password": "Mallory-0wns!",
        "Permanent": True,
    }
    with pytest.raises(ClientError) as caught:
        idp.admin_set_user_password(**reset)
    assert caught.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"
    with pytest.raises(ClientError):
        idp.list_user_pools(MaxResults=10)
    _, admin = cognito_clients(cognito)
    with pytest.raises(ClientError):  # not even the admin reconfigures the pool
        admin.create_user_pool(PoolName="x")
    # The victim still signs in with the password it had.
    ok(served.run(served.jwt(served.token_command("victim")), LIST), "listNotes")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:4000", "localhost.evil.example"])
def test_finding_10_every_server_refuses_a_foreign_host_header(served, host):
    key = served.state["api_keys"][0]["value"]
    answer = post(served.url, {"query": LIST}, Host=host, **{"x-api-key": key})
    assert answer.status_code == 403
    assert "DNS rebinding" in answer.json()["errors"][0]["message"]
    cognito = served.state["cognito"]["endpoint"]
    refused = requests.post(
        f"{cognito}/",
        data="{}",
        headers={"Host": host, "X-Amz-Target": "AWSCognitoIdentityProviderService.SignUp"},
        timeout=30,
    )
    assert refused.status_code == 403
    assert handshake_status(served.state["realtime_url"], host, key) == 403
    # The server's own names are answered.
    port = port_of(served.url)
    for own in (f"localhost:{port}", f"127.0.0.1:{port}"):
        answer = post(served.url, {"query": LIST}, Host=own, **{"x-api-key": key})
        assert answer.status_code == 200, own


def handshake_status(url: str, host: str, api_key: str) -> int:
    """The status a WebSocket handshake to ``url`` with ``Host: host`` gets (a browser sends
    the page's name there)."""
    header = base64.b64encode(json.dumps({"host": host, "x-api-key": api_key}).encode()).decode()
    address = url.split("/")[2]
    with socket.create_connection(tuple(address.rsplit(":", 1)), timeout=30) as raw:
        raw.sendall(
            f"GET /graphql?header={header}&payload=e30= HTTP/1.1\r\nHost: {host}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
            f"Sec-WebSocket-Protocol: graphql-ws\r\n\r\n".encode()
        )
        return int(raw.recv(4096).split(b" ", 2)[1])


def credentials(state: dict[str, Any]) -> set[str]:
    cognito = state["cognito"]
    return {
        *(key["value"] for key in state["api_keys"]),
        *(key["access_key_id"] for key in state["iam_keys"]),
        *(key["secret_access_key"] for key in state["iam_keys"]),
        cognito["admin_access_key_id"],
        cognito["admin_secret_access_key"],
    }


def test_findings_9_and_10_a_second_run_has_a_new_token_key_new_credentials_and_warns(
    served, assembly
):
    first = served.state
    assert not any(key["value"].startswith("da2-local") for key in first["api_keys"])
    assert not any("LOCAL" in key["access_key_id"] for key in first["iam_keys"])
    with serving(assembly, "Guarded", "--host", "0.0.0.0") as other:
        second = other.state
        assert credentials(first).isdisjoint(credentials(second))
        # Finding 9: each run signs with its own key, and neither is moto's.
        keys = [jwks_of(served), jwks_of(other)]
        assert keys[0]["keys"][0]["n"] != keys[1]["keys"][0]["n"]
        assert moto_cognito_jwks() not in keys
        # A token of one run is no token of the other.
        token = served.token_command("ann")
        answer = post(other.url, {"query": LIST}, Authorization=token)
        assert answer.status_code == 401
        # The old keys do not open the new run.
        old_key = first["api_keys"][0]["value"]
        assert post(other.url, {"query": LIST}, **{"x-api-key": old_key}).status_code == 401
        status, out, err = other.stop()
    assert status == 0
    assert err.startswith(
        "Warning: --host 0.0.0.0 is not a loopback address: anyone who can reach this machine "
        "can call the API and sign up to its user pool;"
    )
    assert "Traceback" not in err


def test_token_without_admin_credentials_says_what_it_needs(served):
    endpoint = served.state["cognito"]["endpoint"]
    done = cli(
        "token",
        "--endpoint",
        endpoint,
        "--user",
        "x",
        env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""},
    )
    assert done.returncode == 1
    assert "MissingAuthenticationTokenException" in done.stderr
    assert "Cognito admin credentials" in done.stderr
