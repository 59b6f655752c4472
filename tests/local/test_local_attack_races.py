"""Attacks: races between writers. AppSync runs requests concurrently; the only state they
share is the table, so a write must be authorized *at* the write (its condition), not by
what the resolver saw before it. ``LocalAppSync`` runs one request at a time, so these tests
put the competing request at the worst moment instead: after the attacker's resolver
authorized and built its write, before that write reaches DynamoDB (:func:`lands_first`).
Nothing may then be changed by a caller who lost access in between, a deleted record may
not come back, and writes of different fields lose nothing.

DESIGN.md: "Atomic writes. Update/delete authorization is a ConditionExpression on the
write itself (owner / dynamic-group predicates), not a read followed by an unconditional
write."
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from stacks import api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.dynamodb.source import DynamoDataSource

SCHEMA = """
type Doc @model(subscriptions: null) @auth(rules: [{ allow: owner }]) {
  title: String
  body: String
  owner: String  # declared, so that it can be reassigned (issue 13)
}

type Shared @model(subscriptions: null) @auth(rules: [{ allow: owner, ownerField: "editors" }]) {
  title: String
  body: String
  editors: [String]
}
"""
DOC = "id title body owner"
SHARED = "id title body editors"
CREATE_DOC = f"mutation($i: CreateDocInput!) {{ createDoc(input: $i) {{ {DOC} }} }}"
UPDATE_DOC = f"mutation($i: UpdateDocInput!) {{ updateDoc(input: $i) {{ {DOC} }} }}"
DELETE_DOC = f"mutation($id: ID!) {{ deleteDoc(input: {{id: $id}}) {{ {DOC} }} }}"
CREATE_SHARED = f"mutation($i: CreateSharedInput!) {{ createShared(input: $i) {{ {SHARED} }} }}"
UPDATE_SHARED = f"mutation($i: UpdateSharedInput!) {{ updateShared(input: $i) {{ {SHARED} }} }}"
NOT_FOUND = "Doc not found: no item has this key."
WRITES = ("put_item", "update_item", "delete_item")


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("Races", SCHEMA)) as local:
        yield local


@contextmanager
def lands_first(competitor: Callable[[], Any]) -> Iterator[list[Any]]:
    """Within the block, the next write sent to DynamoDB waits while ``competitor`` (another
    request) runs to its end; the list receives the competitor's response."""
    original = DynamoDataSource._send
    pending = [competitor]
    answers: list[Any] = []

    def send(self: DynamoDataSource, method: str, kwargs: dict[str, object]) -> Any:
        if pending and method in WRITES:
            answers.append(pending.pop()())
        return original(self, method, kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DynamoDataSource, "_send", send)
        yield answers
    assert answers, "the competing request never ran: no write was sent"


def stored(api: LocalAppSync, model: str, item_id: str) -> dict[str, Any] | None:
    (table,) = [t.name for logical_id, t in api.api.tables.items() if model in logical_id]
    item = api.client.get_item(TableName=table, Key={"id": {"S": item_id}}, ConsistentRead=True)
    return item.get("Item")


def new_doc(api: LocalAppSync, owner: str = "alice") -> dict[str, Any]:
    made = api.graphql(CREATE_DOC, {"i": {"title": "t0", "body": "b0"}}, auth=api.user(owner))
    return ok(made, "createDoc")


def test_attack_race_update_by_the_old_owner_lands_after_the_reassignment(api):
    alice, bob = api.user("alice"), api.user("bob")
    doc = new_doc(api)
    give = {"i": {"id": doc["id"], "owner": "bob"}}
    with lands_first(lambda: api.graphql(UPDATE_DOC, give, auth=alice)) as first:
        late = api.graphql(UPDATE_DOC, {"i": {"id": doc["id"], "body": "alice's"}}, auth=alice)
    assert ok(first[0], "updateDoc")["owner"] == "bob"
    assert_denied(late, "updateDoc", "Mutation")
    now = ok(
        api.graphql("query($id: ID!) { getDoc(id: $id) { body owner } }", doc, auth=bob), "getDoc"
    )
    assert now == {"body": "b0", "owner": "bob"}


