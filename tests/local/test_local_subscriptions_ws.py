"""Subscriptions over AppSync's real-time WebSocket protocol (``RealtimeServer``), with
credentials verified as AppSync verifies them and mutations sent over HTTP
(``GraphQLServer``): the messages of APPSYNC.md §7, allowed and denied subscribers."""

from __future__ import annotations

import base64
import json
import urllib.request

import pytest
from gql.transport.appsync_auth import AppSyncJWTAuthentication
from serve_harness import first_event
from stacks import api_stack, id_token, pool_and_key, pool_issuer, running
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.endpoints.graphql_server import GraphQLServer
from authorized_appsync.local.endpoints.realtime import RealtimeServer
from authorized_appsync.local.identity.authenticator import Authenticator
from authorized_appsync.local.identity.config import IamAuth, IamCredential
from authorized_appsync.local.identity.issuer import LocalIssuer
from authorized_appsync.local.identity.sigv4 import sign_request

POOL = "us-east-1_realtime"
KEY = "da2-realtimetestkey"
HOST = "example.appsync-api.us-east-1.amazonaws.com"
ACCESS_KEY, SECRET = "ASIAMODERATOR", "moderator-secret"
SCHEMA = """
type Post @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner }
]) {
  title: String!
  draftNotes: String @auth(rules: [{ allow: owner }])
}

type Note @model @auth(rules: [{ allow: owner }]) { text: String }
"""
ON_CREATE = "subscription { onCreatePost { title owner } }"
CREATE = "mutation($t: String!) { createPost(input: {title: $t}) { id title owner } }"


@pytest.fixture(scope="module")
def served():
    stack = api_stack(
        "Realtime", SCHEMA, api_key=True, iam_mode=True, admin_role_names=["Moderator"]
    )
    issuer, pool = pool_issuer(POOL)
    moderator = IamCredential(
        secret_access_key=SECRET,
        session_token="moderator-token",
        arn="arn:aws:sts::123456789012:assumed-role/Moderator/ops",
    )
    iam = IamAuth(credentials={ACCESS_KEY: moderator}, admin_roles=("Moderator",))
    authenticator = Authenticator(pool_and_key(KEY, pool, iam=iam))
    with (
        LocalAppSync.from_stack(stack) as local,
        running(GraphQLServer(local, authenticator, port=0)) as http,
        running(RealtimeServer(local, authenticator, port=0, keepalive_s=0.2)) as realtime,
    ):
        yield local, http, realtime, issuer, authenticator


# -- a client speaking AppSync's protocol -------------------------------------------------


def b64(value) -> str:
    return base64.b64encode(json.dumps(value).encode()).decode()


def token(issuer: LocalIssuer, username: str) -> dict[str, str]:
    return {"host": HOST, "Authorization": id_token(issuer, username)}


def api_key(key: str = KEY) -> dict[str, str]:
    return {"host": HOST, "x-api-key": key}


def iam_headers(body: str, path: str) -> dict[str, str]:
    extra = {
        "accept": "application/json, text/javascript",
        "content-encoding": "amz-1.0",
        "content-type": "application/json; charset=UTF-8",
    }
    return sign_request(
        access_key_id=ACCESS_KEY,
        secret_access_key=SECRET,
        session_token="moderator-token",
        region="us-east-1",
        host=HOST,
        body=body.encode(),
        path=path,
        headers=extra,
    )


class Client:
    def __init__(self, url: str, headers: dict[str, str], payload: str = "{}") -> None:
        self.ws: ClientConnection = connect(
            f"{url}?header={b64(headers)}&payload={b64(json.loads(payload))}",
            subprotocols=["graphql-ws"],
            open_timeout=10,
        ).__enter__()  # used as a context manager: closed by close()

    def send(self, message) -> None:
        self.ws.send(json.dumps(message))

    def recv(self, timeout: float = 10.0):
        """The next message other than a keep-alive."""
        while True:
            message = json.loads(self.ws.recv(timeout=timeout))
            if message["type"] != "ka":
                return message

    def init(self):
        self.send({"type": "connection_init"})
        return self.recv()

    def ready(self) -> None:
        ack = self.init()
        assert ack["type"] == "connection_ack", ack

    def start(self, sub_id: str, query: str, authorization: dict[str, str], variables=None):
        data = json.dumps({"query": query, "variables": variables or {}})
        self.send(
            {
                "id": sub_id,
                "type": "start",
                "payload": {"data": data, "extensions": {"authorization": authorization}},
            }
        )
        return self.recv()

    def close(self) -> None:
        self.ws.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def mutate(http: GraphQLServer, query: str, variables, headers: dict[str, str]):
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        http.url, data=body, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    assert "errors" not in answer, answer
    return answer["data"]


def subscribed(client: Client, sub_id: str, query: str, authorization: dict[str, str]) -> None:
    answer = client.start(sub_id, query, authorization)
    assert answer == {"type": "start_ack", "id": sub_id}, answer


# -- the handshake -----------------------------------------------------------------------


