"""A relation field never shows more than reading its records directly shows
(docs/semantics.md, "Relations"); regressions the relation property test
(tests/conformance/test_relations.py) found, and paging through a relation:

- the key a relation takes from the record holding it is asked as a key argument: a
  caller only field rules admit to the related model (a partial reader) is refused, as by
  its index query or get, instead of being shown which records are connected; a caller a
  key field's own rules admit as its owner sees only the records they may read it on;
- a relation whose key field the caller may not read on the record holding it (its own
  rules, or the Lambda authorizer's deniedFields) is null: reading directly, they could not
  name the related record either;
- ``children(limit: 2)`` pages give each connected child once, per parent, and a page token
  of one parent replayed on another shows nothing beyond that parent's own children the
  rules let the caller read.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

AUTHORIZER = "def handler(event, context):\n    return {'isAuthorized': True}\n"

PARTIAL = """
type Par @model(subscriptions: null, timestamps: null)
  @auth(rules: [{ allow: public }, { allow: private, operations: [read] }]) {
  title: String
  kids: [Kid] @hasMany
  notes: [Note] @hasMany(references: ["parId"])
}

type Kid @model(subscriptions: null, timestamps: null) @auth(rules: [{ allow: public }]) {
  id: ID! @auth(rules: [{ allow: groups, groupsField: "grp" }, { allow: public }])
  secret: String @auth(rules: [{ allow: groups, groupsField: "grp" }, { allow: public }])
  grp: String
  par: Par @belongsTo
}

type Note @model(subscriptions: null, timestamps: null) @auth(rules: [{ allow: public }]) {
  id: ID! @auth(rules: [{ allow: groups, groupsField: "grp" }, { allow: public }])
  grp: String @auth(rules: [{ allow: groups, groupsField: "grp" }, { allow: public }])
  parId: ID
  par: Par @belongsTo(references: ["parId"])
}

type Box @model(subscriptions: null, timestamps: null) @auth(rules: [{ allow: public }]) {
  secret: String @auth(rules: [{ allow: groups, groupsField: "grp" }, { allow: public }])
  grp: String
}

type Tag @model(subscriptions: null, timestamps: null)
  @auth(rules: [{ allow: public }, { allow: private, operations: [read] }]) {
  box: Box @belongsTo
}
"""

KEYS = """
type Par @model(subscriptions: null) @auth(rules: [{ allow: private }, { allow: custom }]) {
  title: String
  kids: [Kid] @hasMany
  notes: [Note] @hasMany(references: ["parId"])
}

type Kid @model(subscriptions: null) @auth(rules: [{ allow: owner }, { allow: custom }]) {
  name: String
  par: Par @belongsTo
}

