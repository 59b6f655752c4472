"""Field-level @auth end to end (seed 003 ``Employee``, seed 000 protected owner field):
the template's own resolvers on moto's DynamoDB, allowed and denied callers for each rule.

Seed 003: "Field-level authorization rules do not inherit model-level authorization
rules. Meaning, only the specified field-level authorization rule is applied."
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from stacks import api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Employee
  @model
  @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
  name: String
  email: String
  ssn: String @auth(rules: [{ allow: owner }])
}

type Todo @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  description: String
  owner: String @auth(rules: [{ allow: owner, operations: [read, delete] }])
}
"""

CREATE_EMPLOYEE = """mutation($n: String, $e: String, $s: String) {
  createEmployee(input: {name: $n, email: $e, ssn: $s}) { id owner } }"""
# Employee's owner field is added by its owner rule: no input has it (issue 13, as Amplify).
FORGE_EMPLOYEE = """mutation($n: String, $o: String) {
  createEmployee(input: {name: $n, owner: $o}) { id owner } }"""
GET_EMPLOYEE = "query($id: ID!) { getEmployee(id: $id) { id name email ssn owner } }"
LIST_EMPLOYEES = "{ listEmployees { items { id name email ssn owner } } }"
UPDATE_EMPLOYEE = """mutation($id: ID!, $n: String, $s: String) {
  updateEmployee(input: {id: $id, name: $n, ssn: $s}) { id name } }"""
DELETE_EMPLOYEE = "mutation($id: ID!) { deleteEmployee(input: {id: $id}) { id } }"

CREATE_TODO = """mutation($d: String, $o: String) {
  createTodo(input: {description: $d, owner: $o}) { id description owner } }"""
GET_TODO = "query($id: ID!) { getTodo(id: $id) { id description owner } }"
UPDATE_TODO = """mutation($id: ID!, $d: String, $o: String) {
  updateTodo(input: {id: $id, description: $d, owner: $o}) { id description owner } }"""
UPDATE_TODO_OWNER = """mutation($id: ID!, $o: String) {
  updateTodo(input: {id: $id, owner: $o}) { id owner } }"""
DELETE_TODO = "mutation($id: ID!) { deleteTodo(input: {id: $id}) { id owner } }"


def build(app: App | None = None) -> Stack:
    """User pool users only (the default mode left unset)."""
    return api_stack("FieldRules", SCHEMA, app=app, default_mode=None)


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(build()) as local:
        yield local


def new_employee(api, user, ssn="123-45-6789"):
    created = api.graphql(
        CREATE_EMPLOYEE, {"n": "Ann", "e": "ann@example.com", "s": ssn}, auth=user
    )
    return ok(created, "createEmployee")["id"]


# -- seed 003 Employee ------------------------------------------------------------------


def test_another_signed_in_user_lists_name_and_email_but_not_ssn(api):
    # Seed 003: "any signed in user is allowed to read the list of employees' name and
    # email fields"; "Any signed in user can read data with the exception of the ssn field."
    ann = api.user("ann")
    employee_id = new_employee(api, ann)
    listed = api.graphql(LIST_EMPLOYEES, auth=api.user("bob"))
    items = listed["data"]["listEmployees"]["items"]
    index = next(i for i, item in enumerate(items) if item["id"] == employee_id)
    assert items[index] == {
        "id": employee_id,
        "name": "Ann",
        "email": "ann@example.com",
        "ssn": None,
        "owner": "ann",
    }
    # The list resolver guards ssn (docs/semantics.md "Field-level reads"): the error is on
    # the operation's path, errorInfo.path locates the field under it.
    errors = [e for e in listed["errors"] if e["errorInfo"]["path"][1] == index]
    assert errors == [
        {
            "path": ["listEmployees"],
            "data": None,
            "errorType": "Unauthorized",
            "errorInfo": {"path": ["items", index, "ssn"]},
            "locations": errors[0]["locations"],
            "message": "Not Authorized to access ssn on type Employee",
        }
    ]
    assert all(e["message"].endswith("ssn on type Employee") for e in listed["errors"])


def test_another_signed_in_user_gets_the_record_with_ssn_null(api):
    employee_id = new_employee(api, api.user("ann"))
    got = api.graphql(GET_EMPLOYEE, {"id": employee_id}, auth=api.user("bob"))
    assert got["data"]["getEmployee"]["name"] == "Ann"
    assert got["data"]["getEmployee"]["ssn"] is None
    (error,) = got["errors"]
    assert (error["path"], error["errorType"]) == (["getEmployee"], "Unauthorized")
    assert error["errorInfo"] == {"path": ["ssn"]}
    assert error["message"] == "Not Authorized to access ssn on type Employee"


