"""Models in nested stacks (``model_stacks=2``, as a large schema gets them): the local
runtime reads every nested stack's template from the cloud assembly and the shared
functions from the API's stack, so the models work end to end through ``from_assembly``,
``from_stack`` and ``serve``."""

from __future__ import annotations

import json
import shutil
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    UserPoolConfig,
)
from authorized_appsync.cdk.placement import bucket_of
from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.serve.cognito import id_token
from authorized_appsync.local.serve.run import LocalServe, ServeOptions, read_template

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from schemas import generated_schema

MODELS = 6
LAST = "Model1"  # a model of the second nested stack
assert bucket_of(LAST, 2) == 1
assert bucket_of("Model0", 2) == 0
CREATE = f"""mutation($t: String!) {{
  create{LAST}(input: {{title: $t, category: "c"}}) {{ id title owner }} }}"""
GET = f"query($id: ID!) {{ get{LAST}(id: $id) {{ id title owner }} }}"
LIST = f"{{ list{LAST}s {{ items {{ id title }} }} }}"
UPDATE = f"""mutation($id: ID!) {{
  update{LAST}(input: {{id: $id, title: "taken"}}) {{ id title }} }}"""
FIRST_LIST = "{ listModel0s { items { id } } }"  # a model of the first nested stack


def _sdl() -> str:
    """The generated schema with every model owned by its creator and readable with the
    API key, its `secret` the owner's (the generated rule mixes would need every
    authorization mode)."""
    rules = "@auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]) {"
    secret = "  secret: String @auth(rules: [{ allow: owner, operations: [read, update] }])"

    def line_of(line: str) -> str:
        if line.startswith("type Model"):
            return line.split(" @auth(")[0] + " " + rules
        return secret if line.startswith("  secret:") else line

    return "\n".join(
        line_of(line) for line in generated_schema(MODELS, relations=False).splitlines()
    )


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Stack, Path]:
    """The stack and its cloud assembly (one synthesis)."""
    outdir = tmp_path_factory.mktemp("nested") / "cdk.out"
    app = App(outdir=str(outdir))
    stack = Stack(app, "Large")
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(_sdl()),
        authorization_modes=AuthorizationModes(
            default_authorization_mode="AMAZON_COGNITO_USER_POOLS",
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users")),
            api_key_config=ApiKeyConfig(),
        ),
        model_stacks=2,
    )
    app.synth()
    return stack, outdir


# Function-scoped: LocalAppSync instances share moto's in-process DynamoDB, so none may
# stay open while LocalServe (test_serve_...) creates the same tables.
@pytest.fixture(params=["from_assembly", "from_stack"])
def api(request: pytest.FixtureRequest, large: tuple[Stack, Path]) -> Iterator[LocalAppSync]:
    stack, outdir = large
    if request.param == "from_assembly":
        local = LocalAppSync.from_assembly(outdir)
    else:
        local = LocalAppSync.from_stack(stack)
    with local:
        yield local


def ok(response: dict, field: str):
    assert "errors" not in response, response
    return response["data"][field]


def test_the_nested_stacks_are_loaded(api):
    nested = [s for s in api.api.stacks if s.startswith("Large/")]
    assert len(nested) == 2, api.api.stacks
    assert len(api.api.tables) == MODELS
    assert ("Query", f"get{LAST}") in api.api.resolvers


def test_a_model_of_a_nested_stack_works_end_to_end(api):
    alice, bob = api.user("alice"), api.user("bob")
    created = ok(api.graphql(CREATE, {"t": "mine"}, auth=alice), f"create{LAST}")
    assert created["owner"] == f"{alice.identity['sub']}::alice"  # as stored
    got = ok(api.graphql(GET, {"id": created["id"]}, auth=alice), f"get{LAST}")
    assert got == {**created, "owner": "alice"}  # read back as the username
    listed = ok(api.graphql(LIST, auth=alice), f"list{LAST}s")["items"]
    assert {"id": created["id"], "title": "mine"} in listed
    # Another signed-in user neither reads nor changes it; the API key reads it.
    for query in (GET, UPDATE):
        denied = api.graphql(query, {"id": created["id"]}, auth=bob)
        assert list(denied["data"].values()) == [None], denied
        assert [e["errorType"] for e in denied["errors"]] == ["Unauthorized"]
    others = ok(api.graphql(LIST, auth=bob), f"list{LAST}s")["items"]
    assert created["id"] not in [i["id"] for i in others]
    public = api.graphql(GET, {"id": created["id"]}, auth=api.api_key())
    assert ok(public, f"get{LAST}")["title"] == "mine"
    # The first nested stack's models are there too.
    assert ok(api.graphql(FIRST_LIST, auth=alice), "listModel0s") == {"items": []}


def test_a_missing_nested_template_is_a_clear_error(large, tmp_path):
    _, outdir = large
    copy = tmp_path / "cdk.out"
    shutil.copytree(outdir, copy)
    missing = sorted(copy.glob("*.nested.template.json"))[-1]
    missing.unlink()
    with pytest.raises(ValueError, match=r"The nested stack \w+ of Large") as raised:
        LocalAppSync.from_assembly(copy)
    assert missing.name in str(raised.value)
    name, template = read_template(outdir)
    with pytest.raises(ValueError, match=r"from_assembly\(path\)"):
        LocalAppSync.from_template(template, name=name)


def _post(url: str, query: str, variables: dict, headers: dict[str, str]) -> dict:
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_serve_runs_the_models_of_nested_stacks(large, tmp_path):
    _, outdir = large
    options = ServeOptions(
        assembly=outdir, port=0, realtime_port=0, state_file=tmp_path / "state.json"
    )
    with LocalServe(options) as running:
        state = running.state
        assert state is not None
        assert state.cognito is not None
        token = id_token(state.cognito, "carol", (), "Local-Passw0rd!")
        created = _post(state.graphql_url, CREATE, {"t": "served"}, {"Authorization": token})
        item = ok(created, f"create{LAST}")
        assert item["owner"].endswith("::carol")  # as stored: "<sub>::carol"
        key = {"x-api-key": state.api_keys[0].value}
        got = _post(state.graphql_url, GET, {"id": item["id"]}, key)
        assert ok(got, f"get{LAST}")["title"] == "served"
