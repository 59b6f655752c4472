"""Owner lists end to end: a Query on the owner index, one step per identity form, pages
full while items remain (DESIGN.md "Owner lists read only the owner's items")."""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito

from authorized_appsync import (
    ApiDefinition,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    UserPoolConfig,
)
from authorized_appsync.local.app import LocalAppSync

TODO = "type Todo @model @auth(rules: [{ allow: owner }]) { content: String }"
CREATE = "mutation($c: String, $o: String) { createTodo(input: {content: $c, owner: $o}) { id } }"
PAGE = """query($n: String) { listTodos(limit: 7, nextToken: $n) {
  items { id content owner } nextToken } }"""
OWNERS = 5
PER_OWNER = 16


@pytest.fixture(scope="module")
def api():
    stack = Stack(App(), "Todos")
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(TODO),
        authorization_modes=AuthorizationModes(
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users"))
        ),
    )
    with LocalAppSync.from_stack(stack) as local:
        for n in range(PER_OWNER):
            for o in range(OWNERS):
                user = local.user(f"user{o}")
                # Stored owner forms vary: "<sub>::<username>" (filled), "<sub>", "<username>"
                # (seed 000: "The API will authorize against the full value of
                # <sub>::<username> or sub / username separately").
                identity = user.identity or {}
                forms = [None, identity["sub"], identity["username"]]
                done = local.graphql(CREATE, {"c": f"{o}-{n}", "o": forms[n % 3]}, auth=user)
                assert "errors" not in done, done
        yield local


def pages(api, user):
    token, found = None, []
    while True:
        page = api.graphql(PAGE, {"n": token}, auth=user)
        assert "errors" not in page, page
        body = page["data"]["listTodos"]
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
    found = api.graphql(query, auth=api.user("user3"))
    assert "errors" not in found, found
    contents = sorted(i["content"] for i in found["data"]["listTodos"]["items"])
    assert contents == sorted(f"3-{n}" for n in range(PER_OWNER) if str(n).startswith("1"))
