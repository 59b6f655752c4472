"""Callers only field rules admit (partial readers) end to end: they get, list and
subscribe, and see the fields whose rules admit them; the rest is null with AppSync's
error (docs/semantics.md "Partial readers").

Seed 003: "When an authorization rule is added to a field, it'll strictly define the
authorization rules applied on the field. Field-level authorization rules do not inherit
model-level authorization rules. Meaning, only the specified field-level authorization rule
is applied."
"""

from __future__ import annotations

import pytest
from stacks import api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

# Profiles are their owners'; any signed-in user may read a profile's id, name and owner,
# never its email (no rule of the field admits them).
SCHEMA = """
type Profile @model(timestamps: null) @auth(rules: [{ allow: owner }]) {
  id: ID! @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])
  name: String @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])
  owner: String @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])
  email: String
}

# The owner's page; anyone with the API key may leave (and read) a message on it.
type Page @model(subscriptions: null, timestamps: null) @auth(rules: [{ allow: owner }]) {
  id: ID! @auth(rules: [{ allow: owner }, { allow: public, operations: [create, read] }])
  message: String @auth(rules: [{ allow: owner }, { allow: public, operations: [create, read] }])
  draft: String
}

# Any signed-in user may like a note (update `likes`); only its owner may read it.
type Note @model @auth(rules: [{ allow: owner }]) {
  content: String
  likes: Int @auth(rules: [{ allow: owner }, { allow: private, operations: [update] }])
}
"""

CREATE = """mutation($n: String, $e: String) {
  createProfile(input: {name: $n, email: $e}) { id name owner } }"""
GET = "query($id: ID!) { getProfile(id: $id) { id name owner email } }"
LIST = "{ listProfiles { items { id name owner email } } }"
RENAME = 'mutation($id: ID!) { updateProfile(input: {id: $id, name: "x"}) { id } }'
EMAIL = "Not Authorized to access email on type Profile"


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("PartialReaders", SCHEMA, api_key=True)) as local:
        yield local


@pytest.fixture(scope="module")
def alices(api):
    made = api.graphql(CREATE, {"n": "Alice", "e": "alice@example.com"}, auth=api.user("alice"))
    return ok(made, "createProfile")["id"]


def test_the_owner_reads_the_whole_profile(api, alices):
    got = ok(api.graphql(GET, {"id": alices}, auth=api.user("alice")), "getProfile")
    assert got == {"id": alices, "name": "Alice", "owner": "alice", "email": "alice@example.com"}


def test_another_signed_in_user_reads_what_the_field_rules_open(api, alices):
    got = api.graphql(GET, {"id": alices}, auth=api.user("bob"))
    assert got["data"]["getProfile"] == {
        "id": alices,
        "name": "Alice",
        "owner": "alice",
        "email": None,
    }
    (error,) = got["errors"]
    assert (error["message"], error["path"], error["errorInfo"]) == (
        EMAIL,
        ["getProfile"],
        {"path": ["email"]},
    )


def test_a_partial_reader_asking_only_for_open_fields_gets_no_error(api, alices):
    query = "query($id: ID!) { getProfile(id: $id) { name } }"
    got = ok(api.graphql(query, {"id": alices}, auth=api.user("bob")), "getProfile")
    assert got == {"name": "Alice"}


def test_lists_show_each_reader_what_they_may_read(api, alices):
    bob = api.user("bob")
    bobs = ok(api.graphql(CREATE, {"n": "Bob", "e": "bob@example.com"}, auth=bob), "createProfile")
    listed = api.graphql(LIST, auth=bob)
    items = {item["id"]: item for item in listed["data"]["listProfiles"]["items"]}
    assert items[alices] == {"id": alices, "name": "Alice", "owner": "alice", "email": None}
    assert items[bobs["id"]]["email"] == "bob@example.com"  # his own, read whole
    places = [e["errorInfo"]["path"] for e in listed["errors"]]
    assert all(e["message"] == EMAIL for e in listed["errors"])
    order = list(items)
    assert ["items", order.index(alices), "email"] in places
    assert ["items", order.index(bobs["id"]), "email"] not in places


def test_a_partial_reader_cannot_write_what_they_may_only_read(api, alices):
    assert_denied(api.graphql(RENAME, {"id": alices}, auth=api.user("bob")), "updateProfile")


def test_modes_no_rule_names_are_refused(api, alices):
    # Deny by default: no rule admits the API key, so AppSync refuses it at the directive.
    got = api.graphql(GET, {"id": alices}, auth=api.api_key())
    assert got["data"] == {"getProfile": None}
    assert got["errors"][0]["errorType"] == "Unauthorized"


def test_a_partial_reader_subscribes_and_never_receives_the_email(api):
    listen = "subscription { onCreateProfile { id name email } }"
    with api.subscribe(listen, auth=api.user("carol")) as carol:
        made = api.graphql(
            'mutation { createProfile(input: {name: "Dan", email: "d@example.com"}) '
            "{ id name email } }",
            auth=api.user("dan"),
        )
        # Mutation responses null email: a subscriber may not read it (seed 003).
        profile = ok(made, "createProfile")
        assert profile["email"] is None
        assert carol.next(timeout=2) == {
            "data": {"onCreateProfile": {"id": profile["id"], "name": "Dan", "email": None}}
        }


def test_a_partial_reader_cannot_search_by_what_they_may_not_read(api, alices):
    by_email = '{ listProfiles(filter: {email: {eq: "alice@example.com"}}) { items { id } } }'
    assert_denied(api.graphql(by_email, auth=api.user("bob")), "listProfiles")
    by_name = '{ listProfiles(filter: {name: {eq: "Alice"}}) { items { id } } }'
    assert [
        i["id"] for i in ok(api.graphql(by_name, auth=api.user("bob")), "listProfiles")["items"]
    ] == [alices]


LIKE = "mutation($id: ID!) { updateNote(input: {id: $id, likes: 3}) { id content likes } }"


def test_a_caller_who_may_write_but_not_read_gets_only_the_key_back(api):
    alice = api.user("alice")
    made = 'mutation { createNote(input: {content: "private thoughts"}) { id } }'
    note = ok(api.graphql(made, auth=alice), "createNote")["id"]
    liked = api.graphql(LIKE, {"id": note}, auth=api.user("bob"))
    # The write happened; the response shows bob the key he gave, nothing he may not read.
    assert liked["data"]["updateNote"] == {"id": note, "content": None, "likes": None}
    assert sorted(e["errorInfo"]["path"][0] for e in liked["errors"]) == ["content", "likes"]
    mine = ok(api.graphql(LIKE, {"id": note}, auth=alice), "updateNote")
    assert mine == {"id": note, "content": "private thoughts", "likes": 3}


def test_a_caller_only_field_rules_admit_creates_with_those_fields_alone(api):
    key = api.api_key()
    made = 'mutation { createPage(input: {message: "hello"}) { id message } }'
    page = ok(api.graphql(made, auth=key), "createPage")
    assert page["message"] == "hello"
    got = ok(
        api.graphql(
            "query($id: ID!) { getPage(id: $id) { id message } }", {"id": page["id"]}, auth=key
        ),
        "getPage",
    )
    assert got == page
    # `draft` is the model's: the API key may not set it.
    refused = api.graphql(
        'mutation { createPage(input: {message: "x", draft: "y"}) { id } }', auth=key
    )
    assert refused["data"] == {"createPage": None}
    assert refused["errors"][0]["message"] == "Unauthorized on [draft]"
