"""A field-level rule enforced by AppSync's own directives: readers of the record whose
mode the field's directive leaves out get the field as null with AppSync's error, and no
guard resolver is generated for it (seed 003: "Not Authorized to access <field> on type
<Type>" for a field the caller may not read; other fields still return)."""

from __future__ import annotations

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """type Note @model
  @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
  title: String
  secret: String @auth(rules: [{ allow: owner, operations: [read, update] }])
}

# Signed-in readers pass memo's directive, so get and list guard it (guardedFields); API-key
# readers are refused by the directive itself.
type Memo @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: private, operations: [read] }
  { allow: owner }
]) {
  title: String
  memo: String @auth(rules: [{ allow: owner }])
}"""
CREATE = 'mutation { createNote(input: {title: "t"}) { id } }'
SET_SECRET = 'mutation($id: ID!) { updateNote(input: {id: $id, secret: "s"}) { id secret } }'
GET = "query($id: ID!) { getNote(id: $id) { id title secret } }"
LIST = "{ listNotes { items { id title secret } } }"


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("FieldDirectives", SCHEMA, api_key=True)) as local:
        yield local


@pytest.fixture(scope="module")
def note(api):
    # `secret` allows read and update, not create: the owner sets it afterwards.
    alice = api.user("alice")
    created = ok(api.graphql(CREATE, auth=alice), "createNote")
    return ok(api.graphql(SET_SECRET, {"id": created["id"]}, auth=alice), "updateNote")


def test_no_guard_resolver_is_generated_for_the_field(api):
    assert ("Note", "secret") not in api.api.resolvers


def test_the_owner_reads_the_field(api, note):
    # Mutation responses null it: API-key subscribers could not read it (seed 003).
    assert note["secret"] is None
    got = ok(api.graphql(GET, {"id": note["id"]}, auth=api.user("alice")), "getNote")
    assert got == {"id": note["id"], "title": "t", "secret": "s"}


def test_api_key_readers_get_the_record_without_the_field(api, note):
    got = api.graphql(GET, {"id": note["id"]}, auth=api.api_key())
    assert got["data"]["getNote"] == {"id": note["id"], "title": "t", "secret": None}
    (error,) = got["errors"]
    assert error["errorType"] == "Unauthorized"
    assert error["message"] == "Not Authorized to access secret on type Note"
    assert error["path"] == ["getNote", "secret"]


def test_api_key_lists_without_the_field(api, note):
    got = api.graphql(LIST, auth=api.api_key())
    items = got["data"]["listNotes"]["items"]
    assert {"id": note["id"], "title": "t", "secret": None} in items
    assert {e["message"] for e in got["errors"]} == {"Not Authorized to access secret on type Note"}


def test_another_signed_in_user_gets_nothing(api, note):
    got = api.graphql(GET, {"id": note["id"]}, auth=api.user("bob"))
    assert got["data"]["getNote"] is None
    assert got["errors"][0]["errorType"] == "Unauthorized"


MEMO = "query($id: ID!) { getMemo(id: $id) { id title memo } }"


@pytest.fixture(scope="module")
def memo(api):
    made = 'mutation { createMemo(input: {title: "m", memo: "private"}) { id } }'
    return ok(api.graphql(made, auth=api.user("alice")), "createMemo")


def test_a_mode_the_directive_refuses_gets_appsyncs_error_alone(api, memo):
    # The guard in getMemo leaves the error to AppSync's directive check: one error, on
    # the field's path, not two.
    got = api.graphql(MEMO, {"id": memo["id"]}, auth=api.api_key())
    assert got["data"]["getMemo"] == {"id": memo["id"], "title": "m", "memo": None}
    (error,) = got["errors"]
    assert (error["path"], error["message"]) == (
        ["getMemo", "memo"],
        "Not Authorized to access memo on type Memo",
    )


def test_a_mode_the_directive_admits_gets_the_guards_error(api, memo):
    got = api.graphql(MEMO, {"id": memo["id"]}, auth=api.user("bob"))
    assert got["data"]["getMemo"] == {"id": memo["id"], "title": "m", "memo": None}
    (error,) = got["errors"]
    assert (error["path"], error["errorInfo"]) == (["getMemo"], {"path": ["memo"]})
    owner = ok(api.graphql(MEMO, {"id": memo["id"]}, auth=api.user("alice")), "getMemo")
    assert owner["memo"] == "private"
