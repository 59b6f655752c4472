"""A field rule naming some of a model rule's groups narrows who reads the field; it
admits no one the model keeps out, so it makes no partial reader (docs/semantics.md
"Partial readers").

Seed 003: "Field-level authorization rules do not inherit model-level authorization
rules. Meaning, only the specified field-level authorization rule is applied."
"""

from __future__ import annotations

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

# The user's schema: owners and both groups read tasks; only Managers read the estimate.
SCHEMA = """
type Task @model @auth(rules: [{allow: owner}, {allow: groups, groups: ["Managers","Admins"]}]) {
  title: String!
  estimate: Int @auth(rules: [{allow: groups, groups: ["Managers"]}])
}
"""

GET = "query($id: ID!) { getTask(id: $id) { id title estimate owner } }"
LIST = "{ listTasks { items { id title estimate } } }"
ESTIMATE = "Not Authorized to access estimate on type Task"


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("GroupSubsets", SCHEMA)) as local:
        yield local


@pytest.fixture(scope="module")
def task(api):
    """Alice's task (she is in neither group), estimated by a manager."""
    made = api.graphql(
        'mutation { createTask(input: {title: "Ship"}) { id } }', auth=api.user("alice")
    )
    task_id = ok(made, "createTask")["id"]
    estimated = api.graphql(
        "mutation($id: ID!) { updateTask(input: {id: $id, estimate: 5}) { id title } }",
        {"id": task_id},
        auth=api.user("mia", groups=("Managers",)),
    )
    assert ok(estimated, "updateTask") == {"id": task_id, "title": "Ship"}
    return task_id


def assert_estimate_refused(response, field, *path):
    (error,) = response["errors"]
    assert (error["message"], error["errorType"]) == (ESTIMATE, "Unauthorized")
    assert (error["path"], error["errorInfo"]) == ([field], {"path": [*path, "estimate"]})


def test_a_manager_reads_the_estimate(api, task):
    got = ok(api.graphql(GET, {"id": task}, auth=api.user("mia", groups=("Managers",))), "getTask")
    assert got == {"id": task, "title": "Ship", "estimate": 5, "owner": "alice"}
    listed = api.graphql(LIST, auth=api.user("max", groups=("Managers",)))
    assert ok(listed, "listTasks")["items"] == [{"id": task, "title": "Ship", "estimate": 5}]


def test_an_admin_reads_the_task_but_not_the_estimate(api, task):
    got = api.graphql(GET, {"id": task}, auth=api.user("adam", groups=("Admins",)))
    assert got["data"]["getTask"] == {
        "id": task,
        "title": "Ship",
        "estimate": None,
        "owner": "alice",
    }
    assert_estimate_refused(got, "getTask")
    listed = api.graphql(LIST, auth=api.user("adam", groups=("Admins",)))
    assert listed["data"]["listTasks"]["items"] == [{"id": task, "title": "Ship", "estimate": None}]
    assert_estimate_refused(listed, "listTasks", "items", 0)


def test_the_owner_in_neither_group_reads_the_task_but_not_the_estimate(api, task):
    got = api.graphql(GET, {"id": task}, auth=api.user("alice"))
    assert got["data"]["getTask"] == {
        "id": task,
        "title": "Ship",
        "estimate": None,
        "owner": "alice",
    }
    assert_estimate_refused(got, "getTask")


def test_a_caller_no_rule_admits_is_refused(api, task):
    got = api.graphql(GET, {"id": task}, auth=api.user("eve", groups=("Staff",)))
    assert got["data"] == {"getTask": None}
    assert got["errors"][0]["errorType"] == "Unauthorized"


def test_only_managers_set_the_estimate(api, task):
    update = "mutation($id: ID!) { updateTask(input: {id: $id, estimate: 8}) { id } }"
    refused = api.graphql(update, {"id": task}, auth=api.user("adam", groups=("Admins",)))
    assert refused["data"] == {"updateTask": None}
    assert refused["errors"][0]["message"] == "Unauthorized on [estimate]"
