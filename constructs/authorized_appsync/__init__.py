"""authorized-appsync: Amplify-style @model/@auth schemas to a deployable AppSync API."""

from .definition import ApiDefinition

__all__ = ["ApiDefinition"]
