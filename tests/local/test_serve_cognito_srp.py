"""SRP sign-in (``USER_SRP_AUTH``, Amplify JS's default) at the Cognito endpoint of ``serve``:
moto accepts any SRP proof, so the endpoint checks it against a verifier of each user's
password. A test-side client (``srp_client.py``, written from Amplify JS's formulas) signs in.

Attacks tried: a wrong password, a proof made for another user's challenge, a challenge answered
for another user, a replayed, tampered or made-up SECRET_BLOCK, a bad SRP_A, and an app client
whose ExplicitAuthFlows leave SRP out."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from srp_client import SrpClient
from test_serve_cognito_front import (
    PASSWORD,
    admin_client,
    claims,
    header,
    pool_ids,
    public_client,
    refused,
    running_front,
    signed_up,
    verifier,
)

from authorized_appsync.local.identity.authenticator import Authorized
from authorized_appsync.local.serve.cognito import pool_spec
from authorized_appsync.local.serve.cognito_front import CognitoFront


@pytest.fixture(scope="module")
def front() -> Iterator[CognitoFront]:
    with running_front("SrpUsers") as server:
        yield server


@pytest.fixture(scope="module")
def pool(front: CognitoFront) -> dict[str, str]:
    return pool_ids(front, "SrpUsers")


def challenge(front: CognitoFront, pool: dict[str, str], user: str) -> tuple[SrpClient, Any]:
    client = SrpClient(pool["pool_id"])
    answer = public_client(front).initiate_auth(
        ClientId=pool["client_id"],
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": user, "SRP_A": client.srp_a},
    )
    assert answer["ChallengeName"] == "PASSWORD_VERIFIER"
    return client, answer["ChallengeParameters"]


def respond(front: CognitoFront, pool: dict[str, str], responses: dict[str, str]) -> Any:
    return public_client(front).respond_to_auth_challenge(
        ClientId=pool["client_id"], ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses
    )


def srp_sign_in(front: CognitoFront, pool: dict[str, str], user: str, password: str) -> Any:
    client, parameters = challenge(front, pool, user)
    return respond(front, pool, client.answer(parameters, password))


def test_srp_sign_in_gives_tokens_of_the_runs_key(front, pool):
    signed_up(front, pool, "sally")
    admin_client(front).admin_add_user_to_group(
        UserPoolId=pool["pool_id"], Username="sally", GroupName="Admins"
    )
    client, parameters = challenge(front, pool, "sally")
    assert parameters["USER_ID_FOR_SRP"] == parameters["USERNAME"] == "sally"
    assert {"SALT", "SRP_B", "SECRET_BLOCK"} <= parameters.keys()
    tokens = respond(front, pool, client.answer(parameters, PASSWORD))["AuthenticationResult"]
    assert claims(tokens["IdToken"])["cognito:username"] == "sally"
    assert claims(tokens["IdToken"])["cognito:groups"] == ["Admins"]
    assert header(tokens["IdToken"])["kid"] != "dummy"
    check = verifier(pool["pool_id"], front.jwks)
    assert isinstance(check.authenticate({"Authorization": tokens["IdToken"]}, b"{}"), Authorized)
    assert public_client(front).get_user(AccessToken=tokens["AccessToken"])["Username"] == "sally"


def test_each_challenge_is_new(front, pool):
    signed_up(front, pool, "sam")
    _, first = challenge(front, pool, "sam")
    _, second = challenge(front, pool, "sam")
    assert first["SRP_B"] != second["SRP_B"]
    assert first["SECRET_BLOCK"] != second["SECRET_BLOCK"]
    assert first["SALT"] == second["SALT"]  # the verifier's


def test_a_wrong_password_is_refused(front, pool):
    signed_up(front, pool, "wanda")
    refused(
        lambda: srp_sign_in(front, pool, "wanda", "Not-her-passw0rd!"),
        "NotAuthorizedException",
        "Incorrect username or password.",
    )
    assert "AuthenticationResult" in srp_sign_in(front, pool, "wanda", PASSWORD)


def test_an_unknown_user_is_refused_as_cognito_does(front, pool):
    refused(
        lambda: challenge(front, pool, "nobody"), "UserNotFoundException", "User does not exist"
    )


def test_a_proof_for_another_users_challenge_is_refused(front, pool):
    signed_up(front, pool, "victor")
    signed_up(front, pool, "mallory")
    # Mallory asks for victor's challenge and answers it with her own password.
    client, parameters = challenge(front, pool, "victor")
    refused(
        lambda: respond(front, pool, client.answer(parameters, PASSWORD + "x")),
        "NotAuthorizedException",
        "Incorrect username or password.",
    )
    # Mallory proves her own password, then names victor in the answer.
    client, parameters = challenge(front, pool, "mallory")
    forged = {**client.answer(parameters, PASSWORD), "USERNAME": "victor"}
    refused(lambda: respond(front, pool, forged), "NotAuthorizedException", "Invalid session")
    # Victor's proof computed as if his id were mallory's does not pass either.
    client, parameters = challenge(front, pool, "victor")
    swapped = client.answer({**parameters, "USER_ID_FOR_SRP": "mallory"}, PASSWORD)
    refused(lambda: respond(front, pool, swapped), "NotAuthorizedException")


def test_a_replayed_secret_block_is_refused(front, pool):
    signed_up(front, pool, "rex")
    client, parameters = challenge(front, pool, "rex")
    responses = client.answer(parameters, PASSWORD)
    assert "AuthenticationResult" in respond(front, pool, responses)
    refused(lambda: respond(front, pool, responses), "NotAuthorizedException", "Invalid session")


def test_a_failed_answer_spends_the_challenge(front, pool):
    signed_up(front, pool, "greta")
    client, parameters = challenge(front, pool, "greta")
    refused(
        lambda: respond(front, pool, client.answer(parameters, "guess")), "NotAuthorizedException"
    )
    right = client.answer(parameters, PASSWORD)
    refused(lambda: respond(front, pool, right), "NotAuthorizedException", "Invalid session")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda block: base64.b64encode(b"\x00" + base64.b64decode(block)[1:]).decode(),
        lambda block: block[:-8] + "AAAAAAA=",
        lambda block: "bWFkZS11cA==",
    ],
    ids=["first-byte", "tail", "made-up"],
)
def test_a_tampered_secret_block_is_refused(front, pool, tamper, request):
    user = f"tim-{request.node.callspec.id}"
    signed_up(front, pool, user)
    client, parameters = challenge(front, pool, user)
    block = parameters["SECRET_BLOCK"]
    responses = client.answer(parameters, PASSWORD)
    responses["PASSWORD_CLAIM_SECRET_BLOCK"] = tamper(block)
    refused(lambda: respond(front, pool, responses), "NotAuthorizedException", "Invalid session")


@pytest.mark.parametrize("srp_a", ["", "zz", "0", format(0, "x"), None])
def test_a_bad_srp_a_is_refused(front, pool, srp_a):
    from srp_client import PRIME

    value = format(PRIME, "x") if srp_a is None else srp_a
    refused(
        lambda: public_client(front).initiate_auth(
            ClientId=pool["client_id"],
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "sally", "SRP_A": value},
        ),
        "InvalidParameterException",
        "SRP_A",
    )


def test_passwords_set_by_the_admin_or_changed_sign_in_with_srp(front, pool):
    admin, idp = admin_client(front), public_client(front)
    admin.admin_create_user(UserPoolId=pool["pool_id"], Username="nina", TemporaryPassword=PASSWORD)
    client, parameters = challenge(front, pool, "nina")
    answer = respond(front, pool, client.answer(parameters, PASSWORD))
    assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    tokens = idp.respond_to_auth_challenge(
        ClientId=pool["client_id"],
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=answer["Session"],
        ChallengeResponses={"USERNAME": "nina", "NEW_PASSWORD": "Nina-N3w-pass!"},
    )["AuthenticationResult"]
    refused(lambda: srp_sign_in(front, pool, "nina", PASSWORD), "NotAuthorizedException")
    assert "AuthenticationResult" in srp_sign_in(front, pool, "nina", "Nina-N3w-pass!")
    idp.change_password(
        AccessToken=tokens["AccessToken"],
        PreviousPassword="Nina-N3w-pass!",
        ProposedPassword="Nina-Changed-1!",
    )
    refused(lambda: srp_sign_in(front, pool, "nina", "Nina-N3w-pass!"), "NotAuthorizedException")
    assert "AuthenticationResult" in srp_sign_in(front, pool, "nina", "Nina-Changed-1!")
    admin.admin_set_user_password(
        UserPoolId=pool["pool_id"], Username="nina", Password="Set-By-Admin-1!", Permanent=True
    )
    refused(lambda: srp_sign_in(front, pool, "nina", "Nina-Changed-1!"), "NotAuthorizedException")
    assert "AuthenticationResult" in srp_sign_in(front, pool, "nina", "Set-By-Admin-1!")


def test_a_user_without_a_known_password_cannot_sign_in_with_srp(front, pool):
    admin = admin_client(front)
    admin.admin_create_user(UserPoolId=pool["pool_id"], Username="otto", MessageAction="SUPPRESS")
    refused(lambda: srp_sign_in(front, pool, "otto", PASSWORD), "NotAuthorizedException")


def test_an_unconfirmed_user_is_refused(front, pool):
    public_client(front).sign_up(ClientId=pool["client_id"], Username="una", Password=PASSWORD)
    refused(lambda: challenge(front, pool, "una"), "UserNotConfirmedException")


def test_a_client_without_allow_user_srp_auth_is_refused():
    template = {
        "Resources": {
            "Users": {"Type": "AWS::Cognito::UserPool", "Properties": {"UserPoolName": "U"}},
            "Web": {
                "Type": "AWS::Cognito::UserPoolClient",
                "Properties": {
                    "UserPoolId": {"Ref": "Users"},
                    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                },
            },
        }
    }
    spec = pool_spec(template, "Users")
    assert spec.auth_flows == ("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
    server = CognitoFront(port=0).start()
    try:
        made = server.create_pool(spec)
        idp = public_client(server)
        idp.sign_up(ClientId=made.client_id, Username="pat", Password=PASSWORD)
        idp.confirm_sign_up(ClientId=made.client_id, Username="pat", ConfirmationCode="0")
        with pytest.raises(ClientError) as caught:
            idp.initiate_auth(
                ClientId=made.client_id,
                AuthFlow="USER_SRP_AUTH",
                AuthParameters={"USERNAME": "pat", "SRP_A": SrpClient(made.user_pool_id).srp_a},
            )
        error = caught.value.response["Error"]
        assert error["Code"] == "InvalidParameterException"
        assert "USER_SRP_AUTH flow not enabled for this client" in error["Message"]
        assert "'Web'" in error["Message"]
    finally:
        server.stop()


def test_a_template_client_without_explicit_flows_allows_srp_as_cognito_does():
    template = {
        "Resources": {
            "Users": {"Type": "AWS::Cognito::UserPool", "Properties": {}},
            "Web": {
                "Type": "AWS::Cognito::UserPoolClient",
                "Properties": {"UserPoolId": {"Ref": "Users"}},
            },
        }
    }
    assert "ALLOW_USER_SRP_AUTH" in pool_spec(template, "Users").auth_flows
