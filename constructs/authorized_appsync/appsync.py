"""AWS AppSync's own names and values, shared by the compiler (which writes them into what
it synthesizes) and the local runtime (which reads them back): the authorization modes by
their wire values, the ``@aws_*`` directives, the predefined scalars, the root types, and
the metadata key the construct records its security settings under (and the "did you
mean" of every message). Imports nothing from this package, so the local runtime depends
on no compiler stage."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from enum import StrEnum
from typing import Final

__all__ = [
    "AWS_SCALARS",
    "DIRECTIVE_ORDER",
    "ROOT_TYPES",
    "SECURITY_METADATA",
    "AuthorizationMode",
    "appsync_preamble",
    "did_you_mean",
]

# The metadata key of the API's AWS::AppSync::GraphQLApi resource under which the construct
# records the security settings its resolvers enforce (admin roles, the IAM authorization
# mode, the identity pool and its roles), as JSON; the local runtime reads them there.
SECURITY_METADATA: Final = "authorized-appsync:security"

AWS_SCALARS: Final = (
    "AWSDateTime",
    "AWSDate",
    "AWSTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSJSON",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
)
ROOT_TYPES: Final = ("Query", "Mutation", "Subscription")


class AuthorizationMode(StrEnum):
    API_KEY = "API_KEY"
    AWS_IAM = "AWS_IAM"
    AMAZON_COGNITO_USER_POOLS = "AMAZON_COGNITO_USER_POOLS"
    OPENID_CONNECT = "OPENID_CONNECT"
    AWS_LAMBDA = "AWS_LAMBDA"

    @property
    def auth_type(self) -> str:
        """The string ``util.authType()`` returns for a request authorized by this mode."""
        return _AUTH_TYPES[self]

    @property
    def directive(self) -> str:
        """The schema directive admitting this mode on a type or field."""
        return _DIRECTIVES[self]

    @property
    def rule_provider(self) -> str:
        """The ``provider`` an ``@auth`` rule names for this mode (``apiKey``, ...)."""
        return _RULE_PROVIDERS[self]


_AUTH_TYPES = {
    AuthorizationMode.API_KEY: "API Key Authorization",
    AuthorizationMode.AWS_IAM: "IAM Authorization",
    AuthorizationMode.AMAZON_COGNITO_USER_POOLS: "User Pool Authorization",
    AuthorizationMode.OPENID_CONNECT: "Open ID Connect Authorization",
    # [unverified] the typings' doc comment lists only the four strings above.
    AuthorizationMode.AWS_LAMBDA: "Lambda Authorization",
}
# In Amplify's order (its AUTH_PROVIDER_DIRECTIVE_MAP), the order directives are printed in.
_DIRECTIVES = {
    AuthorizationMode.API_KEY: "@aws_api_key",
    AuthorizationMode.AWS_IAM: "@aws_iam",
    AuthorizationMode.OPENID_CONNECT: "@aws_oidc",
    AuthorizationMode.AMAZON_COGNITO_USER_POOLS: "@aws_cognito_user_pools",
    AuthorizationMode.AWS_LAMBDA: "@aws_lambda",
}
_RULE_PROVIDERS = {
    AuthorizationMode.API_KEY: "apiKey",
    AuthorizationMode.AWS_IAM: "iam",
    AuthorizationMode.AMAZON_COGNITO_USER_POOLS: "userPools",
    AuthorizationMode.OPENID_CONNECT: "oidc",
    AuthorizationMode.AWS_LAMBDA: "function",
}


# The modes in the order their directives are printed.
DIRECTIVE_ORDER: Final = tuple(_DIRECTIVES)


def did_you_mean(value: str, choices: Sequence[str]) -> str:
    """`` Did you mean 'x'?`` for a near miss among ``choices``, else an empty string."""
    lowered = {c.lower(): c for c in choices}
    if value.lower() in lowered and lowered[value.lower()] != value:
        return f" Did you mean '{lowered[value.lower()]}'?"
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def appsync_preamble() -> str:
    """AppSync's predefined scalars and directives, as SDL. Not part of a deployed schema
    (AppSync rejects redefinitions); prepend it to build the schema elsewhere."""
    groups = {AuthorizationMode.AMAZON_COGNITO_USER_POOLS: "(cognito_groups: [String])"}
    auth = "\n".join(
        f"directive {directive}{groups.get(mode, '')} on OBJECT | FIELD_DEFINITION"
        for mode, directive in _DIRECTIVES.items()
    )
    return (
        "\n".join(f"scalar {s}" for s in AWS_SCALARS)
        + "\n"
        + auth
        + "\ndirective @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION"
        + "\ndirective @aws_subscribe(mutations: [String]) on FIELD_DEFINITION"
        + "\ndirective @aws_publish(subscriptions: [String]) on FIELD_DEFINITION\n"
    )