def test_connection_init_is_acknowledged_and_kept_alive(served):
    _, _, realtime, _, _ = served
    with Client(realtime.url, api_key()) as client:
        assert client.ws.subprotocol == "graphql-ws"
        client.send({"type": "connection_init"})
        first = json.loads(client.ws.recv(timeout=10))
        assert first == {"type": "connection_ack", "payload": {"connectionTimeoutMs": 300000}}
        kinds = {json.loads(client.ws.recv(timeout=10))["type"] for _ in range(3)}
        assert kinds == {"ka"}


def test_credentials_may_come_in_a_header_subprotocol(served):
    _, _, realtime, _, _ = served
    encoded = base64.urlsafe_b64encode(json.dumps(api_key()).encode()).decode().rstrip("=")
    with connect(
        realtime.url, subprotocols=["graphql-ws", f"header-{encoded}"], open_timeout=10
    ) as ws:
        assert ws.subprotocol == "graphql-ws"
        ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (api_key("da2-unknown"), "You are not authorized to make this call."),
        ({"host": HOST}, "Valid authorization header not provided."),
        ({"host": HOST, "Authorization": "not-a-jwt"}, "Unable to parse JWT token."),
    ],
)
def test_bad_connect_credentials_get_a_connection_error(served, headers, message):
    _, _, realtime, _, _ = served
    with Client(realtime.url, headers) as client:
        assert client.init() == {
            "type": "connection_error",
            "payload": {
                "errors": [
                    {"errorType": "UnauthorizedException", "message": message, "errorCode": 401}
                ]
            },
        }
        with pytest.raises(ConnectionClosed):
            client.ws.recv(timeout=10)


def test_a_forged_signature_gets_a_connection_error(served):
    _, _, realtime, _, _ = served
    headers = iam_headers("{}", "/graphql/connect")
    headers["Authorization"] = headers["Authorization"][:-4] + "0000"
    with Client(realtime.url, headers) as client:
        error = client.init()
        assert error["type"] == "connection_error"
        assert error["payload"]["errors"][0]["errorType"] == "InvalidSignatureException"


# -- who receives what -------------------------------------------------------------------


def test_owners_receive_their_own_posts_created_over_http(served):
    _, http, realtime, issuer, _ = served
    alice, bob = token(issuer, "alice"), token(issuer, "bob")
    with Client(realtime.url, alice) as a, Client(realtime.url, bob) as b:
        a.ready(), b.ready()
        subscribed(a, "mine", ON_CREATE, alice)
        subscribed(b, "mine", ON_CREATE, bob)
        mutate(http, CREATE, {"t": "bob's"}, {"Authorization": bob["Authorization"]})
        mutate(http, CREATE, {"t": "alice's"}, {"Authorization": alice["Authorization"]})
        # Each connection's first event is its owner's: the other post never arrived.
        assert a.recv() == {
            "type": "data",
            "id": "mine",
            # The owner as stored (the token's sub is "sub-alice"): what the filter judged.
            "payload": {
                "data": {"onCreatePost": {"title": "alice's", "owner": "sub-alice::alice"}}
            },
        }
        assert b.recv()["payload"]["data"]["onCreatePost"]["title"] == "bob's"


def test_api_key_and_admin_role_subscribers_receive_every_post(served):
    local, _, realtime, _, _ = served
    with (
        Client(realtime.url, api_key()) as public,
        Client(realtime.url, iam_headers("{}", "/graphql/connect")) as admin,
    ):
        public.ready(), admin.ready()
        subscribed(public, "all", ON_CREATE, api_key())
        data = json.dumps({"query": ON_CREATE, "variables": {}})
        answer = admin.start("all", ON_CREATE, iam_headers(data, "/graphql"))
        assert answer == {"type": "start_ack", "id": "all"}
        for name in ("carol", "dave"):
            local.graphql(CREATE, {"t": f"{name}'s"}, auth=local.user(name))
        for client in (public, admin):
            got = [client.recv()["payload"]["data"]["onCreatePost"]["title"] for _ in range(2)]
            assert got == ["carol's", "dave's"]


def test_an_unauthorized_start_is_refused(served):
    _, _, realtime, _, _ = served
    with Client(realtime.url, api_key()) as client:
        client.ready()
        assert client.start("notes", "subscription { onCreateNote { text } }", api_key()) == {
            "type": "error",
            "id": "notes",
            "payload": {
                "errors": [
                    {
                        "errorType": "Unauthorized",
                        "message": "Not Authorized to access onCreateNote on type Subscription",
                    }
                ]
            },
        }


def test_a_second_start_with_a_live_id_is_refused_and_the_first_keeps_running(served):
    # AppSync's answer as Amplify JS users report it (amplify-js issue 12818), which
    # DataStore then hands to its errorHandler as a subscription error.
    local, _, realtime, _, _ = served
    with Client(realtime.url, api_key()) as client:
        client.ready()
        subscribed(client, "posts", ON_CREATE, api_key())
        assert client.start("posts", ON_CREATE, api_key()) == {
            "type": "error",
            "id": "posts",
            "payload": {
                "errors": [
                    {
                        "errorType": "DuplicatedOperationError",
                        "message": "Duplicated operation with id posts",
                    }
                ]
            },
        }
        local.graphql(CREATE, {"t": "still heard"}, auth=local.user("carol"))
        assert client.recv()["payload"]["data"]["onCreatePost"]["title"] == "still heard"


