"""Typed identities: ``to_context`` is exactly AppSync's ``ctx.identity`` (APPSYNC.md §1), and
recorded contexts read back into the same typed views."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from authorized_appsync.local.identity.authenticator import (
    ApiKeyIdentity,
    AuthMode,
    CognitoIdentity,
    IamIdentity,
    LambdaIdentity,
    OidcIdentity,
    identity_from_context,
)
from authorized_appsync.local.identity.result import Authorized, Rejected

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXAMPLES: dict[str, Any] = json.loads((FIXTURES / "identity" / "appsync_examples.json").read_text())
CONTEXTS = sorted((FIXTURES / "contexts").glob("*.json"))


@pytest.mark.parametrize(
    ("mode", "auth_type"),
    [
        (AuthMode.API_KEY, "API Key Authorization"),
        (AuthMode.AWS_IAM, "IAM Authorization"),
        (AuthMode.AMAZON_COGNITO_USER_POOLS, "User Pool Authorization"),
        (AuthMode.OPENID_CONNECT, "Open ID Connect Authorization"),
        (AuthMode.AWS_LAMBDA, "Lambda Authorization"),
    ],
)
def test_util_auth_type_per_mode(mode: AuthMode, auth_type: str) -> None:
    assert mode.auth_type == auth_type
    assert Authorized(mode=mode, identity=ApiKeyIdentity()).auth_type == auth_type


def test_api_key_identity_is_null() -> None:
    assert ApiKeyIdentity().to_context() is None
    assert identity_from_context("API_KEY", None) == ApiKeyIdentity()
    with pytest.raises(ValueError, match="null ctx.identity"):
        identity_from_context("API_KEY", {})


@pytest.mark.parametrize(
    ("key", "mode", "cls"),
    [
        ("AWS_IAM_user", AuthMode.AWS_IAM, IamIdentity),
        ("AWS_IAM_identity_pool", AuthMode.AWS_IAM, IamIdentity),
        ("AMAZON_COGNITO_USER_POOLS", AuthMode.AMAZON_COGNITO_USER_POOLS, CognitoIdentity),
        ("OPENID_CONNECT", AuthMode.OPENID_CONNECT, OidcIdentity),
        ("AWS_LAMBDA", AuthMode.AWS_LAMBDA, LambdaIdentity),
    ],
)
def test_appsync_examples_round_trip_with_keys_in_order(
    key: str, mode: AuthMode, cls: type
) -> None:
    example = EXAMPLES[key]
    identity = identity_from_context(mode, example)
    assert isinstance(identity, cls)
    assert identity.mode is mode
    context = identity.to_context()
    assert context == example
    assert list(context or {}) == list(example)  # AppSync's key order
    assert json.dumps(context) == json.dumps(example)


@pytest.mark.parametrize("path", CONTEXTS, ids=lambda p: p.stem)
def test_recorded_resolver_contexts_read_back(path: Path) -> None:
    recorded = json.loads(path.read_text())
    identity = identity_from_context(recorded["authType"], recorded["identity"])
    assert identity.to_context() == recorded["identity"]


def test_to_context_returns_a_copy() -> None:
    identity = identity_from_context(
        "AMAZON_COGNITO_USER_POOLS", EXAMPLES["AMAZON_COGNITO_USER_POOLS"]
    )
    assert isinstance(identity, CognitoIdentity)
    context = identity.to_context()
    context["claims"]["sub"] = "changed"
    assert identity.to_context()["claims"]["sub"] == "af08acd8-f118-4016-a35d-2e47d43015a3"


@pytest.mark.parametrize(
    ("arn", "role"),
    [
        ("arn:aws:sts::123456789012:assumed-role/authRole/CognitoIdentityCredentials", "authRole"),
        ("arn:aws:sts::123456789012:assumed-role/AdminRoleReadOnly/someone", "AdminRoleReadOnly"),
        ("arn:aws:iam::123456789012:user/appsync", None),
        ("arn:aws:iam::123456789012:root", None),
    ],
)
def test_iam_role_name_is_read_by_position(arn: str, role: str | None) -> None:
    identity = IamIdentity(account_id="123456789012", username="x", user_arn=arn)
    assert identity.role_name == role


@pytest.mark.parametrize(
    ("mode", "data", "message"),
    [
        ("AWS_IAM", {"accountId": 1}, "accountId must be a string"),
        ("AWS_IAM", [], "object ctx.identity"),
        (
            "AMAZON_COGNITO_USER_POOLS",
            {**EXAMPLES["AMAZON_COGNITO_USER_POOLS"], "groups": "x"},
            "groups",
        ),
        (
            "OPENID_CONNECT",
            {"sub": "s", "issuer": "i", "claims": []},
            "claims must be a JSON object",
        ),
        ("AWS_LAMBDA", {"resolverContext": None}, "resolverContext"),
    ],
)
def test_malformed_contexts_are_refused(mode: str, data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        identity_from_context(mode, data)


def test_rejection_body_and_header() -> None:
    rejected = Rejected(401, "UnauthorizedException", "Token has expired.", "exp passed")
    assert rejected.body() == {
        "errors": [{"errorType": "UnauthorizedException", "message": "Token has expired."}]
    }
    assert rejected.headers() == {"x-amzn-ErrorType": "UnauthorizedException"}
    assert rejected == Rejected(401, "UnauthorizedException", "Token has expired.")  # detail aside
