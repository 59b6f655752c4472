"""The LAMBDA conflict handler, run locally as synthesized: a write refused for its
version (and only such a write, by a caller the rules let write) invokes the user's
function with AppSync's payload; RESOLVE writes its item on the stored version, judged as
if the caller had sent it; REJECT is ``ConflictUnhandled``; REMOVE leaves a tombstone; a
failing or malformed handler is a ``ConflictError`` naming it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_lambda as lambda_
from stacks import api_stack, error_types, ok

from authorized_appsync import ConflictResolutionConfig, LambdaConflictHandler
from authorized_appsync.local.app import LocalAppSync

# The owner may not hand the note to someone else (the owner field's own rule); Editors
# may write every note, Writers update it but not delete it.
SCHEMA = """
type Note @model @auth(rules: [
  { allow: owner }
  { allow: groups, groups: ["Editors"] }
  { allow: groups, groups: ["Writers"], operations: [read, update] }
]) {
  id: ID!
  title: String
  body: String
  owner: String @auth(rules: [{ allow: owner, operations: [read, delete] }])
}
"""

# Logs every event it gets; answers by the body the stale write sent.
HANDLER = """
import json
import os


def handler(event, context):
    with open(os.environ["LOG"], "a") as log:
        log.write(json.dumps(event) + "\\n")
    new, old = event["newItem"], event["existingItem"]
    if event["resolver"]["field"] == "deleteNote":
        if old["title"].startswith("mend"):
            return {"action": "RESOLVE", "item": old}
        return {"action": "REJECT" if old["title"].startswith("keep") else "REMOVE"}
    body = new.get("body")
    if body == "boom":
        raise ValueError("cannot resolve this")
    if body == "garbage":
        return {"action": "MERGE"}
    if body in ("reject", "remove"):
        return {"action": body.upper()}
    item = dict(old, body=f"resolved: {body}")
    if body == "steal":
        item["owner"] = "mallory"
    if body == "rekey":
        item["id"] = "another"
    return {"action": "RESOLVE", "item": item}
"""

FIELDS = "id title body _version _deleted"
CREATE = f"mutation($i: CreateNoteInput!) {{ createNote(input: $i) {{ {FIELDS} }} }}"
UPDATE = f"mutation($i: UpdateNoteInput!) {{ updateNote(input: $i) {{ {FIELDS} }} }}"
DELETE = f"mutation($i: DeleteNoteInput!) {{ deleteNote(input: $i) {{ {FIELDS} }} }}"
GET = f"query($id: ID!) {{ getNote(id: $id) {{ {FIELDS} owner }} }}"


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("conflicts") / "events.jsonl"


@pytest.fixture(scope="module")
def built(log: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Stack, Path]:
    """The stack and its cloud assembly: the handler runs from either, as ``serve`` runs it."""

    def config(stack: Stack) -> ConflictResolutionConfig:
        function = lambda_.Function(
            stack,
            "ResolveNotes",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline(HANDLER),
            environment={"LOG": str(log)},
        )
        return ConflictResolutionConfig(project=LambdaConflictHandler(function=function))

    app = App(outdir=str(tmp_path_factory.mktemp("assembly")))
    stack = api_stack("LambdaConflicts", SCHEMA, app=app, conflict_resolution=config)
    app.synth()
    return stack, Path(app.outdir)


@pytest.fixture(scope="module", params=["from_stack", "from_assembly"])
def api(request: pytest.FixtureRequest, built: tuple[Stack, Path]) -> Iterator[LocalAppSync]:
    stack, outdir = built
    local = (
        LocalAppSync.from_stack(stack)
        if request.param == "from_stack"
        else LocalAppSync.from_assembly(outdir)
    )
    with local:
        yield local


def events(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def editor(api):
    return api.user("erin", groups=["Editors"])


def edited(api, title: str = "draft") -> dict[str, object]:
    """A note of alice's at version 2: created, then retitled by her."""
    note = ok(api.graphql(CREATE, {"i": {"title": title}}, auth=api.user("alice")), "createNote")
    again = {"id": note["id"], "title": f"{title} v2", "_version": 1}
    return ok(api.graphql(UPDATE, {"i": again}, auth=api.user("alice")), "updateNote")


def test_resolve_writes_the_handlers_item_on_the_stored_version(api, log):
    note = edited(api, "shared")
    seen = len(events(log))
    stale = {"id": note["id"], "body": "erin's", "_version": 1}
    watch = "subscription { onUpdateNote { id title body _version } }"
    with api.subscribe(watch, auth=editor(api)) as sub:
        resolved = ok(api.graphql(UPDATE, {"i": stale}, auth=editor(api)), "updateNote")
        event = sub.next(timeout=5)
    assert resolved == {
        "id": note["id"],
        "title": "shared v2",
        "body": "resolved: erin's",
        "_version": 3,
        "_deleted": None,
    }
    assert event["data"]["onUpdateNote"] == {
        "id": note["id"],
        "title": "shared v2",
        "body": "resolved: erin's",
        "_version": 3,
    }
    (payload,) = events(log)[seen:]
    assert sorted(payload) == ["arguments", "existingItem", "identity", "newItem", "resolver"]
    assert payload["existingItem"]["_version"] == 2
    assert payload["existingItem"]["title"] == "shared v2"
    assert payload["newItem"]["body"] == "erin's"
    assert payload["arguments"] == {"input": stale}
    assert payload["resolver"] == {"parentType": "Mutation", "field": "updateNote"}
    assert payload["identity"]["username"] == "erin"
    stored = ok(api.graphql(GET, {"id": note["id"]}, auth=api.user("alice")), "getNote")
    assert (stored["body"], stored["_version"]) == ("resolved: erin's", 3)


