"""Composite sort keys end to end: a ``@primaryKey`` and an ``@index`` whose
``sortKeyFields`` name several fields, as Amplify's transformer v2 serves them. The key is
stored as one attribute (``status#createdAt``) holding the values joined with ``#``; get
takes every key field, list and the index query take one condition over the fields
(``statusCreatedAt: ModelTaskPrimaryCompositeKeyConditionInput``), which may give the
leading fields only (docs/semantics.md "Keys").
"""

from __future__ import annotations

from typing import Any

import pytest
from stacks import api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Task @model @auth(rules: [{ allow: public }]) {
  project: String! @primaryKey(sortKeyFields: ["status", "createdAt"])
  status: Status!
  createdAt: AWSDateTime!
  title: String
  assignee: String
    @index(name: "byAssignee", sortKeyFields: ["priority", "due"], queryField: "tasksByAssignee")
  priority: Int
  due: AWSDate
}

enum Status { OPEN DONE }

# Everyone reads badges; a badge's code is its owner's alone.
type Badge @model(subscriptions: null) @auth(rules: [
  { allow: owner },
  { allow: public, operations: [read] }
]) {
  team: String! @primaryKey(sortKeyFields: ["level", "code"])
  level: String!
  code: String! @auth(rules: [{ allow: owner }])
  name: String
}
"""

JAN, FEB, MAR = "2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z"
MID_JAN = "2024-01-15T00:00:00.000Z"
# (project, status, createdAt, title, assignee, priority, due); in key order per project:
# DONE#2024-01-15 (c), DONE#2024-03-01 (d), OPEN#2024-01-01 (a), OPEN#2024-02-01 (b).
TASKS = (
    ("p1", "OPEN", JAN, "a", "ann", 2, "2024-06-01"),
    ("p1", "OPEN", FEB, "b", "ann", 1, "2024-07-01"),
    ("p1", "DONE", MID_JAN, "c", "ann", 1, "2024-05-01"),
    ("p1", "DONE", MAR, "d", "bob", 3, "2024-05-01"),
    ("p2", "OPEN", JAN, "e", None, None, None),
)
LIST = """query($p: String, $c: ModelTaskPrimaryCompositeKeyConditionInput,
  $d: ModelSortDirection, $limit: Int, $next: String) {
  listTasks(project: $p, statusCreatedAt: $c, sortDirection: $d, limit: $limit, nextToken: $next)
  { items { title } nextToken } }"""
BY_ASSIGNEE = """query($a: String!, $c: ModelTaskByAssigneeCompositeKeyConditionInput,
  $d: ModelSortDirection) {
  tasksByAssignee(assignee: $a, priorityDue: $c, sortDirection: $d) { items { title } } }"""
INVALID = "InvalidArgumentsError"


@pytest.fixture(scope="module")
def api():
    stack = api_stack("CompositeKeys", SCHEMA, api_key=True, default_mode="API_KEY")
    with LocalAppSync.from_stack(stack) as local:
        create = "mutation($i: CreateTaskInput!) { createTask(input: $i) { title } }"
        for project, status, created, title, assignee, priority, due in TASKS:
            task = {"project": project, "status": status, "createdAt": created, "title": title}
            if assignee:
                task.update(assignee=assignee, priority=priority, due=due)
            ok(local.graphql(create, {"i": task}, auth=local.api_key()), "createTask")
        yield local


def listed(api, variables: dict[str, Any], query: str = LIST, field: str = "listTasks") -> list:
    return [
        t["title"] for t in ok(api.graphql(query, variables, auth=api.api_key()), field)["items"]
    ]


def error_of(response: dict[str, Any]) -> tuple[str, str]:
    (error,) = response["errors"]
    return error["errorType"], error["message"]


def test_get_takes_every_key_field(api):
    get = """query($s: Status!, $c: AWSDateTime!) {
  getTask(project: "p1", status: $s, createdAt: $c) { title status createdAt } }"""
    got = api.graphql(get, {"s": "OPEN", "c": FEB}, auth=api.api_key())
    assert ok(got, "getTask") == {"title": "b", "status": "OPEN", "createdAt": FEB}
    missing = api.graphql(get, {"s": "DONE", "c": FEB}, auth=api.api_key())
    assert ok(missing, "getTask") is None


def test_list_by_partition_key_is_in_composite_key_order(api):
    assert listed(api, {"p": "p1"}) == ["c", "d", "a", "b"]
    assert listed(api, {"p": "p1", "d": "DESC"}) == ["b", "a", "d", "c"]
    assert sorted(listed(api, {})) == ["a", "b", "c", "d", "e"]  # no key: a Scan


@pytest.mark.parametrize(
    ("condition", "titles"),
    [
        ({"eq": {"status": "OPEN", "createdAt": JAN}}, ["a"]),
        ({"beginsWith": {"status": "OPEN"}}, ["a", "b"]),
        ({"beginsWith": {"status": "DONE", "createdAt": "2024-03"}}, ["d"]),
        (
            {
                "between": [
                    {"status": "DONE", "createdAt": "2024-02"},
                    {"status": "OPEN", "createdAt": "2024-01-15"},
                ]
            },
            ["d", "a"],
        ),
        ({"lt": {"status": "OPEN"}}, ["c", "d"]),
        ({"le": {"status": "DONE", "createdAt": MID_JAN}}, ["c"]),
        ({"gt": {"status": "DONE", "createdAt": "2024-02"}}, ["d", "a", "b"]),
        ({"ge": {"status": "OPEN", "createdAt": FEB}}, ["b"]),
        # As in Amplify, eq compares the whole stored value: a leading field alone matches none.
        ({"eq": {"status": "OPEN"}}, []),
    ],
)
def test_list_with_each_key_condition(api, condition, titles):
    assert listed(api, {"p": "p1", "c": condition}) == titles


def test_key_conditions_amplify_refuses(api):
    def refused(variables: dict[str, Any]) -> tuple[str, str]:
        return error_of(api.graphql(LIST, variables, auth=api.api_key()))

    assert refused({"p": "p1", "c": {"beginsWith": {"createdAt": "2024"}}}) == (
        INVALID,
        "When providing argument 'statusCreatedAt.beginsWith.createdAt' you must also provide "
        "'statusCreatedAt.beginsWith.status'.",
    )
    assert refused({"p": "p1", "c": {"eq": {"status": "OPEN"}, "lt": {"status": "OPEN"}}}) == (
        INVALID,
        "Argument statusCreatedAt must specify at most one key condition operation.",
    )
    assert refused({"p": "p1", "c": {"between": [{"status": "OPEN"}]}}) == (
        INVALID,
        "Argument 'statusCreatedAt.between' expects exactly two elements.",
    )
    assert refused({"c": {"beginsWith": {"status": "OPEN"}}}) == (
        INVALID,
        "When providing argument 'statusCreatedAt' you must also provide argument 'project'.",
    )


def test_pages_follow_the_key_order(api):
    first = ok(api.graphql(LIST, {"p": "p1", "limit": 3}, auth=api.api_key()), "listTasks")
    assert [t["title"] for t in first["items"]] == ["c", "d", "a"]
    assert first["nextToken"]
    rest = api.graphql(
        LIST, {"p": "p1", "limit": 3, "next": first["nextToken"]}, auth=api.api_key()
    )
    assert [t["title"] for t in ok(rest, "listTasks")["items"]] == ["b"]


def test_index_query_with_a_composite_sort_key(api):
    assert listed(api, {"a": "ann"}, BY_ASSIGNEE, "tasksByAssignee") == ["c", "b", "a"]
    assert listed(api, {"a": "ann", "d": "DESC"}, BY_ASSIGNEE, "tasksByAssignee") == ["a", "b", "c"]
    first = {"a": "ann", "c": {"beginsWith": {"priority": 1}}}
    assert listed(api, first, BY_ASSIGNEE, "tasksByAssignee") == ["c", "b"]
    july = {"a": "ann", "c": {"eq": {"priority": 1, "due": "2024-07-01"}}}
    assert listed(api, july, BY_ASSIGNEE, "tasksByAssignee") == ["b"]


def test_writes_keep_the_keys(api):
    key = api.api_key()
    create = "mutation($i: CreateTaskInput!) { createTask(input: $i) { title } }"
    task = {"project": "p3", "status": "OPEN", "createdAt": JAN, "title": "f"}
    partial = dict(task, assignee="cid", priority=1)
    assert error_of(api.graphql(create, {"i": partial}, auth=key)) == (
        INVALID,
        "When creating any part of the composite sort key for @index 'byAssignee', you must "
        "provide all fields for the key. Missing key: 'due'.",
    )
    whole = dict(task, assignee="cid", priority=1, due="2024-09-01")
    ok(api.graphql(create, {"i": whole}, auth=key), "createTask")
    assert listed(api, {"p": "p3", "c": {"beginsWith": {"status": "OPEN"}}}) == ["f"]
    assert listed(api, {"a": "cid"}, BY_ASSIGNEE, "tasksByAssignee") == ["f"]

    update = "mutation($i: UpdateTaskInput!) { updateTask(input: $i) { title priority due } }"
    keyed = {"project": "p3", "status": "OPEN", "createdAt": JAN}
    assert error_of(api.graphql(update, {"i": dict(keyed, priority=2)}, auth=key)) == (
        INVALID,
        "When updating any part of the composite sort key for @index 'byAssignee', you must "
        "provide all fields for the key. Missing key: 'due'.",
    )
    moved = api.graphql(update, {"i": dict(keyed, priority=2, due="2024-10-01")}, auth=key)
    assert ok(moved, "updateTask") == {"title": "f", "priority": 2, "due": "2024-10-01"}
    assert (
        listed(
            api, {"a": "cid", "c": {"beginsWith": {"priority": 1}}}, BY_ASSIGNEE, "tasksByAssignee"
        )
        == []
    )
    assert listed(
        api,
        {"a": "cid", "c": {"eq": {"priority": 2, "due": "2024-10-01"}}},
        BY_ASSIGNEE,
        "tasksByAssignee",
    ) == ["f"]
    # A change to no field of the index leaves it as it was.
    ok(api.graphql(update, {"i": dict(keyed, title="f2")}, auth=key), "updateTask")
    assert listed(api, {"a": "cid"}, BY_ASSIGNEE, "tasksByAssignee") == ["f2"]
    # A field of the index set to null takes the record out of it.
    ok(
        api.graphql(update, {"i": dict(keyed, priority=None, due="2024-10-01")}, auth=key),
        "updateTask",
    )
    assert listed(api, {"a": "cid"}, BY_ASSIGNEE, "tasksByAssignee") == []

    delete = "mutation($i: DeleteTaskInput!) { deleteTask(input: $i) { title } }"
    assert ok(api.graphql(delete, {"i": keyed}, auth=key), "deleteTask") == {"title": "f2"}
    assert listed(api, {"p": "p3"}) == []


BADGES = """query($c: ModelBadgePrimaryCompositeKeyConditionInput) {
  listBadges(team: "t1", levelCode: $c) { items { name } } }"""


def test_a_key_field_the_caller_may_not_read_cannot_be_asked_about(api):
    create = "mutation($i: CreateBadgeInput!) { createBadge(input: $i) { name } }"
    badge = {"team": "t1", "level": "L1", "code": "A-7", "name": "Alice"}
    ok(api.graphql(create, {"i": badge}, auth=api.user("alice")), "createBadge")
    key, bob, alice = api.api_key(), api.user("bob"), api.user("alice")

    def names(variables: dict[str, Any], caller: Any) -> list[str]:
        return [
            b["name"]
            for b in ok(api.graphql(BADGES, variables, auth=caller), "listBadges")["items"]
        ]

    # The level is everyone's to ask about ...
    assert names({"c": {"beginsWith": {"level": "L1"}}}, key) == ["Alice"]
    # ... the code only its owner's: naming it is refused, or answers only on one's own
    # records; a level holding "#" reaches into the code, and asks about it.
    for condition in (
        {"beginsWith": {"level": "L1", "code": "A"}},
        {"eq": {"level": "L1", "code": "A-7"}},
        {"beginsWith": {"level": "L1#A"}},
        {"between": [{"level": "L1"}, {"level": "L1#B"}]},
    ):
        assert_denied(api.graphql(BADGES, {"c": condition}, auth=key), "listBadges", "Query")
        assert names({"c": condition}, bob) == []
        assert names({"c": condition}, alice) == ["Alice"]
    get = 'query($c: String!) { getBadge(team: "t1", level: "L1", code: $c) { name } }'
    assert_denied(api.graphql(get, {"c": "A-7"}, auth=key), "getBadge", "Query")
    assert ok(api.graphql(get, {"c": "A-7"}, auth=bob), "getBadge") is None
    assert ok(api.graphql(get, {"c": "A-7"}, auth=alice), "getBadge") == {"name": "Alice"}
