"""Stage 5: the construct, which runs the pipeline and turns its artifacts into
CloudFormation resources, placed and checked against CloudFormation's limits. See
README.md."""

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
from .conflicts import ConflictHandler, ConflictResolutionConfig, LambdaConflictHandler

__all__ = [
    "ApiKeyConfig",
    "ApiResources",
    "AuthorizationMode",
    "AuthorizationModes",
    "AuthorizedGraphqlApi",
    "ConfigurationError",
    "ConflictHandler",
    "ConflictResolutionConfig",
    "DefaultLambdaAuthorizer",
    "IamConfig",
    "IdentityPoolConfig",
    "LambdaConfig",
    "LambdaConflictHandler",
    "ModelResources",
    "OidcConfig",
    "UserPoolConfig",
]
