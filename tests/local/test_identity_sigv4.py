"""``AWS_IAM``: SigV4 verification and the identities of the stand-in STS (APPSYNC.md §1, §2).

Requests are signed three ways: by botocore now (as AppSync clients do), as recorded in
``fixtures/identity/sigv4_recorded.json`` (botocore at a fixed time, incl. the realtime
``/graphql/connect`` auth object of §7), and by an independent SigV4 signer written here from
AWS's specification (it signs ``user-agent`` too, which botocore's signer leaves out).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import pytest

from authorized_appsync.local.identity.authenticator import (
    AuthConfig,
    Authenticator,
    AuthMode,
    Authorized,
    IamAuth,
    IamCredential,
    IamIdentity,
    IamRoleKind,
    Rejected,
    assumed_role_arn,
    iam_role_kind,
    sign_request,
)
from authorized_appsync.local.identity.result import (
    MSG_INVALID_SECURITY_TOKEN,
    MSG_SIGNATURE_MISMATCH,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "identity"
EXAMPLES: dict[str, Any] = json.loads((FIXTURES / "appsync_examples.json").read_text())
RECORDED: dict[str, Any] = json.loads((FIXTURES / "sigv4_recorded.json").read_text())
SIGNED_AT = float(RECORDED["signed_at"])
HOST = "example1234567890000.appsync-api.us-east-1.amazonaws.com"
BODY = b'{"query":"query { listPosts { items { id } } }"}'
ACCOUNT = "123456789012"
POOL_ID = "us-east-1:11111111-2222-3333-4444-555555555555"
AUTH_ROLE = f"arn:aws:iam::{ACCOUNT}:role/authRole"
UNAUTH_ROLE = f"arn:aws:iam::{ACCOUNT}:role/unauthRole"
PROVIDER = EXAMPLES["AWS_IAM_identity_pool"]["cognitoIdentityAuthProvider"]


def _temporary(secret: str, arn: str, **pool: Any) -> IamCredential:
    return IamCredential(secret_access_key=secret, session_token=f"token-{secret}", arn=arn, **pool)


CREDENTIALS = {
    "ASIAPOOLAUTH": _temporary(
        "auth-secret",
        assumed_role_arn(AUTH_ROLE),
        cognito_identity_id="us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        cognito_auth_type="authenticated",
        cognito_auth_provider=PROVIDER,
        principal_id="AROAAAAAAAAAAAAAAAAAA:CognitoIdentityCredentials",
    ),
    "ASIAPOOLGUEST": _temporary(
        "guest-secret",
        assumed_role_arn(UNAUTH_ROLE),
        cognito_identity_id="us-east-1:aaaaaaaa-bbbb-cccc-dddd-000000000001",
        cognito_auth_type="unauthenticated",
    ),
    "AKIAUSER": IamCredential(
        secret_access_key="user-secret",
        arn=f"arn:aws:iam::{ACCOUNT}:user/appsync",
        principal_id="AIDAAAAAAAAAAAAAAAAAA",
    ),
    "ASIAADMIN": _temporary(
        "admin-secret", f"arn:aws:sts::{ACCOUNT}:assumed-role/AdminRole/reporting"
    ),
    "ASIALOOKALIKE": _temporary(
        "lookalike-secret", f"arn:aws:sts::{ACCOUNT}:assumed-role/AdminRoleReadOnly/someone"
    ),
    RECORDED["credentials"]["access_key_id"]: IamCredential(
        secret_access_key=RECORDED["credentials"]["secret_access_key"],
        session_token=RECORDED["credentials"]["session_token"],
        arn=f"arn:aws:sts::{ACCOUNT}:assumed-role/authRole/CognitoIdentityCredentials",
    ),
}
IAM = IamAuth(
    credentials=CREDENTIALS,
    identity_pool_id=POOL_ID,
    authenticated_role_arn=AUTH_ROLE,
    unauthenticated_role_arn=UNAUTH_ROLE,
    admin_roles=("AdminRole",),
)
AUTHENTICATOR = Authenticator(AuthConfig(default_mode=AuthMode.AWS_IAM, iam=IAM))


def sign(access_key_id: str, *, body: bytes = BODY, **options: Any) -> dict[str, str]:
    credential = CREDENTIALS.get(access_key_id)
    return sign_request(
        access_key_id=access_key_id,
        secret_access_key=options.pop(
            "secret", credential.secret_access_key if credential else "x"
        ),
        session_token=options.pop("token", credential.session_token if credential else None),
        region=options.pop("region", "us-east-1"),
        host=HOST,
        body=body,
        **options,
    )


def verify(
    headers: dict[str, str], body: bytes = BODY, *, now: float | None = None, path: str = "/graphql"
) -> Authorized | Rejected:
    return AUTHENTICATOR.authenticate(
        headers, body, path=path, source_ip="203.0.113.10", now=time.time() if now is None else now
    )


def hand_sign(
    secret: str,
    *,
    access_key_id: str,
    headers: dict[str, str],
    body: bytes,
    payload_hash: str | None = None,
    signed_names: list[str] | None = None,
) -> dict[str, str]:
    """SigV4 from AWS's specification, without botocore, signed now. ``signed_names``
    overrides the SignedHeaders list (to forge one without ``host``)."""
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    signed = {"host": HOST, "x-amz-date": amz_date, **headers}
    names = signed_names or sorted(signed)
    canonical_headers = "".join(f"{n}:{' '.join(signed[n].split())}\n" for n in names)
    body_hash = payload_hash or hashlib.sha256(body).hexdigest()
    canonical = "\n".join(["POST", "/graphql", "", canonical_headers, ";".join(names), body_hash])
    scope = f"{amz_date[:8]}/us-east-1/appsync/aws4_request"
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    string_to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{digest}"
    key = f"AWS4{secret}".encode()
    for part in (amz_date[:8], "us-east-1", "appsync", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = (
        f"AWS4-HMAC-SHA256 Credential={access_key_id}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return {**signed, "Authorization": authorization}


def invalid_signature(message: str) -> Rejected:
    return Rejected(403, "InvalidSignatureException", message)


UNRECOGNIZED = Rejected(403, "UnrecognizedClientException", MSG_INVALID_SECURITY_TOKEN)


# --- accepted ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("access_key_id", "example"),
    [("ASIAPOOLAUTH", "AWS_IAM_identity_pool"), ("AKIAUSER", "AWS_IAM_user")],
)
def test_identity_is_appsync_example(access_key_id: str, example: str) -> None:
    result = verify(sign(access_key_id))
    assert isinstance(result, Authorized), result
    assert result.mode is AuthMode.AWS_IAM
    assert result.auth_type == "IAM Authorization"
    assert result.to_context() == EXAMPLES[example]


def test_guest_of_the_identity_pool() -> None:
    result = verify(sign("ASIAPOOLGUEST"))
    assert isinstance(result, Authorized)
    context = result.to_context()
    assert context is not None
    assert context["cognitoIdentityAuthType"] == "unauthenticated"
    assert context["cognitoIdentityPoolId"] == POOL_ID
    assert (
        context["userArn"]
        == f"arn:aws:sts::{ACCOUNT}:assumed-role/unauthRole/CognitoIdentityCredentials"
    )
    assert context["cognitoIdentityAuthProvider"] is None
    # No principal id given: a stable made-up one, AROA + 17 characters + the session.
    username = context["username"]
    assert isinstance(username, str)
    assert username.startswith("AROA")
    assert username.endswith(":CognitoIdentityCredentials")
    assert len(username.split(":")[0]) == 21


@pytest.mark.parametrize("offset", [0, 60, 300, -300])
def test_recorded_graphql_request(offset: int) -> None:
    request = RECORDED["graphql"]
    result = verify(request["headers"], request["body"].encode(), now=SIGNED_AT + offset)
    assert isinstance(result, Authorized), result
    assert result.to_context()["userArn"].endswith(
        ":assumed-role/authRole/CognitoIdentityCredentials"
    )


def test_recorded_realtime_connect_auth_object() -> None:
    """§7: the WebSocket auth object, signed over POST /graphql/connect with body ``{}``."""
    request = RECORDED["realtime_connect"]
    result = verify(request["headers"], b"{}", now=SIGNED_AT + 1, path="/graphql/connect")
    assert isinstance(result, Authorized), result
    # The same object does not authorize a different path or body.
    assert isinstance(verify(request["headers"], b"{}", now=SIGNED_AT + 1), Rejected)
    assert isinstance(
        verify(request["headers"], b"{ }", now=SIGNED_AT + 1, path="/graphql/connect"), Rejected
    )


def test_independent_signer_with_headers_botocore_would_not_sign() -> None:
    headers = hand_sign(
        "user-secret",
        access_key_id="AKIAUSER",
        headers={
            "content-type": "application/json",
            "user-agent": "aws-amplify/6  js",
            "x-amz-content-sha256": hashlib.sha256(BODY).hexdigest(),
        },
        body=BODY,
    )
    assert isinstance(verify(headers), Authorized)
    changed = {**headers, "user-agent": "curl/8"}
    assert isinstance(verify(changed), Rejected)


# --- rejected ----------------------------------------------------------------------------------


def test_unknown_access_key() -> None:
    assert verify(sign("AKIANOBODY", secret="whatever")) == UNRECOGNIZED


@pytest.mark.parametrize(
    ("access_key_id", "token"),
    [
        ("ASIAADMIN", None),  # a temporary key without its session token
        ("ASIAADMIN", "token-guest-secret"),  # with another key's token
        ("AKIAUSER", "a-token"),  # a token sent with a long-term key
    ],
)
def test_session_tokens(access_key_id: str, token: str | None) -> None:
    assert verify(sign(access_key_id, token=token)) == UNRECOGNIZED


@pytest.mark.parametrize(
    ("label", "change"),
    [
        ("wrong secret", lambda: (sign("AKIAUSER", secret="not-the-secret"), BODY, "/graphql")),
        ("body changed", lambda: (sign("AKIAUSER"), BODY + b" ", "/graphql")),
        ("path changed", lambda: (sign("AKIAUSER"), BODY, "/graphql/connect")),
        (
            "signed header changed",
            lambda: ({**sign("AKIAUSER"), "content-type": "text/plain"}, BODY, "/graphql"),
        ),
        (
            "host changed",
            lambda: ({**sign("AKIAUSER"), "host": "evil.example.com"}, BODY, "/graphql"),
        ),
        (
            "signature changed",
            lambda: (
                {**(h := sign("AKIAUSER")), "Authorization": h["Authorization"][:-4] + "0000"},
                BODY,
                "/graphql",
            ),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_bad_signature(label: str, change: Any) -> None:
    headers, body, path = change()
    result = verify(headers, body, path=path)
    assert isinstance(result, Rejected)
    assert (result.status, result.error_type) == (403, "InvalidSignatureException")
    assert result.message.startswith(
        f"{MSG_SIGNATURE_MISMATCH}\n\n"
        f"The Canonical String for this request should have been\n'POST\n{path}\n"
    )
    assert "\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n" in result.message
    assert result.body()["errors"][0]["errorType"] == "InvalidSignatureException"
    assert result.headers() == {"x-amzn-ErrorType": "InvalidSignatureException"}


def test_non_ascii_signature_and_token_are_refused_not_crashed() -> None:
    headers = sign("ASIAADMIN")
    forged = {
        **headers,
        "Authorization": headers["Authorization"][:-4] + "\u00e9\u00e9\u00e9\u00e9",
    }
    result = verify(forged)
    assert isinstance(result, Rejected)
    assert result.error_type == "InvalidSignatureException"
    assert verify({**headers, "X-Amz-Security-Token": "t\u00f6ken"}) == UNRECOGNIZED


def test_content_hash_header_must_be_the_bodys() -> None:
    claimed = hashlib.sha256(b"another body").hexdigest()
    headers = hand_sign(
        "user-secret",
        access_key_id="AKIAUSER",
        headers={"x-amz-content-sha256": claimed},
        body=BODY,
        payload_hash=claimed,
    )
    result = verify(headers)
    assert isinstance(result, Rejected)
    assert result.error_type == "InvalidSignatureException"


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (
            301,
            "Signature expired: 20240501T120000Z is now earlier than 20240501T120001Z "
            "(20240501T120501Z - 5 min.)",
        ),
        (
            3600,
            "Signature expired: 20240501T120000Z is now earlier than 20240501T125500Z "
            "(20240501T130000Z - 5 min.)",
        ),
        (
            -301,
            "Signature not yet current: 20240501T120000Z is still later than 20240501T115959Z "
            "(20240501T115459Z + 5 min.)",
        ),
    ],
)
def test_clock_skew(offset: int, message: str) -> None:
    request = RECORDED["graphql"]
    result = verify(request["headers"], request["body"].encode(), now=SIGNED_AT + offset)
    assert result == invalid_signature(message)


@pytest.mark.parametrize(
    ("label", "headers", "expected"),
    [
        (
            "another service",
            lambda: _resign(service="execute-api"),
            invalid_signature("Credential should be scoped to correct service: 'appsync'. "),
        ),
        (
            "another region",
            lambda: sign("AKIAUSER", region="eu-west-1"),
            invalid_signature("Credential should be scoped to a valid region. "),
        ),
        (
            "no x-amz-date",
            lambda: {k: v for k, v in sign("AKIAUSER").items() if k != "X-Amz-Date"},
            Rejected(
                403,
                "IncompleteSignatureException",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                "header.",
            ),
        ),
        (
            "host not signed",
            lambda: hand_sign(
                "user-secret",
                access_key_id="AKIAUSER",
                headers={},
                body=BODY,
                signed_names=["x-amz-date"],
            ),
            invalid_signature(
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
            ),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_malformed_scope_or_headers(label: str, headers: Any, expected: Rejected) -> None:
    assert verify(headers()) == expected


def _resign(*, service: str) -> dict[str, str]:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(
        method="POST", url=f"https://{HOST}/graphql", data=BODY, headers={"host": HOST}
    )
    SigV4Auth(Credentials("AKIAUSER", "user-secret"), service, "us-east-1").add_auth(request)
    return dict(request.headers.items())


def test_missing_authorization_parameters() -> None:
    headers = {
        **sign("AKIAUSER"),
        "Authorization": (
            "AWS4-HMAC-SHA256 Credential=AKIAUSER/20240501/us-east-1/appsync/aws4_request"
        ),
    }
    result = verify(headers)
    assert isinstance(result, Rejected)
    assert (result.status, result.error_type) == (403, "IncompleteSignatureException")
    assert result.message.startswith(
        "Authorization header requires 'SignedHeaders' parameter. "
        "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 "
    )


# --- where a caller stands ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("access_key_id", "admin_roles", "kind"),
    [
        ("ASIAPOOLAUTH", (), IamRoleKind.AUTHENTICATED),
        ("ASIAPOOLGUEST", (), IamRoleKind.UNAUTHENTICATED),
        ("ASIAADMIN", ("AdminRole",), IamRoleKind.ADMIN),
        ("ASIAADMIN", (f"arn:aws:iam::{ACCOUNT}:role/team/AdminRole",), IamRoleKind.ADMIN),
        ("ASIAADMIN", ("arn:aws:iam::999999999999:role/AdminRole",), IamRoleKind.OTHER),
        ("ASIAADMIN", ("Admin",), IamRoleKind.OTHER),
        ("ASIALOOKALIKE", ("AdminRole",), IamRoleKind.OTHER),  # never by substring
        ("AKIAUSER", ("AdminRole",), IamRoleKind.OTHER),
    ],
)
def test_iam_role_kind(access_key_id: str, admin_roles: tuple[str, ...], kind: IamRoleKind) -> None:
    result = verify(sign(access_key_id))
    assert isinstance(result, Authorized)
    assert isinstance(result.identity, IamIdentity)
    iam = IamAuth(
        credentials=CREDENTIALS,
        identity_pool_id=POOL_ID,
        authenticated_role_arn=AUTH_ROLE,
        unauthenticated_role_arn=UNAUTH_ROLE,
        admin_roles=admin_roles,
    )
    assert iam_role_kind(result.identity, iam) is kind


def test_pool_roles_need_the_pool() -> None:
    result = verify(sign("ASIAPOOLAUTH"))
    assert isinstance(result, Authorized)
    assert isinstance(result.identity, IamIdentity)
    other_pool = IamAuth(
        credentials={}, identity_pool_id="us-east-1:other", authenticated_role_arn=AUTH_ROLE
    )
    assert iam_role_kind(result.identity, other_pool) is IamRoleKind.OTHER


def test_assumed_role_arn_drops_the_role_path() -> None:
    assert (
        assumed_role_arn("arn:aws:iam::123456789012:role/service/app/authRole", "s")
        == "arn:aws:sts::123456789012:assumed-role/authRole/s"
    )
