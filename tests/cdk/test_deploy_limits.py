"""Every template synthesis writes fits CloudFormation's limits, and what cannot fit is
refused at synth with the limit named.

CloudFormation (AWS CloudFormation quotas): a template body of at most 1,000,000 bytes (read
from S3), 500 resources, 200 outputs and 200 parameters per stack; a nested stack is a
stack of its own. AppSync: at most 32,768 characters of code per resolver or function.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    ConflictHandler,
    ConflictResolutionConfig,
    UserPoolConfig,
)
from authorized_appsync.cdk.checks import ConfigurationError
from authorized_appsync.cdk.limits import template_problems

MODELS = 60


def real_mix(models: int, *, related: bool = False) -> str:
    """A schema of a real rule mix: owners, multi-owner editors, two static groups, public
    read, an @index and a group-protected field on every model; ``related``: each model
    also has many of the next one, which belongs to it (a relation field's resolver reads
    the related model's table, which may sit in another nested stack)."""
    parts = []
    for i in range(models):
        relations = ""
        if related and i + 1 < models:
            relations += f"  next: [Task{i + 1}] @hasMany\n"
        if related and i > 0:
            relations += f"  previous: Task{i - 1} @belongsTo\n"
        parts.append(
            f"""type Task{i} @model @auth(rules: [
  {{ allow: owner }},
  {{ allow: owner, ownerField: "editors", operations: [read, update] }},
  {{ allow: groups, groups: ["Admins"] }},
  {{ allow: groups, groups: ["Managers"], operations: [read, update] }},
  {{ allow: public, operations: [read] }}
]) {{
  title: String!
  editors: [String]
  status: String @index(name: "byStatus{i}", queryField: "task{i}ByStatus")
  estimate: Int @auth(rules: [{{ allow: groups, groups: ["Managers"] }}, {{ allow: owner }}])
{relations}}}"""
        )
    return "\n\n".join(parts) + "\n"


def synthesize(sdl: str, outdir: Path, **props: object) -> Path:
    app = App(outdir=str(outdir))
    stack = Stack(app, "Tasks")
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(sdl),
        authorization_modes=AuthorizationModes(
            default_authorization_mode="AMAZON_COGNITO_USER_POOLS",
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users")),
            api_key_config=ApiKeyConfig(),
        ),
        **props,
    )
    app.synth()
    return outdir


