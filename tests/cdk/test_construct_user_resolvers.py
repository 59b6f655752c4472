"""Resolvers a user adds to the API wait for the schema that declares their fields, as CDK's
own ``GraphqlApi`` makes its resolvers do (AppSync refuses a resolver on a field the schema
does not have yet, and CloudFormation would otherwise be free to create it first)."""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_appsync as appsync

from authorized_appsync import ApiDefinition, ApiKeyConfig, AuthorizationModes, AuthorizedGraphqlApi

SCHEMA = """
type Note @model @auth(rules: [{ allow: public }]) { text: String }
type Query {
  echo(text: String!): String @auth(rules: [{ allow: public }])
  shout(text: String!): String @auth(rules: [{ allow: public }])
  whisper(text: String!): String @auth(rules: [{ allow: public }])
}
"""
CODE = appsync.Code.from_inline(
    "export function request(ctx) { return { payload: ctx.args.text }; }\n"
    "export function response(ctx) { return ctx.result; }"
)


@pytest.fixture(scope="module")
def built() -> tuple[dict, str]:
    """The synthesized template and the schema's logical id."""
    app = App()
    stack = Stack(app, "Users")
    api = AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(SCHEMA),
        authorization_modes=AuthorizationModes(api_key_config=ApiKeyConfig()),
    )
    graphql = api.resources.graphql_api
    source = graphql.add_none_data_source("Echoes")
    js = appsync.FunctionRuntime.JS_1_0_0
    # Through the API's data source and through the API itself...
    source.create_resolver("Echo", type_name="Query", field_name="echo", code=CODE, runtime=js)
    graphql.create_resolver(
        "Shout", type_name="Query", field_name="shout", data_source=source, code=CODE, runtime=js
    )
    # ... and one made elsewhere, given the dependency by the documented method.
    elsewhere = appsync.CfnResolver(
        stack,
        "Whisper",
        api_id=api.api_id,
        type_name="Query",
        field_name="whisper",
        data_source_name=source.name,
        runtime=appsync.CfnResolver.AppSyncRuntimeProperty(
            name="APPSYNC_JS", runtime_version="1.0.0"
        ),
        code="export function request(ctx) { return {}; }\n"
        "export function response(ctx) { return null; }",
    )
    api.add_schema_dependency(elsewhere)
    template = app.synth().get_stack_by_name("Users").template
    return template, stack.resolve(api.resources.schema.logical_id)


def _user_resolvers(template: dict) -> dict[str, dict]:
    return {
        k: r
        for k, r in template["Resources"].items()
        if r["Type"] == "AWS::AppSync::Resolver"
        and r["Properties"]["FieldName"] in ("echo", "shout", "whisper")
    }


def test_user_resolvers_depend_on_the_schema(built: tuple[dict, str]) -> None:
    template, schema = built
    resolvers = _user_resolvers(template)
    assert sorted(r["Properties"]["FieldName"] for r in resolvers.values()) == [
        "echo",
        "shout",
        "whisper",
    ]
    for logical_id, resolver in resolvers.items():
        assert schema in resolver.get("DependsOn", []), logical_id
