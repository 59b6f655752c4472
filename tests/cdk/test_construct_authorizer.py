"""``DefaultLambdaAuthorizer``: what synth refuses and what reaches the function's environment
(which ``lambda_authorizer/index.py`` reads on every invocation)."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.assertions import Template

from authorized_appsync import DefaultLambdaAuthorizer

JWKS = "https://idp.example.com/.well-known/jwks.json"
ISSUER = "https://idp.example.com/"

ISSUER_REQUIRED = (
    "- issuer is required: the issuer whose tokens are accepted (their 'iss'), e.g. "
    "user_pool.user_pool_provider_url for a Cognito user pool. Without it tokens of any issuer "
    "the keys verify would be accepted."
)
AUDIENCE_REQUIRED = (
    "- audience is required: the accepted audience, or a list of them, none empty or holding a "
    "comma (for a Cognito user pool: the app client ids). Without it tokens issued to any other "
    "client of the issuer would be accepted."
)


@pytest.fixture
def stack() -> Stack:
    return Stack(App(), "Test")


def refused(stack: Stack, **props: Any) -> list[str]:
    with pytest.raises(ValueError, match="^DefaultLambdaAuthorizer ") as caught:
        DefaultLambdaAuthorizer(stack, "Authorizer", **props)
    head, *lines = str(caught.value).split("\n")
    assert head == "DefaultLambdaAuthorizer 'Test/Authorizer' cannot be synthesized:"
    return lines


def environment(stack: Stack) -> dict[str, Any]:
    (function,) = Template.from_stack(stack).find_resources("AWS::Lambda::Function").values()
    variables: dict[str, Any] = function["Properties"]["Environment"]["Variables"]
    return variables


# ---- finding 12 ----------------------------------------------------------------------------


def test_finding_12_issuer_and_audience_are_required_at_synth(stack: Stack) -> None:
    assert refused(stack, jwks_url=JWKS) == [ISSUER_REQUIRED, AUDIENCE_REQUIRED]
    assert refused(stack, jwks_url=JWKS, audience="client") == [ISSUER_REQUIRED]
    assert refused(stack, jwks_url=JWKS, issuer=ISSUER) == [AUDIENCE_REQUIRED]


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"issuer": "  ", "audience": "client"}, [ISSUER_REQUIRED]),
        ({"issuer": ISSUER, "audience": ""}, [AUDIENCE_REQUIRED]),
        ({"issuer": ISSUER, "audience": []}, [AUDIENCE_REQUIRED]),
        ({"issuer": ISSUER, "audience": ["web", " "]}, [AUDIENCE_REQUIRED]),
        ({"issuer": ISSUER, "audience": "web,mobile"}, [AUDIENCE_REQUIRED]),
        (
            {"issuer": ISSUER, "audience": "web", "token_use": "refresh"},
            [
                "- token_use is 'refresh'; use 'id' (Cognito ID tokens), 'access' (Cognito "
                "access tokens) or None (an issuer that sets no token_use claim)."
            ],
        ),
    ],
)
def test_bad_settings_are_refused(stack: Stack, props: dict[str, Any], expected: list[str]) -> None:
    assert refused(stack, jwks_url=JWKS, **props) == expected


def test_every_problem_is_reported_together(stack: Stack) -> None:
    assert refused(stack) == [
        "- give exactly one of jwks_url and hmac_secret (received neither).",
        ISSUER_REQUIRED,
        AUDIENCE_REQUIRED,
    ]


def test_the_function_gets_issuer_audience_and_token_use(stack: Stack) -> None:
    DefaultLambdaAuthorizer(stack, "Authorizer", jwks_url=JWKS, issuer=ISSUER, audience="web")
    assert environment(stack) == {
        "AUTH_CONTEXT_CLAIMS": "sub,username,email,groups",
        "AUTH_ISSUER": ISSUER,
        "AUTH_AUDIENCE": "web",
        "AUTH_TOKEN_USE": "id",
        "AUTH_JWKS_URL": JWKS,
    }


@pytest.mark.parametrize(("token_use", "value"), [("access", "access"), (None, "none")])
def test_token_use(stack: Stack, token_use: str | None, value: str) -> None:
    DefaultLambdaAuthorizer(
        stack,
        "Authorizer",
        jwks_url=JWKS,
        issuer=ISSUER,
        audience=["web", "mobile"],
        token_use=token_use,
    )
    assert environment(stack)["AUTH_TOKEN_USE"] == value
    assert environment(stack)["AUTH_AUDIENCE"] == "web,mobile"


def test_a_cognito_user_pool_by_its_tokens(stack: Stack) -> None:
    # Tokens (CDK tokens, resolved at deploy) are accepted for issuer and audience.
    pool = cognito.UserPool(stack, "Users")
    client = pool.add_client("Web")
    secret = secretsmanager.Secret(stack, "Key")
    DefaultLambdaAuthorizer(
        stack,
        "Authorizer",
        hmac_secret=secret,
        issuer=pool.user_pool_provider_url,
        audience=client.user_pool_client_id,
    )
    variables = environment(stack)
    assert variables["AUTH_TOKEN_USE"] == "id"
    assert variables["AUTH_ISSUER"] == stack.resolve(pool.user_pool_provider_url)
    assert variables["AUTH_AUDIENCE"] == stack.resolve(client.user_pool_client_id)
