"""Owner identities end to end: who a stored ``<sub>::<username>`` belongs to.

Finding 1 (owner identity confusion): a user whose *username* is
``<victimSub>::<victimUsername>`` matched the victim's stored owner value, and the sub the
username read-back hides could be recovered by any static reader's ``beginsWith`` filters.

Finding 5 (username read-back before subscription filters and field guards): mutation
responses read the owner back as the username, and owner subscription filters matched the
username alone, so a later user who got a deleted user's username (a new sub), or an OIDC
user whose username claim equals a pool user's, received that person's events; the same
read-back fed the ``<Model>.<field>`` guards, so that later user read the earlier owner's
owner-only field. Filters and guards must judge the stored value.
"""

from __future__ import annotations

import json
import urllib.request
import uuid

import pytest
from stacks import api_stack, assert_denied, ok, pool_and_key, pool_issuer, running

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.endpoints.graphql_server import GraphQLServer
from authorized_appsync.local.identity.authenticator import Authenticator

SCHEMA = """
type Todo @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner }
  { allow: owner, provider: oidc }
]) {
  content: String
  owner: String  # declared, so that inputs may name an owner (issue 13)
}

# Signed-in users query notes by owner (a key argument naming the owner field).
type Note @model @auth(rules: [{ allow: owner }]) {
  text: String
  owner: String @index(name: "byOwner", queryField: "notesByOwner")
}

type Doc @model @auth(rules: [{ allow: owner, ownerField: "editors" }]) {
  text: String
  editors: [String]
}

# Signed-in users read memos; only the owner reads the body. A custom query returns Memo,
# so Memo.body is guarded by a <Model>.<field> resolver of its own.
type Memo @model @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
  title: String!
  body: String @auth(rules: [{ allow: owner }])
}

type Query {
  pinnedMemo: Memo @auth(rules: [{ allow: public }])
}
"""

CREATE_TODO = """mutation($c: String, $o: String) {
  createTodo(input: {content: $c, owner: $o}) { id content owner } }"""
UPDATE_TODO = """mutation($id: ID!, $c: String, $o: String) {
  updateTodo(input: {id: $id, content: $c, owner: $o}) { id content owner } }"""
DELETE_TODO = "mutation($id: ID!) { deleteTodo(input: {id: $id}) { id owner } }"
GET_TODO = "query($id: ID!) { getTodo(id: $id) { id content owner } }"
LIST_TODOS = "query($f: ModelTodoFilterInput) { listTodos(filter: $f) { items { id owner } } }"
ON_TODO = "subscription { %s { id content owner } }"


@pytest.fixture(scope="module")
def api():
    stack = api_stack("OwnerIdentity", SCHEMA, api_key=True, oidc=True)
    with LocalAppSync.from_stack(stack) as local:
        yield local


def new_sub() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def alice(api):
    """A user-pool user "alice" with a sub of her own (each test's alice is a new one)."""
    return api.user("alice", sub=new_sub())


def sub_of(caller) -> str:
    return str(caller.identity["sub"])


def todo(api, who, content="mine"):
    return ok(api.graphql(CREATE_TODO, {"c": content}, auth=who), "createTodo")


# -- finding 1 ------------------------------------------------------------------------------


