"""Which mode a request is in (APPSYNC.md §2), API keys, and the 401s before any mode
(APPSYNC.md §3 and its appendix)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import pytest

from authorized_appsync.local.identity.authenticator import (
    ApiKeyAuth,
    ApiKeyIdentity,
    AuthConfig,
    Authenticator,
    AuthMode,
    Authorized,
    IamAuth,
    IamCredential,
    LambdaAuth,
    Rejected,
    sign_request,
    source_ips,
)
from authorized_appsync.local.identity.issuer import LocalIssuer, LocalUserPool
from authorized_appsync.local.identity.result import (
    MSG_NO_VALID_HEADER,
    MSG_NOT_AUTHORIZED,
    MSG_UNPARSEABLE_JWT,
)

NOW = 1_750_000_000.0
KEY = "da2-abcdefghijklmnopqrstuvwxyz"
HOST = "localapi.appsync-api.us-east-1.amazonaws.com"
BODY = b'{"query":"query { listPosts { items { id } } }"}'
POOL = LocalUserPool("us-east-1_SelectPool")
OIDC = LocalIssuer("https://idp.example.com/", kid="oidc-1")
OTHER = LocalIssuer("https://elsewhere.example.com/", kid="other-1")
CREDENTIAL = IamCredential(
    secret_access_key="secret-1", arn="arn:aws:iam::123456789012:user/appsync"
)


class Recorder:
    """A Lambda authorizer that allows the token ``allow`` and records what it was given."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def __call__(self, event: dict[str, object]) -> object:
        token = event["authorizationToken"]
        assert isinstance(token, str)
        self.tokens.append(token)
        return {"isAuthorized": token == "allow", "resolverContext": {"token": token}}


def config(
    lambda_fn: Callable[[dict[str, object]], object] | None = None, **changes: object
) -> AuthConfig:
    base = AuthConfig(
        default_mode=AuthMode.AMAZON_COGNITO_USER_POOLS,
        api_key=ApiKeyAuth(keys={KEY: NOW + 86_400}),
        user_pools=(POOL.auth(),),
        oidc_providers=(OIDC.oidc_auth(),),
        lambda_authorizer=None if lambda_fn is None else LambdaAuth(function=lambda_fn),
        iam=IamAuth(credentials={"AKIAEXAMPLE": CREDENTIAL}),
    )
    return replace(base, **changes)


def authenticate(cfg: AuthConfig, headers: dict[str, str]) -> Authorized | Rejected:
    return Authenticator(cfg).authenticate(headers, BODY, host=HOST, now=NOW)


def now_signed() -> tuple[dict[str, str], float]:
    """Headers signed by botocore now (its clock), and now."""
    headers = sign_request(
        access_key_id="AKIAEXAMPLE",
        secret_access_key="secret-1",
        region="us-east-1",
        host=HOST,
        body=BODY,
    )
    return headers, time.time()


# --- precedence --------------------------------------------------------------------------------


def _id_token() -> str:
    return POOL.id_token("alice", now=NOW)


def _oidc_token() -> str:
    return OIDC.token({"sub": "u-1"}, now=NOW)


