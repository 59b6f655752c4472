"""``AWS_IAM``: SigV4 requests (service ``appsync``) verified as AWS does (APPSYNC.md §2).

The signature is recomputed with botocore's ``SigV4Auth`` over the same canonical request (the
headers the client listed in ``SignedHeaders``, whatever they are) and compared in constant
time. Checks run in AWS's order: the header's parameters, the date, the credential scope, clock
skew (5 minutes), the access key, the session token, the signature. The caller becomes an
:class:`IamIdentity` from the stand-in STS table (``IamAuth.credentials``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

from ..assembly.iam_policies import role_name_of
from .config import IamAuth, IamCredential
from .result import (
    MSG_SIGNATURE_MISMATCH,
    Authorized,
    AuthResult,
    Rejected,
    incomplete_signature,
    invalid_signature,
    unrecognized_client,
)
from .types import AuthMode, IamIdentity

__all__ = [
    "ALGORITHM",
    "MAX_CLOCK_SKEW",
    "SERVICE",
    "IamRoleKind",
    "iam_role_kind",
    "sign_request",
    "verify_sigv4",
]

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "appsync"
MAX_CLOCK_SKEW = timedelta(minutes=5)
_TIMESTAMP = "%Y%m%dT%H%M%SZ"
_REQUIRED = ("Credential", "SignedHeaders", "Signature")


class _Verifier(SigV4Auth):  # type: ignore[misc]  # botocore has no type information
    """Signs exactly the headers the client signed (botocore's signer would drop some, such
    as ``user-agent``, and add ``host``)."""

    def __init__(
        self, credentials: object, region: str, signed: list[tuple[str, str]], service: str
    ) -> None:
        super().__init__(credentials, service, region)
        self._signed = signed

    def headers_to_sign(self, request: object) -> object:
        headers = HTTPHeaders()
        for name, value in self._signed:
            headers[name] = value
        return headers


def _parameters(authorization: str) -> dict[str, str] | Rejected:
    params: dict[str, str] = {}
    for part in authorization[len(ALGORITHM) :].split(","):
        name, equals, value = part.strip().partition("=")
        if equals:
            params[name.strip()] = value.strip()
    missing = [name for name in _REQUIRED if not params.get(name)]
    if missing:
        text = " ".join(f"Authorization header requires '{name}' parameter." for name in missing)
        # AWS's IncompleteSignatureException text [unverified for AppSync].
        return incomplete_signature(f"{text} Authorization={authorization}")
    return params


def _request_time(headers: Mapping[str, str]) -> tuple[datetime, str] | Rejected:
    """The signing time (from ``x-amz-date``, else ``date``) and its SigV4 form."""
    if "x-amz-date" in headers:
        raw = headers["x-amz-date"]
        try:
            when = datetime.strptime(raw, _TIMESTAMP).replace(tzinfo=UTC)
        except ValueError:
            return incomplete_signature(
                f"Date must be in ISO-8601 'basic format'. Got '{raw}'. "
                "See http://en.wikipedia.org/wiki/ISO_8601"
            )
        return when, raw
    if "date" in headers:
        try:
            when = parsedate_to_datetime(headers["date"]).astimezone(UTC)
        except (TypeError, ValueError):
            return incomplete_signature(f"Date header is not an HTTP date: '{headers['date']}'.")
        return when, when.strftime(_TIMESTAMP)
    return incomplete_signature(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
    )


def _check_scope(scope: list[str], stamp: str, region: str, service: str) -> Rejected | None:
    # AWS's standard texts, all InvalidSignatureException [unverified for AppSync].
    if len(scope) != 5 or not scope[0]:
        return incomplete_signature(
            f"Authorization header has a malformed Credential '{'/'.join(scope)}'; "
            "expected <access key>/<date>/<region>/<service>/aws4_request."
        )
    _, date, scope_region, scope_service, terminator = scope
    if terminator != "aws4_request":
        return invalid_signature(
            "Credential should be scoped with a valid terminator: 'aws4_request', "
            f"not '{terminator}'."
        )
    if scope_service != service:
        return invalid_signature(f"Credential should be scoped to correct service: '{service}'. ")
    if scope_region != region:
        return invalid_signature("Credential should be scoped to a valid region. ")
    if date != stamp[:8]:
        return invalid_signature(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{date}' != '{stamp[:8]}', from '{stamp}'."
        )
    return None


def _check_skew(signed_at: datetime, stamp: str, now: float) -> Rejected | None:
    current = datetime.fromtimestamp(now, UTC).replace(microsecond=0)
    now_text = current.strftime(_TIMESTAMP)
    if signed_at < current - MAX_CLOCK_SKEW:
        earliest = (current - MAX_CLOCK_SKEW).strftime(_TIMESTAMP)
        return invalid_signature(
            f"Signature expired: {stamp} is now earlier than {earliest} ({now_text} - 5 min.)"
        )
    if signed_at > current + MAX_CLOCK_SKEW:
        latest = (current + MAX_CLOCK_SKEW).strftime(_TIMESTAMP)
        return invalid_signature(
            f"Signature not yet current: {stamp} is still later than {latest} ({now_text} + 5 min.)"
        )
    return None


def _same(given: str, expected: str) -> bool:
    """Constant-time equality; bytes, as ``compare_digest`` refuses non-ASCII strings."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _check_token(credential: IamCredential, headers: Mapping[str, str]) -> Rejected | None:
    given = headers.get("x-amz-security-token")
    expected = credential.session_token
    if expected is None and given is None:
        return None
    if expected is None or given is None or not _same(given, expected):
        return unrecognized_client("the session token is missing, unexpected or wrong")
    return None