def test_finding_1_username_shaped_like_sub_and_username_is_not_an_owner(api, alice):
    made = todo(api, alice)
    victim = f"{sub_of(alice)}::alice"  # what create stored
    # A static reader recovers the stored value with filters (owner values are identifiers,
    # not secrets: docs/security.md) ...
    key = api.api_key()
    found = ok(
        api.graphql(LIST_TODOS, {"f": {"owner": {"beginsWith": sub_of(alice)}}}, auth=key),
        "listTodos",
    )
    assert [i["id"] for i in found["items"]] == [made["id"]]
    # ... and signs up with it as their username: it makes them no owner.
    mallory = api.user(victim, sub=new_sub())
    assert_denied(api.graphql(GET_TODO, {"id": made["id"]}, auth=mallory), "getTodo", "Query")
    assert ok(api.graphql(LIST_TODOS, {}, auth=mallory), "listTodos") == {"items": []}
    changed = api.graphql(UPDATE_TODO, {"id": made["id"], "c": "hijacked"}, auth=mallory)
    assert changed["data"] == {"updateTodo": None}
    assert changed["errors"][0]["errorType"] == "Unauthorized"
    taken = api.graphql(UPDATE_TODO, {"id": made["id"], "o": f"{sub_of(mallory)}::x"}, auth=mallory)
    assert taken["data"] == {"updateTodo": None}
    gone = api.graphql(DELETE_TODO, {"id": made["id"]}, auth=mallory)
    assert gone["data"] == {"deleteTodo": None}
    # Nor can they create records in the victim's name.
    forged = api.graphql(CREATE_TODO, {"c": "forged", "o": victim}, auth=mallory)
    assert forged["data"] == {"createTodo": None}
    # The victim's record is untouched and still hers.
    mine = ok(api.graphql(GET_TODO, {"id": made["id"]}, auth=alice), "getTodo")
    assert mine == {"id": made["id"], "content": "mine", "owner": "alice"}


def test_a_crafted_username_is_no_editor_of_a_multi_owner_record(api, alice):
    made = ok(
        api.graphql('mutation { createDoc(input: {text: "shared"}) { id editors } }', auth=alice),
        "createDoc",
    )
    victim = f"{sub_of(alice)}::alice"  # what create stored
    mallory = api.user(victim, sub=new_sub())
    listed = ok(api.graphql("query { listDocs { items { id } } }", auth=mallory), "listDocs")
    assert listed == {"items": []}  # a Scan filtered on Mallory's identities
    got = api.graphql(
        "query($id: ID!) { getDoc(id: $id) { id } }", {"id": made["id"]}, auth=mallory
    )
    assert_denied(got, "getDoc", "Query")
    mine = ok(api.graphql("query { listDocs { items { id editors } } }", auth=alice), "listDocs")
    assert mine == {"items": [{"id": made["id"], "editors": ["alice"]}]}


def test_a_key_argument_holding_the_victims_value_finds_nothing(api, alice):
    note = ok(
        api.graphql('mutation { createNote(input: {text: "n"}) { id } }', auth=alice), "createNote"
    )
    victim = f"{sub_of(alice)}::alice"
    mallory = api.user(victim, sub=new_sub())
    query = "query($o: String!) { notesByOwner(owner: $o) { items { id } } }"
    found = ok(api.graphql(query, {"o": victim}, auth=mallory), "notesByOwner")
    assert found == {"items": []}
    mine = ok(api.graphql(query, {"o": victim}, auth=alice), "notesByOwner")
    assert mine == {"items": [{"id": note["id"]}]}


