"""The authorization providers of an ``AWS::AppSync::GraphQLApi``: its default one and its
``AdditionalAuthenticationProviders``, each holding at most one configuration per kind."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["provider_config"]


def _providers(api_props: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [api_props, *api_props.get("AdditionalAuthenticationProviders", [])]


def provider_config(api_props: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """The first ``key`` configuration (``UserPoolConfig``, ``LambdaAuthorizerConfig``, ...)
    among the API's providers, or an empty mapping."""
    return next((p[key] for p in _providers(api_props) if isinstance(p.get(key), Mapping)), {})
