"""A field guard's error is located under the key the client reads: the alias it gave.

Lead B6 of the security review, confirmed while building the conformance oracle
(tests/conformance): a query selecting ``number: ssn`` got ``number: null`` and an error
whose ``errorInfo.path`` said ``ssn``, a key its response does not have, while AppSync's
own errors (a mode a directive refuses) carry the alias. docs/semantics.md, "Field guards":
``errorInfo.path`` "locating the field" under the operation's path.
"""

from __future__ import annotations

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Employee @model(subscriptions: null) @auth(rules: [
  { allow: owner }
  { allow: private, operations: [read] }
]) {
  id: ID!
  name: String
  ssn: String @auth(rules: [{ allow: owner }])
}
"""


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("AliasErrors", SCHEMA)) as local:
        yield local


@pytest.fixture(scope="module")
def employee(api):
    made = api.graphql(
        'mutation { createEmployee(input: {name: "Ann", ssn: "1"}) { id } }',
        auth=api.user("ann"),
    )
    return ok(made, "createEmployee")["id"]


def paths(response):
    return sorted(tuple(e["errorInfo"]["path"]) for e in response["errors"])


def test_get_locates_the_error_at_the_alias(api, employee):
    query = "query($id: ID!) { getEmployee(id: $id) { name number: ssn } }"
    got = api.graphql(query, {"id": employee}, auth=api.user("bob"))
    assert got["data"]["getEmployee"] == {"name": "Ann", "number": None}
    assert paths(got) == [("number",)]


def test_a_field_selected_twice_gets_an_error_at_each_key(api, employee):
    query = "query($id: ID!) { getEmployee(id: $id) { ssn other: ssn } }"
    got = api.graphql(query, {"id": employee}, auth=api.user("bob"))
    assert got["data"]["getEmployee"] == {"ssn": None, "other": None}
    assert paths(got) == [("other",), ("ssn",)]


def test_a_list_locates_each_error_at_the_alias(api, employee):
    query = "{ listEmployees { items { id number: ssn } } }"
    got = api.graphql(query, auth=api.user("bob"))
    items = got["data"]["listEmployees"]["items"]
    assert {i["number"] for i in items} == {None}
    assert paths(got) == [("items", i, "number") for i in range(len(items))]
