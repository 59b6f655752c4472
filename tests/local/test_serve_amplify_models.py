"""Amplify JS's Gen 2 data client (`aws-amplify`, pinned) against `serve`, configured only
from the `amplify_outputs.json` serve wrote and its custom Cognito endpoint: the blog post
"AWS Amplify allows you to mix and match authorization modes" (seed 004), through
`generateClient().models` (``amplify_models.mjs``).

Anyone reads posts with the API key (get, list, the `@index` query `postsByTopic`, `onCreate`
and `observeQuery` over the real-time endpoint Amplify derives from `data.url`:
`wss://<host>:<port>/graphql/realtime`, which serve's GraphQL port answers with TLS, its
certificate trusted through NODE_EXTRA_CA_CERTS); a signed-in user creates, updates and
deletes their own posts (`userPool`); another user may not; Admins delete any post but do not
edit it; a Lambda authorizer (`lambda` with `authToken`) admits its token to the reports.

Gen 1: the statements Amplify's generator writes from the API's introspected schema (what
`amplify codegen` does), sent with `client.graphql`.

`identityPool`: Amplify JS gets credentials from serve's Cognito Identity stand-in
(`Auth.Cognito.identityPoolEndpoint`, GetId then GetCredentialsForIdentity): a guest gets the
unauthenticated role and reads posts; a signed-in user gets the authenticated role, which no
rule of the posts names.
"""

from __future__ import annotations

import json
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_cdk import App
from aws_cdk import aws_cognito as cognito
from serve_harness import (
    AMPLIFY,
    PASSWORD,
    REGION,
    ROOT,
    Served,
    environment,
    serving,
    sign_in,
    synth,
)
from stacks import IdentityPool, api_stack
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Subprotocol

SCHEMA = """type Post @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner }
  { allow: groups, groups: ["Admins"], operations: [read, delete] }
  { allow: public, provider: identityPool, operations: [read] }
]) {
  id: ID!
  title: String!
  content: String
  topic: String @index(name: "byTopic", queryField: "postsByTopic")
}

type Report @model @auth(rules: [{ allow: custom }]) {
  id: ID!
  subject: String!
}"""

TOKEN = "custom-letmein"
AUTHORIZER = f"""def handler(event, context):
    return {{"isAuthorized": event.get("authorizationToken") == "{TOKEN}", "ttlOverride": 0}}
"""


def denied(field: str, type_name: str = "Mutation") -> dict[str, Any]:
    """What the data client returns for a call the rules refuse: AppSync's error, as is."""
    message = f"Not Authorized to access {field} on type {type_name}"
    return {"data": None, "errors": [{"errorType": "Unauthorized", "message": message}]}


def blog(app: App) -> None:
    stack = api_stack(
        "Mixed",
        SCHEMA,
        app=app,
        api_key=True,
        identity_pool=IdentityPool(),
        authorizer=AUTHORIZER,
    )
    users = stack.node.find_child("Users")
    users.add_client("Web")
    cognito.CfnUserPoolGroup(stack, "Admins", user_pool_id=users.user_pool_id, group_name="Admins")


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[Served, dict[str, Any], Path]]:
    """The one serve of this module, the outputs it wrote and where."""
    root = tmp_path_factory.mktemp("amplify-models")
    assembly = synth(root / "cdk.out", blog)
    target = root / "amplify_outputs.json"
    with serving(assembly, "Mixed", "--outputs", str(target)) as running:
        for user, groups in (("alice", ()), ("bob", ()), ("ada", ("Admins",))):
            sign_in(running.state["cognito"], user, groups)
        yield running, json.loads(target.read_text()), target


@pytest.fixture(scope="module")
def result(served) -> dict[str, Any]:
    assert AMPLIFY.is_dir(), "node_modules/aws-amplify is missing: run `make setup`"
    _, outputs, target = served
    certificate = outputs["custom"]["authorized_appsync"]["realtime_certificate"]
    done = subprocess.run(
        ["node", "--experimental-websocket", str(Path(__file__).with_name("amplify_models.mjs"))],
        input=json.dumps({"outputs": str(target), "password": PASSWORD, "customToken": TOKEN}),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**environment(), "NODE_EXTRA_CA_CERTS": certificate},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in answer, (answer["error"], done.stderr[-3000:])
    return answer


