"""Seed 004 over HTTP: ``authorized-appsync serve`` runs the synthesized blog API as a
subprocess; gql's ``RequestsHTTPTransport`` with gql's AppSync auth headers talks to it, and
users sign in through the moto Cognito endpoint it prints (the ``token`` command, boto3 with a
password or SRP, and Amplify JS's own ``signIn`` in node).

Seed 004's rules: "Anyone can read any posts" (API key, read only); "Any signed-in user can
create, read, update, and delete their own posts" (others cannot update or delete them);
"Any user that are part of the "Admins" group is allowed to delete any posts".
"""

from __future__ import annotations

import pytest
from aws_cdk import App
from aws_cdk import aws_cognito as cognito
from gql.transport.appsync_auth import AppSyncJWTAuthentication
from serve_harness import (
    AMPLIFY,
    PASSWORD,
    amplify_sign_in,
    cognito_clients,
    first_event,
    serving,
    synth,
)
from srp_client import SrpClient
from stacks import IdentityPool, api_stack, assert_denied, ok

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
    """User pool users by default (a web client, the group Admins), the API key, the signed-in
    role of an identity pool that also admits guests, and the admin role ``Moderation``."""
    stack = api_stack(
        "Seed004",
        SCHEMA,
        app=app,
        api_key=True,
        identity_pool=IdentityPool(guest_role=False),
        admin_role="Moderation",
    )
    users = stack.node.find_child("Users")
    users.add_client("Web")
    cognito.CfnUserPoolGroup(stack, "Admins", user_pool_id=users.user_pool_id, group_name="Admins")


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
    """The post ``user`` creates, as queries return it: the mutation's response holds the
    owner as stored ("<sub>::<username>"), reads the username."""
    post = ok(served.run(user, CREATE, {"t": title}), "createPost")
    if "owner" in post:
        sub, _, username = post["owner"].partition("::")
        assert sub, post
        assert username, post
        post["owner"] = username
    return post


def test_the_template_group_exists_in_the_stand_in_pool(served):
    assert served.state["cognito"]["groups"] == ["Admins"]


def test_anyone_reads_posts_with_the_api_key_but_cannot_write(served, alice):
    post = new_post(served, alice, "public")
    anyone = served.api_key()
    assert post in ok(served.run(anyone, LIST), "listPosts")["items"]
    assert ok(served.run(anyone, GET, {"id": post["id"]}), "getPost") == post
    assert_denied(served.run(anyone, CREATE, {"t": "spam"}), "createPost", "Mutation")
    assert_denied(served.run(anyone, UPDATE, {"id": post["id"], "t": "x"}), "updatePost")
    assert_denied(served.run(anyone, DELETE, {"id": post["id"]}), "deletePost", "Mutation")
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


def signed_up(served, user):
    idp, _ = cognito_clients(served.state["cognito"])
    client = served.state["cognito"]["client_id"]
    idp.sign_up(ClientId=client, Username=user, Password=PASSWORD)
    idp.confirm_sign_up(ClientId=client, Username=user, ConfirmationCode="000000")
    return idp


def test_a_user_signed_in_with_srp_is_a_signed_in_user(served, alice):
    # The template's client gives no ExplicitAuthFlows: Cognito's default allows SRP.
    idp, cognito = signed_up(served, "sara"), served.state["cognito"]
    srp = SrpClient(cognito["user_pool_id"])
    challenge = idp.initiate_auth(
        ClientId=cognito["client_id"],
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": "sara", "SRP_A": srp.srp_a},
    )
    tokens = idp.respond_to_auth_challenge(
        ClientId=cognito["client_id"],
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=srp.answer(challenge["ChallengeParameters"], PASSWORD),
    )["AuthenticationResult"]
    sara = served.jwt(tokens["IdToken"])
    assert new_post(served, sara, "signed in with SRP")["owner"] == "sara"
    assert_denied(served.run(sara, DELETE, {"id": new_post(served, alice)["id"]}), "deletePost")


def test_amplify_js_signs_in_with_its_default_flow(served):
    # aws-amplify is a pinned dev dependency (`make setup` installs it).
    assert AMPLIFY.is_dir(), "node_modules/aws-amplify is missing: run `make setup`"
    signed_up(served, "amy")
    wrong = amplify_sign_in(served.state["cognito"], "amy", "Not-amys-passw0rd!")
    assert wrong == {
        "error": "NotAuthorizedException",
        "message": "Incorrect username or password.",
    }
    answer = amplify_sign_in(served.state["cognito"], "amy", PASSWORD)
    assert (answer.get("isSignedIn"), answer.get("nextStep")) == (True, "DONE"), answer
    amy = served.jwt(answer["idToken"])
    assert new_post(served, amy, "signed in with Amplify JS")["owner"] == "amy"


def test_iam_callers_get_the_roles_serve_printed(served, alice):
    post = new_post(served, alice, "for the moderators")
    # The admin role has full access; the identity pool's role has no rule on Post.
    moderation = served.iam("admin role")
    assert ok(served.run(moderation, GET, {"id": post["id"]}), "getPost") == post
    signed_in = served.iam("identity pool, authenticated")
    assert_denied(served.run(signed_in, GET, {"id": post["id"]}), "getPost", "Query")
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
    auth = AppSyncJWTAuthentication(host=served.host, jwt=served.token_command("alice"))

    def publish(n: int) -> None:
        for who, name in ((bob, "bob"), (alice, "alice")):
            new_post(served, who, f"{name} {n}")

    event = first_event(served.state["realtime_url"], auth, ON_CREATE, publish)["onCreatePost"]
    assert event["owner"].endswith("::alice")  # the event holds the owner as stored
    assert event["title"].startswith("alice ")
