"""Amplify DataStore (aws-amplify 6, pinned) against `serve`, running the app of the blog post
"AWS Amplify allows you to mix and match authorization modes in DataStore" (seed 004):
`AuthModeStrategyType.MULTI_AUTH`, the models Amplify's codegen writes from the schema, and
the configuration from the `amplify_outputs.json` serve wrote. Each device is a node process
(``datastore_client.cjs``) driven line by line.

Seed 004's rules: "Anyone can read any posts"; "Any signed-in user can create, read, update,
or delete their own posts"; "Any user that are part of the "Admins" group is allowed to
delete any posts". Its owner rule leaves read to the public rule ("uncheck "Read" to deny
other users only Update and Delete access"), so signed-in devices read and listen with the
API key, as the post's app does. And: "if I delete an item that I'm not supposed to have
access to, it'll delete it locally first and then raise an error when deletion wasn't
successful service-side."

Conflicts (Amplify's "Conflict resolution" for DataStore): posts are AUTOMERGE, drafts (the
same rules) OPTIMISTIC_CONCURRENCY. A device goes offline the way a browser does (the
`offline` event Amplify's network monitor listens to), edits, and comes back after another
device's edit of the same record reached the server.

Todos are private (`allow: owner`): a user's devices read and listen as the owner, with the
`owner` argument DataStore passes to subscriptions (the `cognito:username` claim).
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk import aws_cognito as cognito
from serve_harness import AMPLIFY, PASSWORD, ROOT, Served, environment, serving, sign_in, synth
from stacks import api_stack

from authorized_appsync import ConflictHandler, ConflictResolutionConfig

BLOG = """type Post @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner, operations: [create, update, delete] }
  { allow: groups, groups: ["Admins"], operations: [delete] }
]) {
  id: ID!
  title: String!
  content: String
}"""

# Private models beside the blog's, for a second app of the same API: a user's drafts
# (AUTOMERGE, the project's handler) and todos (OPTIMISTIC_CONCURRENCY).
NOTES = """type Draft @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  title: String!
  content: String
}

type Todo @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  title: String!
  content: String
}"""

ANSWER_SECONDS = 120
CLIENT = Path(__file__).with_name("datastore_client.cjs")


def blog(app: App) -> None:
    stack = api_stack(
        "DataStoreBlog",
        BLOG + "\n\n" + NOTES,
        app=app,
        api_key=True,
        conflict_resolution=ConflictResolutionConfig(
            project=ConflictHandler.AUTOMERGE,
            models={"Todo": ConflictHandler.OPTIMISTIC_CONCURRENCY},
        ),
    )
    users = stack.node.find_child("Users")
    users.add_client("Web")
    cognito.CfnUserPoolGroup(stack, "Admins", user_pool_id=users.user_pool_id, group_name="Admins")


class Device:
    """One DataStore device: a node process answering one JSON line per request."""

    def __init__(self, name: str, outputs: Path, certificate: str, logs: Path) -> None:
        self.name = name
        self._outputs = outputs
        self._log = (logs / f"{name}.log").open("w")
        self._process = subprocess.Popen(
            ["node", "--experimental-websocket", str(CLIENT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            cwd=ROOT,
            env={**environment(), "NODE_EXTRA_CA_CERTS": certificate},
        )
        self._answers: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._answers.put(line)

    def ask(self, op: str, **arguments: Any) -> dict[str, Any]:
        """The device's answer to one request: ``{"ok": value}`` or ``{"error": message}``."""
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self._process.stdin.flush()
        try:
            line = self._answers.get(timeout=ANSWER_SECONDS)
        except queue.Empty:
            pytest.fail(f"device {self.name} gave no answer to {op} in {ANSWER_SECONDS} s")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def __call__(self, op: str, **arguments: Any) -> Any:
        """The value of a request the device must carry out."""
        answer = self.ask(op, **arguments)
        assert "error" not in answer, f"{self.name} {op}: {answer['error']}"
        return answer["ok"]

    def start(self, user: str | None, schema: str) -> Device:
        self(
            "start",
            user=user,
            password=PASSWORD,
            outputs=str(self._outputs),
            schema=schema,
        )
        return self

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._log.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[Served, Path, str, dict[str, str]]]:
    assert AMPLIFY.is_dir(), "node_modules/aws-amplify is missing: run `make setup`"
    root = tmp_path_factory.mktemp("datastore")
    assembly = synth(root / "cdk.out", blog)
    target = root / "amplify_outputs.json"
    with serving(assembly, "DataStoreBlog", "--outputs", str(target)) as running:
        tokens = {
            user: sign_in(running.state["cognito"], user, groups)
            for user, groups in (("alice", ()), ("bob", ()), ("ada", ("Admins",)))
        }
        outputs = json.loads(target.read_text())
        certificate = outputs["custom"]["authorized_appsync"]["realtime_certificate"]
        yield running, target, certificate, tokens


