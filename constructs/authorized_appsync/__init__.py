"""authorized-appsync: Amplify-style @model/@auth schemas to a deployable AppSync API.

``ApiDefinition`` reads a schema (SDL files, an SDL string, or the Python DSL ``a``);
``AuthorizedGraphqlApi`` synthesizes it. The CDK names are imported lazily, so the compiler
and the command line work without loading aws-cdk-lib (and node).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .definition import ApiDefinition
from .errors import AuthorizedAppSyncError
from .schema.dsl import a
from .schema.errors import Diagnostic, Location, SchemaError
from .schema.files import SchemaFileError

# jsii, the runtime under aws-cdk-lib, prints an 11-line banner on stderr when node 20 (which
# this package supports) is past jsii's support window, unless this variable lists 20. It is
# read once, when aws_cdk starts its node process; a value the user set is kept. (An app that
# imports aws_cdk before this package sets it itself: see the README.)
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

if TYPE_CHECKING:
    from .cdk import (
        ApiKeyConfig,
        ApiResources,
        AuthorizationMode,
        AuthorizationModes,
        AuthorizedGraphqlApi,
        ConfigurationError,
        ConflictHandler,
        ConflictResolutionConfig,
        DefaultLambdaAuthorizer,
        IamConfig,
        IdentityPoolConfig,
        LambdaConfig,
        LambdaConflictHandler,
        OidcConfig,
        UserPoolConfig,
    )

_CDK_NAMES = frozenset(
    {
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
        "OidcConfig",
        "UserPoolConfig",
    }
)

__all__ = [
    "ApiDefinition",
    "ApiKeyConfig",
    "ApiResources",
    "AuthorizationMode",
    "AuthorizationModes",
    "AuthorizedAppSyncError",
    "AuthorizedGraphqlApi",
    "ConfigurationError",
    "ConflictHandler",
    "ConflictResolutionConfig",
    "DefaultLambdaAuthorizer",
    "Diagnostic",
    "IamConfig",
    "IdentityPoolConfig",
    "LambdaConfig",
    "LambdaConflictHandler",
    "Location",
    "OidcConfig",
    "SchemaError",
    "SchemaFileError",
    "UserPoolConfig",
    "a",
]


def __getattr__(name: str) -> Any:
    if name in _CDK_NAMES:
        from . import cdk

        return getattr(cdk, name)
    raise AttributeError(f"module 'authorized_appsync' has no attribute '{name}'")