def test_attack_race_an_editor_removed_meanwhile_changes_nothing(api):
    alice, carol = api.user("alice"), api.user("carol")
    made = api.graphql(
        CREATE_SHARED, {"i": {"title": "t", "editors": ["alice", "carol"]}}, auth=alice
    )
    shared = ok(made, "createShared")
    remove = {"i": {"id": shared["id"], "editors": ["alice"]}}
    with lands_first(lambda: api.graphql(UPDATE_SHARED, remove, auth=alice)) as first:
        late = api.graphql(
            UPDATE_SHARED, {"i": {"id": shared["id"], "body": "carol's"}}, auth=carol
        )
    assert ok(first[0], "updateShared")["editors"] == ["alice"]
    assert_denied(late, "updateShared", "Mutation")
    item = stored(api, "Shared", shared["id"])
    assert item is not None
    assert "body" not in item
    (editor,) = item["editors"]["L"]  # Alice alone, in whichever form she stored herself
    assert editor["S"].endswith("alice")


def test_attack_race_delete_by_the_old_owner_lands_after_the_reassignment(api):
    alice = api.user("alice")
    doc = new_doc(api)
    give = {"i": {"id": doc["id"], "owner": "bob"}}
    with lands_first(lambda: api.graphql(UPDATE_DOC, give, auth=alice)):
        late = api.graphql(DELETE_DOC, {"id": doc["id"]}, auth=alice)
    assert_denied(late, "deleteDoc", "Mutation")
    item = stored(api, "Doc", doc["id"])
    assert item is not None
    assert item["body"] == {"S": "b0"}


def test_attack_race_concurrent_deletes_succeed_once(api):
    alice = api.user("alice")
    doc = new_doc(api)
    with lands_first(lambda: api.graphql(DELETE_DOC, {"id": doc["id"]}, auth=alice)) as first:
        late = api.graphql(DELETE_DOC, {"id": doc["id"]}, auth=alice)
    assert ok(first[0], "deleteDoc")["id"] == doc["id"]
    assert late["data"] == {"deleteDoc": None}
    (error,) = late["errors"]
    assert (error["errorType"], error["message"]) == (
        "DynamoDB:ConditionalCheckFailedException",
        NOT_FOUND,
    )
    assert stored(api, "Doc", doc["id"]) is None


def test_attack_race_an_update_does_not_bring_a_deleted_record_back(api):
    alice = api.user("alice")
    doc = new_doc(api)
    with lands_first(lambda: api.graphql(DELETE_DOC, {"id": doc["id"]}, auth=alice)):
        late = api.graphql(UPDATE_DOC, {"i": {"id": doc["id"], "body": "again"}}, auth=alice)
    assert late["data"] == {"updateDoc": None}
    assert late["errors"][0]["message"] == NOT_FOUND
    assert stored(api, "Doc", doc["id"]) is None


def test_attack_race_updates_of_different_fields_lose_nothing(api):
    alice, carol = api.user("alice"), api.user("carol")
    made = api.graphql(
        CREATE_SHARED, {"i": {"title": "t0", "editors": ["alice", "carol"]}}, auth=alice
    )
    shared = ok(made, "createShared")
    body = {"i": {"id": shared["id"], "body": "by carol"}}
    with lands_first(lambda: api.graphql(UPDATE_SHARED, body, auth=carol)) as first:
        late = api.graphql(
            UPDATE_SHARED, {"i": {"id": shared["id"], "title": "by alice"}}, auth=alice
        )
    ok(first[0], "updateShared")
    assert ok(late, "updateShared")["body"] == "by carol"  # the write returns the record it left
    get = "query($id: ID!) { getShared(id: $id) { title body } }"
    now = ok(api.graphql(get, {"id": shared["id"]}, auth=alice), "getShared")
    assert now == {"title": "by alice", "body": "by carol"}


def test_attack_race_threads_updating_different_fields_lose_nothing(api):
    # The same through LocalAppSync's public API from several threads at once.
    alice = api.user("alice")
    fields = {"title": "t", "body": "b"}
    doc = new_doc(api)
    start = threading.Barrier(len(fields) * 3)
    failures: list[Any] = []

    def write(field: str, n: int) -> None:
        start.wait(timeout=30)
        done = api.graphql(UPDATE_DOC, {"i": {"id": doc["id"], field: f"{field}{n}"}}, auth=alice)
        if "errors" in done:
            failures.append(done)

    threads = [
        threading.Thread(target=write, args=(field, n)) for field in fields for n in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    item = stored(api, "Doc", doc["id"])
    assert item is not None
    assert item["title"]["S"] in {"title0", "title1", "title2"}
    assert item["body"]["S"] in {"body0", "body1", "body2"}
