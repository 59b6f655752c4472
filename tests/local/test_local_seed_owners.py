"""Owner rules end to end beyond the default (seed 003): a list of owners
(``ownerField: "authors"``) and an OIDC owner identified by a custom claim
(``identityClaim: "user_id"``) next to ``private`` OIDC read; the template's own resolvers on
moto's DynamoDB, allowed and denied callers for each rule.
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from stacks import api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Todo @model @auth(rules: [{ allow: owner, ownerField: "authors" }]) {
  content: String
  authors: [String]
}

type Task @model @auth(rules: [
  { allow: owner, provider: oidc, identityClaim: "user_id" }
  { allow: private, provider: oidc, operations: [read] }
]) {
  content: String
  owner: String
}
"""

CREATE_TODO = """mutation($c: String, $a: [String]) {
  createTodo(input: {content: $c, authors: $a}) { id content authors } }"""
GET_TODO = "query($id: ID!) { getTodo(id: $id) { id content authors } }"
LIST_TODOS = "{ listTodos { items { id content authors } } }"
UPDATE_TODO = """mutation($id: ID!, $c: String) {
  updateTodo(input: {id: $id, content: $c}) { id content authors } }"""
SET_AUTHORS = """mutation($id: ID!, $a: [String]) {
  updateTodo(input: {id: $id, authors: $a}) { id authors } }"""
DELETE_TODO = "mutation($id: ID!) { deleteTodo(input: {id: $id}) { id } }"

CREATE_TASK = """mutation($c: String, $o: String) {
  createTask(input: {content: $c, owner: $o}) { id content owner } }"""
GET_TASK = "query($id: ID!) { getTask(id: $id) { id content owner } }"
LIST_TASKS = "{ listTasks { items { id content owner } } }"
UPDATE_TASK = """mutation($id: ID!, $c: String) {
  updateTask(input: {id: $id, content: $c}) { id content } }"""
DELETE_TASK = "mutation($id: ID!) { deleteTask(input: {id: $id}) { id } }"


def build(app: App | None = None) -> Stack:
    """User pool users by default, and OIDC users of the provider at stacks.ISSUER."""
    return api_stack("Owners", SCHEMA, app=app, oidc=True)


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(build()) as local:
        yield local


def ids(response, field):
    return [item["id"] for item in ok(response, field)["items"]]


# -- multi-owner: ownerField "authors" [String] ----------------------------------------


def test_the_creator_is_added_to_the_authors(api):
    # Seed 003: "upon record creation, the authors list is populated with the creator of
    # the record."
    alice = api.user("alice")
    # Mutation responses hold the stored values: the creator as "<sub>::<username>".
    full = f"{alice.identity['sub']}::alice"
    made = ok(api.graphql(CREATE_TODO, {"c": "a"}, auth=alice), "createTodo")
    assert made["authors"] == [full]
    assert ok(api.graphql(GET_TODO, {"id": made["id"]}, auth=alice), "getTodo")["authors"] == [
        "alice"
    ]
    already = ok(api.graphql(CREATE_TODO, {"c": "c", "a": ["alice"]}, auth=alice), "createTodo")
    assert already["authors"] == ["alice"]
    with_bob = api.graphql(CREATE_TODO, {"c": "b", "a": ["alice", "bob"]}, auth=alice)
    assert ok(with_bob, "createTodo")["authors"] == ["alice", "bob"]


