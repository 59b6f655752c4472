"""Helpers of the ``test_serve_*`` tests: synthesize stacks into a cloud assembly, run
``authorized-appsync serve`` on it as a subprocess, and talk to it as a client would: gql's
``RequestsHTTPTransport`` with the headers of gql's AppSync auth classes, tokens from the
Cognito endpoint (the ``token`` command, or boto3 against the printed endpoint: client actions
unsigned, administrator actions signed with the run's Cognito admin credentials)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import requests
from aws_cdk import App
from botocore import UNSIGNED
from botocore.config import Config
from botocore.credentials import Credentials
from gql import Client, GraphQLRequest, gql
from gql.transport.appsync_auth import (
    AppSyncApiKeyAuthentication,
    AppSyncAuthentication,
    AppSyncIAMAuthentication,
    AppSyncJWTAuthentication,
)
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport
from gql.transport.requests import RequestsHTTPTransport

REGION = "us-east-1"
PASSWORD = "Local-Passw0rd!"
START_TIMEOUT = 90.0  # seconds: a cold start (imports, moto, node) on a busy 2-core machine


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CDK_VALIDATION="false",
        JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="1",
        JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
        PYTHONUNBUFFERED="1",
    )
    return env


def synth(outdir: Path, *builders: Callable[[App], object]) -> Path:
    """One cloud assembly in ``outdir`` with the stacks the builders add."""
    app = App(outdir=str(outdir))
    for build in builders:
        build(app)
    app.synth()
    return outdir


def cli(
    *args: str, timeout: float = 60, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command line run as a user runs it (``env``: more environment variables)."""
    return subprocess.run(
        [sys.executable, "-m", "authorized_appsync.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**environment(), **(env or {})},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class Served:
    """One ``serve`` subprocess. ``state``: the JSON state file it wrote once listening."""

    def __init__(self, assembly: Path, stack: str | None, *extra: str) -> None:
        # One file per run: two runs at once on one assembly must not read each other's.
        name = f"serve-{(stack or 'default').replace('/', '-')}-{uuid.uuid4().hex[:12]}.json"
        self.state_file = assembly.parent / name
        args = [str(assembly), "--port", "0", "--state-file", str(self.state_file), *extra]
        if stack:
            args += ["--stack", stack]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "authorized_appsync.cli", "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=environment(),
        )
        self.state = self._wait_for_state()
        self.url: str = self.state["graphql_url"]
        self.host = self.url.split("/")[2]
        self._tokens: dict[tuple[str, tuple[str, ...]], str] = {}

    def _wait_for_state(self) -> dict[str, Any]:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.state_file.exists():
                state: dict[str, Any] = json.loads(self.state_file.read_text())
                return state
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise AssertionError(f"serve exited with {self.process.returncode}:\n{out}\n{err}")
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"serve wrote no {self.state_file} in {START_TIMEOUT} s")

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str, str]:
        """Signal it and wait: (exit status, stdout, stderr)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            out, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        return self.process.returncode, out, err

    # -- callers ---------------------------------------------------------------------------
    def api_key(self) -> AppSyncAuthentication:
        return AppSyncApiKeyAuthentication(
            host=self.host, api_key=self.state["api_keys"][0]["value"]
        )

    def token_command(self, user: str, groups: tuple[str, ...] = ()) -> str:
        """A user-pool ID token from the ``token`` command."""
        args = ["token", "--state-file", str(self.state_file), "--user", user]
        if groups:
            args += ["--groups", ",".join(groups)]
        done = cli(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def user(self, name: str, *groups: str) -> AppSyncAuthentication:
        """A signed-in user of the stand-in pool (boto3 against the Cognito endpoint)."""
        key = (name, groups)
        if key not in self._tokens:
            self._tokens[key] = sign_in(self.state["cognito"], name, groups)
        return AppSyncJWTAuthentication(host=self.host, jwt=self._tokens[key])

    def jwt(self, token: str) -> AppSyncAuthentication:
        return AppSyncJWTAuthentication(host=self.host, jwt=token)

    def oidc(self, user: str, claims: Mapping[str, object] | None = None) -> AppSyncAuthentication:
        args = ["token", "--state-file", str(self.state_file), "--oidc", "--user", user]
        done = cli(*args, "--claims", json.dumps(dict(claims or {})))
        assert done.returncode == 0, done.stderr
        return self.jwt(done.stdout.strip())

    def iam(self, label_start: str) -> AppSyncAuthentication:
        """SigV4 with the keys ``serve`` printed for the role whose label starts so."""
        (key,) = [k for k in self.state["iam_keys"] if k["label"].startswith(label_start)]
        credentials = Credentials(key["access_key_id"], key["secret_access_key"])
        return AppSyncIAMAuthentication(host=self.host, region_name=REGION, credentials=credentials)

    def run(
        self, auth: AppSyncAuthentication, query: str, variables: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """One operation through gql: the response's data and errors (AppSync's shape)."""
        transport = RequestsHTTPTransport(url=self.url, auth=AppSyncHeaders(auth), timeout=60)
        transport.connect()
        try:
            result = transport.execute(GraphQLRequest(query, variable_values=dict(variables or {})))
        finally:
            transport.close()
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = result.errors
        return body


class AppSyncHeaders(requests.auth.AuthBase):
    """Puts the headers of one of gql's AppSync auth classes on a requests request (signing
    its exact body, for IAM)."""

    def __init__(self, auth: AppSyncAuthentication) -> None:
        self.auth = auth

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        content_type = request.headers.get("Content-Type", "application/json")
        request.headers.update(self.auth.get_headers(body, {"content-type": content_type}))
        return request


def cognito_clients(cognito: Mapping[str, Any]) -> tuple[Any, Any]:
    """Two boto3 clients of the Cognito endpoint: one unsigned (an app: client actions need
    no credentials), one signed with the run's Cognito admin credentials."""
    public = boto3.client(
        "cognito-idp",
        endpoint_url=cognito["endpoint"],
        region_name=REGION,
        config=Config(signature_version=UNSIGNED),
    )
    admin = boto3.client(
        "cognito-idp",
        endpoint_url=cognito["endpoint"],
        region_name=REGION,
        aws_access_key_id=cognito["admin_access_key_id"],
        aws_secret_access_key=cognito["admin_secret_access_key"],
    )
    return public, admin


