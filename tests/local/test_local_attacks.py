"""Attacks end to end that no other module makes (``tests/project/test_attack_catalogue.py`` lists
every attack and where it is tested): owner spoofing in each stored form of the owner,
crafted group claims, a Lambda authorizer's ``deniedFields`` on nested and list values, its
answers cached per token, and the API key of another API.

Seed 000: "The API will authorize against the full value of <sub>::<username> or sub /
username separately and return username." Seed 003: "deniedFields - A list of which are
forcibly changed to null, even if a value was returned from a resolver."
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Stack
from stacks import api_stack, assert_denied, ok

from authorized_appsync import ApiDefinition, ApiKeyConfig, AuthorizationModes, AuthorizedGraphqlApi
from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.assembly.template import synthesized_stack
from authorized_appsync.local.engine import Caller
from authorized_appsync.local.identity.authenticator import (
    AuthConfig,
    Authenticator,
    AuthMode,
    Authorized,
    LambdaAuth,
    Rejected,
)
from authorized_appsync.local.serve.auth import serve_auth

SCHEMA = """
type Todo @model(subscriptions: null) @auth(rules: [{ allow: owner }]) {
  content: String
  owner: String  # declared: an implicit owner field is in no input (issue 13)
}

type Salary @model(subscriptions: null) @auth(rules: [{ allow: groups, groups: ["Admin"] }]) {
  wage: Int
}

type Post @model(subscriptions: null) @auth(rules: [
  { allow: groups, provider: oidc, groups: ["Moderator"], groupClaim: "user_groups" }
]) {
  content: String
}

type Account @model @auth(rules: [{ allow: custom }]) {
  holder: String
  details: Details
  history: [Details]
}

