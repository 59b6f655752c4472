"""Deny by default end to end (seed 003): the schema of ``test_local_seed_sandbox.py``
without sandbox mode. A model without rules is closed to everyone - its operations are not
even in the API - and ``input AMPLIFY { globalAuthRule ... }`` alone opens nothing.
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from stacks import api_stack, error_types, ok

# The schema and operations of test_local_seed_sandbox.py.
from test_local_seed_sandbox import OPEN, SCHEMA

from authorized_appsync.local.app import LocalAppSync


def build(app: App | None = None) -> Stack:
    """The API key by default, and user pool users; sandbox mode off (its default)."""
    return api_stack("DenyDefault", SCHEMA, app=app, default_mode="API_KEY", api_key=True)


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(build()) as local:
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
    ok(created, "createTodo")
    denied = api.graphql("{ listTodos { items { id } } }", auth=api.api_key())
    assert denied["data"] == {"listTodos": None}
    assert error_types(denied) == ["Unauthorized"]
