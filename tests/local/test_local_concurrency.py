"""8 clients at once over HTTP, 200 mixed operations each, four signed-in users and the API
key: no request fails, and the table ends up holding exactly what the clients wrote."""

from __future__ import annotations

import http.client
import json
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from stacks import api_stack, pool_and_key, running

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.endpoints.graphql_server import GraphQLServer
from authorized_appsync.local.identity.authenticator import Authenticator
from authorized_appsync.local.identity.issuer import LocalUserPool

CLIENTS = 8
OPERATIONS = 200
USERS = 4
KEY = "da2-concurrencykey"
SCHEMA = """type Note @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner }
]) { id: ID! content: String! }"""
CREATE = "mutation($c: String!) { createNote(input: {content: $c}) { id content } }"
UPDATE = (
    "mutation($id: ID!, $c: String!) { updateNote(input: {id: $id, content: $c}) { id content } }"
)
DELETE = "mutation($id: ID!) { deleteNote(input: {id: $id}) { id } }"
GET = "query($id: ID!) { getNote(id: $id) { id content } }"
LIST = "query { listNotes(limit: 20) { items { id content } nextToken } }"


@pytest.fixture(scope="module")
def served():
    pool = LocalUserPool()
    authenticator = Authenticator(pool_and_key(KEY, pool.auth()))
    with (
        LocalAppSync.from_stack(api_stack("Concurrency", SCHEMA, api_key=True)) as local,
        running(GraphQLServer(local, authenticator, port=0)) as server,
    ):
        yield local, server, pool


@dataclass
class Client:
    """One client's connection, its user, and what it has written (id -> content)."""

    number: int
    server: GraphQLServer
    token: str
    notes: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        host, port = self.server.httpd.server_address[:2]
        self.connection = http.client.HTTPConnection(str(host), int(port), timeout=60)

    def send(self, query: str, variables: Mapping[str, Any], *, api_key: bool = False) -> Any:
        """The operation's data field, or None after recording why it failed."""
        auth = {"x-api-key": KEY} if api_key else {"Authorization": self.token}
        self.connection.request(
            "POST",
            "/graphql",
            body=json.dumps({"query": query, "variables": dict(variables)}),
            headers={"Content-Type": "application/json", **auth},
        )
        response = self.connection.getresponse()
        body = json.loads(response.read())
        if response.status != 200 or body.get("errors") or not body.get("data"):
            self.failures.append(f"{query} {dict(variables)} -> {response.status} {body}")
            return None
        return next(iter(body["data"].values()))

    def expect(self, what: str, got: Any, wanted: Any) -> None:
        if got != wanted:
            self.failures.append(f"{what}: got {got!r}, expected {wanted!r}")

    def step(self, n: int, choose: random.Random) -> None:
        kind = choose.choices(["create", "get", "list", "update", "delete"], [3, 2, 1, 2, 2])[0]
        if kind != "list" and not self.notes:
            kind = "create"
        if kind == "create":
            content = f"client {self.number} note {n}"
            created = self.send(CREATE, {"c": content})
            if created is not None:
                self.expect("created content", created["content"], content)
                self.notes[created["id"]] = content
        elif kind == "list":
            self.send(LIST, {}, api_key=choose.random() < 0.5)
        else:
            note = choose.choice(sorted(self.notes))
            if kind == "get":
                got = self.send(GET, {"id": note}, api_key=choose.random() < 0.5)
                self.expect(f"content of {note}", got and got["content"], self.notes[note])
            elif kind == "update":
                content = f"client {self.number} update {n}"
                updated = self.send(UPDATE, {"id": note, "c": content})
                self.expect(f"updated {note}", updated and updated["content"], content)
                self.notes[note] = content
            else:
                deleted = self.send(DELETE, {"id": note})
                self.expect("deleted id", deleted and deleted["id"], note)
                del self.notes[note]

    def run(self) -> None:
        choose = random.Random(self.number)
        try:
            for n in range(OPERATIONS):
                self.step(n, choose)
        except Exception as error:  # recorded, so the test names it
            self.failures.append(f"client {self.number} stopped: {error!r}")
        finally:
            self.connection.close()


def stored_notes(local: LocalAppSync) -> dict[str, str]:
    (table,) = local.api.tables.values()
    found: dict[str, str] = {}
    page: dict[str, Any] = {}
    while True:
        scanned = local.client.scan(TableName=table.name, ConsistentRead=True, **page)
        found.update({i["id"]["S"]: i["content"]["S"] for i in scanned["Items"]})
        if "LastEvaluatedKey" not in scanned:
            return found
        page = {"ExclusiveStartKey": scanned["LastEvaluatedKey"]}


def test_concurrent_clients_lose_no_writes(served):
    local, server, pool = served
    clients = [Client(n, server, pool.id_token(f"user{n % USERS}")) for n in range(CLIENTS)]
    threads = [threading.Thread(target=c.run, name=f"client-{c.number}") for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a client did not finish"
    failures = [f for c in clients for f in c.failures]
    assert failures == [], f"{len(failures)} failed operations, first: {failures[:3]}"
    written = {note: content for c in clients for note, content in c.notes.items()}
    assert sum(len(c.notes) for c in clients) == len(written)  # no id handed out twice
    assert stored_notes(local) == written