type Details {
  iban: String
  bank: String
}
"""
AUTHORIZER = "def handler(event, context):\n    return {'isAuthorized': True}\n"
TODO = "id content owner"
CREATE_TODO = f"mutation($i: CreateTodoInput!) {{ createTodo(input: $i) {{ {TODO} }} }}"
GET_TODO = f"query($id: ID!) {{ getTodo(id: $id) {{ {TODO} }} }}"
LIST_TODOS = f"{{ listTodos {{ items {{ {TODO} }} }} }}"
UPDATE_TODO = f"mutation($i: UpdateTodoInput!) {{ updateTodo(input: $i) {{ {TODO} }} }}"
DELETE_TODO = f"mutation($id: ID!) {{ deleteTodo(input: {{id: $id}}) {{ {TODO} }} }}"
LIST_SALARIES = "{ listSalaries { items { id wage } } }"
LIST_POSTS = "{ listPosts { items { id content } } }"
ACCOUNT = "id holder details { iban bank } history { iban bank }"
CREATE_ACCOUNT = f"mutation($i: CreateAccountInput!) {{ createAccount(input: $i) {{ {ACCOUNT} }} }}"
GET_ACCOUNT = f"query($id: ID!) {{ getAccount(id: $id) {{ {ACCOUNT} }} }}"
LIST_ACCOUNTS = f"{{ listAccounts {{ items {{ {ACCOUNT} }} }} }}"
ON_CREATE_ACCOUNT = f"subscription {{ onCreateAccount {{ {ACCOUNT} }} }}"


@pytest.fixture(scope="module")
def api():
    stack = api_stack("Attacks", SCHEMA, oidc=True, authorizer=AUTHORIZER)
    with LocalAppSync.from_stack(stack) as local:
        yield local


def forms(caller: Caller) -> dict[str, str]:
    identity = caller.identity or {}
    sub, username = identity["sub"], identity["username"]
    return {"sub::username": f"{sub}::{username}", "sub": sub, "username": username}


# -- owner spoofing ---------------------------------------------------------------------


@pytest.mark.parametrize("form", ["sub::username", "sub", "username"])
def test_attack_owner_spoofing_in_each_stored_form(api, form):
    alice, mallory = api.user("alice"), api.user("mallory")
    victim = forms(alice)[form]
    # Mallory cannot create a record in Alice's name, in any of her forms.
    spoofed = api.graphql(CREATE_TODO, {"i": {"content": "m", "owner": victim}}, auth=mallory)
    assert_denied(spoofed, "createTodo", "Mutation")
    # A record Alice stored in that form is hers alone.
    made = api.graphql(CREATE_TODO, {"i": {"content": "a", "owner": victim}}, auth=alice)
    todo = ok(made, "createTodo")
    assert todo["owner"] == victim  # a mutation's response holds the owner as stored
    assert ok(api.graphql(GET_TODO, {"id": todo["id"]}, auth=alice), "getTodo")["content"] == "a"
    assert todo["id"] in [
        t["id"] for t in ok(api.graphql(LIST_TODOS, auth=alice), "listTodos")["items"]
    ]
    assert_denied(api.graphql(GET_TODO, {"id": todo["id"]}, auth=mallory), "getTodo", "Query")
    assert todo["id"] not in [
        t["id"] for t in ok(api.graphql(LIST_TODOS, auth=mallory), "listTodos")["items"]
    ]
    for change in ({"content": "m"}, {"owner": forms(mallory)["sub::username"]}, {"owner": None}):
        refused = api.graphql(UPDATE_TODO, {"i": {"id": todo["id"], **change}}, auth=mallory)
        assert_denied(refused, "updateTodo", "Mutation")
    assert_denied(
        api.graphql(DELETE_TODO, {"id": todo["id"]}, auth=mallory), "deleteTodo", "Mutation"
    )
    after = ok(api.graphql(GET_TODO, {"id": todo["id"]}, auth=alice), "getTodo")
    # Reads return the username part of "<sub>::<username>".
    assert (after["content"], after["owner"]) == ("a", victim.split("::")[-1])


def test_attack_owner_spoofing_by_a_later_user_with_the_same_username(api):
    # Usernames can be reused after a user is deleted: "<sub>::<username>" names one user.
    alice = api.user("alice")
    todo = ok(api.graphql(CREATE_TODO, {"i": {"content": "old"}}, auth=alice), "createTodo")
    later = api.user("alice", sub="11111111-2222-3333-4444-555555555555")
    assert_denied(api.graphql(GET_TODO, {"id": todo["id"]}, auth=later), "getTodo", "Query")
    refused = api.graphql(UPDATE_TODO, {"i": {"id": todo["id"], "content": "x"}}, auth=later)
    assert_denied(refused, "updateTodo", "Mutation")
    assert_denied(
        api.graphql(DELETE_TODO, {"id": todo["id"]}, auth=later), "deleteTodo", "Mutation"
    )
    listed = ok(api.graphql(LIST_TODOS, auth=later), "listTodos")["items"]
    assert todo["id"] not in [t["id"] for t in listed]


# -- group claims ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim",
    [
        "Staff,Admin",  # a comma string is one group name, as in Amplify's resolvers
        "Admin,Staff",
        "Admin Staff",
        '["Admin"',  # not JSON: one odd group name
        '[["Admin"]]',  # JSON, but not a list of names
        '{"Admin": true}',
        '"Admin"',
        "admin",
        "",
        [],
        ["Staff", "admin"],
        [["Admin"]],
        {"Admin": True},
        1,
        True,
        None,
    ],
    ids=lambda claim: repr(claim),
)
def test_attack_group_claim_shapes_that_do_not_name_the_group(api, claim):
    caller = api.user("eve", claims={"cognito:groups": claim})
    assert_denied(api.graphql(LIST_SALARIES, auth=caller), "listSalaries", "Query")


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "o1", "user_groups": "Staff,Moderator"},
        {"sub": "o2", "user_groups": '["Staff"], "Moderator"'},
        {"sub": "o3", "user_groups": '["Moderator"]x'},
        {"sub": "o4"},  # missing
        {"sub": "o5", "user_groups": None},
        {"sub": "o6", "groups": ["Moderator"]},  # another claim than the rule's groupClaim
    ],
    ids=["comma", "json-and-more", "json-trailing", "missing", "null", "other-claim"],
)
def test_attack_oidc_group_claim_shapes_that_do_not_name_the_group(api, claims):
    assert_denied(api.graphql(LIST_POSTS, auth=api.oidc_user(claims)), "listPosts", "Query")


@pytest.mark.parametrize(
    "claim", [["Admin"], '["Admin"]', '[ "Staff" , "Admin" ]', "Admin"], ids=repr
)
def test_group_claim_shapes_that_name_the_group(api, claim):
    # The counterpart: a list, a JSON-encoded list (OIDC providers send these) or one name.
    caller = api.user("root", claims={"cognito:groups": claim})
    ok(api.graphql(LIST_SALARIES, auth=caller), "listSalaries")


# -- Lambda authorizer: deniedFields on nested and list values ----------------------------


@pytest.mark.parametrize(
    "denied",
    [
        "Details.iban",
        "arn:aws:appsync:us-east-1:123456789012:apis/localapi/types/Details/fields/iban",
    ],
    ids=["name", "arn"],
)
def test_attack_lambda_denied_fields_on_nested_and_list_values(api, denied):
    details = {"iban": "DE00-SECRET", "bank": "B"}
    account = {"holder": "h", "details": details, "history": [details, details]}
    caller = api.lambda_caller({"user": "u"}, (denied,))
    with api.subscribe(ON_CREATE_ACCOUNT, auth=caller) as events:
        made = api.graphql(CREATE_ACCOUNT, {"i": account}, auth=caller)
    hidden = {"iban": None, "bank": "B"}
    expected = {"holder": "h", "details": hidden, "history": [hidden, hidden]}
    created = ok(made, "createAccount")
    assert {k: created[k] for k in expected} == expected
    got = ok(api.graphql(GET_ACCOUNT, {"id": created["id"]}, auth=caller), "getAccount")
    assert {k: got[k] for k in expected} == expected
    items = ok(api.graphql(LIST_ACCOUNTS, auth=caller), "listAccounts")["items"]
    assert all(i["details"]["iban"] is None for i in items)
    assert all(h["iban"] is None for i in items for h in i["history"])
    (event,) = events.events
    assert {k: event["data"]["onCreateAccount"][k] for k in expected} == expected
    # Another caller of the authorizer, denied nothing, reads it: the value is stored.
    full = ok(
        api.graphql(GET_ACCOUNT, {"id": created["id"]}, auth=api.lambda_caller({})), "getAccount"
    )
    assert full["details"] == details


def test_attack_lambda_denied_list_field_is_null_whole(api):
    caller = api.lambda_caller({}, ("Account.history", "Account.details"))
    made = api.graphql(
        CREATE_ACCOUNT,
        {"i": {"holder": "h", "history": [{"iban": "x"}], "details": {}}},
        auth=caller,
    )
    created = ok(made, "createAccount")
    assert (created["history"], created["details"]) == (None, None)
    items = ok(api.graphql(LIST_ACCOUNTS, auth=caller), "listAccounts")["items"]
    assert {(i["history"], i["details"]) for i in items} == {(None, None)}


# -- Lambda authorizer: answers cached per token ------------------------------------------

NOW = 1_750_000_000.0


def test_attack_lambda_cache_never_serves_one_tokens_answer_to_another():
    """Alice's token is admitted and cached for five minutes; no other token, however like
    hers, gets her answer (her resolverContext, her deniedFields) from the cache."""
    calls: list[str] = []

    def authorize(event: dict[str, Any]) -> dict[str, Any]:
        token = str(event["authorizationToken"])
        calls.append(token)
        if token == "alice-token":
            return {"isAuthorized": True, "resolverContext": {"user": "alice"}, "ttlOverride": 300}
        return {"isAuthorized": False, "ttlOverride": 300}

    config = AuthConfig(
        default_mode=AuthMode.AWS_LAMBDA,
        lambda_authorizer=LambdaAuth(function=authorize, result_ttl_seconds=300),
        api_id="localapi",
        account_id="123456789012",
    )
    auth = Authenticator(config)

    def ask(token: str, at: float = NOW) -> Authorized | Rejected:
        return auth.authenticate({"Authorization": token}, b"{}", now=at)

    admitted = ask("alice-token")
    assert isinstance(admitted, Authorized)
    for other in ("alice-token2", "alice-toke", "ALICE-TOKEN", "alice-token.", "xalice-token"):
        assert isinstance(ask(other, NOW + 1), Rejected), other
    assert isinstance(ask("alice-token", NOW + 2), Authorized)
    # Each other token asked the function once; Alice's came from the cache.
    assert calls.count("alice-token") == 1
    assert len(calls) == 6
    # A denial is cached for its own token only: Alice is still admitted.
    assert isinstance(ask("alice-token2", NOW + 3), Rejected)
    assert isinstance(ask("alice-token", NOW + 3), Authorized)
    assert len(calls) == 6


# -- API keys ----------------------------------------------------------------------------


def test_attack_api_key_of_another_api_is_refused():
    """Two APIs in one stack, each with its key: serving one, the other's key is refused."""
    stack = Stack(App(), "TwoKeys")
    for name in ("Todos", "Notes"):
        AuthorizedGraphqlApi(
            stack,
            name,
            definition=ApiDefinition.from_string(
                f"type {name[:-1]} @model @auth(rules: [{{ allow: public }}]) {{ t: String }}"
            ),
            authorization_modes=AuthorizationModes(api_key_config=ApiKeyConfig()),
        )
    entry, template = synthesized_stack(stack)
    served = {}
    for name in ("Todos", "Notes"):
        loaded = LocalAppSync.from_template(
            template, api=f"TwoKeys/{name}", construct_paths=entry.construct_paths
        ).api
        assert len(loaded.api_keys) == 1  # its own key, not the other API's
        served[name] = serve_auth(template, loaded, None)
    todos, notes = served["Todos"], served["Notes"]
    own = Authenticator(todos.config).authenticate({"x-api-key": todos.api_keys[0].value}, b"{}")
    assert isinstance(own, Authorized)
    other = Authenticator(todos.config).authenticate({"x-api-key": notes.api_keys[0].value}, b"{}")
    assert other == Rejected(
        401, "UnauthorizedException", "You are not authorized to make this call."
    )