def test_a_supplied_authors_list_must_hold_the_creator(api):
    # Issue 13, as Amplify's create resolver: the creator is not added to a list that leaves
    # them out; the owner rule admits only when it holds one of their identities.
    alice, bob = api.user("alice"), api.user("bob")
    before = ids(api.graphql(LIST_TODOS, auth=bob), "listTodos")
    assert_denied(
        api.graphql(CREATE_TODO, {"c": "b", "a": ["bob"]}, auth=alice), "createTodo", "Mutation"
    )
    assert_denied(
        api.graphql(CREATE_TODO, {"c": "e", "a": []}, auth=alice), "createTodo", "Mutation"
    )
    # Nothing was written: bob, named in the refused list, finds no new record.
    assert ids(api.graphql(LIST_TODOS, auth=bob), "listTodos") == before
    # Each of the caller's identity forms counts as the caller.
    sub = (alice.identity or {})["sub"]
    for form in (sub, f"{sub}::alice"):
        made = api.graphql(CREATE_TODO, {"c": "f", "a": [form, "bob"]}, auth=alice)
        assert ok(made, "createTodo")["authors"] == [form, "bob"]


def test_an_added_author_can_update_and_a_stranger_cannot(api):
    # Seed 003: "The creator can then update the authors field with additional users. Any
    # user listed in the authors field can access the record."
    alice, bob, carol = api.user("alice"), api.user("bob"), api.user("carol")
    todo_id = ok(api.graphql(CREATE_TODO, {"c": "v1"}, auth=alice), "createTodo")["id"]
    # Before bob is added he is a stranger.
    assert_denied(
        api.graphql(UPDATE_TODO, {"id": todo_id, "c": "x"}, auth=bob), "updateTodo", "Mutation"
    )
    assert_denied(api.graphql(GET_TODO, {"id": todo_id}, auth=bob), "getTodo", "Query")
    added = ok(
        api.graphql(SET_AUTHORS, {"id": todo_id, "a": ["alice", "bob"]}, auth=alice), "updateTodo"
    )
    assert added["authors"] == ["alice", "bob"]
    changed = ok(api.graphql(UPDATE_TODO, {"id": todo_id, "c": "v2"}, auth=bob), "updateTodo")
    assert changed["content"] == "v2"
    assert ok(api.graphql(GET_TODO, {"id": todo_id}, auth=bob), "getTodo")["content"] == "v2"
    assert todo_id in ids(api.graphql(LIST_TODOS, auth=bob), "listTodos")
    # carol is not listed: no read, no update, no delete, no self-invitation.
    assert_denied(api.graphql(GET_TODO, {"id": todo_id}, auth=carol), "getTodo", "Query")
    assert todo_id not in ids(api.graphql(LIST_TODOS, auth=carol), "listTodos")
    assert_denied(
        api.graphql(UPDATE_TODO, {"id": todo_id, "c": "x"}, auth=carol), "updateTodo", "Mutation"
    )
    invite = api.graphql(SET_AUTHORS, {"id": todo_id, "a": ["alice", "bob", "carol"]}, auth=carol)
    assert_denied(invite, "updateTodo", "Mutation")
    assert_denied(api.graphql(DELETE_TODO, {"id": todo_id}, auth=carol), "deleteTodo", "Mutation")
    assert ok(api.graphql(GET_TODO, {"id": todo_id}, auth=alice), "getTodo") == {
        "id": todo_id,
        "content": "v2",
        "authors": ["alice", "bob"],
    }
    # Any listed author may delete.
    assert ok(api.graphql(DELETE_TODO, {"id": todo_id}, auth=bob), "deleteTodo") == {"id": todo_id}


def test_an_author_list_matches_sub_and_username_forms(api):
    # Seed 000: "The API will authorize against the full value of <sub>::<username> or
    # sub / username separately"
    alice, dan = api.user("alice"), api.user("dan")
    dan_sub = (dan.identity or {})["sub"]
    for form in (dan_sub, f"{dan_sub}::dan", "dan"):
        made = api.graphql(CREATE_TODO, {"c": "f", "a": ["alice", form]}, auth=alice)
        todo_id = ok(made, "createTodo")["id"]
        assert ok(api.graphql(GET_TODO, {"id": todo_id}, auth=dan), "getTodo")["id"] == todo_id
    impostor = api.user("dan2", sub=f"{dan_sub}-x")
    assert todo_id not in ids(api.graphql(LIST_TODOS, auth=impostor), "listTodos")


