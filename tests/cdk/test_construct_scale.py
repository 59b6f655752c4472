"""Several APIs in one stack, and a schema large enough to need nested stacks."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from authorized_appsync import ApiDefinition, ApiKeyConfig, AuthorizationModes, AuthorizedGraphqlApi
from authorized_appsync.cdk.placement import bucket_of

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from schemas import generated_schema

PUBLIC = "type Note @model @auth(rules: [{ allow: public }]) { text: String }"
MODELS = 35  # more than the API's own stack takes (this library's share of its 500 resources)


def _api(scope, construct_id: str, sdl: str) -> AuthorizedGraphqlApi:
    return AuthorizedGraphqlApi(
        scope,
        construct_id,
        definition=ApiDefinition.from_string(sdl),
        authorization_modes=AuthorizationModes(api_key_config=ApiKeyConfig()),
    )


def test_several_apis_share_a_stack():
    # Amplify's construct allows one API per stack; here the same id in two scopes works.
    stack = Stack(App(), "Shared")
    from constructs import Construct

    first = _api(Construct(stack, "TeamA"), "Api", PUBLIC)
    second = _api(Construct(stack, "TeamB"), "Api", PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::AppSync::GraphQLApi", 2)
    template.resource_count_is("AWS::DynamoDB::Table", 2)
    assert first.resources.models["Note"].ids.table != second.resources.models["Note"].ids.table


@pytest.fixture(scope="module")
def large() -> tuple[App, Stack, AuthorizedGraphqlApi]:
    app = App()
    stack = Stack(app, "Large")
    sdl = generated_schema(MODELS)  # a @hasMany to the next model every fifth model
    # Public rules only, so the API key mode covers every rule.
    sdl = "\n".join(
        line.split(" @auth(")[0] + " @auth(rules: [{ allow: public }]) {"
        if line.startswith("type Model")
        else line.split(" @auth(")[0]
        if "@auth(" in line
        else line
        for line in sdl.splitlines()
    )
    return app, stack, _api(stack, "Api", sdl)


def test_models_beyond_one_stack_go_to_nested_stacks(large):
    app, stack, api = large
    template = Template.from_stack(stack)
    # The API's own stack holds the API, schema, NONE data source, shared functions and
    # the data source role; the models are in nested stacks chosen by their names' hash.
    stacks = len({bucket_of(f"Model{i}", 2) for i in range(MODELS)})
    template.resource_count_is("AWS::CloudFormation::Stack", stacks)
    template.resource_count_is("AWS::DynamoDB::Table", 0)
    template.resource_count_is("AWS::AppSync::GraphQLSchema", 1)
    template.resource_count_is("AWS::AppSync::Resolver", 0)
    assembly = app.synth()
    nested = sorted(Path(assembly.directory).glob("*.nested.template.json"))
    assert len(nested) == stacks
    tables = 0
    for path in nested:
        body = json.loads(path.read_text())
        kinds = [r["Type"] for r in body["Resources"].values()]
        tables += kinds.count("AWS::DynamoDB::Table")
        assert len(kinds) <= 400
        assert {"ApiId", "NoneDataSourceName", "DataSourceRoleArn"} <= set(body["Parameters"])
        assert all(
            p.startswith("Function")
            for p in set(body["Parameters"]) - {"ApiId", "NoneDataSourceName", "DataSourceRoleArn"}
        )
    assert tables == MODELS
    # Placed automatically: the warning says how to pin it.
    warnings = [
        m.entry.data
        for m in assembly.get_stack_by_name("Large").messages
        if "model-stacks" in str(m.entry.data)
    ]
    assert len(warnings) == 1
    assert "Set model_stacks=2" in str(warnings[0])
    # The nested stacks are published as assets of the parent stack.
    manifest = json.loads(next(Path(assembly.directory).glob("Large.assets.json")).read_text())
    published = {f["source"]["path"] for f in manifest["files"].values()}
    assert {p.name for p in nested} <= published


def test_nested_models_are_named_but_not_constructs(large):
    _, _, api = large
    model = api.resources.models["Model34"]
    assert model.nested_stack is not None
    assert model.ids.table.endswith("Model34Table")
    with pytest.raises(LookupError, match="lives in the nested stack"):
        _ = model.table


def test_outputs_and_grants():
    stack = Stack(App(), "Grants")
    api = _api(stack, "Api", PUBLIC)
    from aws_cdk import aws_iam as iam

    role = iam.Role(stack, "Reader", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    api.grant_query(role, "getNote", "listNotes")
    template = Template.from_stack(stack).to_json()
    resolved = stack.resolve([api.api_id, api.graphql_url, api.realtime_url, api.api_key])
    assert [list(v) for v in resolved] == [["Fn::GetAtt"]] * 4
    (policy,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Policy"]
    statement = policy["Properties"]["PolicyDocument"]["Statement"][0]
    assert statement["Action"] == "appsync:GraphQL"
    arns = json.dumps(statement["Resource"])
    assert "types/Query/fields/getNote" in arns
    assert "types/Query/fields/listNotes" in arns
    assert "types/Mutation" not in arns
