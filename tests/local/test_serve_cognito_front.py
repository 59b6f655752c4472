"""The Cognito endpoint of ``serve`` (findings 9 and 10 of the security review), in process:
what an app may call without credentials, what only the run's admin credentials may call,
what nobody may call, and the tokens it hands out (signed by the run's key, not moto's).

Attacks tried: every other service through the endpoint (a raw DynamoDB Scan), Cognito
administrator actions unsigned or signed with other keys, moto's unchecked flows (made-up SRP
proofs, forgot-password codes) that would sign anyone in as anyone, a challenge answered for another
user, access tokens moto signed, and a foreign ``Host`` header."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
import requests
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from joserfc import jwk, jwt

from authorized_appsync.local.identity.authenticator import (
    AuthConfig,
    Authenticator,
    AuthMode,
    Authorized,
    Rejected,
    UserPoolAuth,
    moto_cognito_jwks,
)
from authorized_appsync.local.identity.sigv4 import sign_request
from authorized_appsync.local.serve.cognito import PoolSpec
from authorized_appsync.local.serve.cognito_front import CognitoFront

REGION = "us-east-1"
PASSWORD = "Local-Passw0rd!"
TARGET = "AWSCognitoIdentityProviderService."


@contextmanager
def running_front(pool_name: str) -> Iterator[CognitoFront]:
    """A front on a free port with one pool (group Admins, app client "web")."""
    server = CognitoFront(port=0).start()
    try:
        server.create_pool(PoolSpec(name=pool_name, groups=("Admins",), client_name="web"))
        yield server
    finally:
        server.stop()


def pool_ids(front: CognitoFront, pool_name: str) -> dict[str, str]:
    """The pool the front made, read back with the admin credentials."""
    admin = admin_client(front)
    pools = admin.list_user_pools(MaxResults=60)["UserPools"]
    pool_id = next(p["Id"] for p in pools if p["Name"] == pool_name)
    clients = admin.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
    return {"pool_id": pool_id, "client_id": clients["UserPoolClients"][0]["ClientId"]}


@pytest.fixture(scope="module")
def front() -> Iterator[CognitoFront]:
    with running_front("Users") as server:
        yield server


@pytest.fixture(scope="module")
def pool(front: CognitoFront) -> dict[str, str]:
    return pool_ids(front, "Users")


def public_client(front: CognitoFront) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=front.url,
        region_name=REGION,
        config=Config(signature_version=UNSIGNED),
    )


def admin_client(front: CognitoFront, key: str | None = None, secret: str | None = None) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=front.url,
        region_name=REGION,
        aws_access_key_id=key or front.admin_key_id,
        aws_secret_access_key=secret or front.admin_secret,
    )


def signed_up(front: CognitoFront, pool: dict[str, str], user: str) -> dict[str, str]:
    """``user`` signed up, confirmed and signed in (unsigned client calls): its tokens."""
    idp = public_client(front)
    idp.sign_up(ClientId=pool["client_id"], Username=user, Password=PASSWORD)
    idp.confirm_sign_up(ClientId=pool["client_id"], Username=user, ConfirmationCode="000000")
    answer = idp.initiate_auth(
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user, "PASSWORD": PASSWORD},
    )
    result: dict[str, str] = answer["AuthenticationResult"]
    return result


def header(token: str) -> dict[str, Any]:
    part = token.split(".")[0]
    loaded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return loaded


def claims(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    loaded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return loaded


def verifier(pool_id: str, jwks: dict[str, object]) -> Authenticator:
    return Authenticator(
        AuthConfig(
            default_mode=AuthMode.AMAZON_COGNITO_USER_POOLS,
            user_pools=(UserPoolAuth(user_pool_id=pool_id, jwks=jwks),),
        )
    )


def moto_signed(payload: dict[str, Any]) -> str:
    """A token signed with the private key moto ships in its package: anyone has it."""
    from moto.utilities.utils import load_resource

    key = jwk.RSAKey.import_key(load_resource("moto.cognitoidp", "resources/jwks-private.json"))
    return str(jwt.encode({"kid": "dummy", "alg": "RS256"}, payload, key))


def refused(call: Any, code: str, *words: str) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    assert error["Code"] == code, error
    for word in words:
        assert word in error["Message"], error
    return str(error["Message"])


# --- finding 9: the run's key ----------------------------------------------------------------


def test_finding_9_tokens_are_signed_by_the_runs_key(front, pool):
    tokens = signed_up(front, pool, "alice")
    for kind in ("IdToken", "AccessToken"):
        token = tokens[kind]
        assert header(token)["kid"] != "dummy"
        ours = verifier(pool["pool_id"], front.jwks).authenticate({"Authorization": token}, b"{}")
        assert isinstance(ours, Authorized), ours
        motos = verifier(pool["pool_id"], moto_cognito_jwks()).authenticate(
            {"Authorization": token}, b"{}"
        )
        assert isinstance(motos, Rejected)
    assert claims(tokens["IdToken"])["cognito:username"] == "alice"
    assert claims(tokens["IdToken"])["iss"].endswith(f"/{pool['pool_id']}")
    # The key set served where Cognito serves it is the run's, not moto's.
    served = requests.get(f"{front.url}/{pool['pool_id']}/.well-known/jwks.json", timeout=10)
    assert served.json() == front.jwks != moto_cognito_jwks()


def test_a_new_front_has_a_new_key(front):
    other = CognitoFront(port=0)
    try:
        other.create_pool(PoolSpec(name="Other"))
        assert other.jwks["keys"][0]["n"] != front.jwks["keys"][0]["n"]
    finally:
        other.stop()


def test_refreshed_tokens_are_signed_again(front, pool):
    tokens = signed_up(front, pool, "rita")
    answer = public_client(front).initiate_auth(
        ClientId=pool["client_id"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    assert header(answer["IdToken"])["kid"] == header(tokens["IdToken"])["kid"] != "dummy"
    check = verifier(pool["pool_id"], front.jwks)
    assert isinstance(check.authenticate({"Authorization": answer["IdToken"]}, b"{}"), Authorized)


def test_the_access_token_handed_out_works_and_no_other(front, pool):
    tokens = signed_up(front, pool, "gus")
    idp = public_client(front)
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "gus"
    # A token moto would sign (anyone can: its key is published) is not one handed out.
    forged = moto_signed({**claims(tokens["AccessToken"]), "username": "alice"})
    refused(lambda: idp.get_user(AccessToken=forged), "NotAuthorizedException", "Invalid Access")
    idp.change_password(
        AccessToken=tokens["AccessToken"], PreviousPassword=PASSWORD, ProposedPassword="N3w-pass!"
    )
    idp.global_sign_out(AccessToken=tokens["AccessToken"])
    refused(lambda: idp.get_user(AccessToken=tokens["AccessToken"]), "NotAuthorizedException")


# --- finding 10: only what clients need ------------------------------------------------------


def raw(front: CognitoFront, target: str, body: dict[str, Any], **headers: str) -> Any:
    return requests.post(
        f"{front.url}/",
        data=json.dumps(body),
        headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1", **headers},
        timeout=10,
    )


@pytest.mark.parametrize(
    ("target", "body"),
    [
        ("DynamoDB_20120810.Scan", {"TableName": "Post-local"}),
        ("DynamoDB_20120810.ListTables", {}),
        ("DynamoDB_20120810.PutItem", {"TableName": "Post-local", "Item": {}}),
        ("AWSSecurityTokenServiceV20110615.AssumeRole", {}),
        ("", {}),
    ],
    ids=["scan", "list-tables", "put-item", "sts", "no-target"],
)
def test_finding_10_no_other_service_is_served(front, target, body):
    answer = raw(front, target, body)
    assert answer.status_code == 400
    assert answer.json()["__type"] == "UnknownOperationException"
    assert "stay private to the serve process" in answer.json()["message"]


@pytest.mark.parametrize("path", ["/moto-api/data.json", "/moto-api/reset", "/Post-local"])
def test_moto_paths_are_not_served(front, path):
    for method in ("GET", "POST"):
        answer = requests.request(method, f"{front.url}{path}", timeout=10)
        assert answer.status_code == 400, (method, path)
        assert answer.json()["__type"] == "UnknownOperationException"


def test_finding_10_admin_actions_need_the_runs_admin_credentials(front, pool):
    set_password = {
        "UserPoolId": pool["pool_id"],
        "Username": "alice",
        "Password": "Mallory-0wns!",
        "Permanent": True,
    }
    unsigned = public_client(front)
    refused(
        lambda: unsigned.admin_set_user_password(**set_password),
        "MissingAuthenticationTokenException",
        "AdminSetUserPassword is an administrator action",
        "Cognito admin credentials",
    )
    stranger = admin_client(front, "AKIAOTHERKEYOTHERKEY", "x" * 40)
    refused(lambda: stranger.admin_set_user_password(**set_password), "UnrecognizedClientException")
    wrong_secret = admin_client(front, front.admin_key_id, "y" * 40)
    refused(
        lambda: wrong_secret.admin_set_user_password(**set_password), "InvalidSignatureException"
    )
    other_service = sign_request(
        access_key_id=front.admin_key_id,
        secret_access_key=front.admin_secret,
        region=REGION,
        host=front.url.split("/")[2],
        body=json.dumps(set_password).encode(),
        path="/",
        headers={
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": f"{TARGET}AdminSetUserPassword",
        },
    )  # signed for appsync, not cognito-idp
    answer = raw(front, f"{TARGET}AdminSetUserPassword", set_password, **other_service)
    assert answer.json()["__type"] == "InvalidSignatureException"
    # Nothing changed: alice still signs in with her password; the admin may change it.
    signed_up(front, pool, "alice2")
    admin_client(front).admin_set_user_password(**{**set_password, "Username": "alice2"})


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("forgot_password", {"Username": "alice"}),
        (
            "confirm_forgot_password",
            {"Username": "alice", "ConfirmationCode": "123456", "Password": "Mallory-0wns!"},
        ),
        ("resend_confirmation_code", {"Username": "alice"}),
        ("update_user_attributes", {"AccessToken": "x", "UserAttributes": []}),
    ],
)
def test_unchecked_client_actions_are_not_served(front, pool, action, params):
    idp = public_client(front)
    call = getattr(idp, action)
    with_client = params if "AccessToken" in params else {"ClientId": pool["client_id"], **params}
    refused(lambda: call(**with_client), "UnknownOperationException", "is not served")


@pytest.mark.parametrize(
    "action",
    [
        lambda admin, pool: admin.create_user_pool(PoolName="another"),
        lambda admin, pool: admin.delete_user_pool(UserPoolId=pool["pool_id"]),
        lambda admin, pool: admin.update_user_pool_client(
            UserPoolId=pool["pool_id"], ClientId=pool["client_id"], ExplicitAuthFlows=[]
        ),
    ],
    ids=["create-pool", "delete-pool", "update-client"],
)
def test_the_pool_is_not_reconfigured_even_by_the_admin(front, pool, action):
    refused(lambda: action(admin_client(front), pool), "UnknownOperationException")


def test_finding_10_unchecked_sign_in_flows_are_refused(front, pool):
    # SRP is served with its proof checked (test_serve_cognito_srp.py); other flows moto
    # does not check are refused.
    signed_up(front, pool, "victim")
    idp = public_client(front)
    refused(
        lambda: idp.initiate_auth(
            ClientId=pool["client_id"], AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "x"}
        ),
        "InvalidParameterException",
        "USER_SRP_AUTH",
    )
    # moto's PASSWORD_VERIFIER takes any "secret block" as its session: not here.
    refused(
        lambda: idp.respond_to_auth_challenge(
            ClientId=pool["client_id"],
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses={
                "USERNAME": "victim",
                "PASSWORD_CLAIM_SECRET_BLOCK": "made-up",
                "PASSWORD_CLAIM_SIGNATURE": "made-up",
                "TIMESTAMP": "Mon Jan 1 00:00:00 UTC 2024",
            },
            Session="made-up-session-made-up-session",
        ),
        "NotAuthorizedException",
        "Invalid session for the user",
    )


def test_a_challenge_is_answered_only_for_its_own_user(front, pool):
    admin, idp = admin_client(front), public_client(front)
    for user in ("newbie", "boss"):
        admin.admin_create_user(
            UserPoolId=pool["pool_id"], Username=user, TemporaryPassword=PASSWORD
        )
    challenge = idp.initiate_auth(
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "newbie", "PASSWORD": PASSWORD},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"

    def answer(user: str) -> Any:
        return idp.respond_to_auth_challenge(
            ClientId=pool["client_id"],
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": user, "NEW_PASSWORD": "Taken-0ver!"},
        )

    # moto would set boss's password from newbie's session.
    refused(lambda: answer("boss"), "NotAuthorizedException", "Invalid session for the user")
    tokens = answer("newbie")["AuthenticationResult"]
    assert claims(tokens["IdToken"])["cognito:username"] == "newbie"
    assert header(tokens["IdToken"])["kid"] != "dummy"
    # The session is spent.
    refused(lambda: answer("newbie"), "NotAuthorizedException")


def test_the_admin_signs_users_in_with_the_runs_key(front, pool):
    admin = admin_client(front)
    admin.admin_create_user(UserPoolId=pool["pool_id"], Username="root", MessageAction="SUPPRESS")
    admin.admin_set_user_password(
        UserPoolId=pool["pool_id"], Username="root", Password=PASSWORD, Permanent=True
    )
    admin.admin_add_user_to_group(UserPoolId=pool["pool_id"], Username="root", GroupName="Admins")
    tokens = admin.admin_initiate_auth(
        UserPoolId=pool["pool_id"],
        ClientId=pool["client_id"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "root", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert claims(tokens["IdToken"])["cognito:groups"] == ["Admins"]
    check = verifier(pool["pool_id"], front.jwks)
    assert isinstance(check.authenticate({"Authorization": tokens["IdToken"]}, b"{}"), Authorized)


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("evil.example", 403),
        ("evil.example:{port}", 403),
        ("127.0.0.1.evil.example", 403),
        ("localhost:{port}", 200),
        ("127.0.0.1:{port}", 200),
        ("app.localhost", 200),
    ],
)
def test_finding_10_the_host_header_must_name_this_server(front, pool, host, status):
    port = front.url.rsplit(":", 1)[1]
    body = {
        "ClientId": pool["client_id"],
        "Username": f"h{time.monotonic_ns()}",
        "Password": PASSWORD,
    }
    answer = raw(front, f"{TARGET}SignUp", body, Host=host.format(port=port))
    assert answer.status_code == status, answer.text
    if status == 403:
        assert answer.json()["__type"] == "ForbiddenException"
        assert "DNS rebinding" in answer.json()["message"]


def test_a_browser_preflight_is_answered(front):
    answer = requests.options(
        f"{front.url}/",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent",
        },
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert answer.headers["Access-Control-Allow-Headers"] == (
        "content-type,x-amz-target,x-amz-user-agent"
    )


@pytest.mark.parametrize(
    "name",
    ["cognito:groups", "cognito:username", "sub", "iss", "token_use", "email_verified"],
)
def test_sign_up_attributes_never_become_reserved_claims(front, pool, name):
    idp = public_client(front)
    refused(
        lambda: idp.sign_up(
            ClientId=pool["client_id"],
            Username=f"attr-{name.replace(':', '-')}",
            Password=PASSWORD,
            UserAttributes=[{"Name": name, "Value": "Admins"}],
        ),
        "InvalidParameterException",
        repr(name),
    )


def test_custom_attributes_given_at_sign_up_are_claims(front, pool):
    idp = public_client(front)
    idp.sign_up(
        ClientId=pool["client_id"],
        Username="tina",
        Password=PASSWORD,
        UserAttributes=[
            {"Name": "custom:tenant", "Value": "t1"},
            {"Name": "email", "Value": "t@x"},
        ],
    )
    idp.confirm_sign_up(ClientId=pool["client_id"], Username="tina", ConfirmationCode="0")
    tokens = idp.initiate_auth(
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "tina", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert claims(tokens["IdToken"])["custom:tenant"] == "t1"
    assert "cognito:groups" not in claims(tokens["IdToken"])


def test_a_body_nested_past_the_parsers_limit_is_refused_in_shape(front):
    # JSON nested deeper than Python's parser recurses is malformed input, not a 500.
    answer = requests.post(
        front.url,
        data=b'{"ClientId": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        headers={"X-Amz-Target": f"{TARGET}SignUp", "Content-Type": "application/x-amz-json-1.1"},
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json()["__type"] == "SerializationException"
