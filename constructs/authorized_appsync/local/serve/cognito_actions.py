"""What the Cognito stand-in of ``serve`` takes, as data: the user-pool actions a client may
call without credentials, the administrator actions it takes signed with the run's Cognito
admin credentials, the sign-in flows, and the errors it answers in Cognito's JSON shape.

Everything else is refused: the other Cognito actions (the pool stands for the template's and
is not reconfigured at run time), every other AWS service (the API's tables stay private to
the ``serve`` process), and the actions moto cannot check (``ForgotPassword`` and
``ConfirmForgotPassword``: moto accepts any confirmation code, so anyone could set anyone's
password). ``USER_SRP_AUTH`` is served, its proof checked by the endpoint
(``cognito_srp.py``), as moto accepts any.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = [
    "ADMIN_ACTIONS",
    "ADMIN_FLOWS",
    "PUBLIC_ACTIONS",
    "PUBLIC_FLOWS",
    "TARGET_PREFIX",
    "CognitoRefusal",
    "flow_not_enabled",
    "not_served",
    "unknown_attributes",
    "unsupported_flow",
]

TARGET_PREFIX = "AWSCognitoIdentityProviderService."

# The user-pool API an app calls without AWS credentials: sign-up, sign-in (and its
# challenges), refresh, and what an access token allows (GetUser, ChangePassword, sign-out).
PUBLIC_ACTIONS = frozenset(
    {
        "SignUp",
        "ConfirmSignUp",  # locally any code confirms: no message is sent
        "InitiateAuth",
        "RespondToAuthChallenge",
        "GetUser",
        "ChangePassword",
        "GlobalSignOut",
    }
)
PUBLIC_FLOWS = ("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN")

# Administrator actions (IAM-authorized in AWS): taken only signed with the run's Cognito admin
# credentials (SigV4, service cognito-idp), as the `token` command signs them.
ADMIN_ACTIONS = frozenset(
    {
        "AdminAddUserToGroup",
        "AdminConfirmSignUp",
        "AdminCreateUser",
        "AdminDeleteUser",
        "AdminDeleteUserAttributes",
        "AdminDisableUser",
        "AdminEnableUser",
        "AdminGetUser",
        "AdminInitiateAuth",
        "AdminListGroupsForUser",
        "AdminRemoveUserFromGroup",
        "AdminResetUserPassword",
        "AdminRespondToAuthChallenge",
        "AdminSetUserPassword",
        "AdminUpdateUserAttributes",
        "AdminUserGlobalSignOut",
        "CreateGroup",
        "DescribeUserPool",
        "DescribeUserPoolClient",
        "GetGroup",
        "ListGroups",
        "ListUserPoolClients",
        "ListUserPools",
        "ListUsers",
        "ListUsersInGroup",
    }
)
ADMIN_FLOWS = (
    "ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH",
    *(flow for flow in PUBLIC_FLOWS if flow != "USER_SRP_AUTH"),
)

# The attributes a user may give at sign-up: Amazon Cognito's standard attributes (the
# "verified" flags and ``sub`` are the pool's to set) and ``custom:`` ones. A name such as
# ``cognito:groups`` never becomes a claim.
SIGN_UP_ATTRIBUTES = frozenset(
    {
        "address",
        "birthdate",
        "email",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "picture",
        "preferred_username",
        "profile",
        "updated_at",
        "website",
        "zoneinfo",
    }
)

_WHY_NOT = {
    "ForgotPassword": "moto accepts any confirmation code, so anyone could reset any password",
    "ConfirmForgotPassword": "moto accepts any confirmation code, so anyone could set any "
    "password",
    "ResendConfirmationCode": "no message is ever sent (ConfirmSignUp takes any code)",
}


@dataclass(frozen=True)
class CognitoRefusal:
    """An answer in Cognito's JSON error shape: HTTP ``status``, ``__type`` and message."""

    status: int
    error_type: str
    message: str

    def body(self) -> bytes:
        return json.dumps({"__type": self.error_type, "message": self.message}).encode()


def _listing(actions: frozenset[str]) -> str:
    return ", ".join(sorted(actions))


def not_served(target: str, request: str = "") -> CognitoRefusal:
    """The refusal of an ``X-Amz-Target`` this endpoint does not serve, or of a ``request``
    (method and path) that is no ``POST /``."""
    action = target.removeprefix(TARGET_PREFIX)
    if request or not target.startswith(TARGET_PREFIX):
        what = f"X-Amz-Target {target!r}" if target else f"{request or 'a request'}"
        return CognitoRefusal(
            400,
            "UnknownOperationException",
            f"The Cognito endpoint of `authorized-appsync serve` serves only the Amazon Cognito "
            f"user pools API (POST / with X-Amz-Target {TARGET_PREFIX}<Action>), not {what}; "
            f"the API's tables and every other service stay private to the serve process.",
        )
    reason = _WHY_NOT.get(action, "the user pool stands for the template's and is not changed")
    return CognitoRefusal(
        400,
        "UnknownOperationException",
        f"{action} is not served by the Cognito stand-in of `authorized-appsync serve` "
        f"({reason}). It takes {_listing(PUBLIC_ACTIONS)} from any client, and "
        f"{_listing(ADMIN_ACTIONS)} signed with the Cognito admin credentials it printed.",
    )


def unknown_attributes(attributes: object) -> CognitoRefusal | None:
    """The refusal of sign-up ``UserAttributes`` naming an attribute a user may not set."""
    if not isinstance(attributes, list):
        return None
    names = [a.get("Name") for a in attributes if isinstance(a, dict)]
    wrong = [
        str(name)
        for name in names
        if name not in SIGN_UP_ATTRIBUTES and not str(name).startswith("custom:")
    ]
    if not wrong:
        return None
    return CognitoRefusal(
        400,
        "InvalidParameterException",
        f"Attributes did not conform to the schema: {', '.join(map(repr, wrong))} "
        f"{'is' if len(wrong) == 1 else 'are'} not an attribute a user may set at sign-up; "
        f"give Amazon Cognito's standard attributes ({', '.join(sorted(SIGN_UP_ATTRIBUTES))}) "
        f"or custom:<name> ones.",
    )


def unsupported_flow(action: str, flow: object, allowed: tuple[str, ...]) -> CognitoRefusal:
    return CognitoRefusal(
        400,
        "InvalidParameterException",
        f"{action} with AuthFlow {flow!r} is not served by the Cognito stand-in of "
        f"`authorized-appsync serve`; it takes {', '.join(allowed)}.",
    )


def flow_not_enabled(flow: str, client: str, allowed: tuple[str, ...]) -> CognitoRefusal:
    """Cognito's refusal of a flow the app client does not allow."""
    return CognitoRefusal(
        400,
        "InvalidParameterException",
        f"{flow} flow not enabled for this client: app client {client!r} of the template allows "
        f"{', '.join(allowed) or 'no flow'} (ExplicitAuthFlows); add ALLOW_{flow} "
        f"(CDK: auth_flows=AuthFlow(...)) to sign in with it.",
    )
