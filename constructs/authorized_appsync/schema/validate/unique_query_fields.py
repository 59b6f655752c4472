"""An ``@index(queryField:)`` is a valid field name that no other ``queryField``, declared
``Query`` field or generated ``get<Model>`` / ``list<plural of Model>`` query already uses."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, Location
from ._types_util import NAME, fields_of, model_directives
from .context import ValidationContext
from .generated_names import generated_operations

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    taken: dict[str, tuple[str, tuple[Location, ...]]] = {
        name: (f"the generated query '{name}'", (m.location,))
        for m in context.models
        for root, name in generated_operations(m)
        if root == "Query"
    }
    for name, f in fields_of(context, "Query").items():
        taken[name] = (f"the field 'Query.{name}'", (f.location,))
    for model, field, directive in model_directives(context, "index"):
        argument = directive.argument("queryField")
        if argument is None or not isinstance(argument.value, str):
            continue
        name, location = argument.value, argument.location_of()
        place = f"queryField '{name}' of @index on field '{model.name}.{field.name}'"
        if not NAME.match(name):
            yield Diagnostic(
                message=f"The {place} is not a valid field name; use letters, digits and '_', "
                "not starting with a digit.",
                location=location,
            )
            continue
        if name in taken:
            owner, related = taken[name]
            yield Diagnostic(
                message=f"The {place} clashes with {owner}; query field names must be unique "
                "in the schema.",
                location=location,
                related=related,
            )
            continue
        owner = f"the queryField of @index on field '{model.name}.{field.name}'"
        taken[name] = (owner, (location,))
