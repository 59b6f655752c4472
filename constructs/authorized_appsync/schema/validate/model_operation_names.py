"""``@model(queries:, mutations:, subscriptions:)`` may be left out (Amplify's names are
generated) or set to ``null`` (those operations are not generated). Renaming operations
(``queries: { get: "fetchTodo" }``) and subscription levels are not supported yet: they are
reported rather than silently ignored, because a client would otherwise call names the
API does not have."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from .context import ValidationContext

__all__ = ["check"]

_ARGUMENTS = ("queries", "mutations", "subscriptions")


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for model in context.models:
        for directive in model.directives_named("model"):
            for name in _ARGUMENTS:
                argument = directive.argument(name)
                if argument is None or not isinstance(argument.value, dict):
                    continue
                if not argument.value:
                    continue  # an empty object changes nothing
                keys = ", ".join(f"'{k}'" for k in argument.value)
                yield Diagnostic(
                    message=f"'{name}' of @model on type '{model.name}' sets {keys}; custom "
                    f"operation names and levels are not supported yet. Leave '{name}' out to "
                    f"generate Amplify's names, or set it to null to generate no {name}.",
                    location=argument.location_of(),
                )
