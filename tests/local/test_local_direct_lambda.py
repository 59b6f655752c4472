"""Direct Lambda resolvers run locally: a resolver (or pipeline function) on an ``AWS_LAMBDA``
data source with no code and no mapping templates - CDK's ``create_resolver(...,
data_source=lambda_source)`` without ``code`` - invokes its function with AppSync's context
object, and the function's return value is the field's value (AWS AppSync Developer Guide,
resolver mapping template reference for Lambda, "Direct Lambda resolvers").

One stack holds them all: ``Query.echo`` answers the event it received (as JSON text),
``Query.pair`` an object, ``Query.fail`` raises, ``Shout.echo`` is a nested field,
``Query.batched`` has ``MaxBatchSize``, ``Query.piped`` is a pipeline whose middle function
is a direct Lambda function; ``Query.vtl`` (mapping templates) and ``Query.bare`` (no code
on a NONE data source) are refused with a sentence naming the resolver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_lambda as lambda_
from stacks import api_stack, ok

from authorized_appsync import AuthorizedGraphqlApi
from authorized_appsync.local import LocalAppSync
from authorized_appsync.local.assembly.template import DataSourceDef, ResolverDef
from authorized_appsync.local.lambdas.direct import run_direct
from authorized_appsync.local.shapes import AppSyncError

SCHEMA = """
type Note @model @auth(rules: [{ allow: owner }]) { text: String }

type Pair { n: Int twice: Int }
type Shout { text: String echo: String }

type Query {
  echo(text: String!): String @auth(rules: [{ allow: private }, { allow: public }])
  pair(n: Int!): Pair @auth(rules: [{ allow: private }])
  fail(kind: String!): String @auth(rules: [{ allow: private }])
  shout(text: String!): Shout @auth(rules: [{ allow: private }])
  batched(text: String!): String @auth(rules: [{ allow: private }])
  piped(text: String!): String @auth(rules: [{ allow: private }])
  odd: String @auth(rules: [{ allow: private }])
  broken: String @auth(rules: [{ allow: private }])
  vtl: String @auth(rules: [{ allow: private }])
  bare: String @auth(rules: [{ allow: private }])
}
"""

# The function behind every direct Lambda resolver of the stack.
FUNCTION = """
import json


class UnauthorizedException(Exception):
    pass


def handler(event, context):
    if isinstance(event, list):  # MaxBatchSize: one {data, errorMessage, errorType} each
        answers = []
        for one in event:
            text = one["arguments"]["text"]
            if text == "bad":
                answers.append({"data": {"text": "bad"}, "errorMessage": "bad text",
                                "errorType": "BadInput"})
            elif text == "bare":
                answers.append("a value without its data key")
            else:
                answers.append({"data": json.dumps(event)})
        return answers * 2 if event[0]["arguments"]["text"] == "twice" else answers
    field = event["info"]["fieldName"]
    if field == "pair":
        return {"n": event["arguments"]["n"], "twice": 2 * event["arguments"]["n"]}
    if field == "fail" and event["arguments"]["kind"] == "value":
        raise ValueError("no boom allowed")
    if field == "fail":
        raise UnauthorizedException("the function's own words")
    if field == "odd":
        return {"not JSON": {1, 2}}
    return json.dumps(event)
