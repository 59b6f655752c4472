"""Enhanced subscription filters and basic argument filtering on a published event
(APPSYNC.md §7): each operator, AND within a group, OR across groups, dot paths, and the
checks that refuse a malformed filter at subscribe time."""

from __future__ import annotations

import pytest

from authorized_appsync.local.subscriptions.filter import (
    arguments_match,
    filter_matches,
    filter_problem,
)

EVENT = {
    "title": "Quarterly report",
    "severity": 7,
    "ratio": 0.5,
    "urgent": True,
    "tags": ["finance", "q3"],
    "owner": "alice",
    "missing": None,
    "meta": {"region": {"name": "eu-west-1"}},
}


def one(field, operator, value):
    return {
        "filterGroup": [{"filters": [{"fieldName": field, "operator": operator, "value": value}]}]
    }


@pytest.mark.parametrize(
    ("field", "operator", "value", "expected"),
    [
        ("owner", "eq", "alice", True),
        ("owner", "eq", "bob", False),
        ("severity", "eq", 7, True),
        ("severity", "eq", 7.0, True),
        ("severity", "eq", "7", False),
        ("urgent", "eq", True, True),
        ("urgent", "eq", 1, False),
        ("owner", "ne", "bob", True),
        ("owner", "ne", "alice", False),
        ("missing", "ne", "x", True),
        ("severity", "le", 7, True),
        ("severity", "lt", 7, False),
        ("severity", "ge", 8, False),
        ("severity", "gt", 6, True),
        ("ratio", "lt", 1, True),
        ("title", "gt", "A", True),
        ("severity", "gt", "6", False),
        ("missing", "lt", 1, False),
        ("title", "contains", "report", True),
        ("title", "contains", "Report", False),
        ("tags", "contains", "q3", True),
        ("tags", "contains", "q", False),
        ("title", "notContains", "draft", True),
        ("tags", "notContains", "finance", False),
        ("title", "beginsWith", "Quarter", True),
        ("title", "beginsWith", "report", False),
        ("severity", "beginsWith", "7", False),
        ("owner", "in", ["bob", "alice"], True),
        ("owner", "in", ["bob"], False),
        ("missing", "in", ["x"], False),
        ("owner", "notIn", ["bob"], True),
        ("owner", "notIn", ["alice"], False),
        ("severity", "between", [7, 9], True),
        ("severity", "between", [1, 6], False),
        ("title", "between", ["P", "R"], True),
        ("severity", "between", [1], False),
        ("owner", "attributeExists", True, True),
        ("missing", "attributeExists", True, False),
        ("nosuch", "attributeExists", False, True),
        ("tags", "containsAny", ["q4", "q3"], True),
        ("tags", "containsAny", ["q4"], False),
        ("owner", "containsAny", ["alice"], False),
        ("meta.region.name", "eq", "eu-west-1", True),
        ("meta.region.nosuch", "eq", "eu-west-1", False),
        ("owner.name", "eq", "alice", False),
    ],
)
def test_each_operator(field, operator, value, expected):
    assert filter_matches(one(field, operator, value), EVENT) is expected


def test_filters_of_a_group_are_and_ed_and_groups_are_or_ed():
    alice = {"fieldName": "owner", "operator": "eq", "value": "alice"}
    severe = {"fieldName": "severity", "operator": "ge", "value": 9}
    tagged = {"fieldName": "tags", "operator": "contains", "value": "finance"}
    assert not filter_matches({"filterGroup": [{"filters": [alice, severe]}]}, EVENT)
    assert filter_matches({"filterGroup": [{"filters": [alice, tagged]}]}, EVENT)
    assert filter_matches({"filterGroup": [{"filters": [severe]}, {"filters": [alice]}]}, EVENT)
    assert not filter_matches({"filterGroup": [{"filters": [severe]}]}, EVENT)
    assert not filter_matches({"filterGroup": []}, EVENT)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({}, "A subscription filter needs a 'filterGroup' list."),
        ({"filterGroup": [{}]}, "Each entry of 'filterGroup' needs a 'filters' list."),
        (
            one("owner", "like", "a"),
            "The filter on 'owner' has the unknown operator 'like'; allowed: eq, ne, le, lt, "
            "ge, gt, contains, notContains, beginsWith, in, notIn, between, attributeExists, "
            "containsAny.",
        ),
        (
            one("owner", "in", ["a", "b", "c", "d", "e", "f"]),
            "The filter 'in' on 'owner' takes a list of at most 5 values.",
        ),
        (
            one("a.b.c.d.e.f", "eq", 1),
            "The filter field 'a.b.c.d.e.f' is too deep or too long: at most 5 levels and "
            "256 characters.",
        ),
        (one("", "eq", 1), "A subscription filter needs a 'fieldName' string, got ''."),
    ],
)
def test_a_malformed_filter_is_described(spec, message):
    assert filter_problem(spec) == message


def test_a_valid_filter_has_no_problem():
    assert filter_problem(one("tags", "containsAny", list("abcdefghij"))) is None


def test_arguments_equal_the_same_named_fields():
    assert arguments_match({"owner": "alice"}, EVENT)
    assert arguments_match({"owner": "alice", "severity": 7, "tags": ["finance", "q3"]}, EVENT)
    assert arguments_match({"owner": None}, EVENT)
    assert not arguments_match({"owner": "bob"}, EVENT)
    assert not arguments_match({"severity": "7"}, EVENT)
    assert not arguments_match({"nosuch": "x"}, EVENT)
    assert not arguments_match({"missing": "x"}, EVENT)
