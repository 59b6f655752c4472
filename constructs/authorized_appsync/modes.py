"""AppSync's authorization modes, by their wire values: one enum for the construct (which
configures them) and the local runtime (which verifies requests in them). No CDK here."""

from __future__ import annotations

from enum import StrEnum

from .schema.model import Provider

__all__ = ["SECURITY_METADATA", "AuthorizationMode"]

# The metadata key of the API's AWS::AppSync::GraphQLApi resource under which the construct
# records the security settings its resolvers enforce (admin roles, the IAM authorization
# mode, the identity pool and its roles), as JSON; the local runtime reads them there.
SECURITY_METADATA = "authorized-appsync:security"


class AuthorizationMode(StrEnum):
    API_KEY = "API_KEY"
    AWS_IAM = "AWS_IAM"
    AMAZON_COGNITO_USER_POOLS = "AMAZON_COGNITO_USER_POOLS"
    OPENID_CONNECT = "OPENID_CONNECT"
    AWS_LAMBDA = "AWS_LAMBDA"

    @property
    def provider(self) -> Provider:
        """The ``@auth`` provider whose rules this mode serves."""
        return _PROVIDERS[self]

    @property
    def auth_type(self) -> str:
        """The string ``util.authType()`` returns for a request authorized by this mode."""
        return _AUTH_TYPES[self]


_PROVIDERS = {
    AuthorizationMode.API_KEY: Provider.API_KEY,
    AuthorizationMode.AWS_IAM: Provider.IAM,
    AuthorizationMode.AMAZON_COGNITO_USER_POOLS: Provider.USER_POOLS,
    AuthorizationMode.OPENID_CONNECT: Provider.OIDC,
    AuthorizationMode.AWS_LAMBDA: Provider.FUNCTION,
}
_AUTH_TYPES = {
    AuthorizationMode.API_KEY: "API Key Authorization",
    AuthorizationMode.AWS_IAM: "IAM Authorization",
    AuthorizationMode.AMAZON_COGNITO_USER_POOLS: "User Pool Authorization",
    AuthorizationMode.OPENID_CONNECT: "Open ID Connect Authorization",
    # [unverified] the typings' doc comment lists only the four strings above (APPSYNC.md §1).
    AuthorizationMode.AWS_LAMBDA: "Lambda Authorization",
}
