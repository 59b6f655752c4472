"""``LocalAppSync.lambda_token``: the template's own Lambda authorizer decides, as AppSync
runs it (seed 003: "The AppSync GraphQL API will receive a payload from Lambda after
invocation to allow or deny the API call accordingly"; "resolverContext" reaches the
resolvers; "deniedFields" are forced to null; "ttlOverride" caches the answer)."""

from __future__ import annotations

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import CredentialsRejectedError, LocalAppSync

SCHEMA = """type Salary @model @auth(rules: [{ allow: custom }]) {
  wage: Int
  currency: String
}"""
AUTHORIZER = """
CALLS = []

def handler(event, context):
    CALLS.append(event["authorizationToken"])
    if event["authorizationToken"] != "letmein":
        return {"isAuthorized": False}
    return {
        "isAuthorized": True,
        "resolverContext": {"userid": "u-1"},
        "deniedFields": ["Salary.wage"],
        "ttlOverride": 300,
    }
"""
CREATE = 'mutation { createSalary(input: {wage: 5, currency: "EUR"}) { id wage currency } }'


@pytest.fixture(scope="module")
def api():
    stack = api_stack(
        "LambdaToken", SCHEMA, default_mode="AWS_LAMBDA", user_pool=False, authorizer=AUTHORIZER
    )
    with LocalAppSync.from_stack(stack) as local:
        yield local


def test_an_admitted_token_carries_the_authorizers_answer(api):
    caller = api.lambda_token("letmein")
    assert caller.mode == "AWS_LAMBDA"
    assert caller.identity == {"resolverContext": {"userid": "u-1"}}
    created = ok(api.graphql(CREATE, auth=caller), "createSalary")
    # deniedFields: forced to null; the other fields come back.
    assert created["wage"] is None
    assert created["currency"] == "EUR"


def test_a_refused_token_is_appsyncs_401(api):
    with pytest.raises(CredentialsRejectedError) as refused:
        api.lambda_token("wrong")
    assert refused.value.status == 401
    (error,) = refused.value.body["errors"]
    assert error["errorType"] == "UnauthorizedException"
    assert error["message"] == "You are not authorized to make this call."


def test_an_api_without_a_lambda_mode_says_so():
    stack = api_stack("NoLambda", "type T @model @auth(rules: [{ allow: owner }]) { x: Int }")
    with (
        LocalAppSync.from_stack(stack) as local,
        pytest.raises(ValueError, match="has no AWS_LAMBDA mode"),
    ):
        local.lambda_token("letmein")