def test_no_error_when_the_client_does_not_ask_for_ssn(api):
    employee_id = new_employee(api, api.user("ann"))
    query = "query($id: ID!) { getEmployee(id: $id) { name } }"
    got = ok(api.graphql(query, {"id": employee_id}, auth=api.user("bob")), "getEmployee")
    assert got == {"name": "Ann"}


def test_an_aliased_ssn_is_null_with_the_error(api):
    employee_id = new_employee(api, api.user("ann"))
    query = "query($id: ID!) { getEmployee(id: $id) { name number: ssn } }"
    got = api.graphql(query, {"id": employee_id}, auth=api.user("bob"))
    assert got["data"]["getEmployee"] == {"name": "Ann", "number": None}
    (error,) = got["errors"]
    assert error["message"] == "Not Authorized to access ssn on type Employee"


def test_the_owner_reads_ssn(api):
    # Seed 003: "only the employee/owner themselves have CRUD access to their ssn field"
    ann = api.user("ann")
    employee_id = new_employee(api, ann, ssn="999-00-1111")
    got = ok(api.graphql(GET_EMPLOYEE, {"id": employee_id}, auth=ann), "getEmployee")
    assert got["ssn"] == "999-00-1111"
    listed = api.graphql(LIST_EMPLOYEES, auth=ann)
    items = listed["data"]["listEmployees"]["items"]
    index = next(i for i, item in enumerate(items) if item["id"] == employee_id)
    assert items[index] == got
    # Other owners' ssn are refused to ann; none of the errors is on her own record.
    assert index not in [e["errorInfo"]["path"][1] for e in listed.get("errors", [])]


def test_the_owner_updates_ssn_and_a_non_owner_cannot(api):
    ann, bob = api.user("ann"), api.user("bob")
    employee_id = new_employee(api, ann)
    ok(
        api.graphql(UPDATE_EMPLOYEE, {"id": employee_id, "s": "000-11-2222"}, auth=ann),
        "updateEmployee",
    )
    # Seed 003: "Any signed in user has read access" - read only: bob may update neither
    # ssn (owner-only field) nor name (model rules: owner for update). The owner condition
    # on the write fails, so the resolver answers util.unauthorized().
    for change in ({"s": "stolen"}, {"n": "Bob"}):
        refused = api.graphql(UPDATE_EMPLOYEE, {"id": employee_id, **change}, auth=bob)
        assert_denied(refused, "updateEmployee", "Mutation")
    got = ok(api.graphql(GET_EMPLOYEE, {"id": employee_id}, auth=ann), "getEmployee")
    assert (got["name"], got["ssn"]) == ("Ann", "000-11-2222")


def test_a_non_owner_cannot_create_for_someone_else_nor_delete(api):
    # Seed 003: "Owners are allowed to create, read, update, and delete Employee records
    # they own" - and only those.
    ann, bob = api.user("ann"), api.user("bob")
    # The owner is always the creator: an input naming one is refused before any resolver.
    forged = api.graphql(FORGE_EMPLOYEE, {"n": "X", "o": "ann"}, auth=bob)
    assert forged["data"] is None
    (error,) = forged["errors"]
    assert error["errorType"] == "ValidationError"
    assert "'CreateEmployeeInput'" in error["message"]
    assert "unknown field 'owner'" in error["message"]
    employee_id = new_employee(api, ann)
    assert_denied(
        api.graphql(DELETE_EMPLOYEE, {"id": employee_id}, auth=bob), "deleteEmployee", "Mutation"
    )
    assert ok(api.graphql(DELETE_EMPLOYEE, {"id": employee_id}, auth=ann), "deleteEmployee") == {
        "id": employee_id
    }


def test_a_non_owner_cannot_filter_on_ssn(api):
    # docs/semantics.md: a filter naming a field the caller may not read is refused (it
    # would reveal the field).
    new_employee(api, api.user("ann"), ssn="filter-me")
    probe = '{ listEmployees(filter: {ssn: {eq: "filter-me"}}) { items { id } } }'
    assert_denied(api.graphql(probe, auth=api.user("bob")), "listEmployees", "Query")


def test_mutation_responses_null_the_protected_field(api):
    # Seed 003: "the GraphQL Transformer needs to alter the response of mutations for those
    # fields by setting them to null."
    created = api.graphql(
        'mutation { createEmployee(input: {name: "N", ssn: "5"}) { id ssn } }',
        auth=api.user("ann"),
    )
    assert ok(created, "createEmployee")["ssn"] is None


# -- seed 000: owner field protected from reassignment --------------------------------


