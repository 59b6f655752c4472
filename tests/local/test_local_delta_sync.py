"""Delta syncs read only what changed: ``sync<Plural>(lastSync:)`` with a ``lastSync``
within the tombstones' retention (30 days) is one Query on the table's delta-sync index
``_deltaSync`` (``__deltaSync = <model> AND _lastChangedAt > lastSync``), with the user's
filter and the rules' predicates applied as on the Scan; without ``lastSync``, or with an
older one, the sync reads the table as before."""

from __future__ import annotations

import time
from typing import Any

import pytest
from stacks import api_stack, error_types, ok

from authorized_appsync import ConflictHandler, ConflictResolutionConfig
from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Note @model @auth(rules: [
  { allow: owner }
  { allow: groups, groups: ["Editors"] }
]) {
  id: ID!
  title: String
}
"""

CREATE = "mutation($i: CreateNoteInput!) { createNote(input: $i) { id _version _lastChangedAt } }"
UPDATE = "mutation($i: UpdateNoteInput!) { updateNote(input: $i) { id _version } }"
DELETE = "mutation($i: DeleteNoteInput!) { deleteNote(input: $i) { id _deleted } }"
SYNC = """query($last: AWSTimestamp, $f: ModelNoteFilterInput, $l: Int, $n: String) {
  syncNotes(lastSync: $last, filter: $f, limit: $l, nextToken: $n) {
    items { id title owner _version _deleted } nextToken startedAt } }"""
DELTA_INDEX = "_deltaSync"
DAY_MS = 86_400_000


@pytest.fixture(scope="module")
def api():
    config = ConflictResolutionConfig(project=ConflictHandler.AUTOMERGE)
    stack = api_stack("DeltaSync", SCHEMA, conflict_resolution=config)
    with LocalAppSync.from_stack(stack) as local:
        yield local


def editor(api):
    return api.user("erin", groups=["Editors"])


def create(api, who: str, title: str) -> dict[str, Any]:
    return ok(api.graphql(CREATE, {"i": {"title": title}}, auth=api.user(who)), "createNote")


def update(api, who: str, note: dict[str, Any], version: int, title: str) -> None:
    change = {"id": note["id"], "title": title, "_version": version}
    ok(api.graphql(UPDATE, {"i": change}, auth=api.user(who)), "updateNote")


def delete(api, who: str, note: dict[str, Any]) -> None:
    gone = {"id": note["id"], "_version": 1}
    ok(api.graphql(DELETE, {"i": gone}, auth=api.user(who)), "deleteNote")


def sync(api, user, **variables: Any) -> dict[str, Any]:
    return ok(api.graphql(SYNC, variables, auth=user), "syncNotes")


def pages(api, user, **variables: Any) -> list[list[dict[str, Any]]]:
    token, found = None, []
    while True:
        page = sync(api, user, n=token, **variables)
        found.append(page["items"])
        token = page["nextToken"]
        if token is None:
            return found


def now_ms(api) -> int:
    """A lastSync every later write's change time is after (startedAt of an empty sync)."""
    started = sync(api, editor(api), last=int(time.time() * 1000), l=1)["startedAt"]
    time.sleep(0.002)
    return started


def ids(items: list[dict[str, Any]]) -> set[str]:
    return {item["id"] for item in items}


def test_a_delta_sync_returns_the_records_changed_since_with_tombstones(api, reads):
    kept = create(api, "dora", "kept")
    changed = create(api, "dora", "changed")
    deleted = create(api, "dora", "deleted")
    since = now_ms(api)
    update(api, "dora", changed, 1, "again")
    delete(api, "dora", deleted)
    added = create(api, "dora", "added")
    reads.clear()
    delta = sync(api, editor(api), last=since)
    by_id = {item["id"]: item for item in delta["items"]}
    assert set(by_id) == {changed["id"], deleted["id"], added["id"]}
    assert kept["id"] not in by_id
    assert by_id[deleted["id"]]["_deleted"] is True
    assert (by_id[changed["id"]]["title"], by_id[changed["id"]]["_version"]) == ("again", 2)
    assert delta["startedAt"] >= since
    # One Query on the delta-sync index, reading only the three changed records.
    assert reads == [("Query", DELTA_INDEX, 3, 3)]


def test_an_automerged_update_reaches_the_delta_sync(api):
    note = create(api, "dora", "merged")
    update(api, "dora", note, 1, "first")
    since = now_ms(api)
    update(api, "dora", note, 1, "stale")  # merged into version 2, written as 3
    (item,) = sync(api, editor(api), last=since)["items"]
    assert (item["id"], item["_version"]) == (note["id"], 3)


