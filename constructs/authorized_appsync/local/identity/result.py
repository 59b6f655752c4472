"""What authentication answers: :class:`Authorized` or :class:`Rejected`, and AppSync's exact
error types and messages for requests refused before execution (APPSYNC.md §3 and appendix).

A rejection's body is ``{"errors": [{"errorType", "message"}]}`` with no ``data``, and the
response carries ``x-amzn-ErrorType``. ``detail`` says locally why (never sent to clients).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

from .types import AuthMode, Identity, JsonObject

__all__ = [
    "INCOMPLETE_SIGNATURE",
    "INVALID_SIGNATURE",
    "MSG_INVALID_SECURITY_TOKEN",
    "MSG_NOT_AUTHORIZED",
    "MSG_NO_VALID_HEADER",
    "MSG_SIGNATURE_MISMATCH",
    "MSG_TOKEN_EXPIRED",
    "MSG_UNAUTHORIZED",
    "MSG_UNPARSEABLE_JWT",
    "UNAUTHORIZED",
    "UNRECOGNIZED_CLIENT",
    "AuthResult",
    "Authorized",
    "Rejected",
    "incomplete_signature",
    "invalid_signature",
    "unauthorized",
    "unrecognized_client",
]

# --- error types -------------------------------------------------------------------------------
UNAUTHORIZED = "UnauthorizedException"  # HTTP 401 (APPSYNC.md §3)
INVALID_SIGNATURE = "InvalidSignatureException"  # HTTP 403 [unverified status; seen as header]
UNRECOGNIZED_CLIENT = "UnrecognizedClientException"  # HTTP 403 (seen: amplify-js#3447)
INCOMPLETE_SIGNATURE = "IncompleteSignatureException"  # HTTP 403, AWS's SigV4 standard

# --- messages ------------------------------------------------------------------------------------
# Unknown API key: documented. Also used for an expired key (seen in amplify-js#4373 etc., the
# appendix), a Lambda authorizer's denial/failure and a JWT whose signature does not verify
# [unverified for the last two: AppSync's text for them is not documented].
MSG_NOT_AUTHORIZED = "You are not authorized to make this call."
# No credential for any configured mode; also a JWT from no configured issuer (seen: appendix).
MSG_NO_VALID_HEADER = "Valid authorization header not provided."
# An Authorization value that is not a JWT, when no Lambda authorizer takes it (seen: appendix,
# aws-appsync-community#198 for a "Bearer " prefix).
MSG_UNPARSEABLE_JWT = "Unable to parse JWT token."
# [unverified wording] An expired JWT (APPSYNC.md §3); also iatTTL/authTTL exceeded.
MSG_TOKEN_EXPIRED = "Token has expired."
# A JWT whose client id does not match: seen for OIDC (aws-appsync-community#115);
# [unverified] for a user pool's appIdClientRegex and for token_use.
MSG_UNAUTHORIZED = "Unauthorized"
# AWS's standard text for an unknown access key or a wrong session token (seen from AppSync:
# amplify-cli#3380, amplify-js#3447).
MSG_INVALID_SECURITY_TOKEN = "The security token included in the request is invalid."
# AWS's standard SigV4 text; AppSync appends the canonical request and string to sign
# (seen: aws-mobile-appsync-sdk-js#750).
MSG_SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)


@dataclass(frozen=True, kw_only=True)
class Authorized:
    """The request is authenticated in ``mode`` as ``identity``. ``denied_fields`` holds the
    ``Type.field`` names a Lambda authorizer denied for this request (they resolve to null)."""

    mode: AuthMode
    identity: Identity
    denied_fields: frozenset[str] = frozenset()

    @property
    def auth_type(self) -> str:
        """What ``util.authType()`` returns."""
        return self.mode.auth_type

    def to_context(self) -> JsonObject | None:
        """``ctx.identity`` exactly as AppSync fills it."""
        return self.identity.to_context()


@dataclass(frozen=True)
class Rejected:
    """The request is refused before execution: HTTP ``status`` with AppSync's body."""

    status: int
    error_type: str
    message: str
    detail: str = field(default="", compare=False)

    def body(self) -> dict[str, list[dict[str, str]]]:
        return {"errors": [{"errorType": self.error_type, "message": self.message}]}

    def headers(self) -> Mapping[str, str]:
        return {"x-amzn-ErrorType": self.error_type}


AuthResult: TypeAlias = Authorized | Rejected


def unauthorized(message: str, detail: str = "") -> Rejected:
    return Rejected(401, UNAUTHORIZED, message, detail)


def unrecognized_client(detail: str = "") -> Rejected:
    return Rejected(403, UNRECOGNIZED_CLIENT, MSG_INVALID_SECURITY_TOKEN, detail)


def invalid_signature(message: str, detail: str = "") -> Rejected:
    return Rejected(403, INVALID_SIGNATURE, message, detail)


def incomplete_signature(message: str, detail: str = "") -> Rejected:
    return Rejected(403, INCOMPLETE_SIGNATURE, message, detail)