@pytest.fixture(scope="module", params=[False, True], ids=["models", "related-models"])
def assembly(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The assembly of the real mix, and of the same with a relation between every pair of
    neighbouring models (one more synthesis, about 3 s)."""
    sdl = real_mix(MODELS, related=request.param)
    name = "limits-related" if request.param else "limits"
    return synthesize(sdl, tmp_path_factory.mktemp(name) / "cdk.out")


def test_every_template_of_the_assembly_fits_cloudformation(assembly: Path) -> None:
    templates = sorted(assembly.glob("*.template.json"))
    assert len(templates) >= 2, "60 such models need nested stacks"
    tables = relation_resolvers = 0
    for path in templates:
        size = path.stat().st_size
        body = json.loads(path.read_text())
        resources = body.get("Resources", {})
        assert size <= 1_000_000, f"{path.name}: {size:,} bytes"
        assert len(resources) <= 500, f"{path.name}: {len(resources)} resources"
        assert len(body.get("Outputs", {})) <= 200, path.name
        assert len(body.get("Parameters", {})) <= 200, path.name
        # This library's own margins (the API's stack keeps room for the app's resources).
        assert size <= 900_000, f"{path.name}: {size:,} bytes"
        assert len(resources) <= 450, f"{path.name}: {len(resources)} resources"
        for resource in resources.values():
            if resource["Type"] in (
                "AWS::AppSync::Resolver",
                "AWS::AppSync::FunctionConfiguration",
            ):
                code = resource["Properties"]["Code"]
                assert len(code if isinstance(code, str) else json.dumps(code)) <= 32_768
            tables += resource["Type"] == "AWS::DynamoDB::Table"
            relation_resolvers += resource["Type"] == "AWS::AppSync::Resolver" and resource[
                "Properties"
            ].get("FieldName") in ("next", "previous")
    assert tables == MODELS
    related = assembly.parent.name.startswith("limits-related")
    assert relation_resolvers == (2 * (MODELS - 1) if related else 0)


def test_the_api_stack_keeps_room_for_the_apps_own_resources(assembly: Path) -> None:
    body = json.loads((assembly / "Tasks.template.json").read_text())
    assert len(body["Resources"]) <= 250 + 10  # this library's share, and the app's pool
    assert (assembly / "Tasks.template.json").stat().st_size <= 520_000


def _refused(sdl: str, tmp_path: Path, **props: object) -> str:
    with pytest.raises(ConfigurationError) as raised:
        synthesize(sdl, tmp_path / "cdk.out", **props)
    return str(raised.value)


def test_a_stack_over_its_budget_is_refused_with_what_to_change(tmp_path: Path) -> None:
    message = _refused(real_mix(40), tmp_path, model_stacks=1)
    assert "AuthorizedGraphqlApi 'Tasks/Api' cannot be synthesized" in message
    assert (
        "nested stack Models0 would hold 40 models (Task0, Task1, Task2, Task3, Task4 ...)"
        in message
    )
    assert (
        "over this library's limit of 400 resources and 800,000 bytes per nested stack" in message
    )
    assert "(CloudFormation's: 500 and 1,000,000)" in message
    assert "Set model_stacks to 2" in message


def test_every_model_in_the_api_stack_is_refused_when_it_does_not_fit(tmp_path: Path) -> None:
    message = _refused(real_mix(40), tmp_path, model_stacks=0)
    assert "with model_stacks=0 every model is in the API's own stack" in message
    assert "under 250 resources and 500,000 bytes" in message
    assert "CloudFormation takes 500 and 1,000,000 per stack" in message
    assert "Set model_stacks to a number of nested stacks (e.g. 2)" in message


def test_resolver_code_over_appsyncs_limit_is_refused(tmp_path: Path) -> None:
    fields = "\n".join(
        f'  f{i}: String @auth(rules: [{{ allow: owner }}, {{ allow: groups, groups: ["G{i}"] }}])'
        for i in range(400)
    )
    model = "type Wide @model(subscriptions: null) @auth(rules: [{ allow: owner }])"
    sdl = f"{model} {{\n{fields}\n}}\n"
    message = _refused(sdl, tmp_path)
    assert re.search(
        r"The APPSYNC_JS code of the resolver Query\.getWide is [\d,]+ characters", message
    )
    assert "AppSync accepts at most 32,768 per resolver or function" in message
    assert "give fewer fields their own @auth rules, or split the model" in message


def test_a_bad_model_stacks_value_is_refused(tmp_path: Path) -> None:
    message = _refused(real_mix(1), tmp_path, model_stacks=-1)
    assert "model_stacks is -1; give 0 (every model in this stack)" in message


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            {"Resources": {f"R{i}": {} for i in range(501)}},
            "the stack would have 501 resources; CloudFormation takes at most 500 per stack",
        ),
        (
            {"Resources": {}, "Outputs": {f"O{i}": {} for i in range(201)}},
            "the stack would have 201 outputs; CloudFormation takes at most 200 per stack",
        ),
        (
            {"Resources": {}, "Parameters": {f"P{i}": {} for i in range(201)}},
            "the stack would have 201 parameters; CloudFormation takes at most 200 per stack",
        ),
        (
            {"Resources": {"R": {"Properties": {"Definition": "x" * 1_000_000}}}},
            "-byte template; CloudFormation takes at most 1,000,000 bytes",
        ),
    ],
    ids=["resources", "outputs", "parameters", "bytes"],
)
def test_each_cloudformation_limit_is_named(template: dict, expected: str) -> None:
    (problem,) = template_problems("the stack", template)
    assert expected in problem
    assert "Set model_stacks" in problem
    assert template_problems("the stack", {"Resources": {"R": {}}}) == []


def test_a_table_over_dynamodbs_global_secondary_indexes_is_refused(tmp_path: Path) -> None:
    keys = "\n".join(f'  k{i}: String @index(name: "byK{i}")' for i in range(19))
    sdl = (
        "type Shelf @model @auth(rules: [{ allow: owner }]) { books: [Book] @hasMany }\n"
        f"type Book @model @auth(rules: [{{ allow: owner }}]) {{\n{keys}\n}}\n"
    )
    message = _refused(sdl, tmp_path)
    assert (
        "the table of model 'Book' would have 22 global secondary indexes (20 for its @index "
        "directives and the foreign keys of @hasMany relations, 1 owner index, 1 relation "
        "owner index); DynamoDB takes at most 20 per table." in message
    )
    assert "Remove @index directives from 'Book' or @hasMany relations to it" in message


def test_the_delta_sync_index_counts_toward_dynamodbs_global_secondary_indexes(
    tmp_path: Path,
) -> None:
    # 19 @indexes and the owner index fit an unversioned table; versioned, the table needs
    # its delta-sync index too, one more than DynamoDB takes.
    keys = "\n".join(f'  k{i}: String @index(name: "byK{i}")' for i in range(19))
    sdl = f"type Book @model @auth(rules: [{{ allow: owner }}]) {{\n{keys}\n}}\n"
    synthesize(sdl, tmp_path / "plain.out")
    versioned = ConflictResolutionConfig(project=ConflictHandler.OPTIMISTIC_CONCURRENCY)
    message = _refused(sdl, tmp_path, conflict_resolution=versioned)
    assert (
        "the table of model 'Book' would have 21 global secondary indexes (19 for its @index "
        "directives and the foreign keys of @hasMany relations, 1 owner index, 0 relation "
        "owner indexes, the delta-sync index of conflict resolution); DynamoDB takes at most "
        "20 per table." in message
    )