# -- OIDC owner (identityClaim "user_id") + private OIDC read ---------------------------


def oidc(user_id, **claims):
    return {"sub": f"sub-{user_id}", "user_id": user_id, **claims}


def test_oidc_owner_is_the_user_id_claim(api):
    # Seed 003: "In this example the record owner will check against a user_id claim."
    erin = api.oidc_user(oidc("u-erin"))
    task = ok(api.graphql(CREATE_TASK, {"c": "t"}, auth=erin), "createTask")
    assert task["owner"] == "u-erin"
    changed = ok(api.graphql(UPDATE_TASK, {"id": task["id"], "c": "u"}, auth=erin), "updateTask")
    assert changed["content"] == "u"
    assert ok(api.graphql(GET_TASK, {"id": task["id"]}, auth=erin), "getTask")["content"] == "u"
    assert ok(api.graphql(DELETE_TASK, {"id": task["id"]}, auth=erin), "deleteTask") == {
        "id": task["id"]
    }


def test_other_oidc_users_read_but_do_not_write(api):
    # Seed 003 (OIDC example): "{ allow: private, provider: oidc }" - here with
    # operations: [read]: any OIDC user reads, only the owner writes.
    erin, finn = api.oidc_user(oidc("u-erin")), api.oidc_user(oidc("u-finn"))
    task_id = ok(api.graphql(CREATE_TASK, {"c": "t"}, auth=erin), "createTask")["id"]
    got = ok(api.graphql(GET_TASK, {"id": task_id}, auth=finn), "getTask")
    assert got == {"id": task_id, "content": "t", "owner": "u-erin"}
    assert task_id in ids(api.graphql(LIST_TASKS, auth=finn), "listTasks")
    assert_denied(
        api.graphql(UPDATE_TASK, {"id": task_id, "c": "x"}, auth=finn), "updateTask", "Mutation"
    )
    assert_denied(api.graphql(DELETE_TASK, {"id": task_id}, auth=finn), "deleteTask", "Mutation")
    forged = api.graphql(CREATE_TASK, {"c": "x", "o": "u-erin"}, auth=finn)
    assert_denied(forged, "createTask", "Mutation")


def test_the_sub_is_not_the_owner_when_the_claim_is_user_id(api):
    # With identityClaim "user_id" only that claim's value identifies the owner.
    erin = api.oidc_user(oidc("u-erin"))
    task_id = ok(api.graphql(CREATE_TASK, {"c": "t"}, auth=erin), "createTask")["id"]
    same_sub = api.oidc_user({"sub": "sub-u-erin", "user_id": "u-other"})
    refused = api.graphql(UPDATE_TASK, {"id": task_id, "c": "x"}, auth=same_sub)
    assert_denied(refused, "updateTask", "Mutation")
    # A token without the claim reads (private) but cannot own anything.
    anonymous = api.oidc_user({"sub": "sub-none"})
    assert ok(api.graphql(GET_TASK, {"id": task_id}, auth=anonymous), "getTask")["id"] == task_id
    assert_denied(api.graphql(CREATE_TASK, {"c": "x"}, auth=anonymous), "createTask", "Mutation")


def test_user_pool_users_are_not_oidc_callers(api):
    # Rules of another provider never apply (docs/semantics.md); deny by default.
    erin = api.oidc_user(oidc("u-erin"))
    task_id = ok(api.graphql(CREATE_TASK, {"c": "t"}, auth=erin), "createTask")["id"]
    pool_erin = api.user("u-erin", claims={"user_id": "u-erin"})
    assert_denied(api.graphql(GET_TASK, {"id": task_id}, auth=pool_erin), "getTask", "Query")
    assert_denied(api.graphql(LIST_TASKS, auth=pool_erin), "listTasks", "Query")
    assert_denied(api.graphql(CREATE_TASK, {"c": "x"}, auth=pool_erin), "createTask", "Mutation")