type Note @model(subscriptions: null)
  @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }, { allow: custom }]) {
  text: String
  parId: ID @auth(rules: [{ allow: owner }, { allow: custom }])
  par: Par @belongsTo(references: ["parId"])
}
"""


def _put(api: LocalAppSync, model: str, **values: str) -> None:
    (table,) = [t for k, t in api.api.tables.items() if k.endswith(f"{model}Table")]
    item = {k: {"S": v} for k, v in values.items()} | {"__typename": {"S": model}}
    api.client.put_item(TableName=table.name, Item=item)


def _refusals(response: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(e["errorType"], e["path"]) for e in response.get("errors", [])]


@pytest.fixture(scope="module")
def partial():
    """Kid, Note and Box read by the API key, alice (group A) only through the fields whose
    dynamic group rule names her group on the record; Par and Tag by every signed-in user."""
    with LocalAppSync.from_stack(api_stack("RelationPartial", PARTIAL, api_key=True)) as api:
        _put(api, "Par", id="p0", title="t")
        _put(api, "Box", id="b0", secret="s", grp="A")
        _put(api, "Tag", id="t0", tagBoxId="b0")
        _put(api, "Kid", id="k0", secret="s", grp="A", parKidsId="p0")
        _put(api, "Note", id="n0", grp="A", parId="p0")
        yield api


def test_a_partial_reader_of_the_children_is_refused_the_connection_as_by_a_direct_read(partial):
    """alice may read k0's id and secret, not its parKidsId: listing kids by that key is
    refused, so the connection of p0 (which would tell that k0 belongs to p0) is too."""
    alice = partial.user("alice", groups=("A",))
    direct = partial.graphql(
        '{ listKids(filter: { parKidsId: { eq: "p0" } }) { items { id secret } } }', auth=alice
    )
    assert _refusals(direct) == [("Unauthorized", ["listKids"])]
    query = '{ getPar(id: "p0") { title kids { items { id } } notes { items { id } } } }'
    got = partial.graphql(query, auth=alice)
    assert got["data"] == {"getPar": {"title": "t", "kids": None, "notes": None}}
    assert _refusals(got) == [
        ("Unauthorized", ["getPar", "kids"]),
        ("Unauthorized", ["getPar", "notes"]),
    ]
    # The API key reads the model: the connection is there.
    shown = ok(partial.graphql(query, auth=partial.api_key()), "getPar")
    assert shown["kids"] == {"items": [{"id": "k0"}]}


def test_a_partial_reader_of_the_parent_is_refused_it_through_belongs_to_as_by_its_get(partial):
    """alice reads b0 only through Box.secret's rules, and Box.id is the model's: getBox(id)
    is refused her, and so is the box of a tag she reads (whose key she does read)."""
    alice = partial.user("alice", groups=("A",))
    direct = partial.graphql('{ getBox(id: "b0") { secret } }', auth=alice)
    assert _refusals(direct) == [("Unauthorized", ["getBox"])]
    got = partial.graphql('{ getTag(id: "t0") { tagBoxId box { secret } } }', auth=alice)
    assert got["data"] == {"getTag": {"tagBoxId": "b0", "box": None}}
    assert _refusals(got) == [("Unauthorized", ["getTag", "box"])]


@pytest.fixture(scope="module")
def keyed():
    stack = api_stack("RelationKeys", KEYS, authorizer=AUTHORIZER)
    with LocalAppSync.from_stack(stack) as api:
        _put(api, "Par", id="p0", title="alice's")
        _put(api, "Note", id="n-alice", text="a", parId="p0", owner="s-alice::alice")
        _put(api, "Note", id="n-bob", text="b", parId="p0", owner="s-bob::bob")
        yield api


def _user(api: LocalAppSync, name: str) -> Any:
    return api.user(name, sub=f"s-{name}")


def test_a_key_field_the_caller_may_not_read_keys_no_relation(keyed):
    """Note.parId is readable by the note's owner only: bob reads alice's note (private
    read), its parId is null with its error, and its parent is null too."""
    bob = _user(keyed, "bob")
    query = "query($id: ID!) { getNote(id: $id) { text parId par { title } } }"
    got = keyed.graphql(query, {"id": "n-alice"}, auth=bob)
    assert got["data"] == {"getNote": {"text": "a", "parId": None, "par": None}}
    assert _refusals(got) == [("Unauthorized", ["getNote", "parId"])]
    # His own note's parent he reads.
    own = ok(keyed.graphql(query, {"id": "n-bob"}, auth=bob), "getNote")
    assert own == {"text": "b", "parId": "p0", "par": {"title": "alice's"}}


def test_a_connection_keyed_by_a_field_readable_to_its_owners_shows_each_reader_their_own(keyed):
    """Through p0, bob sees the notes whose parId he may read (his), not alice's: the
    connection would tell him her note's parId."""
    query = '{ getPar(id: "p0") { notes { items { id } } } }'
    seen = {}
    for name in ("alice", "bob", "carol"):
        got = ok(keyed.graphql(query, auth=_user(keyed, name)), "getPar")
        seen[name] = [n["id"] for n in got["notes"]["items"]]
    assert seen == {"alice": ["n-alice"], "bob": ["n-bob"], "carol": []}


