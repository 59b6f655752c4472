"""Deleting needs delete on every field, end to end (seed 003's ``Todo`` with an IAM rule
and an ``Admin`` group): the template's own resolvers on moto's DynamoDB.

Seed 003: "To prevent unintended loss of data, the user or role that attempts to delete a
record should have delete permissions on every field of the @model annotated GraphQL type."
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from stacks import IdentityPool, api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Todo
  @model
  @auth(rules: [{ allow: private, provider: iam }, { allow: groups, groups: ["Admin"] }]) {
  id: ID!
  name: String!
    @auth(rules: [{ allow: private, provider: iam }, { allow: groups, groups: ["Admin"] }])
  description: String @auth(rules: [{ allow: private, provider: iam }])
}
"""

CREATE = """mutation($n: String!, $d: String) {
  createTodo(input: {name: $n, description: $d}) { id name } }"""
GET = "query($id: ID!) { getTodo(id: $id) { id name description } }"
UPDATE = """mutation($id: ID!, $n: String, $d: String) {
  updateTodo(input: {id: $id, name: $n, description: $d}) { id name } }"""
DELETE = "mutation($id: ID!) { deleteTodo(input: {id: $id}) { id } }"


def build(app: App | None = None) -> Stack:
    """Signed-in identities of a new identity pool (no guests) by IAM; user pool users."""
    return api_stack(
        "DeleteAllFields",
        SCHEMA,
        app=app,
        default_mode="AWS_IAM",
        identity_pool=IdentityPool(guests=False, guest_role=False),
    )


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(build()) as local:
        yield local


def test_admins_cannot_delete_because_description_is_not_theirs(api):
    # Seed 003: "Since the description field is not accessible by "Admin" Cognito group
    # users, they cannot delete any Todo records."
    admin = api.user("root", groups=("Admin",))
    todo_id = ok(
        api.graphql(CREATE, {"n": "n", "d": "d"}, auth=api.iam("authenticated")), "createTodo"
    )["id"]
    refused = api.graphql(DELETE, {"id": todo_id}, auth=admin)
    assert_denied(refused, "deleteTodo", "Mutation")
    # Not even a record whose description is empty.
    bare_id = ok(api.graphql(CREATE, {"n": "bare"}, auth=admin), "createTodo")["id"]
    refused = api.graphql(DELETE, {"id": bare_id}, auth=admin)
    assert_denied(refused, "deleteTodo", "Mutation")
    assert ok(api.graphql(GET, {"id": todo_id}, auth=api.iam("authenticated")), "getTodo")


def test_admins_use_name_but_not_description(api):
    admin = api.user("root", groups=("Admin",))
    todo_id = ok(
        api.graphql(CREATE, {"n": "n", "d": "d"}, auth=api.iam("authenticated")), "createTodo"
    )["id"]
    got = api.graphql(GET, {"id": todo_id}, auth=admin)
    assert got["data"]["getTodo"] == {"id": todo_id, "name": "n", "description": None}
    (error,) = got["errors"]
    assert (error["path"], error["errorType"]) == (["getTodo", "description"], "Unauthorized")
    assert error["message"] == "Not Authorized to access description on type Todo"
    assert (
        ok(api.graphql(UPDATE, {"id": todo_id, "n": "m"}, auth=admin), "updateTodo")["name"] == "m"
    )
    refused = api.graphql(UPDATE, {"id": todo_id, "d": "x"}, auth=admin)
    assert_denied(refused, "updateTodo", message="Unauthorized on [description]")
    created = api.graphql(CREATE, {"n": "n", "d": "x"}, auth=admin)
    assert_denied(created, "createTodo", message="Unauthorized on [description]")


def test_the_authenticated_role_has_every_field_and_deletes(api):
    signed_in = api.iam("authenticated")
    todo_id = ok(api.graphql(CREATE, {"n": "n", "d": "d"}, auth=signed_in), "createTodo")["id"]
    changed = api.graphql(UPDATE, {"id": todo_id, "n": "m", "d": "e"}, auth=signed_in)
    assert ok(changed, "updateTodo")["name"] == "m"
    got = ok(api.graphql(GET, {"id": todo_id}, auth=signed_in), "getTodo")
    assert got == {"id": todo_id, "name": "m", "description": "e"}
    assert ok(api.graphql(DELETE, {"id": todo_id}, auth=signed_in), "deleteTodo") == {"id": todo_id}


def test_users_outside_the_group_and_other_roles_get_nothing(api):
    todo_id = ok(
        api.graphql(CREATE, {"n": "n", "d": "d"}, auth=api.iam("authenticated")), "createTodo"
    )["id"]
    for caller in (
        api.user("eve", groups=("Staff",)),
        api.iam("unauthenticated"),
        api.iam("Other"),
    ):
        assert_denied(api.graphql(GET, {"id": todo_id}, auth=caller), "getTodo", "Query")
        assert_denied(api.graphql(DELETE, {"id": todo_id}, auth=caller), "deleteTodo", "Mutation")
