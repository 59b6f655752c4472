"""Conflict resolution (OPTIMISTIC_CONCURRENCY, AUTOMERGE) and sync, run locally as
synthesized.

Two callers editing one record: the one naming a stale ``_version`` gets AppSync's
``ConflictUnhandled`` with the record as stored; deletes leave tombstones that gets and
lists hide and ``sync<Plural>`` shows; a caller the rules keep out of a record sees
neither it nor its tombstone through sync; under AUTOMERGE a stale update is merged into
the stored record as AppSync's Automerge merges it (issue 13).
"""

from __future__ import annotations

import time

import pytest
from stacks import api_stack, error_types, ok

from authorized_appsync import ConflictHandler, ConflictResolutionConfig
from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Post @model @auth(rules: [
  { allow: owner }
  { allow: groups, groups: ["Editors"] }
]) {
  id: ID!
  title: String
  body: String
}
"""

FIELDS = "id title body _version _deleted _lastChangedAt"
CREATE = f"mutation($i: CreatePostInput!) {{ createPost(input: $i) {{ {FIELDS} }} }}"
UPDATE = f"mutation($i: UpdatePostInput!) {{ updatePost(input: $i) {{ {FIELDS} }} }}"
DELETE = f"mutation($i: DeletePostInput!) {{ deletePost(input: $i) {{ {FIELDS} }} }}"
GET = f"query($id: ID!) {{ getPost(id: $id) {{ {FIELDS} }} }}"
LIST = f"{{ listPosts {{ items {{ {FIELDS} }} }} }}"
SYNC = f"""query($last: AWSTimestamp) {{
  syncPosts(lastSync: $last) {{ items {{ {FIELDS} }} nextToken startedAt }} }}"""


@pytest.fixture(scope="module")
def api():
    config = ConflictResolutionConfig(project=ConflictHandler.OPTIMISTIC_CONCURRENCY)
    stack = api_stack("Conflicts", SCHEMA, conflict_resolution=config)
    with LocalAppSync.from_stack(stack) as local:
        yield local


def editor(api):
    return api.user("erin", groups=["Editors"])


def create(api, title="draft", who="alice"):
    return ok(api.graphql(CREATE, {"i": {"title": title}}, auth=api.user(who)), "createPost")


def test_a_created_record_starts_at_version_1_with_its_change_time(api):
    before = int(time.time() * 1000)
    post = create(api)
    assert post["_version"] == 1
    assert post["_deleted"] is None
    assert before <= post["_lastChangedAt"] <= int(time.time() * 1000) + 1


def test_a_create_cannot_choose_its_version(api):
    given = {"title": "x", "_version": 7}
    post = ok(api.graphql(CREATE, {"i": given}, auth=api.user("alice")), "createPost")
    assert post["_version"] == 1


def test_each_update_increments_the_version(api):
    post = create(api)
    first = {"id": post["id"], "title": "one", "_version": 1}
    one = ok(api.graphql(UPDATE, {"i": first}, auth=api.user("alice")), "updatePost")
    second = {"id": post["id"], "title": "two", "_version": 2}
    two = ok(api.graphql(UPDATE, {"i": second}, auth=editor(api)), "updatePost")
    assert (one["_version"], two["_version"]) == (2, 3)
    assert two["_lastChangedAt"] >= one["_lastChangedAt"] >= post["_lastChangedAt"]


def test_two_callers_editing_one_record_the_stale_version_conflicts(api):
    post = create(api, "shared")
    alice = {"id": post["id"], "title": "alice's", "_version": 1}
    ok(api.graphql(UPDATE, {"i": alice}, auth=api.user("alice")), "updatePost")
    erin = {"id": post["id"], "body": "erin's", "_version": 1}
    answer = api.graphql(UPDATE, {"i": erin}, auth=editor(api))
    assert answer["data"] == {"updatePost": None}
    assert error_types(answer) == ["ConflictUnhandled"]
    (error,) = answer["errors"]
    assert error["message"] == "Conflict resolver rejects mutation."
    # The record as stored, for the client to retry on: what the mutation selected of it
    # (AppSync filters util.error's data by the selection set; no internal attribute).
    assert error["data"] == {
        "id": post["id"],
        "title": "alice's",
        "_version": 2,
        "_lastChangedAt": error["data"]["_lastChangedAt"],
    }
    stored = ok(api.graphql(GET, {"id": post["id"]}, auth=api.user("alice")), "getPost")
    assert (stored["title"], stored["body"], stored["_version"]) == ("alice's", None, 2)


def test_a_conflict_is_only_told_to_callers_the_rules_let_write(api):
    post = create(api, "private")
    stale = {"id": post["id"], "title": "guess", "_version": 5}
    answer = api.graphql(UPDATE, {"i": stale}, auth=api.user("mallory"))
    assert error_types(answer) == ["Unauthorized"]
    assert answer["errors"][0].get("data") is None


def test_a_stale_delete_conflicts_and_keeps_the_record(api):
    post = create(api)
    ok(
        api.graphql(UPDATE, {"i": {"id": post["id"], "_version": 1}}, auth=api.user("alice")),
        "updatePost",
    )
    answer = api.graphql(DELETE, {"i": {"id": post["id"], "_version": 1}}, auth=api.user("alice"))
    assert error_types(answer) == ["ConflictUnhandled"]
    assert ok(api.graphql(GET, {"id": post["id"]}, auth=api.user("alice")), "getPost")


def test_a_delete_leaves_a_tombstone_that_gets_and_lists_hide(api):
    post = create(api, "to delete")
    gone = api.graphql(DELETE, {"i": {"id": post["id"], "_version": 1}}, auth=api.user("alice"))
    tombstone = ok(gone, "deletePost")
    assert (tombstone["_deleted"], tombstone["_version"]) == (True, 2)
    assert ok(api.graphql(GET, {"id": post["id"]}, auth=api.user("alice")), "getPost") is None
    listed = ok(api.graphql(LIST, auth=api.user("alice")), "listPosts")["items"]
    assert post["id"] not in [p["id"] for p in listed]
    # A tombstone takes no more writes: it is at another version than any the client holds.
    again = {"id": post["id"], "title": "revived", "_version": 2}
    answer = api.graphql(UPDATE, {"i": again}, auth=api.user("alice"))
    assert error_types(answer) == ["ConflictUnhandled"]
    assert answer["errors"][0]["data"]["_deleted"] is True


def test_the_tombstone_expires_by_the_tables_ttl_attribute(api):
    post = create(api)
    api.graphql(DELETE, {"i": {"id": post["id"], "_version": 1}}, auth=api.user("alice"))
    (table,) = [t.name for logical_id, t in api.api.tables.items() if "Post" in logical_id]
    ttl = api.client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "_ttl"}
    item = api.client.get_item(TableName=table, Key={"id": {"S": post["id"]}})["Item"]
    days = (int(item["_ttl"]["N"]) - time.time()) / 86_400
    assert 29.9 < days <= 30


def test_sync_returns_the_changes_since_last_sync_including_deletes(api):
    kept = create(api, "kept", who="sam")
    changed = create(api, "changed", who="sam")
    deleted = create(api, "deleted", who="sam")
    first = ok(api.graphql(SYNC, auth=api.user("sam")), "syncPosts")
    assert {kept["id"], changed["id"], deleted["id"]} <= {p["id"] for p in first["items"]}
    since = first["startedAt"]
    assert since >= deleted["_lastChangedAt"]
    time.sleep(0.002)  # the next writes' change times are after startedAt
    update = {"id": changed["id"], "title": "changed again", "_version": 1}
    ok(api.graphql(UPDATE, {"i": update}, auth=api.user("sam")), "updatePost")
    gone = {"i": {"id": deleted["id"], "_version": 1}}
    ok(api.graphql(DELETE, gone, auth=api.user("sam")), "deletePost")
    delta = ok(api.graphql(SYNC, {"last": since}, auth=api.user("sam")), "syncPosts")
    by_id = {p["id"]: p for p in delta["items"]}
    assert set(by_id) == {changed["id"], deleted["id"]}
    assert by_id[deleted["id"]]["_deleted"] is True
    assert by_id[changed["id"]]["title"] == "changed again"
    assert delta["startedAt"] >= since


def test_sync_shows_a_caller_neither_the_records_nor_the_tombstones_the_rules_keep_from_them(api):
    theirs = create(api, "bob's", who="bob")
    gone = create(api, "bob's deleted", who="bob")
    ok(
        api.graphql(DELETE, {"i": {"id": gone["id"], "_version": 1}}, auth=api.user("bob")),
        "deletePost",
    )
    mine = ok(api.graphql(SYNC, auth=api.user("carol")), "syncPosts")["items"]
    assert not {theirs["id"], gone["id"]} & {p["id"] for p in mine}
    everyone = ok(api.graphql(SYNC, auth=editor(api)), "syncPosts")["items"]
    assert {theirs["id"], gone["id"]} <= {p["id"] for p in everyone}


def test_the_conflicts_data_follows_fragments_of_the_selection(api):
    post = create(api, "fragments")
    ok(
        api.graphql(UPDATE, {"i": {"id": post["id"], "_version": 1}}, auth=api.user("alice")),
        "updatePost",
    )
    query = """mutation($i: UpdatePostInput!) {
      updatePost(input: $i) { ...Seen ... on Post { id } } }
    fragment Seen on Post { _version }"""
    answer = api.graphql(query, {"i": {"id": post["id"], "_version": 1}}, auth=api.user("alice"))
    assert answer["errors"][0]["data"] == {"_version": 2, "id": post["id"]}


# -- AUTOMERGE ------------------------------------------------------------------------------

MERGED = """
type Note @model @auth(rules: [{ allow: owner }, { allow: groups, groups: ["Editors"] }]) {
  id: ID!
  title: String
  body: String
  tags: [String]
  place: Place
}
type Place { city: String street: String }
"""

NOTE = "id title body tags place { city street } _version"
CREATE_NOTE = f"mutation($i: CreateNoteInput!) {{ createNote(input: $i) {{ {NOTE} }} }}"
UPDATE_NOTE = f"mutation($i: UpdateNoteInput!) {{ updateNote(input: $i) {{ {NOTE} }} }}"
DELETE_NOTE = f"mutation($i: DeleteNoteInput!) {{ deleteNote(input: $i) {{ {NOTE} }} }}"
GET_NOTE = f"query($id: ID!) {{ getNote(id: $id) {{ {NOTE} }} }}"


@pytest.fixture(scope="module")
def merging():
    config = ConflictResolutionConfig(models={"Note": "AUTOMERGE"})
    with LocalAppSync.from_stack(
        api_stack("Automerge", MERGED, conflict_resolution=config)
    ) as local:
        yield local


def note(api, **fields):
    return ok(api.graphql(CREATE_NOTE, {"i": fields}, auth=api.user("alice")), "createNote")


def write(api, who, **fields):
    return api.graphql(UPDATE_NOTE, {"i": fields}, auth=who)


def test_automerge_takes_a_stale_writes_fields_the_record_lacks_and_keeps_its_scalars(merging):
    api = merging
    first = note(api, title="draft")
    ok(write(api, api.user("alice"), id=first["id"], title="alice's", _version=1), "updateNote")
    # erin read version 1: her body is new to the record, her title conflicts.
    merged = ok(
        write(api, editor(api), id=first["id"], title="erin's", body="erin's body", _version=1),
        "updateNote",
    )
    assert (merged["title"], merged["body"], merged["_version"]) == ("alice's", "erin's body", 3)


def test_automerge_appends_lists_and_merges_maps_key_by_key(merging):
    api = merging
    first = note(api, tags=["a"], place={"city": "Oslo"})
    ok(write(api, api.user("alice"), id=first["id"], tags=["a", "b"], _version=1), "updateNote")
    stale = {"id": first["id"], "tags": ["c"], "place": {"city": "Bergen", "street": "Bryggen"}}
    merged = ok(write(api, editor(api), **stale, _version=1), "updateNote")
    assert merged["tags"] == ["a", "b", "c"]
    assert merged["place"] == {"city": "Oslo", "street": "Bryggen"}
    assert merged["_version"] == 3


def test_automerge_keeps_the_rules_a_stale_write_from_another_caller_is_refused(merging):
    api = merging
    first = note(api, title="private")
    ok(write(api, api.user("alice"), id=first["id"], title="v2", _version=1), "updateNote")
    answer = write(api, api.user("mallory"), id=first["id"], body="sneaked", _version=1)
    assert error_types(answer) == ["Unauthorized"]
    stored = ok(api.graphql(GET_NOTE, {"id": first["id"]}, auth=api.user("alice")), "getNote")
    assert (stored["body"], stored["_version"]) == (None, 2)


def test_automerge_does_not_merge_a_stale_delete(merging):
    api = merging
    first = note(api, title="kept")
    ok(write(api, api.user("alice"), id=first["id"], title="v2", _version=1), "updateNote")
    stale = {"i": {"id": first["id"], "_version": 1}}
    answer = api.graphql(DELETE_NOTE, stale, auth=api.user("alice"))
    assert error_types(answer) == ["ConflictUnhandled"]
    stored = ok(api.graphql(GET_NOTE, {"id": first["id"]}, auth=api.user("alice")), "getNote")
    assert stored["title"] == "v2"


def test_a_delete_reaches_subscribers_as_its_tombstone_and_others_see_no_event(api):
    post = create(api, "watched")
    query = "subscription { onDeletePost { id _version _deleted } }"
    with (
        api.subscribe(query, auth=api.user("alice")) as owner,
        api.subscribe(query, auth=api.user("mallory")) as stranger,
    ):
        # The event is the mutation's response: it selects the owner, as Amplify's clients
        # do, for AppSync to judge the owner subscription's filter on it.
        delete = """mutation($i: DeletePostInput!) {
          deletePost(input: $i) { id owner _version _deleted } }"""
        gone = {"i": {"id": post["id"], "_version": 1}}
        ok(api.graphql(delete, gone, auth=api.user("alice")), "deletePost")
        event = owner.next(timeout=5)
        assert event == {
            "data": {"onDeletePost": {"id": post["id"], "_version": 2, "_deleted": True}}
        }
        assert stranger.events == []


def test_sync_with_a_filter_and_last_sync_needs_both(api):
    old = create(api, "alpha", who="sam")
    since = ok(api.graphql(SYNC, auth=api.user("sam")), "syncPosts")["startedAt"]
    time.sleep(0.002)
    new = create(api, "alpha", who="sam")
    other = create(api, "beta", who="sam")
    query = """query($last: AWSTimestamp, $f: ModelPostFilterInput) {
      syncPosts(lastSync: $last, filter: $f) { items { id } } }"""
    answer = api.graphql(
        query, {"last": since, "f": {"title": {"eq": "alpha"}}}, auth=api.user("sam")
    )
    found = {p["id"] for p in ok(answer, "syncPosts")["items"]}
    assert new["id"] in found
    assert not {old["id"], other["id"]} & found


# -- writes that name no version, records that have none -----------------------------------


@pytest.mark.parametrize("mutation", [UPDATE, DELETE])
def test_an_update_or_delete_must_name_the_version_it_read(api, mutation):
    # AppSync's versioned data sources refuse such a write with this mapping-template error
    # (what Amplify users report when they leave `_version` out of a mutation).
    post = create(api, "kept")
    given = {"id": post["id"], "title": "no version"} if mutation is UPDATE else {"id": post["id"]}
    answer = api.graphql(mutation, {"i": given}, auth=api.user("alice"))
    assert error_types(answer) == ["MappingTemplate"]
    assert answer["errors"][0]["message"] == "Value for field '$[_version]' must be a number."
    stored = ok(api.graphql(GET, {"id": post["id"]}, auth=api.user("alice")), "getPost")
    assert (stored["title"], stored["_version"]) == ("kept", 1)


def test_a_record_written_before_versioning_takes_the_first_version_named(api):
    # A record the table held before the model was versioned has no `_version`: the first
    # write naming one is not a conflict, and leaves it at version 1.
    owner = api.user("alice")
    stored_owner = f"{owner.identity['sub']}::alice"
    (table,) = [t for k, t in api.api.tables.items() if k.endswith("PostTable")]
    item = {"id": "legacy", "title": "old", "owner": stored_owner, "__typename": "Post"}
    api.client.put_item(TableName=table.name, Item={k: {"S": v} for k, v in item.items()})
    given = {"id": "legacy", "title": "versioned now", "_version": 7}
    updated = ok(api.graphql(UPDATE, {"i": given}, auth=owner), "updatePost")
    assert (updated["title"], updated["_version"]) == ("versioned now", 1)
    # From then on it is versioned like any other record.
    stale = api.graphql(UPDATE, {"i": {**given, "title": "stale"}}, auth=owner)
    assert error_types(stale) == ["ConflictUnhandled"]
    # Another user's write naming a version is refused for its rules, not taken as a conflict.
    api.client.put_item(
        TableName=table.name,
        Item={k: {"S": v} for k, v in {**item, "id": "legacy-2"}.items()},
    )
    theirs = {"id": "legacy-2", "title": "mine", "_version": 1}
    assert error_types(api.graphql(UPDATE, {"i": theirs}, auth=api.user("bob"))) == ["Unauthorized"]
