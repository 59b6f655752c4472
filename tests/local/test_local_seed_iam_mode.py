"""``iamConfig`` end to end (seed 003): with IAM authorization mode enabled, IAM principals
other than the identity pool's roles are governed by their IAM policy alone, while the
pool's roles keep their @auth rules. The identity pool is an existing one, given by its id
(no pool resource in the template). The template's own resolvers on moto's DynamoDB.
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from stacks import IdentityPool, api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Post @model @auth(rules: [
  { allow: public, provider: iam, operations: [read] }
  { allow: private, provider: iam, operations: [read, create] }
]) {
  id: ID!
  title: String
}
"""
POOL_ID = "us-east-1:11111111-2222-3333-4444-555555555555"

CREATE = 'mutation { createPost(input: {title: "t"}) { id title } }'
LIST = "{ listPosts { items { id title } } }"
UPDATE = 'mutation($id: ID!) { updatePost(input: {id: $id, title: "u"}) { id title } }'
DELETE = "mutation($id: ID!) { deletePost(input: {id: $id}) { id } }"


def build(app: App | None = None) -> Stack:
    """Both roles of the existing identity pool POOL_ID, and IAM authorization mode; no user
    pool, the default mode left unset."""
    return api_stack(
        "IamMode",
        SCHEMA,
        app=app,
        default_mode=None,
        user_pool=False,
        identity_pool=IdentityPool(pool_id=POOL_ID),
        iam_mode=True,
    )


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(build()) as local:
        yield local


def test_pool_callers_come_from_the_configured_pool(api):
    for kind in ("authenticated", "unauthenticated"):
        assert (api.iam(kind).identity or {})["cognitoIdentityPoolId"] == POOL_ID


def test_the_guest_role_keeps_its_rules(api):
    # Seed 003: "with the exception of Amazon Cognito identity pool roles" - the guest
    # role is still only "{ allow: public, provider: iam, operations: [read] }".
    guest = api.iam("unauthenticated")
    post_id = ok(api.graphql(CREATE, auth=api.iam("authenticated")), "createPost")["id"]
    assert post_id in [p["id"] for p in ok(api.graphql(LIST, auth=guest), "listPosts")["items"]]
    assert_denied(api.graphql(CREATE, auth=guest), "createPost", "Mutation")
    # Refused by the guest role's IAM policy, which names no mutation.
    updated = api.graphql(UPDATE, {"id": post_id}, auth=guest)
    assert_denied(updated, "updatePost", "Mutation")
    assert_denied(api.graphql(DELETE, {"id": post_id}, auth=guest), "deletePost", "Mutation")


def test_the_signed_in_role_keeps_its_rules(api):
    signed_in = api.iam("authenticated")
    post_id = ok(api.graphql(CREATE, auth=signed_in), "createPost")["id"]
    # Refused by the signed-in role's IAM policy: its rules allow create and read only.
    updated = api.graphql(UPDATE, {"id": post_id}, auth=signed_in)
    assert_denied(updated, "updatePost", "Mutation")
    assert_denied(api.graphql(DELETE, {"id": post_id}, auth=signed_in), "deletePost", "Mutation")


def test_other_iam_principals_are_governed_by_their_policy(api):
    # Seed 003: "To grant any IAM principal (AWS Resource, IAM role, IAM user, etc) access,
    # with the exception of Amazon Cognito identity pool roles, to this GraphQL API in CDK,
    # you need to enable IAM authorization mode via the iamConfig property"
    function_role = api.iam("MyFunctionRole")
    post = ok(api.graphql(CREATE, auth=function_role), "createPost")
    assert post in ok(api.graphql(LIST, auth=function_role), "listPosts")["items"]
    assert ok(api.graphql(UPDATE, {"id": post["id"]}, auth=function_role), "updatePost") == {
        "id": post["id"],
        "title": "u",
    }
    assert ok(api.graphql(DELETE, {"id": post["id"]}, auth=function_role), "deletePost")