@pytest.fixture(scope="module")
def device(served, tmp_path_factory) -> Iterator[Any]:
    """``device(name, user, schema)``: a started device running DataStore on the models of
    ``schema`` (closed at the end of the module)."""
    _, outputs, certificate, _ = served
    logs = tmp_path_factory.mktemp("devices")
    started: list[Device] = []

    def make(name: str, user: str | None, schema: str = BLOG) -> Device:
        made = Device(name, outputs, certificate, logs)
        started.append(made)
        return made.start(user, schema)

    yield make
    for each in started:
        each.close()


@pytest.fixture(scope="module")
def anyone(device) -> Device:
    return device("anyone", None)  # nobody signed in: MULTI_AUTH reads with the API key


@pytest.fixture(scope="module")
def alice(device) -> Device:
    return device("alice", "alice")


@pytest.fixture(scope="module")
def laptop(device) -> Device:
    """Alice's notes app on her laptop."""
    return device("laptop", "alice", NOTES)


@pytest.fixture(scope="module")
def phone(device) -> Device:
    """Alice's notes app on her phone."""
    return device("phone", "alice", NOTES)


@pytest.fixture(scope="module")
def bob(device) -> Device:
    return device("bob", "bob")


@pytest.fixture(scope="module")
def ada(device) -> Device:
    return device("ada", "ada")  # in Admins


def on_server(served, model: str, record_id: str, user: str | None = None) -> dict[str, Any] | None:
    """The record as anyone (the API key) or ``user`` reads it from the API, outside DataStore."""
    running, _, _, tokens = served
    query = f"query($id: ID!) {{ get{model}(id: $id) {{ id title content owner _version }} }}"
    auth = running.jwt(tokens[user]) if user else running.api_key()
    answer = running.run(auth, query, {"id": record_id})
    assert "errors" not in answer, answer
    record: dict[str, Any] | None = answer["data"][f"get{model}"]
    return record


def server_took(outcome: dict[str, Any]) -> dict[str, Any]:
    assert "processed" in outcome, outcome
    record: dict[str, Any] = outcome["processed"]
    return record


def refused(outcome: dict[str, Any]) -> dict[str, Any]:
    """The error DataStore handed to errorHandler for a mutation the server refused."""
    assert "error" in outcome, outcome
    error: dict[str, Any] = outcome["error"]
    return error


def test_anyone_reads_posts_and_hears_of_new_ones(anyone, alice, served):
    before = anyone("query", model="Post")
    made = server_took(alice("save", model="Post", fields={"title": "hello", "content": "world"}))
    assert (made["title"], made["_version"], made["_deleted"]) == ("hello", 1, None)
    # The owner reads back as the username, in the mutation's response too (the event).
    assert made["owner"] == "alice"
    # Nobody signed in: the post arrives over the API key's subscription.
    heard = anyone("until", model="Post", id=made["id"], fields={"title": "hello"})
    assert (heard["content"], heard["owner"], heard["_version"]) == ("world", "alice", 1)
    assert made["id"] not in [p["id"] for p in before]


def test_a_signed_in_user_updates_and_deletes_own_posts(anyone, alice, served):
    made = server_took(alice("save", model="Post", fields={"title": "draft one"}))
    edited = server_took(
        alice("update", model="Post", id=made["id"], fields={"title": "final one"})
    )
    assert (edited["title"], edited["_version"]) == ("final one", 2)
    anyone("until", model="Post", id=made["id"], fields={"title": "final one", "_version": 2})
    gone = server_took(alice("remove", model="Post", id=made["id"]))
    assert (gone["_deleted"], gone["_version"]) == (True, 3)
    anyone("until", model="Post", id=made["id"], gone=True)
    assert on_server(served, "Post", made["id"]) is None


def test_anyone_may_not_write_and_datastore_reports_it(anyone, alice, served):
    # Seed 004: "Try deleting posts or create new posts while logged out. DataStore tries to
    # address these transactions locally but the actual sync to the cloud fails".
    spam = anyone("save", model="Post", fields={"title": "spam"})
    assert refused(spam)["errorType"] == "Unauthorized"
    assert on_server(served, "Post", spam["local"]["id"]) is None
    made = server_took(alice("save", model="Post", fields={"title": "keep me"}))
    anyone("until", model="Post", id=made["id"], fields={"title": "keep me"})
    assert refused(anyone("remove", model="Post", id=made["id"]))["errorType"] == "Unauthorized"
    assert on_server(served, "Post", made["id"])["title"] == "keep me"


