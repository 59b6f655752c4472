"""The template's Lambda authorizer, loaded to run in this process, as the ``AWS_LAMBDA``
configuration ``identity/`` verifies with (``identity/lambda_auth.py`` calls it as AppSync
does)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..assembly.providers import provider_config
from ..identity.config import LambdaAuth
from .run import load_lambda

__all__ = ["lambda_authorizer"]


def lambda_authorizer(
    template: Mapping[str, Any], api_props: Mapping[str, Any], assembly: Path | None
) -> tuple[LambdaAuth, str | None]:
    """The API's Lambda authorizer (``api_props``: the API resource's properties) as the
    ``AWS_LAMBDA`` configuration, its function loaded from ``template`` (and the cloud assembly
    folder ``assembly``). A function that cannot run here gives an authorizer that refuses
    every request, and a note saying why."""
    config = provider_config(api_props, "LambdaAuthorizerConfig")
    uri = config.get("AuthorizerUri")
    target = uri.get("Fn::GetAtt", [None])[0] if isinstance(uri, Mapping) else None
    handler = (
        load_lambda(template, target, assembly)
        if isinstance(target, str)
        else f"the authorizer {uri!r} is not a function of the template"
    )
    note = None
    if isinstance(handler, str):
        note = f"Lambda authorizer: {handler}; AWS_LAMBDA requests are refused (401)."
        reason = handler

        def refuse(event: dict[str, object]) -> object:
            raise RuntimeError(reason)

        handler = refuse
    auth = LambdaAuth(
        function=handler,
        result_ttl_seconds=int(config.get("AuthorizerResultTtlInSeconds", 0)),
        identity_validation_expression=config.get("IdentityValidationExpression"),
    )
    return auth, note
