"""Tokens from moto's Cognito (``admin_initiate_auth``) verify against moto's published JWKS,
for in-process tests that sign users in with moto. Its private half ships in moto's package,
so ``serve`` never trusts it: its tokens are signed by a key made for each run
(``test_serve_cognito_front.py``, ``test_serve_security.py``).

moto's Cognito needs ``joserfc`` (the ``moto[cognitoidp]`` extra); without it the tests that
sign in are skipped, not failed."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from moto import mock_aws

from authorized_appsync.local.identity.authenticator import (
    AuthConfig,
    Authenticator,
    AuthMode,
    Authorized,
    CognitoIdentity,
    Rejected,
    UserPoolAuth,
    moto_cognito_jwks,
)

REGION = "us-east-1"
PASSWORD = "Correct-horse-9"


@pytest.fixture
def cognito(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    pytest.importorskip("joserfc", reason="moto's Cognito needs joserfc (moto[cognitoidp])")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("cognito-idp", region_name=REGION)


def make_pool(idp: Any, name: str) -> tuple[str, str]:
    pool_id = idp.create_user_pool(PoolName=name)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def sign_in(
    idp: Any, pool_id: str, client_id: str, username: str, groups: list[str]
) -> dict[str, str]:
    idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    for group in groups:
        idp.create_group(UserPoolId=pool_id, GroupName=group)
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
    answer = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    result: dict[str, str] = answer["AuthenticationResult"]
    return result


def authenticator(*pools: UserPoolAuth) -> Authenticator:
    return Authenticator(
        AuthConfig(default_mode=AuthMode.AMAZON_COGNITO_USER_POOLS, user_pools=pools)
    )


def test_moto_ships_its_public_jwks() -> None:
    jwks = moto_cognito_jwks()
    assert [key["kid"] for key in jwks["keys"]] == ["dummy"]


def test_moto_serves_the_same_jwks(cognito: Any) -> None:
    pool_id, _ = make_pool(cognito, "served")
    url = f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}/.well-known/jwks.json"
    assert requests.get(url, timeout=5).json() == moto_cognito_jwks()


@pytest.mark.parametrize("kind", ["IdToken", "AccessToken"])
def test_moto_tokens_verify(cognito: Any, kind: str) -> None:
    pool_id, client_id = make_pool(cognito, "app")
    tokens = sign_in(cognito, pool_id, client_id, "alice", ["Editors"])
    pool = UserPoolAuth(
        user_pool_id=pool_id, jwks=moto_cognito_jwks(), app_id_client_regex=re.escape(client_id)
    )
    result = authenticator(pool).authenticate(
        {"Authorization": tokens[kind]}, b"{}", source_ip="127.0.0.1"
    )
    assert isinstance(result, Authorized), result
    identity = result.identity
    assert isinstance(identity, CognitoIdentity)
    sub = next(
        attribute["Value"]
        for attribute in cognito.admin_get_user(UserPoolId=pool_id, Username="alice")[
            "UserAttributes"
        ]
        if attribute["Name"] == "sub"
    )
    assert (identity.sub, identity.username, identity.groups) == (sub, "alice", ("Editors",))
    assert identity.issuer == f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}"
    assert identity.claims["token_use"] == ("id" if kind == "IdToken" else "access")


def test_moto_tokens_refused_where_appsync_refuses_them(cognito: Any) -> None:
    pool_id, client_id = make_pool(cognito, "app")
    other_id, other_client = make_pool(cognito, "other")
    tokens = sign_in(cognito, pool_id, client_id, "bob", [])
    others = sign_in(cognito, other_id, other_client, "eve", [])
    pool = UserPoolAuth(
        user_pool_id=pool_id, jwks=moto_cognito_jwks(), app_id_client_regex=re.escape(client_id)
    )
    auth = authenticator(pool)

    def run(token: str, now: float | None = None) -> Authorized | Rejected:
        return auth.authenticate({"Authorization": token}, b"{}", now=now)

    assert isinstance(run(tokens["IdToken"]), Authorized)
    # moto's tokens last an hour.
    assert run(tokens["IdToken"], now=time.time() + 3601) == Rejected(
        401, "UnauthorizedException", "Token has expired."
    )
    # Same key (moto signs every pool's tokens with it), but another pool's issuer.
    assert run(others["IdToken"]) == Rejected(
        401, "UnauthorizedException", "Valid authorization header not provided."
    )
    # This pool's token, but a client the API does not accept.
    strict = UserPoolAuth(
        user_pool_id=pool_id, jwks=moto_cognito_jwks(), app_id_client_regex="web-only"
    )
    assert authenticator(strict).authenticate(
        {"Authorization": tokens["IdToken"]}, b"{}"
    ) == Rejected(401, "UnauthorizedException", "Unauthorized")
    assert run(f"Bearer {tokens['IdToken']}") == Rejected(
        401, "UnauthorizedException", "Unable to parse JWT token."
    )