def ok(outcome: dict[str, Any]) -> Any:
    assert outcome.get("errors") == [], outcome
    return outcome["data"]


def test_a_signed_in_user_creates_reads_updates_and_deletes_own_posts(result):
    # Amplify's default sign-in (SRP) at the Cognito endpoint of the file's custom section.
    assert result["signIns"] == {"alice": "DONE", "bob": "DONE", "ada": "DONE"}
    post = ok(result["aliceCreates"])
    assert (post["title"], post["topic"]) == ("first", "news")
    # The mutation's response holds the owner as stored, "<sub>::<username>"; reads the
    # username (as seed 004's HTTP test shows).
    assert post["owner"].split("::")[-1] == "alice"
    assert ok(result["aliceGets"])["owner"] == "alice"
    assert ok(result["aliceGets"])["id"] == post["id"]
    assert ok(result["aliceUpdates"])["title"] == "edited"
    assert ok(result["aliceDeletes"])["title"] == "scratch"
    assert result["aliceGetsDeleted"] == {"data": None, "errors": []}


def test_anyone_reads_with_the_api_key_and_the_index_query(result):
    # Subscriptions are live some time after they start: posts are published until one is
    # heard, so "heard" and "observed" may be there more than once.
    titles = sorted({p["title"] for p in ok(result["anyoneLists"])})
    assert titles == ["edited", "heard", "observed"]
    assert ok(result["anyoneGets"])["title"] == "edited"
    by_topic = sorted({p["title"] for p in ok(result["anyoneQueriesTheIndex"])})
    assert by_topic == ["edited", "heard"]


def test_the_api_key_may_not_write(result):
    assert result["anyoneCreates"] == denied("createPost")
    assert result["anyoneUpdates"] == denied("updatePost")
    assert result["anyoneDeletes"] == denied("deletePost")


def test_subscriptions_over_the_realtime_url_amplify_derives(result):
    assert result["onCreate"] == {"title": "heard", "topic": "news"}
    assert result["observeQuery"] == ["edited", "heard", "observed"]


def test_identity_pool_guests_read_and_the_signed_in_role_does_not(result):
    assert ok(result["guestGets"])["title"] == "edited"
    assert result["guestLists"] == {"data": [], "errors": []}  # before any post
    assert result["guestCreates"] == denied("createPost")
    assert result["signedInRoleLists"] == {
        "data": [],
        "errors": [
            {
                "errorType": "Unauthorized",
                "message": "Not Authorized to access listPosts on type Query",
            }
        ],
    }


def test_another_user_may_not_update_or_delete_a_post(result):
    assert result["bobUpdates"] == denied("updatePost")
    assert result["bobDeletes"] == denied("deletePost")


def test_admins_delete_any_post_but_do_not_edit_it(result):
    assert result["adminUpdates"] == denied("updatePost")
    assert ok(result["adminDeletes"])["title"] == "edited"
    assert result["afterAdminDelete"] == {"data": None, "errors": []}


def test_the_lambda_authorizer_admits_its_token(result):
    report = ok(result["lambdaCreates"])
    assert report["subject"] == "spam"
    assert ok(result["lambdaGets"]) == report
    assert [r["id"] for r in ok(result["lambdaLists"])] == [report["id"]]
    assert ok(result["lambdaUpdates"])["subject"] == "ham"
    assert ok(result["lambdaDeletes"])["id"] == report["id"]
    # A token the authorizer refuses: serve answers 401 (UnauthorizedException) before any
    # resolver runs; the data client returns it as an error "Unauthorized" and no items.
    assert result["lambdaRefused"] == {
        "data": [],
        "errors": [{"errorType": None, "message": "Unauthorized"}],
    }
    # The reports have a custom rule only: the API key may not list them.
    assert result["apiKeyOnReport"] == {
        "data": [],
        "errors": [
            {
                "errorType": "Unauthorized",
                "message": "Not Authorized to access listReports on type Query",
            }
        ],
    }


def test_the_file_names_the_identity_pool_serve_answers_for(served):
    _, outputs, _ = served
    auth, local = outputs["auth"], outputs["custom"]["authorized_appsync"]
    assert auth["identity_pool_id"] == f"{REGION}:Identities"  # the pool's logical id
    assert auth["unauthenticated_identities_enabled"] is True  # the API has a guest role
    assert local["identity_pool_endpoint"] == local["cognito_endpoint"]