ROOT = Path(__file__).resolve().parents[2]
AMPLIFY = ROOT / "node_modules" / "aws-amplify"


def amplify_sign_in(cognito: Mapping[str, Any], user: str, password: str) -> dict[str, Any]:
    """Amplify JS's own ``signIn`` (default options: SRP) against the Cognito endpoint, in
    node (``amplify_sign_in.mjs``): ``isSignedIn``, ``nextStep``, ``idToken`` or ``error``."""
    done = subprocess.run(
        ["node", str(Path(__file__).with_name("amplify_sign_in.mjs"))],
        input=json.dumps(
            {
                "endpoint": cognito["endpoint"],
                "userPoolId": cognito["user_pool_id"],
                "userPoolClientId": cognito["client_id"],
                "username": user,
                "password": password,
            }
        ),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def sign_in(cognito: Mapping[str, Any], user: str, groups: tuple[str, ...] = ()) -> str:
    """Sign up and in against the Cognito endpoint as any AWS SDK would (groups joined with
    the admin credentials): an ID token."""
    idp, admin = cognito_clients(cognito)
    pool, client = cognito["user_pool_id"], cognito["client_id"]
    idp.sign_up(ClientId=client, Username=user, Password=PASSWORD)
    idp.confirm_sign_up(ClientId=client, Username=user, ConfirmationCode="000000")
    existing = {g["GroupName"] for g in admin.list_groups(UserPoolId=pool)["Groups"]}
    for group in groups:
        if group not in existing:
            admin.create_group(UserPoolId=pool, GroupName=group)
        admin.admin_add_user_to_group(UserPoolId=pool, Username=user, GroupName=group)
    answer = idp.initiate_auth(
        ClientId=client,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user, "PASSWORD": PASSWORD},
    )
    token: str = answer["AuthenticationResult"]["IdToken"]
    return token


class MotoServer:
    """moto's whole server on a loopback port (port 0: any free one), sharing this process's
    moto state: another DynamoDB for ``--dynamodb-endpoint``, as DynamoDB Local would be."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        app = DomainDispatcherApplication(create_backend_app)
        self._server = make_server(host, port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> MotoServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()


def first_event(
    url: str, auth: AppSyncAuthentication, subscription: str, publish: Callable[[int], object]
) -> dict[str, Any]:
    """The first event of ``subscription`` that gql's AppSync WebSocket transport receives
    from the realtime endpoint ``url``, calling ``publish(n)`` for n = 0, 1, ... (at most 50)
    until the subscription is live and an event has come."""
    transport = AppSyncWebsocketsTransport(url=url, auth=auth)

    async def listen() -> dict[str, Any]:
        async with Client(transport=transport) as session:
            events = session.subscribe(gql(subscription))
            received = asyncio.ensure_future(events.__anext__())
            try:
                # Publish until the subscription (started by the first __anext__) is live.
                for n in range(50):
                    await asyncio.to_thread(publish, n)
                    done, _ = await asyncio.wait({received}, timeout=0.2)
                    if done:
                        break
                event: dict[str, Any] = await asyncio.wait_for(received, 10)
                return event
            finally:
                await events.aclose()

    return asyncio.run(listen())


@contextmanager
def serving(assembly: Path, stack: str | None = None, *extra: str) -> Iterator[Served]:
    served = Served(assembly, stack, *extra)
    try:
        yield served
    finally:
        served.stop()
