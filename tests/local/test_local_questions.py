"""Questions about fields, end to end (docs/semantics.md "Questions about fields"): key
arguments, conditions and filters may name only fields the caller may read, so no answer
reveals a value the response would null.

Seed 003: "When an authorization rule is added to a field, it'll strictly define the
authorization rules applied on the field." Seed 003 (Lambda): "deniedFields - A list of
which are forcibly changed to null, even if a value was returned from a resolver."
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from stacks import api_stack, assert_denied, ok

from authorized_appsync import (
    ApiDefinition,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    LambdaConfig,
    UserPoolConfig,
)
from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.subscriptions.hub import SubscriptionRefusedError

ROOT = Path(__file__).resolve().parents[2]

# Anyone with the API key and every signed-in user reads employees; the badge (the sort key
# of the table) and the SSN (the sort key of an index) are their owner's alone.
SCHEMA = """
type Employee @model(subscriptions: null, timestamps: null) @auth(rules: [
  { allow: owner },
  { allow: public, operations: [read] },
  { allow: private, operations: [read] }
]) {
  team: String! @primaryKey(sortKeyFields: ["badge"])
  badge: String! @auth(rules: [{ allow: owner }])
  name: String
  region: String @index(name: "byRegion", queryField: "employeesByRegion", sortKeyFields: ["ssn"])
  ssn: String @auth(rules: [{ allow: owner }])
}

