"""Enum key fields end to end: an ``@index`` whose partition key and sort key are enums, and
an enum ``@primaryKey``. Amplify accepts them ("the fields of a secondary index ... must be
scalar or enum"); DynamoDB stores an enum as a string, the query field takes the enum for
the partition key and a ``ModelStringKeyConditionInput`` for an enum sort key, as
Amplify's transformer generates (docs/semantics.md "Schema shape").
"""

from __future__ import annotations

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Ticket @model @auth(rules: [{ allow: public }]) {
  title: String!
  status: Status!
    @index(name: "byStatus", sortKeyFields: ["priority"], queryField: "ticketsByStatus")
  priority: Priority!
  queue: String
    @index(name: "byQueue", sortKeyFields: ["priority"], queryField: "ticketsByQueue")
}

type Setting @model @auth(rules: [{ allow: public }]) {
  scope: Scope! @primaryKey(sortKeyFields: ["level"])
  level: Priority!
  value: String
}

enum Status { OPEN CLOSED }
enum Priority { P1 P2 P3 }
enum Scope { GLOBAL TEAM }
"""

TICKETS = (
    ("Login broken", "OPEN", "P1", "support"),
    ("Typo", "OPEN", "P3", "docs"),
    ("Slow page", "OPEN", "P2", "support"),
    ("Old bug", "CLOSED", "P1", "support"),
)


@pytest.fixture(scope="module")
def api():
    stack = api_stack("EnumKeys", SCHEMA, api_key=True, default_mode="API_KEY")
    with LocalAppSync.from_stack(stack) as local:
        create = """mutation($i: CreateTicketInput!) { createTicket(input: $i) { id } }"""
        for title, status, priority, queue in TICKETS:
            made = local.graphql(
                create,
                {"i": {"title": title, "status": status, "priority": priority, "queue": queue}},
                auth=local.api_key(),
            )
            ok(made, "createTicket")
        yield local


def titles(api, query: str, field: str) -> list[str]:
    return [t["title"] for t in ok(api.graphql(query, auth=api.api_key()), field)["items"]]


def test_an_enum_partition_key_finds_its_items_in_sort_key_order(api):
    by_status = "{ ticketsByStatus(status: OPEN) { items { title } } }"
    assert titles(api, by_status, "ticketsByStatus") == ["Login broken", "Slow page", "Typo"]
    closed = "{ ticketsByStatus(status: CLOSED) { items { title status } } }"
    got = ok(api.graphql(closed, auth=api.api_key()), "ticketsByStatus")["items"]
    assert got == [{"title": "Old bug", "status": "CLOSED"}]
    desc = "{ ticketsByStatus(status: OPEN, sortDirection: DESC) { items { title } } }"
    assert titles(api, desc, "ticketsByStatus") == ["Typo", "Slow page", "Login broken"]


def test_an_enum_sort_key_takes_string_key_conditions(api):
    eq = '{ ticketsByStatus(status: OPEN, priority: {eq: "P2"}) { items { title } } }'
    assert titles(api, eq, "ticketsByStatus") == ["Slow page"]
    between = (
        '{ ticketsByQueue(queue: "support", priority: {between: ["P1", "P2"]}) '
        "{ items { title priority } } }"
    )
    got = ok(api.graphql(between, auth=api.api_key()), "ticketsByQueue")["items"]
    assert sorted((t["title"], t["priority"]) for t in got) == [
        ("Login broken", "P1"),
        ("Old bug", "P1"),
        ("Slow page", "P2"),
    ]


def test_a_value_outside_the_enum_is_refused_before_any_resolver(api):
    got = api.graphql(
        "{ ticketsByStatus(status: PENDING) { items { title } } }", auth=api.api_key()
    )
    assert got.get("data") is None
    assert "PENDING" in got["errors"][0]["message"]


def test_an_enum_primary_key(api):
    key = api.api_key()
    create = "mutation($i: CreateSettingInput!) { createSetting(input: $i) { scope level value } }"
    for scope, level, value in (("GLOBAL", "P1", "a"), ("GLOBAL", "P2", "b"), ("TEAM", "P1", "c")):
        made = api.graphql(
            create, {"i": {"scope": scope, "level": level, "value": value}}, auth=key
        )
        assert ok(made, "createSetting") == {"scope": scope, "level": level, "value": value}
    got = api.graphql("{ getSetting(scope: GLOBAL, level: P2) { value } }", auth=key)
    assert ok(got, "getSetting") == {"value": "b"}
    listed = api.graphql(
        '{ listSettings(scope: GLOBAL, level: {beginsWith: "P"}) { items { value } } }', auth=key
    )
    assert [s["value"] for s in ok(listed, "listSettings")["items"]] == ["a", "b"]
    gone = api.graphql(
        "mutation { deleteSetting(input: {scope: TEAM, level: P1}) { value } }", auth=key
    )
    assert ok(gone, "deleteSetting") == {"value": "c"}
