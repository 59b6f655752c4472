"""``authorized-appsync serve`` and ``token`` as a user runs them: a clean stop on Ctrl-C or
SIGTERM (exit 0, ports freed, no node process left, state file removed), what it prints,
clear errors when there is no server or the port is taken, and ``--dynamodb-endpoint``."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys

import boto3
import pytest
import test_local_seed_sandbox as sandbox
from aws_cdk import App
from serve_harness import MotoServer, Served, alive, children, cli, serving, synth
from stacks import ok

CREATE = 'mutation { createOpen(input: {text: "kept"}) { id text } }'


def lifecycle(app: App) -> None:
    """The sandbox seed's stack, as ``Lifecycle``."""
    sandbox.build(app, "Lifecycle")


@pytest.fixture(scope="module")
def assembly(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("lifecycle") / "cdk.out", lifecycle)


def port_of(url: str) -> int:
    return int(url.split("/")[2].rsplit(":", 1)[1])


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_everything_cleanly(assembly, sig):
    served = Served(assembly, None)
    try:
        state = served.state
        ports = [port_of(state["graphql_url"]), port_of(state["cognito"]["endpoint"])]
        assert all(listening(port) for port in ports)
        ok(served.run(served.api_key(), CREATE), "createOpen")
        nodes = children(served.process.pid)
        assert nodes, "the resolvers' node host runs as a child of serve"
    finally:
        status, out, err = served.stop(sig)
    assert status == 0, err
    assert "Traceback" not in err
    assert out.rstrip().endswith("Stopped.")
    assert not [pid for pid in nodes if alive(pid)]
    assert not any(listening(port) for port in ports)
    assert not served.state_file.exists()
    # What it printed: where everything is, and how to get in.
    for value in (
        state["graphql_url"],
        state["api_keys"][0]["value"],
        state["cognito"]["user_pool_id"],
        state["cognito"]["client_id"],
        state["cognito"]["endpoint"],
    ):
        assert value in out
    assert "authorized-appsync token" in out
    assert "boto3.client(" in out


def test_token_prints_only_a_token_for_a_running_server(assembly):
    with serving(assembly) as served:
        done = cli("token", "--state-file", str(served.state_file), "--user", "alice")
        assert done.returncode == 0, done.stderr
        (line,) = done.stdout.splitlines()
        assert line.count(".") == 2  # a compact JWS: header.payload.signature
        cognito = served.state["cognito"]
        admin = {
            "AWS_ACCESS_KEY_ID": cognito["admin_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": cognito["admin_secret_access_key"],
        }
        again = cli("token", "--endpoint", cognito["endpoint"], "--user", "alice", env=admin)
        assert again.returncode == 0, again.stderr
        assert again.stdout.count(".") == 2
        # --endpoint signs with the environment's credentials: others are refused.
        other = {"AWS_ACCESS_KEY_ID": "AKIAOTHERKEY", "AWS_SECRET_ACCESS_KEY": "x" * 40}
        refused = cli("token", "--endpoint", cognito["endpoint"], "--user", "alice", env=other)
        assert refused.returncode == 1
        assert "UnrecognizedClientException" in refused.stderr
        assert "Cognito admin credentials" in refused.stderr


def test_token_without_a_server_is_a_clear_error(tmp_path):
    done = cli("token", "--state-file", str(tmp_path / "none.json"), "--user", "alice")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("authorized-appsync token: No server is running:")
    assert "authorized-appsync serve" in done.stderr
    assert "Traceback" not in done.stderr


def test_token_with_a_stale_state_file_is_a_clear_error(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"pid": gone.pid, "graphql_url": "http://x", "region": "r"}))
    done = cli("token", "--state-file", str(state), "--user", "alice")
    assert done.returncode == 1
    assert f"names process {gone.pid}, which has stopped" in done.stderr


def test_token_where_nothing_listens_is_a_clear_error():
    endpoint = f"http://127.0.0.1:{free_port()}"
    done = cli("token", "--endpoint", endpoint, "--user", "alice")
    assert done.returncode == 1
    assert done.stderr.startswith(f"authorized-appsync token: No server answers at {endpoint}")


def test_a_busy_port_is_a_clear_error(assembly):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = cli("serve", str(assembly), "--port", str(port), timeout=120)
    assert done.returncode == 1
    assert f"Port {port} or {port + 1} (subscriptions) on 127.0.0.1 is in use" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_assembly_is_a_clear_error(tmp_path):
    done = cli("serve", str(tmp_path / "cdk.out"))
    assert done.returncode == 1
    assert "There is no cloud assembly at" in done.stderr
    assert "synth" in done.stderr


def test_the_tables_go_to_the_dynamodb_endpoint_given(assembly):
    dynamodb = MotoServer().start()  # another DynamoDB, as DynamoDB Local would be
    try:
        with serving(assembly, None, "--dynamodb-endpoint", dynamodb.url) as served:
            created = ok(served.run(served.api_key(), CREATE), "createOpen")
        client = boto3.client(
            "dynamodb",
            endpoint_url=dynamodb.url,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        (table,) = [name for name in client.list_tables()["TableNames"] if "Open" in name]
        items = client.scan(TableName=table)["Items"]
        assert [item["id"]["S"] for item in items] == [created["id"]]
    finally:
        dynamodb.stop()