def test_a_key_field_the_lambda_authorizer_denied_keys_no_relation(keyed):
    denied = ("Note.parId",)
    caller = keyed.lambda_caller({"deniedFields": json.dumps(denied)}, denied)
    got = keyed.graphql('{ getNote(id: "n-bob") { text parId par { title } } }', auth=caller)
    assert got["data"] == {"getNote": {"text": "b", "parId": None, "par": None}}
    assert "errors" not in got  # deniedFields are nulled without an error
    # Nor may the caller list notes by it, through p0 or directly.
    through = keyed.graphql('{ getPar(id: "p0") { notes { items { id } } } }', auth=caller)
    assert _refusals(through) == [("Unauthorized", ["getPar", "notes"])]
    direct = keyed.graphql(
        '{ listNotes(filter: { parId: { eq: "p0" } }) { items { id } } }', auth=caller
    )
    assert _refusals(direct) == [("Unauthorized", ["listNotes"])]
    # Without the denial the same caller follows it.
    plain = keyed.lambda_caller({})
    assert ok(
        keyed.graphql('{ getNote(id: "n-bob") { par { title } } }', auth=plain), "getNote"
    ) == {"par": {"title": "alice's"}}


PAGE = """query($id: ID!, $t: String) { getPar(id: $id) {
  kids(limit: 2, nextToken: $t) { items { id } nextToken } } }"""


def _page(api: LocalAppSync, parent: str, token: str | None, auth: Any) -> tuple[list[str], Any]:
    kids = ok(api.graphql(PAGE, {"id": parent, "t": token}, auth=auth), "getPar")["kids"]
    return [k["id"] for k in kids["items"]], kids["nextToken"]


def _all_pages(api: LocalAppSync, parent: str, auth: Any) -> tuple[list[str], list[str]]:
    """Every id the pages of ``parent`` give, and the tokens they handed out."""
    seen, tokens, token = [], [], None
    while True:
        ids, token = _page(api, parent, token, auth)
        seen += ids
        if token is None:
            return seen, tokens
        tokens.append(token)


@pytest.fixture(scope="module")
def paged():
    """Kid admits its owner only: pa has five kids of alice's and two of bob's, pb three of
    bob's and one of alice's."""
    with LocalAppSync.from_stack(api_stack("RelationPages", KEYS, authorizer=AUTHORIZER)) as api:
        for parent in ("pa", "pb"):
            _put(api, "Par", id=parent, title=parent)
        for parent, owner, count in (
            ("pa", "alice", 5),
            ("pa", "bob", 2),
            ("pb", "bob", 3),
            ("pb", "alice", 1),
        ):
            for i in range(count):
                # Created by its owner, so every index of the table holds it (the relation
                # owner index among them).
                made = paged_kid(api, f"{parent}-{owner}-{i}", parent, _user(api, owner))
                assert made["owner"] == f"s-{owner}::{owner}"
        yield api


def paged_kid(api: LocalAppSync, kid: str, parent: str, auth: Any) -> Any:
    create = """mutation($i: CreateKidInput!) { createKid(input: $i) { id owner } }"""
    return ok(api.graphql(create, {"i": {"id": kid, "parKidsId": parent}}, auth=auth), "createKid")


def test_paging_a_connection_gives_each_readable_child_once_per_parent(paged):
    alice, bob = _user(paged, "alice"), _user(paged, "bob")
    expected = {
        ("pa", "alice"): [f"pa-alice-{i}" for i in range(5)],
        ("pa", "bob"): ["pa-bob-0", "pa-bob-1"],
        ("pb", "alice"): ["pb-alice-0"],
        ("pb", "bob"): [f"pb-bob-{i}" for i in range(3)],
    }
    for (parent, name), ids in expected.items():
        seen, _ = _all_pages(paged, parent, alice if name == "alice" else bob)
        assert sorted(seen) == ids, (parent, name)


def test_a_page_token_of_one_parent_replayed_on_another_shows_only_that_parents_children(paged):
    alice, bob = _user(paged, "alice"), _user(paged, "bob")
    _, tokens = _all_pages(paged, "pa", alice)
    assert tokens
    for token in tokens:
        # alice on pb: at most her own child there; bob with her token: his own only.
        mine, _ = _page(paged, "pb", token, alice)
        assert set(mine) <= {"pb-alice-0"}
        his, _ = _page(paged, "pb", token, bob)
        assert set(his) <= {f"pb-bob-{i}" for i in range(3)}
        again, _ = _page(paged, "pa", token, bob)
        assert set(again) <= {"pa-bob-0", "pa-bob-1"}
