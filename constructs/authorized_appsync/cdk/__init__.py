"""Stage 5: the CDK constructs. A thin layer turning codegen artifacts into resources."""

from .api import ApiResources, AuthorizedGraphqlApi, ModelResources
from .authorizer import DefaultLambdaAuthorizer
from .checks import ConfigurationError
from .config import (
    ApiKeyConfig,
    AuthorizationMode,
    AuthorizationModes,
    IamConfig,
    IdentityPoolConfig,
    LambdaConfig,
    OidcConfig,
    UserPoolConfig,
)

__all__ = [
    "ApiKeyConfig",
    "ApiResources",
    "AuthorizationMode",
    "AuthorizationModes",
    "AuthorizedGraphqlApi",
    "ConfigurationError",
    "DefaultLambdaAuthorizer",
    "IamConfig",
    "IdentityPoolConfig",
    "LambdaConfig",
    "ModelResources",
    "OidcConfig",
    "UserPoolConfig",
]