def test_a_verified_token_with_a_crafted_username_is_no_owner(api, alice):
    # Over HTTP, with user-pool tokens the server verifies: the claims are the attacker's own
    # (signed by the pool), only the username is chosen.
    made = todo(api, alice)
    issuer, pool = pool_issuer("us-east-1_ownerpool")
    claims = {"token_use": "id", "aud": "client-1"}
    crafted = issuer.token(
        {**claims, "sub": new_sub(), "cognito:username": f"{sub_of(alice)}::alice"}
    )
    with running(GraphQLServer(api, Authenticator(pool_and_key("da2-k", pool)), port=0)) as server:
        body = json.dumps({"query": GET_TODO, "variables": {"id": made["id"]}}).encode()
        request = urllib.request.Request(
            server.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": crafted},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
    assert_denied(answer, "getTodo", "Query")


def test_an_oidc_sub_holding_the_separator_is_no_identity(api, alice):
    made = todo(api, alice)
    # An issuer's sub "<aliceSub>" with username "alice" would join to the stored value; a
    # sub holding "::" never joins, and neither it nor the username's bare form matches.
    crafted = api.oidc_user({"sub": f"{sub_of(alice)}::alice", "username": "x"})
    assert_denied(api.graphql(GET_TODO, {"id": made["id"]}, auth=crafted), "getTodo", "Query")


# -- finding 5 ------------------------------------------------------------------------------


def test_finding_5_a_later_user_with_the_same_username_receives_none_of_the_events(api, alice):
    later = api.user("alice", sub=new_sub())  # the username of a deleted user, a new sub
    on_create, on_update = ON_TODO % "onCreateTodo", ON_TODO % "onUpdateTodo"
    with (
        api.subscribe(on_create, auth=later) as later_creates,
        api.subscribe(on_update, auth=later) as later_updates,
        api.subscribe(on_create, auth=alice) as own_creates,
        api.subscribe(on_update, auth=alice) as own_updates,
    ):
        made = todo(api, alice, "private")
        ok(
            api.graphql(UPDATE_TODO, {"id": made["id"], "c": "still private"}, auth=alice),
            "updateTodo",
        )
        assert later_creates.events == []
        assert later_updates.events == []
        # The owner still receives their own events, the owner as stored.
        assert [e["data"]["onCreateTodo"]["content"] for e in own_creates.events] == ["private"]
        assert [e["data"]["onUpdateTodo"]["content"] for e in own_updates.events] == [
            "still private"
        ]
        assert own_creates.events[0]["data"]["onCreateTodo"]["owner"] == f"{sub_of(alice)}::alice"
    # get and list refuse the later user alike.
    assert_denied(api.graphql(GET_TODO, {"id": made["id"]}, auth=later), "getTodo", "Query")


def test_finding_5_an_oidc_user_with_a_pool_users_username_receives_none_of_the_events(api, alice):
    namesake = api.oidc_user({"sub": new_sub(), "username": "alice"})
    listen = ON_TODO % "onCreateTodo"
    with api.subscribe(listen, auth=namesake) as theirs, api.subscribe(listen, auth=alice) as mine:
        todo(api, alice, "pool alice's")
        made = ok(api.graphql(CREATE_TODO, {"c": "oidc alice's"}, auth=namesake), "createTodo")
        assert [e["data"]["onCreateTodo"]["content"] for e in theirs.events] == ["oidc alice's"]
        assert [e["data"]["onCreateTodo"]["content"] for e in mine.events] == ["pool alice's"]
    assert made["owner"] == f"{namesake.identity['sub']}::alice"


def test_finding_5_the_field_guard_judges_the_stored_owner(api, alice):
    created = api.graphql(
        'mutation { createMemo(input: {title: "t", body: "secret"}) { id } }', auth=alice
    )
    memo = ok(created, "createMemo")
    later = api.user("alice", sub=new_sub())
    get = "query($id: ID!) { getMemo(id: $id) { title owner body } }"
    theirs = api.graphql(get, {"id": memo["id"]}, auth=later)
    assert theirs["data"]["getMemo"] == {"title": "t", "owner": "alice", "body": None}
    assert [e["path"] for e in theirs["errors"]] == [["getMemo", "body"]]
    listed = api.graphql("query { listMemos { items { id body } } }", auth=later)
    assert {"id": memo["id"], "body": None} in listed["data"]["listMemos"]["items"]
    # The owner reads it; the username is what get returns.
    mine = ok(api.graphql(get, {"id": memo["id"]}, auth=alice), "getMemo")
    assert mine == {"title": "t", "owner": "alice", "body": "secret"}


def test_a_static_listener_receives_the_stored_owner(api, alice):
    # Events are mutation responses; the filters and guards of every subscriber judge them,
    # so they carry the owner as stored (queries return the username).
    with api.subscribe(ON_TODO % "onCreateTodo", auth=api.api_key()) as public:
        made = todo(api, alice, "public")
        (event,) = [
            e["data"]["onCreateTodo"]
            for e in public.events
            if e["data"]["onCreateTodo"]["id"] == made["id"]
        ]
        assert event["owner"] == f"{sub_of(alice)}::alice"
