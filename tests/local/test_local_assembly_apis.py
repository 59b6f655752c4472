"""Finding the API to run in a cloud assembly, as a real app lays it out: stacks inside a
``Stage`` (a nested cloud assembly, ``assembly-<Stage>/``, recursively), several
``AuthorizedGraphqlApi``s in one stack named by construct path, and errors that list the
stacks and APIs there are. ``serve`` finds its API the same way (``test_serve_apis.py``)."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from aws_cdk import App, Stack, Stage
from stacks import ok

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
)
from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.assembly.apis import template_apis
from authorized_appsync.local.assembly.nested import AssemblyAssets

TODO = "type Todo @model @auth(rules: [{ allow: public }]) { id: ID! title: String }"
NOTE = "type Note @model @auth(rules: [{ allow: public }]) { id: ID! text: String }"
CREATE_TODO = 'mutation { createTodo(input: {title: "t"}) { id title } }'
CREATE_NOTE = 'mutation { createNote(input: {text: "n"}) { id text } }'
ALL_APIS = ("Prod/Backend/Api", "Outer/Inner/Edge/Api", "Two/Todos", "Two/Notes")


def _api(stack: Stack, construct_id: str, sdl: str) -> AuthorizedGraphqlApi:
    return AuthorizedGraphqlApi(
        stack,
        construct_id,
        definition=ApiDefinition.from_string(sdl),
        authorization_modes=AuthorizationModes(api_key_config=ApiKeyConfig()),
    )


@dataclass(frozen=True)
class Assembly:
    outdir: Path
    backend: Stack  # Prod/Backend: one API, in the stage Prod
    two: Stack  # Two: two APIs, Todos and Notes
    notes: AuthorizedGraphqlApi


def build(app: App) -> tuple[Stack, Stack, AuthorizedGraphqlApi]:
    """An app as users write them: a stage with the backend (``Prod/Backend``), a stage in a
    stage, a stack ``Two`` with two APIs, and a stack with none."""
    backend = Stack(Stage(app, "Prod"), "Backend")
    _api(backend, "Api", TODO)
    _api(Stack(Stage(Stage(app, "Outer"), "Inner"), "Edge"), "Api", NOTE)
    two = Stack(app, "Two")
    _api(two, "Todos", TODO)
    notes = _api(two, "Notes", NOTE)
    Stack(app, "Empty")
    return backend, two, notes


@pytest.fixture(scope="module")
def assembly(tmp_path_factory) -> Assembly:
    outdir = tmp_path_factory.mktemp("apis") / "cdk.out"
    app = App(outdir=str(outdir))
    backend, two, notes = build(app)
    app.synth()
    return Assembly(outdir, backend, two, notes)


def _runs(local: LocalAppSync, mutation: str, field: str) -> None:
    with local as api:
        assert ok(api.graphql(mutation, auth=api.api_key()), field)["id"]


@pytest.mark.parametrize(
    ("stack", "api"),
    [
        (None, "Prod/Backend/Api"),
        (None, "/Prod/Backend/Api"),
        (None, "Prod/Backend/Api/Api"),  # the GraphQLApi resource's own path
        ("Prod/Backend", None),  # as `cdk ls` names the stack
        ("Prod-Backend", None),  # its CloudFormation stack name
        ("Prod/Backend", "Api"),  # relative to the stack
    ],
)
def test_an_api_in_a_stage_runs_from_the_assembly(assembly, stack, api):
    local = LocalAppSync.from_assembly(assembly.outdir, stack, api=api)
    assert local.api.source is not None
    assert local.api.source.path == "Prod/Backend/Api"
    _runs(local, CREATE_TODO, "createTodo")


def test_stages_in_stages_are_searched(assembly):
    local = LocalAppSync.from_assembly(assembly.outdir, api="Outer/Inner/Edge/Api")
    _runs(local, CREATE_NOTE, "createNote")


def test_a_stack_in_a_stage_runs_from_the_stack(assembly):
    _runs(LocalAppSync.from_stack(assembly.backend), CREATE_TODO, "createTodo")


def test_two_apis_in_one_stack_are_picked_by_construct_path(assembly):
    local = LocalAppSync.from_assembly(assembly.outdir, "Two", api="Notes")
    loaded = local.api
    assert loaded.source is not None
    assert loaded.source.path == "Two/Notes"
    # Only the Notes API's parts: its schema, resolvers, data sources and key.
    assert "type Note" in loaded.sdl
    assert "Todo" not in loaded.sdl
    assert {type_field[1] for type_field in loaded.resolvers} == {
        "getNote",
        "listNotes",
        "createNote",
        "updateNote",
        "deleteNote",
    }
    assert all("Note" in name or name.startswith("NONE") for name in loaded.data_sources)
    assert len(loaded.api_keys) == 1
    _runs(local, CREATE_NOTE, "createNote")


@pytest.mark.parametrize("api", ["Two/Todos", "notes"], ids=["path", "construct"])
def test_from_stack_picks_one_of_two_apis(assembly, api):
    chosen = assembly.notes if api == "notes" else api
    local = LocalAppSync.from_stack(assembly.two, api=chosen)
    assert local.api.source is not None
    assert local.api.source.path == ("Two/Notes" if api == "notes" else "Two/Todos")


def test_several_apis_and_no_choice_is_one_sentence_listing_them(assembly):
    with pytest.raises(ValueError, match="holds 4 AppSync APIs") as raised:
        LocalAppSync.from_assembly(assembly.outdir)
    message = str(raised.value)
    assert message.startswith(f"{assembly.outdir} holds 4 AppSync APIs (")
    assert all(path in message for path in ALL_APIS)
    assert message.endswith("; name the one to run with api=.")
    with pytest.raises(ValueError, match="holds 2 AppSync APIs") as raised:
        LocalAppSync.from_stack(assembly.two)
    assert str(raised.value) == (
        "Two holds 2 AppSync APIs (Two/Todos, Two/Notes); name the one to run with api=."
    )


@pytest.mark.parametrize(
    ("stack", "api", "expected"),
    [
        (None, "Two/Nope", "has no AppSync API 'Two/Nope'; its APIs are "),
        ("Two", "Api", "The stack 'Two' of "),
        ("Nope", None, "has no stack 'Nope'; its stacks are "),
        ("Empty", None, "The stack 'Empty' of "),
    ],
)
def test_errors_name_what_exists(assembly, stack, api, expected):
    with pytest.raises(ValueError, match=re.escape(expected)) as raised:
        LocalAppSync.from_assembly(assembly.outdir, stack, api=api)
    message = str(raised.value)
    if stack in (None, "Two"):
        listed = ALL_APIS if stack is None else ("Two/Todos", "Two/Notes")
        assert all(path in message for path in listed), message
    else:
        for name in ("Prod/Backend", "Outer/Inner/Edge", "Two", "Empty"):
            assert name in message, message


def test_one_template_file_keeps_the_names_of_its_manifest(assembly):
    (template,) = (assembly.outdir / "assembly-Prod").glob("*.template.json")
    local = LocalAppSync.from_assembly(template)
    assert local.api.source is not None
    assert local.api.source.path == "Prod/Backend/Api"


def test_a_folder_of_templates_without_a_manifest_still_loads(assembly, tmp_path):
    (template,) = (assembly.outdir / "assembly-Prod").glob("*.template.json")
    shutil.copy(template, tmp_path / template.name)
    local = LocalAppSync.from_assembly(tmp_path)
    _runs(local, CREATE_TODO, "createTodo")


def _api_resource(path: str | None) -> dict:
    resource: dict = {"Type": "AWS::AppSync::GraphQLApi", "Properties": {}}
    if path is not None:
        resource["Metadata"] = {"aws:cdk:path": path}
    return resource


@pytest.mark.parametrize(
    ("paths", "names"),
    [
        # AuthorizedGraphqlApi(stack, "Api"): its GraphQLApi resource is its child "Api".
        (["S/Api/Api"], ["S/Api"]),
        # aws-cdk's GraphqlApi: its resource is its child "Resource".
        (["S/Gql/Resource"], ["S/Gql"]),
        # A CfnGraphQLApi directly in the stack keeps its own path.
        (["S/Api"], ["S/Api"]),
        (["S/Backend/Inner/Api"], ["S/Backend/Inner"]),
        # No metadata: the stack and the logical id.
        ([None], ["S/Api0"]),
        # Two resources one construct owns: their own paths.
        (["S/X/Api", "S/X/Resource"], ["S/X/Api", "S/X/Resource"]),
    ],
)
def test_apis_are_named_by_the_construct_that_owns_them(paths, names):
    template = {"Resources": {f"Api{i}": _api_resource(p) for i, p in enumerate(paths)}}
    found = template_apis(template, AssemblyAssets.of(None), stack="S")
    assert [api.path for api in found] == names


def test_an_api_in_a_stage_stack_is_named_from_the_manifest(assembly):
    """Templates synthesized without the CLI carry no aws:cdk:path; the manifest's
    metadata names the resources."""
    (template,) = (assembly.outdir / "assembly-Prod").glob("*.template.json")
    body = json.loads(template.read_text())
    assert not any("aws:cdk:path" in (r.get("Metadata") or {}) for r in body["Resources"].values())
    local = LocalAppSync.from_assembly(assembly.outdir, "Prod/Backend")
    assert local.api.source is not None
    assert local.api.source.path == "Prod/Backend/Api"