def test_the_owner_cannot_reassign_the_owner_field(api):
    # Seed 000: "To prevent an owner from reassigning their record to another user, protect
    # the owner field ... allow.owner().to(['read', 'delete'])"
    alice = api.user("alice")
    todo = ok(api.graphql(CREATE_TODO, {"d": "mine"}, auth=alice), "createTodo")
    assert todo["owner"] == f"{alice.identity['sub']}::alice"
    moved = api.graphql(UPDATE_TODO_OWNER, {"id": todo["id"], "o": "bob"}, auth=alice)
    assert_denied(moved, "updateTodo", "Mutation", "Unauthorized on [owner]")
    with_content = api.graphql(UPDATE_TODO, {"id": todo["id"], "d": "x", "o": "bob"}, auth=alice)
    assert_denied(with_content, "updateTodo", "Mutation", "Unauthorized on [owner]")
    assert ok(api.graphql(GET_TODO, {"id": todo["id"]}, auth=alice), "getTodo") == {
        **todo,
        "owner": "alice",  # read back as the username
    }
    # ... and bob did not get it.
    assert_denied(
        api.graphql(GET_TODO, {"id": todo["id"]}, auth=api.user("bob")), "getTodo", "Query"
    )


def test_the_owner_updates_content_and_deletes(api):
    # Seed 000: "The "owner" of a Todo is allowed to create, read, update, and delete their
    # own todos"; the owner field's rule keeps delete.
    alice = api.user("alice")
    todo_id = ok(api.graphql(CREATE_TODO, {"d": "v1"}, auth=alice), "createTodo")["id"]
    updated = ok(api.graphql(UPDATE_TODO, {"id": todo_id, "d": "v2"}, auth=alice), "updateTodo")
    assert updated["description"] == "v2"
    assert ok(api.graphql(DELETE_TODO, {"id": todo_id}, auth=alice), "deleteTodo")["id"] == todo_id
    assert api.graphql(GET_TODO, {"id": todo_id}, auth=alice) == {"data": {"getTodo": None}}


def test_others_cannot_touch_the_todo(api):
    alice, bob = api.user("alice"), api.user("bob")
    todo_id = ok(api.graphql(CREATE_TODO, {"d": "private"}, auth=alice), "createTodo")["id"]
    assert_denied(api.graphql(GET_TODO, {"id": todo_id}, auth=bob), "getTodo", "Query")
    assert_denied(
        api.graphql(UPDATE_TODO, {"id": todo_id, "d": "x"}, auth=bob), "updateTodo", "Mutation"
    )
    assert_denied(api.graphql(DELETE_TODO, {"id": todo_id}, auth=bob), "deleteTodo", "Mutation")
    listed = ok(api.graphql("{ listTodos { items { id } } }", auth=bob), "listTodos")
    assert todo_id not in [i["id"] for i in listed["items"]]


def test_the_protected_owner_field_cannot_be_set_on_create(api):
    # docs/semantics.md: "Creating or updating with a field the caller may not write fails
    # whole: Unauthorized on [<fields>]" - the owner field's rule has no create; the owner
    # is filled from the caller instead.
    alice = api.user("alice")
    refused = api.graphql(CREATE_TODO, {"d": "x", "o": "alice"}, auth=alice)
    assert_denied(refused, "createTodo", "Mutation", "Unauthorized on [owner]")
    # For another user's name the model's owner rule already refuses (seed 000 / semantics:
    # "a supplied value must be one of the caller's identities for the owner rule to admit").
    forged = api.graphql(CREATE_TODO, {"d": "x", "o": "bob"}, auth=alice)
    assert_denied(forged, "createTodo", "Mutation")


# -- a model another field returns keeps a field resolver -------------------------------

EXPOSED = (
    SCHEMA
    + """
type Query {
  employeeOfTheMonth: Employee @auth(rules: [{ allow: private }])
}
"""
)


@pytest.fixture(scope="module")
def exposed():
    stack = api_stack("FieldRulesExposed", EXPOSED, default_mode=None)
    with LocalAppSync.from_stack(stack) as local:
        yield local


def test_a_model_a_custom_query_returns_guards_ssn_with_its_own_resolver(exposed):
    # The custom query's resolver is the user's code: only an Employee.ssn resolver, which
    # AppSync runs wherever an Employee is returned, can protect ssn there.
    assert ("Employee", "ssn") in exposed.api.resolvers
    employee_id = new_employee(exposed, exposed.user("ann"))
    got = exposed.graphql(GET_EMPLOYEE, {"id": employee_id}, auth=exposed.user("bob"))
    assert got["data"]["getEmployee"]["ssn"] is None
    (error,) = got["errors"]
    assert (error["path"], error["errorType"]) == (["getEmployee", "ssn"], "Unauthorized")
    assert error["message"] == "Not Authorized to access ssn on type Employee"
    owner = ok(
        exposed.graphql(GET_EMPLOYEE, {"id": employee_id}, auth=exposed.user("ann")),
        "getEmployee",
    )
    assert owner["ssn"] == "123-45-6789"