def _principal_id(credential: IamCredential) -> str:
    """``ctx.identity.username``: the given principal id, or a stable made-up unique id
    (``AROA…:<session>`` for a role session, ``AIDA…`` for a user) derived from the ARN."""
    if credential.principal_id is not None:
        return credential.principal_id
    resource = credential.arn.split(":", 5)[5]
    if resource.startswith("assumed-role/"):
        _, role, session = resource.split("/", 2)
        digest = hashlib.sha256(credential.arn.rsplit("/", 1)[0].encode()).digest()
        return f"AROA{base64.b32encode(digest).decode()[:17]}:{session}"
    digest = hashlib.sha256(credential.arn.encode()).digest()
    return f"AIDA{base64.b32encode(digest).decode()[:17]}"


def _identity(credential: IamCredential, iam: IamAuth, source_ip: tuple[str, ...]) -> IamIdentity:
    from_pool = credential.cognito_identity_id is not None
    return IamIdentity(
        account_id=credential.account_id,
        cognito_identity_pool_id=iam.identity_pool_id if from_pool else None,
        cognito_identity_id=credential.cognito_identity_id,
        source_ip=source_ip,
        username=_principal_id(credential),
        user_arn=credential.arn,
        cognito_identity_auth_type=credential.cognito_auth_type,
        cognito_identity_auth_provider=credential.cognito_auth_provider if from_pool else None,
    )


@dataclass(frozen=True)
class _Signed:
    """What the Authorization header claims: key, scope time, signed headers, signature."""

    access_key_id: str
    stamp: str
    header_names: list[str]
    signature: str


def _read_request(
    headers: Mapping[str, str], region: str, now: float, service: str
) -> _Signed | Rejected:
    """Everything that can be checked before the access key is looked up."""
    params = _parameters(headers["authorization"])
    if isinstance(params, Rejected):
        return params
    timing = _request_time(headers)
    if isinstance(timing, Rejected):
        return timing
    signed_at, stamp = timing
    scope = params["Credential"].split("/")
    rejected = _check_scope(scope, stamp, region, service) or _check_skew(signed_at, stamp, now)
    if rejected is not None:
        return rejected
    names = params["SignedHeaders"].lower().split(";")
    if "host" not in names:
        return invalid_signature(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        )
    return _Signed(scope[0], stamp, names, params["Signature"])


def _check_signature(
    signed: _Signed,
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    request_line: tuple[str, str],
    scope: tuple[str, str],
) -> Rejected | None:
    """Recompute the signature over the same canonical request; compare in constant time."""
    method, path = request_line
    region, service = scope
    pairs = [(name, headers.get(name, "")) for name in signed.header_names]
    verifier = _Verifier(Credentials(signed.access_key_id, secret), region, pairs, service)
    request = AWSRequest(
        method=method.upper(),
        url=f"https://{headers.get('host', '')}{path}",
        data=body,
        headers=dict(pairs),
    )
    request.context["timestamp"] = signed.stamp
    canonical: str = verifier.canonical_request(request)
    string_to_sign: str = verifier.string_to_sign(request, canonical)
    expected: str = verifier.signature(string_to_sign, request)
    content_hash = headers.get("x-amz-content-sha256")
    body_ok = content_hash is None or content_hash == hashlib.sha256(body).hexdigest()
    if body_ok and _same(expected, signed.signature):
        return None
    return invalid_signature(
        f"{MSG_SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n"
        f"'{canonical}'\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n",
        "the signature does not verify" if body_ok else "x-amz-content-sha256 is not the body's",
    )