# Any signed-in user may like a note; only its owner reads it.
type Note @model @auth(rules: [{ allow: owner }]) {
  content: String
  likes: Int @auth(rules: [{ allow: owner }, { allow: private, operations: [update] }])
}
"""

CREATE = """mutation($b: String!, $s: String) {
  createEmployee(input: {team: "t1", badge: $b, name: "Alice", region: "eu", ssn: $s}) { name } }"""
BY_REGION = """query($ssn: ModelStringKeyConditionInput) {
  employeesByRegion(region: "eu", ssn: $ssn) { items { name } } }"""
BY_TEAM = """query($badge: ModelStringKeyConditionInput) {
  listEmployees(team: "t1", badge: $badge) { items { name } } }"""
GET = 'query($b: String!) { getEmployee(team: "t1", badge: $b) { name } }'
RENAME = """mutation($b: String!) {
  updateEmployee(input: {team: "t1", badge: $b, name: "Mallory"}) { name } }"""
NOT_FOUND = "Employee not found: no item has this key."


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("Questions", SCHEMA, api_key=True)) as local:
        made = local.graphql(CREATE, {"b": "B-7", "s": "123-45-6789"}, auth=local.user("alice"))
        ok(made, "createEmployee")
        yield local


def names(response: dict[str, Any], field: str) -> list[str]:
    return [item["name"] for item in ok(response, field)["items"]]


def test_finding_2_an_owner_only_ssn_cannot_be_binary_searched_by_index_key(api):
    # The attack: beginsWith on the index's sort key, one digit at a time. Before, each
    # prefix of Alice's SSN returned her record (about 70 queries for the whole SSN).
    key = api.api_key()
    for prefix in ("1", "12", "123-"):
        got = api.graphql(BY_REGION, {"ssn": {"beginsWith": prefix}}, auth=key)
        assert_denied(got, "employeesByRegion", "Query")
    ranged = api.graphql(BY_REGION, {"ssn": {"between": ["100", "199"]}}, auth=key)
    assert_denied(ranged, "employeesByRegion", "Query")
    # Without the hidden key the index still answers.
    assert names(api.graphql(BY_REGION, auth=key), "employeesByRegion") == ["Alice"]


def test_the_table_sort_key_cannot_be_searched_either(api):
    search = {"badge": {"beginsWith": "B"}}
    assert_denied(api.graphql(BY_TEAM, search, auth=api.api_key()), "listEmployees", "Query")
    # Bob may read the badges of his own records: his search finds none of Alice's.
    assert names(api.graphql(BY_TEAM, search, auth=api.user("bob")), "listEmployees") == []
    mine = api.graphql(BY_TEAM, search, auth=api.user("alice"))
    assert names(mine, "listEmployees") == ["Alice"]


def test_get_by_a_hidden_badge_tells_nothing(api):
    assert_denied(api.graphql(GET, {"b": "B-7"}, auth=api.api_key()), "getEmployee", "Query")
    bob = api.user("bob")
    # Alice's badge and a badge nobody has answer alike for Bob.
    assert ok(api.graphql(GET, {"b": "B-7"}, auth=bob), "getEmployee") is None
    assert ok(api.graphql(GET, {"b": "B-8"}, auth=bob), "getEmployee") is None
    assert ok(api.graphql(GET, {"b": "B-7"}, auth=api.user("alice")), "getEmployee") == {
        "name": "Alice"
    }


def test_a_write_by_a_hidden_badge_tells_nothing(api):
    bob = api.user("bob")
    for badge in ("B-7", "B-8"):
        (error,) = api.graphql(RENAME, {"b": badge}, auth=bob)["errors"]
        assert (error["errorType"], error["message"]) == (
            "DynamoDB:ConditionalCheckFailedException",
            NOT_FOUND,
        )
    renamed = api.graphql(
        'mutation { updateEmployee(input: {team: "t1", badge: "B-7", name: "Alice B"}) '
        "{ name } }",
        auth=api.user("alice"),
    )
    assert ok(renamed, "updateEmployee") == {"name": "Alice B"}


LIKE = """mutation($id: ID!, $c: ModelNoteConditionInput) {
  updateNote(input: {id: $id, likes: 1}, condition: $c) { id } }"""


def test_finding_3_a_liker_cannot_read_a_note_through_conditions(api):
    note = ok(
        api.graphql(
            'mutation { createNote(input: {content: "private thoughts"}) { id } }',
            auth=api.user("alice"),
        ),
        "createNote",
    )["id"]
    bob = api.user("bob")
    # Before: a matching prefix succeeded and another failed ConditionalCheckFailed, so Bob
    # read Alice's note one character at a time. Now both are refused alike.
    for prefix in ("priv", "zzz"):
        asked = api.graphql(LIKE, {"id": note, "c": {"content": {"beginsWith": prefix}}}, auth=bob)
        assert asked["data"] == {"updateNote": None}
        assert [e["errorType"] for e in asked["errors"]] == ["Unauthorized"]
    # Liking without a question still works; the owner's own conditions still hold.
    assert ok(api.graphql(LIKE, {"id": note}, auth=bob), "updateNote") == {"id": note}
    alice = api.user("alice")
    hers = api.graphql(LIKE, {"id": note, "c": {"content": {"beginsWith": "zzz"}}}, auth=alice)
    assert [e["errorType"] for e in hers["errors"]] == ["DynamoDB:ConditionalCheckFailedException"]
    hers = api.graphql(LIKE, {"id": note, "c": {"content": {"beginsWith": "priv"}}}, auth=alice)
    assert ok(hers, "updateNote") == {"id": note}


# ---- finding 4: the default Lambda authorizer's denied fields ---------------------------------

POSTS = """
type Post @model(timestamps: null) @auth(rules: [{ allow: custom }, { allow: owner }]) {
  title: String
  secret: String
  category: String @index(name: "byCategory", queryField: "postsByCategory")
}
"""
SECRET = "a test secret that is long enough for HS256"
ISSUER = "https://auth.example.com/"
AUDIENCE = "questions-test"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def token(**claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": AUDIENCE, "token_use": "id", "sub": "u-1"}
    payload.update(iat=now, exp=now + 600, **claims)
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(payload).encode())
    mac = hmac.new(SECRET.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64url(mac)}"


def lambda_stack() -> Stack:
    """The API with this repository's default authorizer (lambda_authorizer/) as its
    AWS_LAMBDA mode, verifying HS256 tokens."""
    stack = Stack(App(), "QuestionsLambda")
    authorizer = lambda_.Function(
        stack,
        "Authorizer",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_asset(str(ROOT / "lambda_authorizer")),
        environment={
            "AUTH_HMAC_SECRET": SECRET,
            "AUTH_ISSUER": ISSUER,
            "AUTH_AUDIENCE": AUDIENCE,
            "AUTH_DENIED_FIELDS_CLAIM": "denied",
        },
    )
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(POSTS),
        authorization_modes=AuthorizationModes(
            default_authorization_mode="AWS_LAMBDA",
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users")),
            lambda_config=LambdaConfig(function=authorizer),
        ),
    )
    return stack


@pytest.fixture(scope="module")
def posts():
    with LocalAppSync.from_stack(lambda_stack()) as local:
        writer = local.lambda_token(token(sub="writer"))
        made = (
            'mutation { createPost(input: {title: "t", secret: "s3cret", category: "c"}) { id } }'
        )
        ok(local.graphql(made, auth=writer), "createPost")
        yield local


def test_finding_4_denied_fields_cannot_be_filtered_on(posts):
    caller = posts.lambda_token(token(denied=["Post.secret", "Post.category"]))
    # The default authorizer passed the list on to the resolvers.
    context = caller.identity["resolverContext"]
    assert json.loads(context["deniedFields"]) == ["Post.secret", "Post.category"]
    listed = posts.graphql(
        '{ listPosts(filter: {secret: {eq: "s3cret"}}) { items { id } } }', auth=caller
    )
    assert_denied(listed, "listPosts", "Query")
    by_key = posts.graphql('{ postsByCategory(category: "c") { items { id } } }', auth=caller)
    assert_denied(by_key, "postsByCategory", "Query")
    post = ok(
        posts.graphql("{ listPosts { items { id title secret } } }", auth=caller), "listPosts"
    )
    (item,) = post["items"]
    assert (item["title"], item["secret"]) == ("t", None)  # AppSync's null, as before
    conditioned = posts.graphql(
        'mutation($id: ID!) { updatePost(input: {id: $id, title: "u"}, '
        'condition: {secret: {beginsWith: "s3"}}) { id } }',
        {"id": item["id"]},
        auth=caller,
    )
    assert_denied(conditioned, "updatePost", "Mutation")
    with pytest.raises(SubscriptionRefusedError):
        posts.subscribe(
            'subscription { onCreatePost(filter: {secret: {eq: "s3cret"}}) { id } }', auth=caller
        )


def test_a_caller_denied_nothing_asks_as_before(posts):
    caller = posts.lambda_token(token(sub="reader"))
    assert "deniedFields" not in caller.identity["resolverContext"]
    listed = posts.graphql(
        '{ listPosts(filter: {secret: {eq: "s3cret"}}) { items { secret } } }', auth=caller
    )
    assert ok(listed, "listPosts")["items"] == [{"secret": "s3cret"}]
    by_key = posts.graphql('{ postsByCategory(category: "c") { items { title } } }', auth=caller)
    assert ok(by_key, "postsByCategory")["items"] == [{"title": "t"}]
