"""The synthesized API run in-process: seed 004's social feed end to end — the template's
own resolvers, on moto's DynamoDB.

Seed 004: "Anyone can read any posts; Any signed-in user can create, read, update, or
delete their own posts [owner 'Read' unchecked: others may not update or delete them];
Any user that are part of the "Admins" group is allowed to delete any posts".
"""

from __future__ import annotations

import pytest
from stacks import api_stack, error_types, ok

from authorized_appsync.local.app import LocalAppSync

SEED_004 = """
type Post @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner, operations: [create, update, delete] }
  { allow: groups, groups: ["Admins"], operations: [delete] }
]) {
  id: ID!
  content: String!
}
"""

CREATE = "mutation($c: String!) { createPost(input: {content: $c}) { id content owner } }"
UPDATE = (
    "mutation($id: ID!, $c: String!) { updatePost(input: {id: $id, content: $c}) { id content } }"
)
DELETE = "mutation($id: ID!) { deletePost(input: {id: $id}) { id } }"
LIST = "{ listPosts { items { id content owner } nextToken } }"


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("Feed", SEED_004, api_key=True)) as local:
        yield local


def test_signed_in_user_creates_a_post_and_anyone_reads_it(api):
    alice = api.user("alice")
    created = api.graphql(CREATE, {"c": "hello"}, auth=alice)
    post = ok(created, "createPost")
    # The mutation's response is the subscription event: the owner as stored, which owner
    # subscription filters judge (docs/semantics.md, "Read-back").
    assert post["owner"] == f"{alice.identity['sub']}::alice"
    listed = api.graphql(LIST, auth=api.api_key())
    # seed 000: "return username" for a stored <sub>::<username>
    assert {"id": post["id"], "owner": "alice"} in [
        {"id": p["id"], "owner": p["owner"]} for p in listed["data"]["listPosts"]["items"]
    ]


def test_api_key_cannot_write(api):
    denied = api.graphql(CREATE, {"c": "spam"}, auth=api.api_key())
    assert denied["data"] == {"createPost": None} or denied["data"] is None
    (error,) = denied["errors"]
    assert error["errorType"] == "Unauthorized"
    assert error["message"] == "Not Authorized to access createPost on type Mutation"


def test_owner_updates_and_others_cannot(api):
    alice, bob = api.user("alice"), api.user("bob")
    post_id = api.graphql(CREATE, {"c": "v1"}, auth=alice)["data"]["createPost"]["id"]
    assert (
        api.graphql(UPDATE, {"id": post_id, "c": "v2"}, auth=alice)["data"]["updatePost"]["content"]
        == "v2"
    )
    stolen = api.graphql(UPDATE, {"id": post_id, "c": "mine now"}, auth=bob)
    assert stolen["data"]["updatePost"] is None
    assert error_types(stolen) == ["Unauthorized"]
    vandal = api.graphql(DELETE, {"id": post_id}, auth=bob)
    assert error_types(vandal) == ["Unauthorized"]
    # Nothing changed: the condition on the write refused it atomically.
    listed = api.graphql(LIST, auth=api.api_key())["data"]["listPosts"]["items"]
    assert {"id": post_id, "content": "v2", "owner": "alice"} in listed


def test_admins_delete_anyones_post(api):
    alice = api.user("alice")
    moderator = api.user("mod", groups=("Admins",))
    post_id = api.graphql(CREATE, {"c": "off-topic"}, auth=alice)["data"]["createPost"]["id"]
    removed = api.graphql(DELETE, {"id": post_id}, auth=moderator)
    assert ok(removed, "deletePost")["id"] == post_id
    listed = api.graphql(LIST, auth=api.api_key())["data"]["listPosts"]["items"]
    assert post_id not in [p["id"] for p in listed]


def test_owner_deletes_own_post(api):
    alice = api.user("alice")
    post_id = api.graphql(CREATE, {"c": "bye"}, auth=alice)["data"]["createPost"]["id"]
    assert api.graphql(DELETE, {"id": post_id}, auth=alice)["data"]["deletePost"]["id"] == post_id


def test_missing_post_is_null_and_malformed_query_is_a_validation_error(api):
    got = api.graphql('{ getPost(id: "nope") { id } }', auth=api.api_key())
    assert got == {"data": {"getPost": None}}
    bad = api.graphql("{ getPost(id: 1) { nosuchfield } }", auth=api.api_key())
    assert bad["data"] is None
    assert error_types(bad) == ["ValidationError"]


def test_a_second_embedded_api_at_once_is_a_clear_error_and_leaves_nothing_behind(api):
    # `api` (module fixture) is open: the embedded DynamoDB already holds its tables.
    second = LocalAppSync(api.api)  # the same tables
    with pytest.raises(RuntimeError, match="already exists in the embedded DynamoDB"):
        second.__enter__()
    # The failed start stopped what it had started; the open API still works.
    listed = api.graphql(LIST, auth=api.api_key())
    assert "errors" not in listed
