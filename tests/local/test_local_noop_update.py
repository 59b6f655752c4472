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
