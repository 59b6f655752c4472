"""Composite sort keys in the requests the resolvers send (resolvers/README.md "Composite
sort keys"): the key attribute ``status#createdAt`` built from the key fields, a key
condition on it through a placeholder (``#`` is no placeholder character), and the
@indexes' composite attributes kept by create and update. tests/local covers the same
end to end."""

from __future__ import annotations

from typing import Any

from authorized_appsync.codegen.resolvers.plan import OperationKind
from authorized_appsync.codegen.tables import CompositeKey
from resolver_harness import ALICE, Resolver, from_ddb, owner, plan, private

TASK_KEY = {
    "model": "Task",
    "partition_key": "project",
    "sort_key": "status#createdAt",
    "sort_key_fields": ("status", "createdAt"),
}
BY_ASSIGNEE = CompositeKey("byAssignee", "priority#due", ("priority", "due"))
KEY = {"project": "p1", "status": "OPEN", "createdAt": "2024-01-01"}


def sent(kind: OperationKind, arguments: dict[str, Any], **kw: Any) -> dict[str, Any]:
    got = Resolver(plan(kind, [owner()], **TASK_KEY, **kw)).request(ALICE, arguments=arguments)
    assert got.error is None, got.error
    assert isinstance(got.result, dict)
    return got.result


def plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: from_ddb(v) for k, v in values.items()}


def test_get_and_delete_name_the_joined_key() -> None:
    assert plain(sent(OperationKind.GET, KEY)["key"]) == {
        "project": "p1",
        "status#createdAt": "OPEN#2024-01-01",
    }
    assert plain(sent(OperationKind.DELETE, {"input": KEY})["key"]) == {
        "project": "p1",
        "status#createdAt": "OPEN#2024-01-01",
    }


def test_create_keeps_the_key_fields_as_fields_and_writes_the_index_key() -> None:
    item = {**KEY, "assignee": "ann", "priority": 2, "due": "2024-06-01"}
    request = sent(
        OperationKind.CREATE,
        {"input": item},
        composite_keys=(BY_ASSIGNEE,),
        owner_fields=(owner(),),
    )
    assert plain(request["key"]) == {"project": "p1", "status#createdAt": "OPEN#2024-01-01"}
    attributes = plain(request["attributeValues"])
    assert (attributes["status"], attributes["createdAt"]) == ("OPEN", "2024-01-01")
    assert attributes["priority#due"] == "2#2024-06-01"


def test_a_list_query_conditions_the_joined_attribute_through_a_placeholder() -> None:
    condition = {"beginsWith": {"status": "OPEN"}}
    request = sent(OperationKind.LIST, {"project": "p1", "statusCreatedAt": condition})
    query = request["query"]
    assert query["expression"] == "#project = :pk AND begins_with(#__sortKey, :sk)"
    assert query["expressionNames"] == {"#project": "project", "#__sortKey": "status#createdAt"}
    assert plain(query["expressionValues"]) == {":pk": "p1", ":sk": "OPEN"}


def test_an_index_query_joins_both_ends_of_between() -> None:
    bounds = [{"priority": 1}, {"priority": 2, "due": "2024-06"}]
    request = sent(
        OperationKind.QUERY_INDEX,
        {"assignee": "ann", "priorityDue": {"between": bounds}},
        index_name="byAssignee",
        index_partition_key="assignee",
        index_sort_key="priority#due",
        index_sort_key_fields=("priority", "due"),
    )
    query = request["query"]
    assert query["expression"] == "#assignee = :pk AND #__sortKey BETWEEN :sk0 AND :sk1"
    assert query["expressionNames"]["#__sortKey"] == "priority#due"
    assert plain(query["expressionValues"])[":sk1"] == "2#2024-06"


def update(input: dict[str, Any]) -> Any:
    p = plan(
        OperationKind.UPDATE,
        [private()],
        **TASK_KEY,
        composite_keys=(BY_ASSIGNEE,),
        delete_rules=(private(),),
    )
    return Resolver(p).request(ALICE, arguments={"input": {**KEY, **input}})


def test_update_never_changes_the_key_and_rewrites_a_whole_index_key() -> None:
    got = update({"priority": 3, "due": "2024-07-01"})
    assert got.error is None, got.error
    expression = got.result["update"]
    assert expression["expressionNames"]["#__key0"] == "priority#due"
    assert "#__key0 = :new" in expression["expression"]
    assert "#status " not in expression["expression"]
    assert {"S": "3#2024-07-01"} in expression["expressionValues"].values()


def test_update_removes_an_index_key_with_a_null_field_and_refuses_part_of_one() -> None:
    removed = update({"priority": None, "due": "2024-07-01"})
    assert removed.error is None, removed.error
    assert "REMOVE #priority, #__key0" in removed.result["update"]["expression"]
    part = update({"priority": 3})
    assert part.error is not None
    assert part.error.error_type == "InvalidArgumentsError"
    assert part.error.message == (
        "When updating any part of the composite sort key for @index 'byAssignee', you must "
        "provide all fields for the key. Missing key: 'due'."
    )
