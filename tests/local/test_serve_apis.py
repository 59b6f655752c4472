"""``authorized-appsync serve`` on a real app's assembly: an API in a ``Stage`` picked with
``--stack``, one of two APIs of a stack picked with ``--api``, a browser's preflight answered,
and one-sentence errors that list the APIs there are (``test_local_assembly_apis.py`` covers
the lookup in-process)."""

from __future__ import annotations

import pytest
import requests
import test_local_assembly_apis as apps
from serve_harness import cli, serving, synth
from stacks import ok


@pytest.fixture(scope="module")
def assembly(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("serve-apis") / "cdk.out", apps.build)


def test_serve_runs_the_api_of_a_stack_in_a_stage(assembly):
    with serving(assembly, None, "--stack", "Prod/Backend") as served:
        created = ok(served.run(served.api_key(), apps.CREATE_TODO), "createTodo")
        assert created["title"] == "t"
        preflight = requests.options(
            served.url,
            headers={
                "Origin": "http://localhost:3000",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-api-key",
            },
            timeout=30,
        )
        assert preflight.status_code == 200
        assert preflight.headers["Access-Control-Allow-Origin"] == "*"
        assert preflight.headers["Access-Control-Allow-Headers"] == "content-type,x-api-key"
        status, out, _ = served.stop()
    assert status == 0
    assert f"authorized-appsync serve: the API Prod/Backend/Api of {assembly}" in out


def test_serve_picks_one_of_two_apis_with_api(assembly):
    with serving(assembly, None, "--api", "Two/Notes") as served:
        ok(served.run(served.api_key(), apps.CREATE_NOTE), "createNote")
        other = served.run(served.api_key(), "{ listTodos { items { id } } }")
        assert "listTodos" in other["errors"][0]["message"], other


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "holds 4 AppSync APIs ({apis}); name the one to run with --api PATH."),
        (
            ("--api", "Two/Nope"),
            "has no AppSync API 'Two/Nope'; its APIs are {apis} (name one with --api PATH). "
            "Did you mean 'Two/Notes'?",
        ),
        (
            ("--stack", "Prod"),
            "has no stack 'Prod'; its stacks are Prod/Backend, Outer/Inner/Edge, Two, Empty "
            "(name one with --stack NAME, or leave it out).",
        ),
    ],
    ids=["several", "unknown-api", "unknown-stack"],
)
def test_serve_says_which_apis_there_are(assembly, args, expected):
    done = cli("serve", str(assembly), "--port", "0", *args)
    assert done.returncode == 1
    line = done.stderr.strip()
    assert "\n" not in line, done.stderr
    assert line.startswith(f"authorized-appsync serve: {assembly} ")
    assert line.endswith(expected.format(apis=", ".join(apps.ALL_APIS))), line