def verify_sigv4(
    headers: Mapping[str, str],
    body: bytes,
    *,
    iam: IamAuth,
    region: str,
    method: str,
    path: str,
    now: float,
    source_ip: tuple[str, ...],
    service: str = SERVICE,
) -> AuthResult:
    """Verify a SigV4 request whose ``headers`` have lower-case names, signed for
    ``service`` (AppSync's by default)."""
    signed = _read_request(headers, region, now, service)
    if isinstance(signed, Rejected):
        return signed
    credential = iam.credentials.get(signed.access_key_id)
    if credential is None:
        return unrecognized_client(f"no credentials for access key {signed.access_key_id!r}")
    rejected = _check_token(credential, headers) or _check_signature(
        signed, credential.secret_access_key, headers, body, (method, path), (region, service)
    )
    if rejected is not None:
        return rejected
    return Authorized(mode=AuthMode.AWS_IAM, identity=_identity(credential, iam, source_ip))


class IamRoleKind(StrEnum):
    """Where an IAM caller stands for the API's rules, as the generated resolvers decide it
    (``resolvers/lib/identity.js``): admin roles are matched against role sessions only, by
    exact role name (or partition, account and name for a role ARN); identity-pool callers
    are what ``cognitoIdentityAuthType`` says, whatever role the session is of."""

    ADMIN = "admin"
    AUTHENTICATED = "authenticated"  # the identity pool's authenticated role
    UNAUTHENTICATED = "unauthenticated"  # the identity pool's unauthenticated role
    OTHER = "other"


_ROLE_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):iam::(?P<account>\d{12}):role/(?:[^/]+/)*(?P<name>[^/]+)"
)


def _same_role(identity: IamIdentity, role: str) -> bool:
    """Whether the caller is a session of ``role`` (a role name or a role ARN). An IAM user
    is never one, whatever it is called; an ARN that is not a role's matches nobody."""
    session = role_name_of(identity.user_arn)
    if session is None:
        return False
    if not role.startswith("arn:"):
        return "/" not in role and session == role
    match = _ROLE_ARN.fullmatch(role)
    caller = identity.user_arn.split(":")
    return (
        match is not None
        and match["partition"] == caller[1]
        and match["account"] == caller[4]
        and match["name"] == session
    )


def iam_role_kind(identity: IamIdentity, iam: IamAuth) -> IamRoleKind:
    if any(_same_role(identity, role) for role in iam.admin_roles):
        return IamRoleKind.ADMIN
    given = identity.cognito_identity_auth_type
    if given is not None:  # AppSync says which kind of identity-pool credentials: it decides
        in_pool = (
            iam.identity_pool_id is not None
            and identity.cognito_identity_pool_id == iam.identity_pool_id
        )
        kinds = {
            kind.value: kind for kind in (IamRoleKind.AUTHENTICATED, IamRoleKind.UNAUTHENTICATED)
        }
        return kinds.get(given, IamRoleKind.OTHER) if in_pool else IamRoleKind.OTHER
    # Without it, a session of exactly one of the roles (one role as both tells nothing).
    held = [
        kind
        for kind, role_arn in (
            (IamRoleKind.AUTHENTICATED, iam.authenticated_role_arn),
            (IamRoleKind.UNAUTHENTICATED, iam.unauthenticated_role_arn),
        )
        if role_arn is not None and _same_role(identity, role_arn)
    ]
    return held[0] if len(held) == 1 else IamRoleKind.OTHER


def sign_request(
    *,
    access_key_id: str,
    secret_access_key: str,
    session_token: str | None = None,
    region: str,
    host: str,
    body: bytes,
    path: str = "/graphql",
    method: str = "POST",
    headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The headers of a request signed now with botocore's SigV4 signer, as an AppSync client
    (gql's ``AppSyncIAMAuthentication``, the AWS SDKs) sends them: ``host``, ``x-amz-date``,
    ``x-amz-security-token`` (temporary credentials) and ``Authorization``."""
    request = AWSRequest(
        method=method,
        url=f"https://{host}{path}",
        data=body,
        headers={"host": host, **(headers or {"content-type": "application/json"})},
    )
    credentials = Credentials(access_key_id, secret_access_key, session_token)
    SigV4Auth(credentials, SERVICE, region).add_auth(request)
    return {str(name): str(value) for name, value in request.headers.items()}
