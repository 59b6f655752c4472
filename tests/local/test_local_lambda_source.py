"""``AWS_LAMBDA`` data sources a user adds beside the generated ones (through the L2
``api.resources.graphql_api`` escape hatch), run locally from the function's code: an asset
folder and inline code, ``Invoke`` and ``BatchInvoke``, the function's exception as
``ctx.error``, and a clear error for a runtime that cannot run here. The same stack also
checks that every loader agrees on the identity pool and takes ``resolver_timeout=``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_

from authorized_appsync import (
    ApiDefinition,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    UserPoolConfig,
)
from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.engine import RESOLVER_TIMEOUT_S

SCHEMA = """
type Note @model @auth(rules: [{ allow: owner }]) { text: String }

type Shout { text: String table: String function: String }

type Query {
  shout(text: String!): Shout @auth(rules: [{ allow: private }])
  shoutAll(text: String!): String @auth(rules: [{ allow: private }])
  shoutNode(text: String!): String @auth(rules: [{ allow: private }])
  spin: String @auth(rules: [{ allow: private }])
}
"""

# The asset function: a sibling module, its environment, its context, and an exception.
HANDLER = """
import os

from loud import loud


def handler(event, context):
    if event["text"] == "boom":
        raise ValueError("no boom allowed")
    return {
        "text": loud(event["text"]),
        "table": os.environ["NOTES_TABLE"],
        "function": context.function_name,
    }
"""
LOUD = "def loud(text):\n    return text.upper() + '!'\n"
# Inline code answering a batch: one result per payload, in order.
BATCH = "def handler(event, context):\n    return [p['text'] * 2 for p in event]\n"

INVOKE = """
import { util } from '@aws-appsync/utils';
export function request(ctx) {
  return { operation: 'Invoke', payload: { text: ctx.args.text } };
}
export function response(ctx) {
  if (ctx.error) { util.error(ctx.error.message, ctx.error.type); }
  return ctx.result;
}
"""
BATCH_INVOKE = INVOKE.replace("'Invoke'", "'BatchInvoke'")
SPIN = "export function request(ctx) { while (true) {} }\nexport function response(ctx) {}"

SHOUT = "query($t: String!) { shout(text: $t) { text table function } }"
TIMEOUT = 1.0


def _resolver(source: appsync.BaseDataSource, field: str, code: str) -> None:
    source.create_resolver(
        f"{field}Resolver",
        type_name="Query",
        field_name=field,
        runtime=appsync.FunctionRuntime.JS_1_0_0,
        code=appsync.Code.from_inline(code),
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Stack, Path, dict[str, str]]:
    """The stack, its cloud assembly (one synthesis) and logical ids the tests name."""
    root = tmp_path_factory.mktemp("lambda")
    code = root / "shout"
    code.mkdir()
    (code / "index.py").write_text(HANDLER)
    (code / "loud.py").write_text(LOUD)
    app = App(outdir=str(root / "cdk.out"))
    stack = Stack(app, "Shouts")
    api = AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(SCHEMA),
        authorization_modes=AuthorizationModes(
            default_authorization_mode="AMAZON_COGNITO_USER_POOLS",
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users")),
        ),
    )
    pool = cognito.CfnIdentityPool(stack, "Identities", allow_unauthenticated_identities=False)
    table = api.resources.models["Note"].table
    graphql = api.resources.graphql_api
    functions = {
        "ShoutAsset": lambda_.Function(
            stack,
            "ShoutAsset",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_asset(str(code)),
            environment={"NOTES_TABLE": table.ref},
        ),
        "ShoutInline": lambda_.Function(
            stack,
            "ShoutInline",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline(BATCH),
        ),
        "ShoutNode": lambda_.Function(
            stack,
            "ShoutNode",
            runtime=lambda_.Runtime.NODEJS_20_X,
            handler="index.handler",
            code=lambda_.Code.from_inline("exports.handler = async () => 'hi';"),
        ),
    }
    _resolver(graphql.add_lambda_data_source("Asset", functions["ShoutAsset"]), "shout", INVOKE)
    _resolver(
        graphql.add_lambda_data_source("Inline", functions["ShoutInline"]),
        "shoutAll",
        BATCH_INVOKE,
    )
    _resolver(graphql.add_lambda_data_source("Node", functions["ShoutNode"]), "shoutNode", INVOKE)
    _resolver(graphql.add_none_data_source("Spinning"), "spin", SPIN)
    app.synth()
    ids = {name: stack.get_logical_id(f.node.default_child) for name, f in functions.items()}
    ids["pool"] = stack.get_logical_id(pool)
    ids["table"] = stack.resolve(table.ref)["Ref"]
    return stack, root / "cdk.out", ids


@pytest.fixture(scope="module", params=["from_assembly", "from_stack"])
def api(request: pytest.FixtureRequest, built) -> Iterator[LocalAppSync]:
    stack, outdir, _ = built
    if request.param == "from_assembly":
        local = LocalAppSync.from_assembly(outdir, resolver_timeout=TIMEOUT)
    else:
        local = LocalAppSync.from_stack(stack, resolver_timeout=TIMEOUT)
    with local:
        yield local


def ok(response: dict, field: str):
    assert "errors" not in response, response
    return response["data"][field]


def test_an_asset_function_answers_invoke(api, built):
    _, _, ids = built
    shout = ok(api.graphql(SHOUT, {"t": "hi"}, auth=api.user("alice")), "shout")
    # Its sibling module loaded; its environment's table reference is the local table's
    # name; its context names the function.
    assert shout == {"text": "HI!", "table": ids["table"], "function": ids["ShoutAsset"]}


def test_the_function_exception_is_ctx_error(api):
    failed = api.graphql(SHOUT, {"t": "boom"}, auth=api.user("alice"))
    assert failed["data"] == {"shout": None}
    (error,) = failed["errors"]
    assert (error["errorType"], error["message"]) == ("Lambda:Unhandled", "no boom allowed")
    assert error["path"] == ["shout"]


def test_inline_code_answers_batch_invoke(api):
    query = "query($t: String!) { shoutAll(text: $t) }"
    assert ok(api.graphql(query, {"t": "ab"}, auth=api.user("alice")), "shoutAll") == "abab"


def test_a_function_of_another_runtime_is_a_clear_error(api, built):
    _, _, ids = built
    query = "query($t: String!) { shoutNode(text: $t) }"
    failed = api.graphql(query, {"t": "x"}, auth=api.user("alice"))
    assert failed["data"] == {"shoutNode": None}
    (error,) = failed["errors"]
    assert error["errorType"] == "UnsupportedOperation"
    assert "The Lambda data source Node cannot run locally" in error["message"]
    assert f"function {ids['ShoutNode']} runs 'index.handler' on nodejs20.x" in error["message"]


def test_loaders_agree_on_the_identity_pool(api, built):
    _, _, ids = built
    assert api.identity_pool_id == ids["pool"]
    assert api.api.identity_pool_id == ids["pool"]


def test_resolver_timeout_is_a_keyword_of_every_loader(api):
    assert api.resolver_timeout == TIMEOUT
    assert LocalAppSync.resolver_timeout == RESOLVER_TIMEOUT_S  # the class default stays
    spun = api.graphql("{ spin }", auth=api.user("alice"))
    assert [e["errorType"] for e in spun["errors"]] == ["ExecutionTimeout"]