def test_another_user_may_not_update_or_delete_a_post(bob, alice, served):
    made = server_took(alice("save", model="Post", fields={"title": "alice's"}))
    # Bob reads with the API key (his owner rule has no read) and so holds alice's post.
    bob("until", model="Post", id=made["id"], fields={"title": "alice's"})
    tried = bob("update", model="Post", id=made["id"], fields={"title": "bob's now"})
    assert refused(tried)["errorType"] == "Unauthorized"
    # "it'll delete it locally first and then raise an error when deletion wasn't
    # successful service-side."
    assert refused(bob("remove", model="Post", id=made["id"]))["errorType"] == "Unauthorized"
    kept = on_server(served, "Post", made["id"])
    assert (kept["title"], kept["owner"], kept["_version"]) == ("alice's", "alice", 1)


def test_admins_delete_any_post_but_do_not_edit_it(ada, alice, anyone, served):
    made = server_took(alice("save", model="Post", fields={"title": "off-topic"}))
    ada("until", model="Post", id=made["id"], fields={"title": "off-topic"})
    tried = ada("update", model="Post", id=made["id"], fields={"title": "moderated"})
    assert refused(tried)["errorType"] == "Unauthorized"
    gone = server_took(ada("remove", model="Post", id=made["id"]))
    assert gone["_deleted"] is True
    anyone("until", model="Post", id=made["id"], gone=True)
    alice("until", model="Post", id=made["id"], gone=True)
    assert on_server(served, "Post", made["id"]) is None


def edit_while_offline(first, second, model: str) -> str:
    """A record both devices hold; ``second`` goes offline and sets its content, which the
    record lacks; ``first`` edits its title; ``second`` comes back online and sends its edit,
    made on version 1. The record's id."""
    made = server_took(first("save", model=model, fields={"title": "shared"}))
    second("until", model=model, id=made["id"], fields={"title": "shared"})
    second("offline")
    second("update", model=model, id=made["id"], fields={"content": "from the phone"})
    edit = {"title": "from the laptop"}
    took = server_took(first("update", model=model, id=made["id"], fields=edit))
    assert took["_version"] == 2
    second("online")
    record_id: str = made["id"]
    return record_id


def test_two_devices_converge_under_automerge(laptop, phone, served):
    record_id = edit_while_offline(laptop, phone, "Draft")
    # The server merged the phone's edit, made on version 1, into version 2: the content the
    # record lacked is taken (a value both had and changed would keep the server's, as
    # AppSync's Automerge does for scalars).
    merged = {"title": "from the laptop", "content": "from the phone", "_version": 3}
    phone("until", model="Draft", id=record_id, fields=merged)
    laptop("until", model="Draft", id=record_id, fields=merged)
    on = on_server(served, "Draft", record_id, "alice")
    assert (on["title"], on["content"], on["_version"]) == ("from the laptop", "from the phone", 3)
    assert phone("reports")["conflicts"] == []


def test_two_devices_conflict_under_optimistic_concurrency(laptop, phone, served):
    record_id = edit_while_offline(laptop, phone, "Todo")
    # The server refused the phone's edit (ConflictUnhandled) and DataStore asked the app's
    # conflictHandler, which kept the server's record (DISCARD, DataStore's default).
    kept = {"title": "from the laptop", "content": None, "_version": 2}
    phone("until", model="Todo", id=record_id, fields=kept)
    (conflict,) = [c for c in phone("reports")["conflicts"] if c["remote"]["id"] == record_id]
    assert conflict["operation"] == "UPDATE"
    assert conflict["local"]["content"] == "from the phone"
    assert conflict["remote"]["title"] == "from the laptop"
    assert conflict["remote"]["_version"] == 2
    on = on_server(served, "Todo", record_id, "alice")
    assert (on["title"], on["content"], on["_version"]) == ("from the laptop", None, 2)


def test_a_users_private_records_reach_their_other_device_only(laptop, phone, served):
    # Owner-only models: each device listens with `owner: "<username>"`, which AppSync
    # compares with the event's owner - the username, as every response reads it back.
    made = server_took(laptop("save", model="Draft", fields={"title": "plans"}))
    assert made["owner"] == "alice"
    phone("until", model="Draft", id=made["id"], fields={"title": "plans"})
    server_took(phone("update", model="Draft", id=made["id"], fields={"content": "more"}))
    laptop("until", model="Draft", id=made["id"], fields={"content": "more", "_version": 2})
    running, _, _, tokens = served
    query = "query($id: ID!) { getDraft(id: $id) { id title } }"
    answer = running.run(running.jwt(tokens["bob"]), query, {"id": made["id"]})
    assert answer["data"] == {"getDraft": None}
    assert [e["errorType"] for e in answer["errors"]] == ["Unauthorized"]
