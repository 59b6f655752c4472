"""Owner lists end to end: ONE Query on the owner index, keyed by the owner key that create
and update write, whatever form the owner is stored in; pages full while items remain
(DESIGN.md "Owner lists read only the owner's items")."""

from __future__ import annotations

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

# The owner field is declared, so that records are stored in each form and reassigned (an
# owner field the type does not declare is in no input: issue 13).
TODO = "type Todo @model @auth(rules: [{ allow: owner }]) { content: String  owner: String }"
CREATE = "mutation($c: String, $o: String) { createTodo(input: {content: $c, owner: $o}) { id } }"
PAGE = """query($n: String) { listTodos(limit: 7, nextToken: $n) {
  items { id content owner } nextToken } }"""
OWNERS = 5
PER_OWNER = 16


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("Todos", TODO, default_mode=None)) as local:
        for n in range(PER_OWNER):
            for o in range(OWNERS):
                user = local.user(f"user{o}")
                # Stored owner forms vary: "<sub>::<username>" (filled), "<sub>", "<username>"
                # (seed 000: "The API will authorize against the full value of
                # <sub>::<username> or sub / username separately").
                identity = user.identity or {}
                forms = [None, identity["sub"], identity["username"]]
                done = local.graphql(CREATE, {"c": f"{o}-{n}", "o": forms[n % 3]}, auth=user)
                ok(done, "createTodo")
        yield local


def pages(api, user):
    token, found = None, []
    while True:
        body = ok(api.graphql(PAGE, {"n": token}, auth=user), "listTodos")
        found.append(body["items"])
        token = body["nextToken"]
        if token is None:
            return found


def test_owner_pages_are_full_and_hold_only_the_owners_items(api):
    user = api.user("user3")
    found = pages(api, user)
    items = [item for page in found for item in page]
    assert sorted(i["content"] for i in items) == sorted(f"3-{n}" for n in range(PER_OWNER))
    assert {i["owner"] for i in items} <= {"user3", (user.identity or {})["sub"]}
    # Every page is full while items remain; at most one trailing page may be short.
    sizes = [len(page) for page in found]
    assert all(size == 7 for size in sizes[:-1]), sizes
    assert sizes[-1] <= 7


def test_a_stranger_sees_nothing(api):
    assert pages(api, api.user("nobody")) == [[]]


def test_owner_list_with_a_user_filter(api):
    # A one-clause filter beside the owner predicate: DynamoDB refuses redundant
    # parentheses, so the combined expression must not double-wrap it.
    query = """query { listTodos(filter: {content: {beginsWith: "3-1"}}) {
      items { content } nextToken } }"""
    found = ok(api.graphql(query, auth=api.user("user3")), "listTodos")
    contents = sorted(i["content"] for i in found["items"])
    assert contents == sorted(f"3-{n}" for n in range(PER_OWNER) if str(n).startswith("1"))


def test_each_page_is_one_query_reading_only_the_owners_items(api, reads):
    found = pages(api, api.user("user1"))
    assert len(reads) == len(found)
    assert {(operation, index) for operation, index, _, _ in reads} == {
        ("Query", "ownerOwnerIndex")
    }
    # Items read == items returned: nothing of another owner is read and filtered away.
    assert [scanned for _, _, scanned, _ in reads] == [returned for _, _, _, returned in reads]


UPDATE_OWNER = """mutation($id: ID!, $o: String) {
  updateTodo(input: {id: $id, owner: $o}) { id owner } }"""
LIST_ALL = "query { listTodos(limit: 100) { items { id } nextToken } }"


def listed(api, user):
    return {item["id"] for item in ok(api.graphql(LIST_ALL, auth=user), "listTodos")["items"]}


def created(api, user, content):
    return ok(api.graphql(CREATE, {"c": content}, auth=user), "createTodo")["id"]


def test_reassigning_the_owner_moves_the_item_between_owner_lists(api):
    # seed 000: "By default, owners can reassign the owner of their existing record to
    # another user." The owner key moves with it, in the same UpdateItem.
    erin, finn = api.user("erin"), api.user("finn")
    todo = created(api, erin, "handed over")
    assert todo in listed(api, erin)
    ok(api.graphql(UPDATE_OWNER, {"id": todo, "o": "finn"}, auth=erin), "updateTodo")
    assert todo not in listed(api, erin)
    assert todo in listed(api, finn)


def test_an_item_stored_for_an_earlier_user_with_the_same_username_is_not_listed(api):
    # Usernames can be reused after a user is deleted; "<sub>::<username>" names one user.
    # The owner key is the username, so the list filters on the caller's full identities.
    gina = api.user("gina")
    todo = created(api, gina, "for the old gina")
    ok(api.graphql(UPDATE_OWNER, {"id": todo, "o": "old-sub::gina"}, auth=gina), "updateTodo")
    assert todo not in listed(api, gina)
    denied = api.graphql("query($id: ID!) { getTodo(id: $id) { id } }", {"id": todo}, auth=gina)
    assert denied["data"]["getTodo"] is None
    assert denied["errors"][0]["errorType"] == "Unauthorized"


def test_an_owner_who_stores_their_bare_sub_still_lists_the_item(api):
    hugo = api.user("hugo")
    sub = (hugo.identity or {})["sub"]
    todo = ok(api.graphql(CREATE, {"c": "by sub", "o": sub}, auth=hugo), "createTodo")["id"]
    assert todo in listed(api, hugo)
    assert todo not in listed(api, api.user("ivan"))