"""
BROKEN = "import a_module_nobody_installed\n\ndef handler(event, context):\n    return 1\n"

# A pipeline around a direct Lambda function: before stashes, after passes prev.result on.
PIPELINE = """
export function request(ctx) {
  ctx.stash.before = 'ran';
  return { from: 'before', text: ctx.args.text };
}
export function response(ctx) { return ctx.prev.result; }
"""
SHOUT = "export function request(ctx) { return { payload: { text: ctx.args.text } }; }\n" + (
    "export function response(ctx) { return ctx.result; }"
)
CONTEXT_KEYS = ["arguments", "identity", "source", "request", "prev", "info", "stash"]


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("direct")
    app = App(outdir=str(root / "cdk.out"))
    stack = api_stack("Direct", SCHEMA, app=app, api_key=True)
    api = stack.node.find_child("Api")
    assert isinstance(api, AuthorizedGraphqlApi)
    graphql = api.resources.graphql_api
    function = lambda_.Function(
        stack,
        "Echo",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline(FUNCTION),
    )
    source = graphql.add_lambda_data_source("EchoSource", function)
    broken = lambda_.Function(
        stack,
        "Broken",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline(BROKEN),
    )
    graphql.add_lambda_data_source("BrokenSource", broken).create_resolver(
        "BrokenDirect", type_name="Query", field_name="broken"
    )
    for field in ("echo", "pair", "fail", "odd"):
        graphql.create_resolver(
            f"{field}Direct", type_name="Query", field_name=field, data_source=source
        )
    graphql.create_resolver("ShoutEcho", type_name="Shout", field_name="echo", data_source=source)
    graphql.create_resolver(
        "Batched", type_name="Query", field_name="batched", data_source=source, max_batch_size=5
    )
    none = graphql.add_none_data_source("Nothing")
    none.create_resolver(
        "Shout",
        type_name="Query",
        field_name="shout",
        runtime=appsync.FunctionRuntime.JS_1_0_0,
        code=appsync.Code.from_inline(SHOUT),
    )
    step = appsync.AppsyncFunction(
        stack, "EchoStep", name="echoStep", api=graphql, data_source=source
    )
    graphql.create_resolver(
        "Piped",
        type_name="Query",
        field_name="piped",
        pipeline_config=[step],
        runtime=appsync.FunctionRuntime.JS_1_0_0,
        code=appsync.Code.from_inline(PIPELINE),
    )
    source.create_resolver(
        "Vtl",
        type_name="Query",
        field_name="vtl",
        request_mapping_template=appsync.MappingTemplate.lambda_request(),
        response_mapping_template=appsync.MappingTemplate.lambda_result(),
    )
    none.create_resolver("Bare", type_name="Query", field_name="bare")
    app.synth()
    return root / "cdk.out"


@pytest.fixture(scope="module")
def api(outdir: Path) -> Iterator[LocalAppSync]:
    with LocalAppSync.from_assembly(outdir) as local:
        yield local


def event_of(response: dict[str, Any], field: str) -> Any:
    return json.loads(ok(response, field))


ECHO = "query($t: String!) { echo(text: $t) }"


def test_the_function_receives_appsync_context(api):
    event = event_of(api.graphql(ECHO, {"t": "hi"}, auth=api.user("alice")), "echo")
    assert list(event) == CONTEXT_KEYS
    assert event["arguments"] == {"text": "hi"}
    assert event["source"] is None
    assert event["prev"] is None  # a unit resolver has no previous step
    assert event["stash"] == {}
    assert event["info"] == {
        "fieldName": "echo",
        "parentTypeName": "Query",
        "variables": {"t": "hi"},
        "selectionSetList": [],
        "selectionSetGraphQL": "",
    }
    assert set(event["request"]) == {"headers", "domainName"}


def test_identity_is_the_callers_for_their_mode(api):
    as_user = event_of(api.graphql(ECHO, {"t": "x"}, auth=api.user("alice")), "echo")
    assert as_user["identity"]["username"] == "alice"
    assert as_user["identity"]["claims"]["cognito:username"] == "alice"
    as_key = event_of(api.graphql(ECHO, {"t": "x"}, auth=api.api_key()), "echo")
    assert as_key["identity"] is None  # AppSync gives API-key callers no identity


def test_the_return_value_is_the_fields_value(api):
    query = "query { pair(n: 21) { n twice } }"
    assert ok(api.graphql(query, auth=api.user("alice")), "pair") == {"n": 21, "twice": 42}


def test_a_nested_field_receives_its_parent_as_source(api):
    query = 'query { shout(text: "loud") { text echo } }'
    shout = ok(api.graphql(query, auth=api.user("alice")), "shout")
    event = json.loads(shout["echo"])
    assert event["source"] == {"text": "loud"}
    assert event["info"]["fieldName"] == "echo"
    assert event["info"]["parentTypeName"] == "Shout"
    assert event["arguments"] == {}


@pytest.mark.parametrize(
    ("kind", "error_type", "message"),
    [
        # The function's own error type (a Python function: its exception's class).
        ("value", "ValueError", "no boom allowed"),
        # AppSync replaces an UnauthorizedException's message with its own.
        ("auth", "UnauthorizedException", "You are not authorized to make this call."),
    ],
)
def test_an_exception_is_the_fields_error(api, kind, error_type, message):
    failed = api.graphql(
        "query($k: String!) { fail(kind: $k) }", {"k": kind}, auth=api.user("alice")
    )
    assert failed["data"] == {"fail": None}
    (error,) = failed["errors"]
    assert (error["errorType"], error["message"]) == (error_type, message)
    assert error["path"] == ["fail"]


def test_lambda_runtime_errors_keep_their_types(api):
    odd = api.graphql("{ odd }", auth=api.user("alice"))
    (error,) = odd["errors"]
    assert error["errorType"] == "Runtime.MarshalError"
    assert error["message"].startswith("Unable to marshal response: ")
    broken = api.graphql("{ broken }", auth=api.user("alice"))
    (error,) = broken["errors"]
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert "No module named 'a_module_nobody_installed'" in error["message"]


def test_max_batch_size_sends_a_list_and_reads_entries(api):
    query = "query($t: String!) { batched(text: $t) }"
    batch = event_of(api.graphql(query, {"t": "hi"}, auth=api.user("alice")), "batched")
    assert isinstance(batch, list)
    assert len(batch) == 1  # locally every batch holds one field's context
    assert batch[0]["arguments"] == {"text": "hi"}
    assert batch[0]["info"]["fieldName"] == "batched"

    failed = api.graphql(query, {"t": "bad"}, auth=api.user("alice"))
    assert failed["data"] == {"batched": None}
    (error,) = failed["errors"]
    assert (error["errorType"], error["message"]) == ("BadInput", "bad text")
    assert error["data"] == {"text": "bad"}

    # An entry that is not an object has no "data": the field is null, without an error.
    assert api.graphql(query, {"t": "bare"}, auth=api.user("alice")) == {"data": {"batched": None}}
    twice = api.graphql(query, {"t": "twice"}, auth=api.user("alice"))
    (error,) = twice["errors"]
    assert error["errorType"] == "Lambda:Unhandled"
    assert error["message"].startswith(
        "The resolver Query.batched (MaxBatchSize 5) sent its function a batch of 1 context, "
        "and it answered ["
    )


def test_a_direct_lambda_function_in_a_pipeline(api):
    query = "query($t: String!) { piped(text: $t) }"
    event = event_of(api.graphql(query, {"t": "p"}, auth=api.user("alice")), "piped")
    assert list(event) == CONTEXT_KEYS
    assert event["prev"] == {"result": {"from": "before", "text": "p"}}
    assert event["stash"] == {"before": "ran"}
    assert event["info"]["fieldName"] == "piped"


@pytest.mark.parametrize(
    ("field", "says"),
    [
        (
            "vtl",
            "The resolver Query.vtl uses VTL mapping templates (RequestMappingTemplate, "
            "ResponseMappingTemplate); the local runtime runs APPSYNC_JS code and direct "
            "Lambda resolvers",
        ),
        (
            "bare",
            "The resolver Query.bare has neither code nor mapping templates, which AppSync "
            "allows only on an AWS_LAMBDA data source (a direct Lambda resolver); its data "
            "source 'Nothing' is of type NONE.",
        ),
    ],
)
def test_what_cannot_run_is_refused_by_name(api, field, says):
    failed = api.graphql(f"{{ {field} }}", auth=api.user("alice"))
    assert failed["data"] == {field: None}
    (error,) = failed["errors"]
    assert error["errorType"] == "UnsupportedOperation"
    assert says in error["message"]


@pytest.mark.parametrize(
    ("data_source", "defined", "says"),
    [
        (None, None, "it names no data source."),
        ("Gone", None, "its data source 'Gone' is not in the templates."),
        (
            "Table",
            DataSourceDef("Table", "AMAZON_DYNAMODB"),
            "its data source 'Table' is of type AMAZON_DYNAMODB.",
        ),
    ],
)
def test_a_step_without_code_needs_a_lambda_source(data_source, defined, says):
    step = ResolverDef("Query", "f", "", data_source=data_source, codeless=True)
    with pytest.raises(AppSyncError) as raised:
        run_direct(step, defined, None, {}, in_pipeline=False)
    assert raised.value.message == (
        "The resolver Query.f has neither code nor mapping templates, which AppSync allows "
        f"only on an AWS_LAMBDA data source (a direct Lambda resolver); {says}"
    )
    assert raised.value.extensions["errorType"] == "UnsupportedOperation"
