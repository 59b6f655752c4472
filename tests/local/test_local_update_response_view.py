"""An owner who gives a record away gets the response of a model writer, whole.

docs/semantics.md, "Partial readers", field-only writers: "A caller the model's rules let
update gets the record back whole even without read". Found by the conformance oracle
(tests/conformance): on a model where a field rule also lets others update, the update's
response was judged on the record it returns, so an owner who handed the record to someone
else got every field but the key null (with errors), the view of a field-only writer,
while on a model without such a field rule she got it whole.
"""

from __future__ import annotations

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Note @model(timestamps: null, subscriptions: null) @auth(rules: [
  { allow: owner, ownerField: "editors" }
]) {
  id: ID!
  title: String
  likes: String @auth(rules: [
    { allow: owner, ownerField: "editors" }
    { allow: private, operations: [update] }
  ])
  editors: [String]
}
"""

CREATE = 'mutation { createNote(input: {title: "plan", likes: "1"}) { id } }'
GIVE = """mutation($id: ID!) {
  updateNote(input: {id: $id, editors: ["s-bob::bob"]}) { id title editors } }"""
LIKE = 'mutation($id: ID!) { updateNote(input: {id: $id, likes: "2"}) { id title } }'


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("UpdateResponseView", SCHEMA)) as local:
        yield local


def test_an_owner_giving_the_record_away_gets_it_back_whole(api):
    alice = api.user("alice", sub="s-alice")
    note = ok(api.graphql(CREATE, auth=alice), "createNote")["id"]
    given = api.graphql(GIVE, {"id": note}, auth=alice)
    assert ok(given, "updateNote") == {"id": note, "title": "plan", "editors": ["s-bob::bob"]}


def test_a_field_only_writer_still_gets_the_key_alone(api):
    note = ok(api.graphql(CREATE, auth=api.user("alice", sub="s-alice")), "createNote")["id"]
    liked = api.graphql(LIKE, {"id": note}, auth=api.user("carol", sub="s-carol"))
    assert liked["data"]["updateNote"] == {"id": note, "title": None}
    assert [e["errorType"] for e in liked["errors"]] == ["Unauthorized"]
