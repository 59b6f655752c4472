"""Owner fields on create as Amplify's construct shapes and checks them (issue 13), end to end
on the template's own resolvers.

- An owner field the type does not declare is added to the type by the owner rule but is in
  no create or update input (Amplify's auth transformer adds it after the model transformer
  made the inputs): a create or update naming it is refused by validation, the creator is
  the owner. A declared owner field stays in the inputs.
- A multi-owner list (``editors: [String]``): Amplify's create resolver admits by the owner
  rule only when the supplied list holds the caller, and fills a list left out with the
  caller alone; the caller is never added to a list that leaves them out.
"""

from __future__ import annotations

from typing import Any

import pytest
from stacks import api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Note @model @auth(rules: [{ allow: owner }]) {
  text: String
}

type Memo @model @auth(rules: [{ allow: owner }]) {
  text: String
  owner: String
}

type Doc @model @auth(rules: [
  { allow: owner, ownerField: "editors" }
  { allow: groups, groups: ["Admins"] }
]) {
  text: String
  editors: [String]
}
"""

CREATE_NOTE = "mutation($i: CreateNoteInput!) { createNote(input: $i) { id text owner } }"
UPDATE_NOTE = "mutation($i: UpdateNoteInput!) { updateNote(input: $i) { id owner } }"
GET_NOTE = "query($id: ID!) { getNote(id: $id) { id text owner } }"
CREATE_MEMO = "mutation($i: CreateMemoInput!) { createMemo(input: $i) { id owner } }"
CREATE_DOC = "mutation($i: CreateDocInput!) { createDoc(input: $i) { id editors } }"
GET_DOC = "query($id: ID!) { getDoc(id: $id) { id editors } }"


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("AmplifyOwnerInputs", SCHEMA)) as local:
        yield local


def _input_fields(api: LocalAppSync, type_name: str) -> list[str]:
    query = "query($t: String!) { __type(name: $t) { inputFields { name } } }"
    found = ok(api.graphql(query, {"t": type_name}, auth=api.user("alice")), "__type")
    return [f["name"] for f in found["inputFields"]]


def _refused_by_validation(response: dict[str, Any], input_type: str, field: str) -> None:
    """Refused before any resolver ran: no data, one error naming the input and the field."""
    assert response["data"] is None, response
    (error,) = response["errors"]
    assert f"'{input_type}'" in error["message"], error
    assert f"unknown field '{field}'" in error["message"], error


# -- an owner field the type does not declare ------------------------------------------------


def test_the_schema_has_no_implicit_owner_in_the_inputs(api):
    assert "owner" not in _input_fields(api, "CreateNoteInput")
    assert "owner" not in _input_fields(api, "UpdateNoteInput")
    # Still on the type, and filterable as in Amplify.
    assert "owner" in _input_fields(api, "ModelNoteFilterInput")
    assert "owner" in _input_fields(api, "ModelNoteConditionInput")


def test_a_create_naming_the_implicit_owner_is_a_validation_error(api):
    alice, bob = api.user("alice"), api.user("bob")
    literal = 'mutation { createNote(input: {text: "t", owner: "alice"}) { id } }'
    sent = api.graphql(literal, auth=bob)
    _refused_by_validation(sent, "CreateNoteInput", "owner")
    assert sent["errors"][0]["errorType"] == "ValidationError"
    # The same through a variable: its value is refused.
    sent = api.graphql(CREATE_NOTE, {"i": {"text": "t", "owner": "alice"}}, auth=bob)
    _refused_by_validation(sent, "CreateNoteInput", "owner")
    # Even naming oneself: the field is not there to name.
    mine = api.graphql(CREATE_NOTE, {"i": {"text": "t", "owner": "alice"}}, auth=alice)
    _refused_by_validation(mine, "CreateNoteInput", "owner")


def test_the_creator_is_the_owner_and_nobody_reassigns_it(api):
    alice = api.user("alice")
    made = ok(api.graphql(CREATE_NOTE, {"i": {"text": "t"}}, auth=alice), "createNote")
    assert made["owner"] == f"{alice.identity['sub']}::alice"
    moved = api.graphql(UPDATE_NOTE, {"i": {"id": made["id"], "owner": "bob"}}, auth=alice)
    _refused_by_validation(moved, "UpdateNoteInput", "owner")
    got = ok(api.graphql(GET_NOTE, {"id": made["id"]}, auth=alice), "getNote")
    assert got["owner"] == "alice"


def test_a_declared_owner_field_stays_in_the_inputs(api):
    assert "owner" in _input_fields(api, "CreateMemoInput")
    assert "owner" in _input_fields(api, "UpdateMemoInput")
    alice = api.user("alice")
    named = api.graphql(CREATE_MEMO, {"i": {"owner": "alice"}}, auth=alice)
    assert ok(named, "createMemo")["owner"] == "alice"
    # Naming someone else is the resolver's refusal, as before.
    other = api.graphql(CREATE_MEMO, {"i": {"owner": "bob"}}, auth=alice)
    assert_denied(other, "createMemo", "Mutation")


# -- multi-owner create ------------------------------------------------------------------------


def test_a_supplied_list_holding_the_caller_is_kept(api):
    alice = api.user("alice")
    made = api.graphql(CREATE_DOC, {"i": {"text": "t", "editors": ["bob", "alice"]}}, auth=alice)
    assert ok(made, "createDoc")["editors"] == ["bob", "alice"]


def test_a_supplied_list_without_the_caller_is_unauthorized(api):
    alice, bob = api.user("alice"), api.user("bob")
    before = _docs_of(api, bob)
    for editors in (["bob"], [], ["alice-not", "bob"]):
        sent = api.graphql(CREATE_DOC, {"i": {"text": "t", "editors": editors}}, auth=alice)
        assert_denied(sent, "createDoc", "Mutation")
    # bob, listed in the refused creates, was given no record.
    assert _docs_of(api, bob) == before


def _docs_of(api: LocalAppSync, user: object) -> list[str]:
    listed = ok(api.graphql("{ listDocs { items { id } } }", auth=user), "listDocs")
    return sorted(item["id"] for item in listed["items"])


def test_no_list_supplied_is_the_caller_alone(api):
    alice = api.user("alice")
    made = ok(api.graphql(CREATE_DOC, {"i": {"text": "t"}}, auth=alice), "createDoc")
    assert made["editors"] == [f"{alice.identity['sub']}::alice"]
    assert ok(api.graphql(GET_DOC, {"id": made["id"]}, auth=alice), "getDoc")["editors"] == [
        "alice"
    ]


def test_another_rule_may_create_a_list_without_the_caller(api):
    admin = api.user("root", groups=("Admins",))
    made = api.graphql(CREATE_DOC, {"i": {"text": "t", "editors": ["carol"]}}, auth=admin)
    assert ok(made, "createDoc")["editors"] == ["carol"]
    carol = api.user("carol")
    got = api.graphql(GET_DOC, {"id": ok(made, "createDoc")["id"]}, auth=carol)
    assert ok(got, "getDoc")["editors"] == ["carol"]