def test_a_write_on_the_current_version_never_invokes_the_handler(api, log):
    note = edited(api)
    seen = len(events(log))
    current = {"id": note["id"], "body": "fresh", "_version": 2}
    updated = ok(api.graphql(UPDATE, {"i": current}, auth=editor(api)), "updateNote")
    assert (updated["body"], updated["_version"]) == ("fresh", 3)
    assert len(events(log)) == seen


def test_reject_is_conflict_unhandled_with_the_stored_record(api):
    note = edited(api)
    stale = {"id": note["id"], "body": "reject", "_version": 1}
    answer = api.graphql(UPDATE, {"i": stale}, auth=editor(api))
    assert error_types(answer) == ["ConflictUnhandled"]
    assert answer["errors"][0]["data"]["_version"] == 2
    assert answer["errors"][0]["data"]["title"] == "draft v2"
    stored = ok(api.graphql(GET, {"id": note["id"]}, auth=api.user("alice")), "getNote")
    assert (stored["body"], stored["_version"]) == (None, 2)


def test_remove_leaves_a_tombstone(api):
    note = edited(api)
    stale = {"id": note["id"], "body": "remove", "_version": 1}
    removed = ok(api.graphql(UPDATE, {"i": stale}, auth=api.user("alice")), "updateNote")
    assert (removed["_deleted"], removed["_version"]) == (True, 3)
    assert ok(api.graphql(GET, {"id": note["id"]}, auth=api.user("alice")), "getNote") is None


def test_a_stale_delete_is_removed_or_rejected_as_the_handler_answers(api):
    gone, kept = edited(api, "drop"), edited(api, "keep")
    answer = ok(
        api.graphql(DELETE, {"i": {"id": gone["id"], "_version": 1}}, auth=api.user("alice")),
        "deleteNote",
    )
    assert (answer["_deleted"], answer["_version"]) == (True, 3)
    refused = api.graphql(DELETE, {"i": {"id": kept["id"], "_version": 1}}, auth=api.user("alice"))
    assert error_types(refused) == ["ConflictUnhandled"]
    assert (
        ok(api.graphql(GET, {"id": kept["id"]}, auth=api.user("alice")), "getNote")["_version"] == 2
    )


def test_remove_needs_what_a_delete_needs(api):
    note = edited(api)
    stale = {"id": note["id"], "body": "remove", "_version": 1}
    answer = api.graphql(UPDATE, {"i": stale}, auth=api.user("wendy", groups=["Writers"]))
    assert error_types(answer) == ["Unauthorized"]
    assert answer["errors"][0]["message"] == (
        "The conflict handler 'ResolveNotesConflictHandler' of Note answered REMOVE, but the "
        "caller may not delete this Note."
    )
    stored = ok(api.graphql(GET, {"id": note["id"]}, auth=api.user("alice")), "getNote")
    assert (stored["_deleted"], stored["_version"]) == (None, 2)


def test_resolve_to_a_delete_is_refused(api):
    note = edited(api, "mend")
    answer = api.graphql(DELETE, {"i": {"id": note["id"], "_version": 1}}, auth=api.user("alice"))
    assert error_types(answer) == ["ConflictError"]
    assert answer["errors"][0]["message"] == (
        "The conflict handler 'ResolveNotesConflictHandler' of Note answered RESOLVE to a "
        "delete; to a delete it answers REMOVE or REJECT."
    )


def test_a_caller_the_rules_keep_out_is_refused_before_the_handler_sees_anything(api, log):
    note = edited(api)
    seen = len(events(log))
    stale = {"id": note["id"], "body": "mallory's", "_version": 1}
    answer = api.graphql(UPDATE, {"i": stale}, auth=api.user("mallory"))
    assert error_types(answer) == ["Unauthorized"]
    gone = api.graphql(DELETE, {"i": {"id": note["id"], "_version": 1}}, auth=api.user("mallory"))
    assert error_types(gone) == ["Unauthorized"]
    assert len(events(log)) == seen


def test_a_resolved_item_changing_what_the_caller_may_not_is_refused(api):
    note = edited(api)
    stale = {"id": note["id"], "body": "steal", "_version": 1}
    answer = api.graphql(UPDATE, {"i": stale}, auth=api.user("alice"))
    assert error_types(answer) == ["Unauthorized"]
    assert answer["errors"][0]["message"] == (
        "The conflict handler 'ResolveNotesConflictHandler' of Note answered RESOLVE with "
        "changes to [owner], which the caller may not make."
    )
    stored = ok(api.graphql(GET, {"id": note["id"]}, auth=api.user("alice")), "getNote")
    assert (stored["owner"], stored["body"], stored["_version"]) == ("alice", None, 2)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "boom",
            "The conflict handler 'ResolveNotesConflictHandler' of Note failed: "
            "cannot resolve this",
        ),
        (
            "rekey",
            "The conflict handler 'ResolveNotesConflictHandler' of Note answered RESOLVE with "
            "an item that changes the key [id]; it returns the record with its own key and "
            "fields.",
        ),
        (
            "garbage",
            "The conflict handler 'ResolveNotesConflictHandler' of Note answered "
            '{"action":"MERGE"}; it answers {"action": "RESOLVE", "item": {...}}, '
            '{"action": "REJECT"} or {"action": "REMOVE"}.',
        ),
    ],
)
def test_a_failing_or_malformed_handler_is_an_error_naming_it(api, body, message):
    note = edited(api)
    answer = api.graphql(
        UPDATE, {"i": {"id": note["id"], "body": body, "_version": 1}}, auth=editor(api)
    )
    assert error_types(answer) == ["ConflictError"]
    assert answer["errors"][0]["message"] == message
    stored = ok(api.graphql(GET, {"id": note["id"]}, auth=api.user("alice")), "getNote")
    assert stored["_version"] == 2