@pytest.mark.parametrize(
    ("case", "headers", "changes", "mode"),
    [
        ("api key alone", lambda: {"x-api-key": KEY}, {}, AuthMode.API_KEY),
        (
            "api key wins over a JWT",
            lambda: {"x-api-key": KEY, "Authorization": _id_token()},
            {},
            AuthMode.API_KEY,
        ),
        (
            "api key of an API without API_KEY is ignored",
            lambda: {"x-api-key": KEY, "Authorization": _id_token()},
            {"api_key": None},
            AuthMode.AMAZON_COGNITO_USER_POOLS,
        ),
        (
            "user pool JWT",
            lambda: {"Authorization": _id_token()},
            {},
            AuthMode.AMAZON_COGNITO_USER_POOLS,
        ),
        ("OIDC JWT", lambda: {"Authorization": _oidc_token()}, {}, AuthMode.OPENID_CONNECT),
        ("header names in any case", lambda: {"X-API-KEY": KEY}, {}, AuthMode.API_KEY),
        (
            "AUTHORIZATION upper case",
            lambda: {"AUTHORIZATION": _oidc_token()},
            {},
            AuthMode.OPENID_CONNECT,
        ),
        (
            "a pool also configured as an OIDC issuer reads as the pool",
            lambda: {"Authorization": _id_token()},
            {
                "oidc_providers": (
                    LocalIssuer(POOL.issuer, private_key=POOL.signer.private_key).oidc_auth(),
                )
            },
            AuthMode.AMAZON_COGNITO_USER_POOLS,
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_mode_precedence(
    case: str, headers: Callable[[], dict[str, str]], changes: dict[str, object], mode: AuthMode
) -> None:
    result = authenticate(config(**changes), headers())
    assert isinstance(result, Authorized), result
    assert result.mode is mode


def test_sigv4_means_iam() -> None:
    headers, at = now_signed()
    result = Authenticator(config()).authenticate(headers, BODY, now=at)
    assert isinstance(result, Authorized)
    assert result.mode is AuthMode.AWS_IAM


def test_sigv4_to_an_api_without_iam_is_any_other_token() -> None:
    headers, at = now_signed()
    recorder = Recorder()
    without_iam = config(recorder, iam=None)
    result = Authenticator(without_iam).authenticate(headers, BODY, now=at)
    assert result == Rejected(401, "UnauthorizedException", MSG_NOT_AUTHORIZED)
    assert recorder.tokens == [headers["Authorization"]]
    # No Lambda either: AppSync reads it as a JWT it cannot parse (seen: a SigV4 request to a
    # user-pool API answers "Unable to parse JWT token.").
    result = Authenticator(config(iam=None)).authenticate(headers, BODY, now=at)
    assert result == Rejected(401, "UnauthorizedException", MSG_UNPARSEABLE_JWT)


def test_other_tokens_go_to_the_lambda_authorizer() -> None:
    recorder = Recorder()
    result = authenticate(config(recorder), {"Authorization": "allow"})
    assert isinstance(result, Authorized)
    assert result.mode is AuthMode.AWS_LAMBDA
    foreign = OTHER.token({"sub": "x"}, now=NOW)
    result = authenticate(config(recorder), {"Authorization": foreign})
    assert result == Rejected(401, "UnauthorizedException", MSG_NOT_AUTHORIZED)
    assert recorder.tokens == ["allow", foreign]


def test_a_jwt_of_a_configured_pool_never_reaches_the_lambda() -> None:
    recorder = Recorder()
    result = authenticate(config(recorder), {"Authorization": POOL.id_token("bob", now=NOW - 7200)})
    assert result == Rejected(401, "UnauthorizedException", "Token has expired.")
    assert recorder.tokens == []


def test_bearer_prefix_is_not_stripped() -> None:
    bearer = f"Bearer {_id_token()}"
    assert authenticate(config(), {"Authorization": bearer}) == Rejected(
        401, "UnauthorizedException", "Unable to parse JWT token."
    )
    recorder = Recorder()  # with a Lambda authorizer, the whole value is its token
    assert isinstance(authenticate(config(recorder), {"Authorization": bearer}), Rejected)
    assert recorder.tokens == [bearer]


NO_JWT_MODES = {"user_pools": (), "oidc_providers": (), "default_mode": AuthMode.API_KEY}


@pytest.mark.parametrize(
    ("headers", "changes", "message"),
    [
        (dict, {}, MSG_NO_VALID_HEADER),
        (lambda: {"Authorization": ""}, {}, MSG_NO_VALID_HEADER),
        (lambda: {"Authorization": "   "}, {}, MSG_NO_VALID_HEADER),
        (lambda: {"x-api-key": ""}, {}, MSG_NO_VALID_HEADER),
        (lambda: {"x-api-key": KEY}, {"api_key": None}, MSG_NO_VALID_HEADER),
        (lambda: {"Authorization": "not-a-jwt"}, {}, MSG_UNPARSEABLE_JWT),
        (lambda: {"Authorization": "a.b.c"}, {}, MSG_UNPARSEABLE_JWT),
        # A JWT of no configured issuer, and no Lambda authorizer to take it.
        (lambda: {"Authorization": OTHER.token({"sub": "x"}, now=NOW)}, {}, MSG_NO_VALID_HEADER),
        # No JWT mode at all: a value that is not a JWT is just not a credential.
        (lambda: {"Authorization": "x"}, NO_JWT_MODES, MSG_NO_VALID_HEADER),
    ],
)
def test_no_usable_credential(
    headers: Callable[[], dict[str, str]], changes: dict[str, object], message: str
) -> None:
    result = authenticate(config(**changes), headers())
    assert result == Rejected(401, "UnauthorizedException", message)
    assert isinstance(result, Rejected)
    assert result.body() == {"errors": [{"errorType": "UnauthorizedException", "message": message}]}


# --- API keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "now", "accepted"),
    [
        (KEY, NOW, True),
        (KEY, NOW + 86_399, True),
        (KEY, NOW + 86_400, False),  # valid while now is before the expiry
        (KEY, NOW + 30 * 86_400, False),
        ("da2-unknown", NOW, False),
        (KEY.upper(), NOW, False),
    ],
)
def test_api_keys(key: str, now: float, accepted: bool) -> None:
    result = Authenticator(config()).authenticate({"x-api-key": key}, BODY, now=now)
    if accepted:
        assert result == Authorized(mode=AuthMode.API_KEY, identity=ApiKeyIdentity())
        assert isinstance(result, Authorized)
        assert result.to_context() is None
        assert result.auth_type == "API Key Authorization"
    else:
        assert result == Rejected(
            401, "UnauthorizedException", "You are not authorized to make this call."
        )


# --- source IPs and configuration -------------------------------------------------------------


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (None, ("10.0.0.9",)),
        ("203.0.113.10", ("203.0.113.10", "10.0.0.9")),
        ("203.0.113.10, 198.51.100.7", ("203.0.113.10", "198.51.100.7", "10.0.0.9")),
    ],
)
def test_source_ips(forwarded: str | None, expected: tuple[str, ...]) -> None:
    headers = {} if forwarded is None else {"x-forwarded-for": forwarded}
    assert source_ips(headers, "10.0.0.9") == expected
    result = Authenticator(config()).authenticate(
        {**headers, "Authorization": _id_token()}, BODY, source_ip="10.0.0.9", now=NOW
    )
    assert isinstance(result, Authorized)
    assert result.to_context()["sourceIp"] == list(expected)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: AuthConfig(default_mode=AuthMode.AWS_LAMBDA),
            "default_mode AWS_LAMBDA has no configuration",
        ),
        (lambda: config(user_pools=(POOL.auth(), POOL.auth())), "configured more than once"),
        (lambda: config(account_id="12345"), "12 digits"),
        (lambda: POOL.auth(app_id_client_regex="(unclosed"), "not a valid regular expression"),
        (lambda: LambdaAuth(function=Recorder(), result_ttl_seconds=3601), "0 to 3600"),
        (lambda: LambdaAuth(function=Recorder(), identity_validation_expression="["), "regular"),
        (
            lambda: IamCredential(secret_access_key="s", arn="arn:aws:iam::123456789012:role/x"),
            "neither",
        ),
        (
            lambda: IamCredential(
                secret_access_key="s", arn=CREDENTIAL.arn, cognito_auth_type="guest"
            ),
            "authenticated",
        ),
        (lambda: IamAuth(credentials={}, authenticated_role_arn="authRole"), "not an IAM role ARN"),
    ],
)
def test_configuration_errors(build: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


def test_modes_of_a_configuration() -> None:
    assert config(Recorder()).modes == frozenset(AuthMode)
    assert config(api_key=None, iam=None).modes == {
        AuthMode.AMAZON_COGNITO_USER_POOLS,
        AuthMode.OPENID_CONNECT,
    }
