"""``@manyToMany(relationName:)`` joins exactly two fields, one on each model, each a list of
the other's type. The relation name becomes the join model's type name, so it is a valid
GraphQL name not already used by a type."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, Location
from ..raw import RawField, RawType
from ._types_util import NAME, model_directives
from .context import ValidationContext

__all__ = ["check"]

_Side = tuple[RawType, RawField, Location]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    sides: dict[str, list[_Side]] = {}
    for model, field, directive in model_directives(context, "manyToMany"):
        argument = directive.argument("relationName")
        if argument is None or not isinstance(argument.value, str):
            continue
        name, location = argument.value, argument.location_of()
        existing = context.types.get(name)
        if not NAME.match(name):
            yield Diagnostic(
                message=f"The relationName '{name}' of @manyToMany on field '{model.name}."
                f"{field.name}' must be a valid type name (letters, digits and '_', not "
                "starting with a digit): it names the join model.",
                location=location,
            )
        elif existing is not None:
            yield Diagnostic(
                message=f"The relationName '{name}' of @manyToMany on field '{model.name}."
                f"{field.name}' names the join model, but '{existing.kind.value} {name}' "
                "already exists; choose another relationName.",
                location=location,
                related=(existing.location,),
            )
        sides.setdefault(name, []).append((model, field, location))
    for name, found in sides.items():
        yield from _pairing(context, name, found)


def _pairing(context: ValidationContext, name: str, found: list[_Side]) -> Iterator[Diagnostic]:
    (model, field, location), rest = found[0], found[1:]
    if not rest:
        yield Diagnostic(
            message=f"The relationName '{name}' of @manyToMany on field "
            f"'{model.name}.{field.name}' is used only once; add a field '[{model.name}] "
            f"@manyToMany(relationName: \"{name}\")' on model '{field.type.name}'.",
            location=location,
        )
        return
    other_model, other, other_location = rest[0]
    for extra_model, extra, extra_location in rest[1:]:
        yield Diagnostic(
            message=f"The relationName '{name}' is already used by '{model.name}.{field.name}' and "
            f"'{other_model.name}.{other.name}'; '{extra_model.name}.{extra.name}' needs its "
            "own relationName (each joins exactly two fields).",
            location=extra_location,
            related=(location, other_location),
        )
    targets = (field.type.name, other.type.name)
    if not all(t in context.model_names for t in targets):
        return  # relation_targets reports a non-model type
    if targets != (other_model.name, model.name):
        yield Diagnostic(
            message=f"The @manyToMany fields '{model.name}.{field.name}' and "
            f"'{other_model.name}.{other.name}' share relationName '{name}' but do not point at "
            f"each other's model; '{model.name}.{field.name}' should be "
            f"'[{other_model.name}]' and '{other_model.name}.{other.name}' '[{model.name}]'.",
            location=other_location,
            related=(location,),
        )
