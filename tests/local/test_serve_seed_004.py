"""Seed 004 over HTTP: ``authorized-appsync serve`` runs the synthesized blog API as a
subprocess; gql's ``RequestsHTTPTransport`` with gql's AppSync auth headers talks to it, and
users sign in through the moto Cognito endpoint it prints (the ``token`` command).

Seed 004's rules: "Anyone can read any posts" (API key, read only); "Any signed-in user can
create, read, update, and delete their own posts" (others cannot update or delete them);
"Any user that are part of the "Admins" group is allowed to delete any posts".
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from serve_harness import assert_denied, ok, serving, synth

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    IdentityPoolConfig,
    UserPoolConfig,
)

SCHEMA = """type Post @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner }
  { allow: groups, groups: ["Admins"], operations: [read, delete] }
]) {
  id: ID!
  title: String!
  content: String
}"""

CREATE = "mutation($t: String!) { createPost(input: {title: $t}) { id title owner } }"
GET = "query($id: ID!) { getPost(id: $id) { id title owner } }"
LIST = "{ listPosts { items { id title owner } } }"
UPDATE = "mutation($id: ID!, $t: String) { updatePost(input: {id: $id, title: $t}) { id title } }"
DELETE = "mutation($id: ID!) { deletePost(input: {id: $id}) { id } }"


def blog(app: App) -> None:
    stack = Stack(app, "Seed004")
    users = cognito.UserPool(stack, "Users")
    users.add_client("Web")
    cognito.CfnUserPoolGroup(stack, "Admins", user_pool_id=users.user_pool_id, group_name="Admins")
    identities = cognito.CfnIdentityPool(stack, "Identities", allow_unauthenticated_identities=True)
    federated = iam.FederatedPrincipal(
        "cognito-identity.amazonaws.com", {}, "sts:AssumeRoleWithWebIdentity"
    )
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(SCHEMA),
        authorization_modes=AuthorizationModes(
            default_authorization_mode="AMAZON_COGNITO_USER_POOLS",
            user_pool_config=UserPoolConfig(user_pool=users),
            api_key_config=ApiKeyConfig(),
            identity_pool_config=IdentityPoolConfig(
                identity_pool_id=identities.ref,
                authenticated_user_role=iam.Role(stack, "SignedIn", assumed_by=federated),
            ),
            admin_roles=[iam.Role(stack, "Moderation", assumed_by=iam.AccountRootPrincipal())],
        ),
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    assembly = synth(tmp_path_factory.mktemp("seed004") / "cdk.out", blog)
    with serving(assembly, "Seed004") as running:
        yield running


@pytest.fixture(scope="module")
def alice(served):
    return served.jwt(served.token_command("alice"))


@pytest.fixture(scope="module")
def bob(served):
    return served.jwt(served.token_command("bob"))


@pytest.fixture(scope="module")
def admin(served):
    return served.jwt(served.token_command("ada", ("Admins",)))


def new_post(served, user, title="hello"):
    return ok(served.run(user, CREATE, {"t": title}), "createPost")


def test_the_template_group_exists_in_the_stand_in_pool(served):
    assert served.state["cognito"]["groups"] == ["Admins"]


def test_anyone_reads_posts_with_the_api_key_but_cannot_write(served, alice):
    post = new_post(served, alice, "public")
    anyone = served.api_key()
    assert post in ok(served.run(anyone, LIST), "listPosts")["items"]
    assert ok(served.run(anyone, GET, {"id": post["id"]}), "getPost") == post
    assert_denied(
        served.run(anyone, CREATE, {"t": "spam"}),
        "createPost",
        "Not Authorized to access createPost on type Mutation",
    )
    assert_denied(served.run(anyone, UPDATE, {"id": post["id"], "t": "x"}), "updatePost")
    assert_denied(
        served.run(anyone, DELETE, {"id": post["id"]}),
        "deletePost",
        "Not Authorized to access deletePost on type Mutation",
    )
    assert ok(served.run(anyone, GET, {"id": post["id"]}), "getPost") == post


def test_a_signed_in_user_creates_updates_and_deletes_own_posts(served, alice):
    post = new_post(served, alice, "mine")
    assert post["owner"] == "alice"
    changed = ok(served.run(alice, UPDATE, {"id": post["id"], "t": "edited"}), "updatePost")
    assert changed == {"id": post["id"], "title": "edited"}
    assert ok(served.run(alice, DELETE, {"id": post["id"]}), "deletePost") == {"id": post["id"]}
    assert served.run(served.api_key(), GET, {"id": post["id"]}) == {"data": {"getPost": None}}


def test_others_cannot_update_or_delete_a_users_post(served, alice, bob):
    post = new_post(served, alice, "alice's")
    # Reading is public through the API key; bob's own token reads only his posts.
    assert ok(served.run(served.api_key(), GET, {"id": post["id"]}), "getPost") == post
    assert_denied(served.run(bob, GET, {"id": post["id"]}), "getPost")
    assert_denied(served.run(bob, UPDATE, {"id": post["id"], "t": "mine now"}), "updatePost")
    assert_denied(served.run(bob, DELETE, {"id": post["id"]}), "deletePost")
    assert ok(served.run(alice, GET, {"id": post["id"]}), "getPost") == post


def test_a_member_of_admins_deletes_anyones_post_but_does_not_edit_it(served, alice, admin):
    post = new_post(served, alice, "off-topic")
    assert_denied(served.run(admin, UPDATE, {"id": post["id"], "t": "moderated"}), "updatePost")
    assert ok(served.run(admin, DELETE, {"id": post["id"]}), "deletePost") == {"id": post["id"]}
    assert served.run(alice, GET, {"id": post["id"]}) == {"data": {"getPost": None}}


def test_a_user_signed_up_with_boto3_is_a_signed_in_user(served, alice):
    # The boto3 path `serve` prints: sign_up, confirm, initiate_auth at the Cognito endpoint.
    carol = served.user("carol")
    post = new_post(served, carol, "from boto3")
    assert post["owner"] == "carol"
    assert_denied(served.run(carol, DELETE, {"id": new_post(served, alice)["id"]}), "deletePost")


def test_iam_callers_get_the_roles_serve_printed(served, alice):
    post = new_post(served, alice, "for the moderators")
    # The admin role has full access; the identity pool's role has no rule on Post.
    moderation = served.iam("admin role")
    assert ok(served.run(moderation, GET, {"id": post["id"]}), "getPost") == post
    signed_in = served.iam("identity pool, authenticated")
    assert_denied(
        served.run(signed_in, GET, {"id": post["id"]}),
        "getPost",
        "Not Authorized to access getPost on type Query",
    )
    assert ok(served.run(moderation, DELETE, {"id": post["id"]}), "deletePost") == {
        "id": post["id"]
    }


def test_unknown_credentials_are_refused_with_401(served, alice):
    from gql.transport.appsync_auth import AppSyncApiKeyAuthentication

    wrong_key = AppSyncApiKeyAuthentication(host=served.host, api_key="da2-nosuchkey")
    (error,) = served.run(wrong_key, LIST)["errors"]
    assert error == {
        "errorType": "UnauthorizedException",
        "message": "You are not authorized to make this call.",
    }
    forged = served.jwt(served.token_command("alice")[:-8] + "AAAAAAAA")
    (error,) = served.run(forged, LIST)["errors"]
    assert error["errorType"] == "UnauthorizedException"


ON_CREATE = "subscription { onCreatePost { id title owner } }"


def test_owners_subscribe_over_the_realtime_endpoint_serve_printed(served, alice, bob):
    # gql's AppSync WebSocket transport pointed at the printed realtime URL: alice hears
    # about her own new posts (created over HTTP), not about bob's.
    import asyncio

    from gql import Client, gql
    from gql.transport.appsync_auth import AppSyncJWTAuthentication
    from gql.transport.appsync_websockets import AppSyncWebsocketsTransport

    alice_jwt = served.token_command("alice")
    transport = AppSyncWebsocketsTransport(
        url=served.state["realtime_url"],
        auth=AppSyncJWTAuthentication(host=served.host, jwt=alice_jwt),
    )

    async def first_event():
        async with Client(transport=transport) as session:
            events = session.subscribe(gql(ON_CREATE))
            received = asyncio.ensure_future(events.__anext__())
            try:
                # Publish until the subscription (started by the first __anext__) is live.
                for n in range(50):
                    for who, name in ((bob, "bob"), (alice, "alice")):
                        await asyncio.to_thread(new_post, served, who, f"{name} {n}")
                    done, _ = await asyncio.wait({received}, timeout=0.2)
                    if done:
                        break
                return await asyncio.wait_for(received, 10)
            finally:
                await events.aclose()

    event = asyncio.run(first_event())["onCreatePost"]
    assert event["owner"] == "alice"
    assert event["title"].startswith("alice ")
