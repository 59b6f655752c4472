"""The local @aws-appsync/utils shim and the node runner, against AppSync's documented
behaviour (APPSYNC.md §4-§7)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from authorized_appsync.local.js import runner
from authorized_appsync.local.js.runner import HandlerCall, JsRuntimeError, JsSession, run_handler

NOW = "2024-05-01T12:00:00.000Z"


def module(body: str, *, imports: str = "util, runtime, extensions") -> str:
    return f"import {{ {imports} }} from '@aws-appsync/utils';\n{body}\n"


@pytest.fixture(scope="module")
def session() -> Any:
    with JsSession() as s:
        yield s


def run(session: JsSession, body: str, ctx: dict[str, Any] | None = None, **kw: Any) -> Any:
    call = HandlerCall(
        module(body), "request", ctx or {}, kw.pop("auth_type", "API_KEY"), now=NOW, **kw
    )
    return session.run(call)


def test_run_handler_uses_its_own_process() -> None:
    got = run_handler(
        module("export function request(ctx) { return ctx.args.x + 1; }"),
        "request",
        {"arguments": {"x": 41}},
        "API_KEY",
    )
    assert got.result == 42
    assert got.error is None


def test_util_error_stops_and_carries_type_data_and_info(session: JsSession) -> None:
    got = run(
        session,
        "export function request() { util.error('boom', 'Custom', {a: 1}, {b: 2}); return 1; }",
    )
    assert got.result is None
    assert (got.error.message, got.error.error_type, got.error.data, got.error.error_info) == (
        "boom",
        "Custom",
        {"a": 1},
        {"b": 2},
    )


def test_omitted_error_arguments_are_null(session: JsSession) -> None:
    got = run(session, "export function request() { util.error('boom'); }")
    assert (got.error.error_type, got.error.data, got.error.error_info) == (None, None, None)


def test_append_error_does_not_stop(session: JsSession) -> None:
    got = run(
        session,
        "export function request() {"
        " util.appendError('a', 'T'); util.appendError('b'); return 'v'; }",
    )
    assert got.result == "v"
    assert [(e.message, e.error_type) for e in got.errors] == [("a", "T"), ("b", None)]


def test_unauthorized_names_the_field(session: JsSession) -> None:
    ctx = {"info": {"fieldName": "getPost", "parentTypeName": "Query"}}
    got = run(session, "export function request() { util.unauthorized(); }", ctx)
    assert (got.error.message, got.error.error_type) == (
        "Not Authorized to access getPost on type Query",
        "Unauthorized",
    )


def test_early_return(session: JsSession) -> None:
    got = run(session, "export function request() { runtime.earlyReturn({a: 1}); return 2; }")
    assert got.early_return is True
    assert got.result == {"a": 1}


@pytest.mark.parametrize(
    ("mode", "text"),
    [
        ("API_KEY", "API Key Authorization"),
        ("AWS_IAM", "IAM Authorization"),
        ("AMAZON_COGNITO_USER_POOLS", "User Pool Authorization"),
        ("OPENID_CONNECT", "Open ID Connect Authorization"),
        ("AWS_LAMBDA", "Lambda Authorization"),
        ("User Pool Authorization", "User Pool Authorization"),
    ],
)
def test_auth_type(session: JsSession, mode: str, text: str) -> None:
    got = run(session, "export function request() { return util.authType(); }", auth_type=mode)
    assert got.result == text


def test_context_shape_and_stash(session: JsSession) -> None:
    body = """export function request(ctx) {
        ctx.stash.seen = ctx.args === ctx.arguments;
        return [ctx.identity, ctx.source, ctx.prev.result, ctx.request.headers, ctx.info.variables];
    }"""
    got = run(session, body, {"arguments": {}})
    assert got.result == [None, None, None, {}, {}]
    assert got.stash == {"seen": True}


def test_dynamodb_conversions(session: JsSession) -> None:
    body = """export function request() {
        return [util.dynamodb.toMapValues({s: 'x', n: 1.5, b: true, z: null, l: [1], m: {k: 'v'}}),
                util.dynamodb.toStringSet(['a']), util.dynamodb.toNumber(3),
                util.dynamodb.toNull()];
    }"""
    got = run(session, body)
    assert got.result == [
        {
            "s": {"S": "x"},
            "n": {"N": "1.5"},
            "b": {"BOOL": True},
            "z": {"NULL": True},
            "l": {"L": [{"N": "1"}]},
            "m": {"M": {"k": {"S": "v"}}},
        },
        {"SS": ["a"]},
        {"N": "3"},
        {"NULL": True},
    ]


def test_filter_expression_is_a_json_string(session: JsSession) -> None:
    body = """export function request() {
        return util.transform.toDynamoDBFilterExpression(
            {title: {contains: 'Hello'}, or: [{votes: {gt: 1}}, {votes: {between: [5, 9]}}]});
    }"""
    got = run(session, body)
    assert isinstance(got.result, str)
    parsed = json.loads(got.result)
    assert parsed["expression"] == (
        "(contains(#title, :title_contains)) AND "
        "(((#votes > :votes_gt)) OR ((#votes BETWEEN :votes_between AND :votes_between_1)))"
    )
    assert parsed["expressionNames"] == {"#title": "title", "#votes": "votes"}
    assert parsed["expressionValues"][":title_contains"] == {"S": "Hello"}


def test_condition_expression_attribute_exists(session: JsSession) -> None:
    got = run(
        session,
        "export function request() {"
        " return util.transform.toDynamoDBConditionExpression({id: {attributeExists: false}}); }",
    )
    assert json.loads(got.result) == {
        "expression": "(attribute_not_exists(#id))",
        "expressionNames": {"#id": "id"},
    }


def test_subscription_filter_with_rules(session: JsSession) -> None:
    body = """export function request() {
        return util.transform.toSubscriptionFilter(
            {a: {eq: 1}, b: {ne: 2}}, ['b'], {owner: {in: ['x']}, g: {containsAny: ['y']}});
    }"""
    assert run(session, body).result == {
        "filterGroup": [
            {
                "filters": [
                    {"fieldName": "a", "operator": "eq", "value": 1},
                    {"fieldName": "owner", "operator": "in", "value": ["x"]},
                ]
            },
            {
                "filters": [
                    {"fieldName": "a", "operator": "eq", "value": 1},
                    {"fieldName": "g", "operator": "containsAny", "value": ["y"]},
                ]
            },
        ]
    }


def test_subscription_filter_limits(session: JsSession) -> None:
    body = """export function request() {
        extensions.setSubscriptionFilter(
            {filterGroup: [{filters: [{fieldName: 'a', operator: 'in',
                                      value: [1, 2, 3, 4, 5, 6]}]}]}
        );
    }"""
    got = run(session, body)
    assert got.error is not None
    assert "at most 5 values" in got.error.message
    ok = run(
        session,
        "export function request() { extensions.setSubscriptionFilter({filterGroup: []}); }",
    )
    assert ok.subscription_filter == {"filterGroup": []}


def test_time_ids_and_encodings(session: JsSession) -> None:
    body = """export function request() {
        return [util.time.nowISO8601(), util.time.nowEpochMilliSeconds(), util.autoId(),
                util.base64Decode(util.base64Encode('hé')), util.matches('a+b', 'aab'),
                util.matches('a', 'ab'),
                util.autoUlid().length, util.autoKsuid().length];
    }"""
    got = run(session, body)
    assert got.result[:2] == [NOW, 1714564800000]
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", got.result[2]
    )
    assert got.result[3:] == ["hé", True, False, 26, 27]


def test_javascript_errors_are_code_errors(session: JsSession) -> None:
    got = run(session, "export function request(ctx) { return ctx.nothing.here; }")
    assert got.error.error_type == "Code"
    assert "undefined" in got.error.message


def test_runaway_handlers_are_stopped(session: JsSession) -> None:
    got = run(session, "export function request() { for (;;) {} }", timeout_ms=200)
    assert got.error.error_type == "Code"
    assert "timed out" in got.error.message


def test_other_imports_are_refused(session: JsSession) -> None:
    call = HandlerCall(
        "import { x } from './lib/x.js';\nexport function request() {}\n", "request", {}, "API_KEY"
    )
    got = session.run(call)
    assert "bundle the resolver first" in got.error.message


def test_globals_are_there_without_imports(session: JsSession) -> None:
    call = HandlerCall(
        "export function request() { return util.isNull(null); }\n", "request", {}, "API_KEY"
    )
    assert session.run(call).result is True


def test_missing_node_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner.shutil, "which", lambda _: None)
    with pytest.raises(JsRuntimeError, match="Node.js"):
        run_handler("export function request() {}", "request", {}, "API_KEY")


NONE_SOURCE = """
export function request(ctx) {
    ctx.stash.seen = 'request';
    util.appendError('noted', 'Note');
    if (ctx.args.early) { runtime.earlyReturn({ early: true }); }
    if (ctx.args.fail) { util.error('refused', 'Unauthorized'); }
    return { payload: { echo: ctx.args.value } };
}
export function response(ctx) {
    return { got: ctx.result, stash: ctx.stash.seen };
}
"""
RESOLVER = """
export function request(ctx) { ctx.stash.resolver = true; return {}; }
export function response(ctx) { return { last: ctx.prev.result, result: ctx.result }; }
"""
TABLE = """
export function request(ctx) { return { operation: 'GetItem', key: ctx.prev.result }; }
export function response(ctx) { return { item: ctx.result, error: ctx.error ?? null }; }
"""


def unit_run(session: JsSession, args: dict[str, Any]) -> runner.ResolverAnswer:
    steps = (runner.Step(module(NONE_SOURCE), "none"),)
    return session.run_resolver(
        runner.ResolverRun(steps, False, {"arguments": args}, "API_KEY", now=NOW)
    )


def test_a_unit_resolver_on_a_none_source_runs_whole_in_one_call(session: JsSession) -> None:
    # What a NONE data source does between the handlers: the request's payload is the
    # response's ctx.result; the stash and appended errors carry over.
    got = unit_run(session, {"value": 7})
    assert got.done
    assert got.error is None
    assert got.result == {"got": {"echo": 7}, "stash": "request"}
    assert [e.message for e in got.errors] == ["noted"]
    refused = unit_run(session, {"fail": True})
    assert not refused.done
    assert refused.error is not None
    assert refused.error.error_type == "Unauthorized"
    # A unit resolver's early return is its response's ctx.result.
    early = unit_run(session, {"early": True})
    assert early.result == {"got": {"early": True}, "stash": "request"}


def test_a_pipeline_pauses_at_its_data_source_and_resumes_after_it(session: JsSession) -> None:
    steps = (
        runner.Step(module(RESOLVER), "none"),
        runner.Step(module(NONE_SOURCE), "none"),
        runner.Step(module(TABLE), "source"),
    )
    args = {"arguments": {"value": 1}}
    paused = session.run_resolver(runner.ResolverRun(steps, True, args, "API_KEY", now=NOW))
    assert not paused.done
    assert (paused.need, paused.step) == ("source", 2)
    assert paused.request == {
        "operation": "GetItem",
        "key": {"got": {"echo": 1}, "stash": "request"},
    }
    assert paused.stash == {"resolver": True, "seen": "request"}
    resumed = session.run_resolver(
        runner.ResolverRun(
            steps,
            True,
            {**args, "stash": paused.stash, "prev": paused.prev, "result": {"id": "1"}},
            "API_KEY",
            step=2,
            phase="response",
            now=NOW,
        )
    )
    assert resumed.done
    assert resumed.result == {
        "last": {"item": {"id": "1"}, "error": None},
        "result": {"item": {"id": "1"}, "error": None},
    }


def test_an_early_return_skips_what_appsync_skips(session: JsSession) -> None:
    # In a function's request: its data source and response (the value is its result); in
    # the resolver's request: every function (APPSYNC.md: runtime.earlyReturn).
    steps = (
        runner.Step(module(RESOLVER), "none"),
        runner.Step(module(NONE_SOURCE), "none"),
    )
    function = session.run_resolver(
        runner.ResolverRun(steps, True, {"arguments": {"early": True}}, "API_KEY", now=NOW)
    )
    assert function.result == {"last": {"early": True}, "result": {"early": True}}
    skipping = module(
        "export function request(ctx) { runtime.earlyReturn('short'); }\n"
        "export function response(ctx) { return [ctx.result, ctx.prev.result]; }"
    )
    steps = (runner.Step(skipping, "none"), runner.Step(module(TABLE), "source"))
    whole = session.run_resolver(runner.ResolverRun(steps, True, {}, "API_KEY", now=NOW))
    assert whole.done
    assert whole.result == ["short", "short"]


def test_an_early_return_skipping_to_the_end_skips_the_functions_after_it(
    session: JsSession,
) -> None:
    # AppSync's "Runtime utilities": with `skipTo` set to "END" in a function's request,
    # "the pipeline execution is skipped, and the pipeline resolver response handler is
    # called immediately"; "NEXT" skips that function only, as without options.
    ending = module(
        "export function request(ctx) {"
        " runtime.earlyReturn('ended', { skipTo: ctx.args.to }); }\n"
        "export function response() { return 'never'; }"
    )
    steps = (
        runner.Step(module(RESOLVER), "none"),
        runner.Step(ending, "none"),
        runner.Step(module(TABLE), "source"),
    )
    to_end = session.run_resolver(
        runner.ResolverRun(steps, True, {"arguments": {"to": "END"}}, "API_KEY", now=NOW)
    )
    assert to_end.done
    assert to_end.result == {"last": "ended", "result": "ended"}
    to_next = session.run_resolver(
        runner.ResolverRun(steps, True, {"arguments": {"to": "NEXT"}}, "API_KEY", now=NOW)
    )
    # The next function runs: the table's request, which pauses for its data source.
    assert not to_next.done
    assert (to_next.need, to_next.step) == ("source", 2)
