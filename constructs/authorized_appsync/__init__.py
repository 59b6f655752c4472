"""authorized-appsync: Amplify-style @model/@auth schemas to a deployable AppSync API.

``ApiDefinition`` reads a schema (SDL files, an SDL string, or the Python DSL ``a``);
``authorized_appsync.authz`` plans its authorization and access-control matrix.
"""

from .definition import ApiDefinition
from .schema.dsl import a
from .schema.errors import Diagnostic, Location, SchemaError

__all__ = ["ApiDefinition", "Diagnostic", "Location", "SchemaError", "a"]