def test_cognito_identity_refuses_other_pools_and_forged_logins(served):
    running, outputs, _ = served
    identities = boto3.client(
        "cognito-identity",
        endpoint_url=outputs["custom"]["authorized_appsync"]["identity_pool_endpoint"],
        region_name=REGION,
        aws_access_key_id="unused",  # GetId and GetCredentialsForIdentity are unsigned
        aws_secret_access_key="unused",
    )
    pool_id = outputs["auth"]["identity_pool_id"]
    with pytest.raises(identities.exceptions.ResourceNotFoundException):
        identities.get_id(IdentityPoolId=f"{REGION}:Other")
    login = f"cognito-idp.{REGION}.amazonaws.com/{outputs['auth']['user_pool_id']}"
    token = sign_in(running.state["cognito"], "forger")
    forged = token[:-8] + "AAAAAAAA"
    with pytest.raises(identities.exceptions.NotAuthorizedException, match="Invalid login"):
        identities.get_id(IdentityPoolId=pool_id, Logins={login: forged})
    signed_in = identities.get_id(IdentityPoolId=pool_id, Logins={login: token})["IdentityId"]
    guest = identities.get_id(IdentityPoolId=pool_id)["IdentityId"]
    assert signed_in != guest
    # The guest's credentials are the unauthenticated role's keys serve printed.
    keys = identities.get_credentials_for_identity(IdentityId=guest)["Credentials"]
    (printed,) = [
        k for k in running.state["iam_keys"] if k["cognito_auth_type"] == "unauthenticated"
    ]
    assert keys["AccessKeyId"] == printed["access_key_id"]
    with pytest.raises(identities.exceptions.NotAuthorizedException, match="Logins don't match"):
        identities.get_credentials_for_identity(IdentityId=signed_in)


def test_the_wss_endpoint_refuses_other_hosts(served):
    # The TLS real-time endpoint on the GraphQL port keeps the guard against DNS rebinding:
    # a handshake naming another host is refused before anything else.
    running, outputs, _ = served
    context = ssl.create_default_context(
        cafile=outputs["custom"]["authorized_appsync"]["realtime_certificate"]
    )
    url = running.url.replace("http://", "wss://") + "/realtime"
    with (
        pytest.raises(InvalidStatus) as refused,
        connect(url, ssl=context, additional_headers={"Host": "attacker.example"}),
    ):
        pass
    assert refused.value.response.status_code == 403
    with connect(url, ssl=context, subprotocols=[Subprotocol("graphql-ws")]) as socket:
        socket.send(json.dumps({"type": "connection_init"}))
        (answer,) = [json.loads(socket.recv(timeout=10))]
    # No credential in the handshake: AppSync's connection error, over TLS.
    assert answer["type"] == "connection_error"


def test_gen_1_statements_from_amplify_codegen_run_unchanged(result):
    # The statements Amplify's generator writes from the API's introspected schema (as
    # `amplify codegen` does), sent with Amplify JS's `client.graphql`: each operation of the
    # model under Amplify's names, the @index query's too.
    assert {
        "getPost",
        "listPosts",
        "postsByTopic",
        "createPost",
        "updatePost",
        "deletePost",
        "onCreatePost",
        "onUpdatePost",
        "onDeletePost",
    } <= set(result["gen1Names"])
    made = ok(result["gen1Creates"])["createPost"]
    assert (made["title"], made["topic"]) == ("gen 1", "old")
    assert ok(result["gen1Updates"])["updatePost"]["title"] == "gen 1 edited"
    got = ok(result["gen1Gets"])["getPost"]
    assert (got["id"], got["title"], got["owner"]) == (made["id"], "gen 1 edited", "alice")
    assert [p["id"] for p in ok(result["gen1Queries"])["postsByTopic"]["items"]] == [made["id"]]
    assert ok(result["gen1Deletes"])["deletePost"]["id"] == made["id"]
    assert made["id"] not in [p["id"] for p in ok(result["gen1Lists"])["listPosts"]["items"]]
    assert result["gen1AnyoneCreates"] == denied("createPost") | {"data": {"createPost": None}}
