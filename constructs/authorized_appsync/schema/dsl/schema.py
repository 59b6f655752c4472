"""``a.schema({...})``: the schema dict to a :class:`~..raw.RawDocument`.

The document is the one the equivalent SDL would parse to: the models and enums in dict
order, each model's inline enums right after it, locations pointing at the user's lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import Location, did_you_mean, quote_list
from ..raw import RawDocument, RawType, TypeKind
from .errors import DslError, caller_location, check_name, describe
from .fields import FieldBuilder, InlineEnum, Ref
from .models import ModelBuilder

__all__ = ["DslSchema", "SchemaEntry", "schema"]

SchemaEntry = ModelBuilder | FieldBuilder


@dataclass(frozen=True, kw_only=True)
class DslSchema:
    """A schema written with the Python DSL; ``ApiDefinition.from_schema`` takes it."""

    document: RawDocument
    location: Location

    def to_document(self) -> RawDocument:
        return self.document


def schema(entries: Mapping[str, SchemaEntry]) -> DslSchema:
    """``a.schema({"Todo": a.model({...}), "Status": a.enum([...])})``."""
    location = caller_location()
    if not isinstance(entries, Mapping):
        raise DslError(
            "a.schema() takes a dict of type names to a.model({...}) or a.enum([...]); "
            f"got {describe(entries)}."
        )
    types: list[RawType] = []
    for name, entry in entries.items():
        check_name(name, "the type name", "a.schema()")
        types += _entry_types(name, entry)
    _check_references(entries, types)
    return DslSchema(document=RawDocument(types=tuple(types)), location=location)


def _entry_types(name: str, entry: object) -> tuple[RawType, ...]:
    if isinstance(entry, ModelBuilder):
        return entry.raw_types(name)
    if isinstance(entry, FieldBuilder) and isinstance(entry.base, InlineEnum):
        if entry.has_modifiers:
            raise DslError(
                f"a.schema(): '{name}' declares an enum, which takes no modifiers; put "
                f".required(), .array(), .default() or .authorization() on the fields "
                f"that use it: a.ref('{name}').required()."
            )
        enum_type = RawType(
            kind=TypeKind.ENUM, name=name, enum_values=entry.base.values, location=entry.location
        )
        return (enum_type,)
    raise DslError(
        f"a.schema(): '{name}' must be a.model({{...}}) or a.enum([...]); got {describe(entry)}."
    )


def _check_references(entries: Mapping[str, SchemaEntry], types: list[RawType]) -> None:
    """Every ``a.ref`` names a declared type; inline enums collide with no other type."""
    seen: dict[str, RawType] = {}
    for raw in types:
        if raw.name in seen:
            raise DslError(
                f"a.schema(): the inline enum type '{raw.name}' would collide with another "
                f"type of that name; declare the enum once and use a.ref('{raw.name}')."
            )
        seen[raw.name] = raw
    declared = list(entries)
    for model_name, entry in entries.items():
        if not isinstance(entry, ModelBuilder):
            continue
        for field_name, builder in entry.fields:
            if isinstance(builder.base, Ref) and builder.base.name not in entries:
                target = builder.base.name
                raise DslError(
                    f"Model '{model_name}', field '{field_name}': a.ref('{target}') names no "
                    f"type of the schema; declared: {quote_list(declared)}."
                    + did_you_mean(target, declared)
                )
