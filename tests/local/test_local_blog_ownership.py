"""The shipped blog example (examples/blog.graphql) end to end: who may take over a comment.

Security finding 8: Comment editors (`{allow: owner, ownerField: "editors", operations:
[read, update]}`) could set `owner` to themselves and then delete the comment. The example
now gives `owner` field-level rules leaving update to the owner (and Admins).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_cdk import Stack
from stacks import IdentityPool, api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

BLOG = (Path(__file__).resolve().parents[2] / "examples" / "blog.graphql").read_text()
AUTHORIZER = "def handler(event, context):\n    return {'isAuthorized': True}\n"

CREATE = """mutation($e: [String]) {
  createComment(input: {postId: "p1", content: "first", editors: $e}) { id owner editors } }"""
UPDATE = """mutation($id: ID!, $c: String, $o: String) {
  updateComment(input: {id: $id, content: $c, owner: $o}) { id content } }"""
DELETE = "mutation($id: ID!) { deleteComment(input: {id: $id}) { id } }"
GET = "query($id: ID!) { getComment(id: $id) { id content owner } }"


def blog_stack(name: str) -> Stack:
    """The shipped example with all its modes: API key, OIDC, identity pool, Lambda."""
    return api_stack(
        name, BLOG, api_key=True, oidc=True, identity_pool=IdentityPool(), authorizer=AUTHORIZER
    )


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(blog_stack("Blog")) as local:
        yield local


@pytest.fixture
def comment(api):
    alice, bob = api.user("alice"), api.user("bob")
    made = ok(
        api.graphql(CREATE, {"e": [f"{bob.identity['sub']}::bob"]}, auth=alice), "createComment"
    )
    return alice, bob, made


def test_finding_8_blog_example_editors_cannot_take_ownership(api, comment):
    alice, bob, made = comment
    taken = api.graphql(UPDATE, {"id": made["id"], "o": f"{bob.identity['sub']}::bob"}, auth=bob)
    # Only the owner rule (the record's owner) and Admins may change `owner`: the write's
    # condition holds for neither.
    assert_denied(taken, "updateComment", "Mutation")
    assert_denied(api.graphql(DELETE, {"id": made["id"]}, auth=bob), "deleteComment", "Mutation")
    # The comment is still alice's, and bob still edits it.
    assert ok(api.graphql(GET, {"id": made["id"]}, auth=alice), "getComment")["owner"] == "alice"
    edited = ok(api.graphql(UPDATE, {"id": made["id"], "c": "edited"}, auth=bob), "updateComment")
    assert edited == {"id": made["id"], "content": "edited"}


def test_the_owner_and_admins_may_still_reassign(api, comment):
    alice, bob, made = comment
    admin = api.user("ada", groups=("Admins",))
    carol = api.user("carol")
    to_carol = f"{carol.identity['sub']}::carol"
    handed = api.graphql(UPDATE, {"id": made["id"], "o": to_carol}, auth=alice)
    assert "errors" not in handed, handed
    assert ok(api.graphql(GET, {"id": made["id"]}, auth=carol), "getComment")["owner"] == "carol"
    back = api.graphql(
        UPDATE, {"id": made["id"], "o": f"{alice.identity['sub']}::alice"}, auth=admin
    )
    assert "errors" not in back, back
    assert ok(api.graphql(DELETE, {"id": made["id"]}, auth=alice), "deleteComment")
