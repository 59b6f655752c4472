"""Deny by default end to end (seed 003): the schema of ``test_local_seed_sandbox.py``
without sandbox mode. A model without rules is closed to everyone - its operations are not
even in the API - and ``input AMPLIFY { globalAuthRule ... }`` alone opens nothing.
"""

from __future__ import annotations

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
from authorized_appsync.local.app import LocalAppSync

# The schema of test_local_seed_sandbox.py.
SCHEMA = """
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }

type Open @model {
  id: ID!
  text: String
}

type Todo @model @auth(rules: [{ allow: owner }]) {
  content: String
}
"""

OPEN = {
    "create": 'mutation { createOpen(input: {text: "t"}) { id text } }',
    "get": "query($id: ID!) { getOpen(id: $id) { id text } }",
    "list": "{ listOpens { items { id text } } }",
    "update": 'mutation($id: ID!) { updateOpen(input: {id: $id, text: "u"}) { id text } }',
    "delete": "mutation($id: ID!) { deleteOpen(input: {id: $id}) { id text } }",
}


@pytest.fixture(scope="module")
def api():
    stack = Stack(App(), "DenyDefault")
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(SCHEMA),
        # sandbox_mode_enabled left at its default (False)
        authorization_modes=AuthorizationModes(
            default_authorization_mode="API_KEY",
            api_key_config=ApiKeyConfig(),
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users")),
        ),
    )
    with LocalAppSync.from_stack(stack) as local:
        yield local


@pytest.mark.parametrize(
    ("operation", "field"),
    [
        ("create", "createOpen"),
        ("get", "getOpen"),
        ("list", "listOpens"),
        ("update", "updateOpen"),
        ("delete", "deleteOpen"),
    ],
)
def test_a_model_without_rules_has_no_operations(api, operation, field):
    # Seed 003: "Authorization rules operate on the deny-by-default principle. Meaning that
    # if an authorization rule is not specifically configured, it is denied."
    # docs/semantics.md: the AMPLIFY global rule "does not by itself open anything"; the
    # sandbox "needs to be explicitly enabled via an input parameter" (seed 003).
    for caller in (api.api_key(), api.user("alice")):
        response = api.graphql(OPEN[operation], {"id": "any"}, auth=caller)
        assert response["data"] is None
        (error,) = response["errors"]
        assert error["errorType"] == "ValidationError"
        assert error["message"].startswith(f"Cannot query field '{field}' on type ")


def test_models_with_rules_still_work(api):
    alice = api.user("alice")
    created = api.graphql('mutation { createTodo(input: {content: "c"}) { id } }', auth=alice)
    assert "errors" not in created, created
    denied = api.graphql("{ listTodos { items { id } } }", auth=api.api_key())
    assert denied["data"] == {"listTodos": None}
    assert [e["errorType"] for e in denied["errors"]] == ["Unauthorized"]
