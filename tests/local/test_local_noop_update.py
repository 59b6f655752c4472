"""A refused update that would change nothing is refused like any other.

AppSync counts a write whose condition failed as done when the item already is what the
write would leave (the DynamoDB resolver reference, "Condition expressions"), and the local
runtime does the same (``local/dynamodb.py``). Found by the conformance oracle
(tests/conformance): a caller the owner predicates refuse sent a key-only update, or the
stored value of a field, and got the record back instead of ``Unauthorized`` - so success
against ``Unauthorized`` told them the value of a field they may not read.
"""

from __future__ import annotations

import pytest
from stacks import api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Note @model(timestamps: null) @auth(rules: [{ allow: owner }]) {
  id: ID!
  title: String
}
"""

CREATE = 'mutation { createNote(input: {title: "salary review"}) { id } }'
UPDATE = "mutation($i: UpdateNoteInput!) { updateNote(input: $i) { id title } }"


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("NoopUpdate", SCHEMA)) as local:
        yield local


@pytest.fixture
def note(api):
    return ok(api.graphql(CREATE, auth=api.user("alice")), "createNote")["id"]


@pytest.mark.parametrize(
    "change",
    [{}, {"title": "salary review"}, {"title": "another guess"}],
    ids=["key-only", "the-stored-value", "another-value"],
)
def test_an_update_the_predicates_refuse_is_unauthorized_even_when_it_changes_nothing(
    api, note, change
):
    answer = api.graphql(UPDATE, {"i": {"id": note, **change}}, auth=api.user("mallory"))
    assert_denied(answer, "updateNote")


def test_the_owner_may_still_write_the_stored_value(api, note):
    same = {"id": note, "title": "salary review"}
    answer = api.graphql(UPDATE, {"i": same}, auth=api.user("alice"))
    assert ok(answer, "updateNote") == same


# -- create: the same rescue on a taken key ------------------------------------------------

TAKEN = """
type Vote @model(timestamps: null) @auth(rules: [
  { allow: owner }
  { allow: private, operations: [create] }
]) {
  id: ID!
  choice: String
  owner: String  # declared, so that a create can send the stored owner (issue 13)
}
"""

CREATE_VOTE = """mutation($c: String, $o: String) {
  createVote(input: {id: "v1", choice: $c, owner: $o}) { id choice } }"""


@pytest.fixture(scope="module")
def votes():
    with LocalAppSync.from_stack(api_stack("TakenKey", TAKEN)) as local:
        yield local


@pytest.mark.parametrize("choice", ["yes", "no"])
def test_a_create_on_a_taken_key_fails_alike_whatever_it_sends(votes, choice):
    alice = votes.user("alice", sub="s-alice")
    ok(votes.graphql(CREATE_VOTE, {"c": "yes"}, auth=alice), "createVote")
    # Bob may create (a static rule) and names Alice's record with her stored values:
    # identical or not, his create is refused, so it confirms nothing of what is stored.
    guess = {"c": choice, "o": "s-alice::alice"}
    answer = votes.graphql(CREATE_VOTE, guess, auth=votes.user("bob", sub="s-bob"))
    assert answer["data"] == {"createVote": None}
    assert [e["errorType"] for e in answer["errors"]] == [
        "DynamoDB:ConditionalCheckFailedException"
    ]
    deleted = votes.graphql('mutation { deleteVote(input: {id: "v1"}) { id } }', auth=alice)
    assert ok(deleted, "deleteVote") == {"id": "v1"}