def test_delta_pages_of_a_small_limit_hold_each_change_once(api, reads):
    since = now_ms(api)
    made = [create(api, "pia", f"page {n}") for n in range(7)]
    reads.clear()
    found = pages(api, editor(api), last=since, l=2)
    assert [len(page) for page in found] == [2, 2, 2, 1]
    items = [item for page in found for item in page]
    assert len(items) == 7
    assert ids(items) == ids(made)
    assert {(operation, index) for operation, index, _, _ in reads} == {("Query", DELTA_INDEX)}
    # Nothing but the changes is read: each page reads what it returns.
    assert [scanned for _, _, scanned, _ in reads] == [returned for _, _, _, returned in reads]


def test_an_owner_never_sees_another_users_changes(api, reads):
    since = now_ms(api)
    mine = create(api, "olga", "olga's")
    theirs = create(api, "omar", "omar's")
    gone = create(api, "omar", "omar's deleted")
    delete(api, "omar", gone)
    reads.clear()
    found = [item for page in pages(api, api.user("olga"), last=since, l=1) for item in page]
    assert ids(found) == {mine["id"]}
    assert {item["owner"] for item in found} == {"olga"}
    assert {(operation, index) for operation, index, _, _ in reads} == {("Query", DELTA_INDEX)}
    omar = [item for page in pages(api, api.user("omar"), last=since) for item in page]
    assert ids(omar) == {theirs["id"], gone["id"]}


def test_the_users_filter_applies_to_a_delta_sync(api):
    since = now_ms(api)
    alpha = create(api, "fay", "alpha")
    create(api, "fay", "beta")
    found = sync(api, api.user("fay"), last=since, f={"title": {"eq": "alpha"}})["items"]
    assert ids(found) == {alpha["id"]}


def test_a_sync_without_last_sync_reads_the_table(api, reads):
    note = create(api, "gus", "full")
    everything = [item for page in pages(api, editor(api), l=50) for item in page]
    assert note["id"] in ids(everything)
    assert {(operation, index) for operation, index, _, _ in reads} == {("Scan", None)}
    reads.clear()
    assert note["id"] in ids(sync(api, api.user("gus"))["items"])
    assert {(operation, index) for operation, index, _, _ in reads} == {
        ("Query", "ownerOwnerIndex")
    }


def test_a_last_sync_older_than_the_tombstones_retention_reads_the_table(api, reads):
    note = create(api, "hal", "old client")
    since = int(time.time() * 1000) - 31 * DAY_MS
    found = [item for page in pages(api, editor(api), last=since, l=50) for item in page]
    assert note["id"] in ids(found)
    assert {(operation, index) for operation, index, _, _ in reads} == {("Scan", None)}
    # Just inside the retention: the index.
    reads.clear()
    inside = since + 2 * DAY_MS
    assert note["id"] in ids(sync(api, editor(api), last=inside, l=100)["items"])
    assert {index for _, index, _, _ in reads} == {DELTA_INDEX}


def test_a_delta_page_token_is_no_token_of_the_table(api):
    since = now_ms(api)
    for n in range(3):
        create(api, "ivy", f"token {n}")
    token = sync(api, editor(api), last=since, l=1)["nextToken"]
    assert token is not None
    answer = api.graphql(SYNC, {"n": token, "l": 1}, auth=editor(api))
    assert error_types(answer) == ["DynamoDB:UserIllegalArgumentException"]


def _table(api) -> str:
    (table,) = [t.name for logical_id, t in api.api.tables.items() if "Note" in logical_id]
    return table


def test_a_record_written_before_the_index_existed_joins_it_on_its_next_write(api):
    # A record as the resolvers wrote it before the delta-sync index: no __deltaSync.
    since = now_ms(api)
    old = create(api, "jan", "before the index")
    key = {"id": {"S": old["id"]}}
    api.client.update_item(
        TableName=_table(api),
        Key=key,
        UpdateExpression="REMOVE #p",
        ExpressionAttributeNames={"#p": "__deltaSync"},
    )
    assert old["id"] not in ids(sync(api, editor(api), last=since)["items"])
    assert old["id"] in ids(sync(api, editor(api), last=since - 31 * DAY_MS, l=1000)["items"])
    update(api, "jan", old, 1, "written again")
    assert old["id"] in ids(sync(api, editor(api), last=since)["items"])


def test_a_delta_syncs_later_pages_stay_on_the_index_past_the_retention(api, reads):
    # Pages of one sync read where its first page read, even when the clock has moved its
    # lastSync out of the retention meanwhile (here: a later page naming an older lastSync).
    since = now_ms(api)
    made = [create(api, "kim", f"late {n}") for n in range(3)]
    first = sync(api, editor(api), last=since, l=2)
    reads.clear()
    rest = sync(api, editor(api), last=since - 31 * DAY_MS, l=2, n=first["nextToken"])
    assert ids(first["items"] + rest["items"]) == ids(made)
    assert {index for _, index, _, _ in reads} == {DELTA_INDEX}