def test_a_start_with_bad_credentials_is_refused(served):
    _, _, realtime, _, _ = served
    with Client(realtime.url, api_key()) as client:
        client.ready()
        answer = client.start("posts", ON_CREATE, api_key("da2-unknown"))
        assert (answer["type"], answer["id"]) == ("error", "posts")
        assert answer["payload"]["errors"] == [
            {
                "errorType": "UnauthorizedException",
                "message": "You are not authorized to make this call.",
                "errorCode": 401,
            }
        ]


def test_field_protected_values_are_null_in_events(served):
    local, _, realtime, _, _ = served
    with Client(realtime.url, api_key()) as client:
        client.ready()
        subscribed(client, "p", "subscription { onCreatePost { title draftNotes } }", api_key())
        local.graphql(
            'mutation { createPost(input: {title: "n", draftNotes: "secret"}) '
            "{ id title owner draftNotes } }",
            auth=local.user("alice"),
        )
        assert client.recv()["payload"] == {
            "data": {"onCreatePost": {"title": "n", "draftNotes": None}}
        }


def test_filters_and_arguments_apply_over_the_socket(served):
    local, _, realtime, _, _ = served
    with Client(realtime.url, api_key()) as client:
        client.ready()
        subscribed(
            client,
            "f",
            'subscription { onCreatePost(filter: {title: {beginsWith: "keep"}}) { title } }',
            api_key(),
        )
        # An argument equals the event's value, the owner as stored.
        by_erin = 'subscription { onCreatePost(owner: "sub-erin::erin") { title } }'
        subscribed(client, "o", by_erin, api_key())
        for name, title in (("frank", "drop"), ("frank", "keep frank"), ("erin", "by erin")):
            local.graphql(CREATE, {"t": title}, auth=local.user(name, sub=f"sub-{name}"))
        received = [
            (m["id"], m["payload"]["data"]["onCreatePost"]["title"])
            for m in (client.recv(), client.recv())
        ]
        assert received == [("f", "keep frank"), ("o", "by erin")]


def test_stop_ends_delivery_with_complete(served):
    local, _, realtime, _, _ = served
    with Client(realtime.url, api_key()) as client:
        client.ready()
        subscribed(client, "one", ON_CREATE, api_key())
        subscribed(client, "two", ON_CREATE, api_key())
        client.send({"type": "stop", "id": "one"})
        assert client.recv() == {"type": "complete", "id": "one"}
        local.graphql(CREATE, {"t": "after stop"}, auth=local.user("gina"))
        after = client.recv()
        assert (after["id"], after["type"]) == ("two", "data")
        # A live id cannot be started twice on one connection.
        duplicate = client.start("two", ON_CREATE, api_key())
        assert (duplicate["type"], duplicate["id"]) == ("error", "two")


def test_unknown_messages_get_an_error_and_the_connection_stays(served):
    _, _, realtime, _, _ = served
    with Client(realtime.url, api_key()) as client:
        client.ready()
        client.send({"type": "query"})
        assert client.recv()["payload"]["errors"][0]["errorType"] == "UnsupportedOperation"
        client.ws.send("not json")
        assert client.recv()["type"] == "error"
        subscribed(client, "s", ON_CREATE, api_key())


def test_server_stop_closes_connections_and_ends_their_subscriptions(served):
    local, _, _, issuer, authenticator = served
    field = "onDeleteNote"  # a field no other test listens on
    server = RealtimeServer(local, authenticator, port=0).start()
    client = Client(server.url, api_key())
    client.ready()
    subscribed(client, "s", f"subscription {{ {field} {{ id }} }}", token(issuer, "kim"))
    assert local.subscriptions.count(field) == 1
    server.stop()
    with pytest.raises(ConnectionClosed) as closed:
        client.ws.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1001  # going away
    assert local.subscriptions.count(field) == 0
    assert server.connections == 0
    with pytest.raises(ConnectionRefusedError):
        Client(server.url, api_key())


# -- an unchanged AppSync client ----------------------------------------------------------


def test_gql_appsync_websockets_transport_receives_an_owners_events(served):
    # gql's AppSync transport, as a user would point it at `serve`: the JWT in the connect
    # header and in each start, AppSync's message sequence.
    local, _, realtime, issuer, _ = served
    auth = AppSyncJWTAuthentication(host=HOST, jwt=id_token(issuer, "hana"))

    def publish(_: int) -> None:
        # The same users as the tokens' (sub "sub-<name>"): another "hana" with another sub
        # is another user, whose posts the token's hana never receives.
        for name in ("ivan", "hana"):
            local.graphql(CREATE, {"t": f"{name}'s"}, auth=local.user(name, sub=f"sub-{name}"))

    event = first_event(realtime.url, auth, ON_CREATE, publish)
    assert event == {"onCreatePost": {"title": "hana's", "owner": "sub-hana::hana"}}
