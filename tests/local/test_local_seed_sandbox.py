"""Sandbox mode end to end (seed 003 "Global authorization rule"): with
``sandbox_mode_enabled=True`` a model without rules is open to the API key for every
operation, and only to it; models with their own rules keep them. The template's own
resolvers on moto's DynamoDB. ``test_local_seed_deny_default.py`` is the same schema
without sandbox mode.
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from stacks import api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

# test_local_seed_deny_default.py runs this schema without sandbox mode.
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


def build(app: App | None = None, name: str = "Sandbox") -> Stack:
    """The API key by default, and user pool users; sandbox mode on."""
    return api_stack(name, SCHEMA, app=app, default_mode="API_KEY", api_key=True, sandbox=True)


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(build()) as local:
        yield local


def test_the_api_key_has_crud_on_a_model_without_rules(api):
    # Seed 003: "The global authorization rule (in this case { allow: public } - allows
    # anyone to create, read, update, and delete) is applied to every data model"
    key = api.api_key()
    created = ok(api.graphql(OPEN["create"], auth=key), "createOpen")
    assert ok(api.graphql(OPEN["get"], {"id": created["id"]}, auth=key), "getOpen") == created
    assert created in ok(api.graphql(OPEN["list"], auth=key), "listOpens")["items"]
    updated = ok(api.graphql(OPEN["update"], {"id": created["id"]}, auth=key), "updateOpen")
    assert updated == {"id": created["id"], "text": "u"}
    assert ok(api.graphql(OPEN["delete"], {"id": created["id"]}, auth=key), "deleteOpen") == updated
    assert api.graphql(OPEN["get"], {"id": created["id"]}, auth=key) == {"data": {"getOpen": None}}


def test_signed_in_users_are_not_the_global_rule(api):
    # Seed 003: "{ allow: public }" - public means the API key, not a user pool token.
    open_id = ok(api.graphql(OPEN["create"], auth=api.api_key()), "createOpen")["id"]
    alice = api.user("alice")
    assert_denied(api.graphql(OPEN["get"], {"id": open_id}, auth=alice), "getOpen", "Query")
    assert_denied(api.graphql(OPEN["list"], auth=alice), "listOpens", "Query")
    assert_denied(api.graphql(OPEN["create"], auth=alice), "createOpen", "Mutation")
    assert_denied(
        api.graphql(OPEN["update"], {"id": open_id}, auth=alice), "updateOpen", "Mutation"
    )
    assert_denied(
        api.graphql(OPEN["delete"], {"id": open_id}, auth=alice), "deleteOpen", "Mutation"
    )


def test_a_models_own_rules_win_over_the_global_rule(api):
    # Seed 003: "a model-level authorization rule will be used in favor of a global
    # authorization rule."
    alice, key = api.user("alice"), api.api_key()
    todo = ok(
        api.graphql('mutation { createTodo(input: {content: "c"}) { id } }', auth=alice),
        "createTodo",
    )
    assert_denied(api.graphql("{ listTodos { items { id } } }", auth=key), "listTodos", "Query")
    get = "query($id: ID!) { getTodo(id: $id) { id } }"
    assert_denied(api.graphql(get, {"id": todo["id"]}, auth=key), "getTodo", "Query")
    create = 'mutation { createTodo(input: {content: "spam"}) { id } }'
    assert_denied(api.graphql(create, auth=key), "createTodo", "Mutation")
    assert ok(api.graphql(get, {"id": todo["id"]}, auth=alice), "getTodo") == todo
