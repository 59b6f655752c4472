"""A relation's explicit key fields match the key they point at, one for one:
``@hasOne``/``@belongsTo(fields:)`` and ``@belongsTo(references:)`` give one field per
primary key field of the related model (partition key, then sort keys);
``@hasOne``/``@hasMany(references:)`` one per primary key field of this model.
``@hasMany(fields:)`` gives the partition key of the key it queries (the related model's
``@index`` named by ``indexName``, else its primary key) alone, or one field per field of
that key: Amplify's transformer v2 accepts no partial sort key."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..raw import RawArgument, RawDirective, RawField, RawType
from ..vocabulary import RELATION_DIRECTIVES
from ._keys_util import index_keys
from ._rules_util import strings
from ._types_util import model_directives, primary_key
from .context import ValidationContext

__all__ = ["check", "queried_key"]


def queried_key(
    context: ValidationContext, directive: RawDirective, target: str
) -> tuple[str, tuple[str, ...]] | None:
    """What a ``@hasMany(fields:)`` queries on ``target``: a description (``index 'byX'``
    or ``the primary key``) and its fields; None for an index ``target`` lacks (reported
    by ``relation_index_names``)."""
    index = directive.argument("indexName")
    if index is not None and isinstance(index.value, str):
        key = index_keys(context, target).get(index.value)
        return None if key is None else (f"index '{index.value}'", key)
    partition, sort = primary_key(context, target)
    return "the primary key", (partition, *sort)


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for model, field, directive in model_directives(context, *RELATION_DIRECTIVES):
        target = field.type.name
        if target not in context.model_names:
            continue
        yield from _has_many_index_by_own_key(context, model, field, directive)
        for argument in directive.arguments:
            if argument.name == "fields" and directive.name == "hasMany":
                yield from _has_many_fields(context, model, field, directive, argument)
                continue
            if argument.name == "fields" and directive.name in ("hasOne", "belongsTo"):
                keyed = target
            elif argument.name == "references" and directive.name != "manyToMany":
                keyed = target if directive.name == "belongsTo" else model.name
            else:
                continue
            names = strings(argument.value)
            partition, sort = primary_key(context, keyed)
            key = (partition, *sort)
            if names is None or len(names) == len(key):
                continue
            yield Diagnostic(
                message=f"'{argument.name}' of @{directive.name} on field "
                f"'{model.name}.{field.name}' names {len(names)} field(s), but the primary key "
                f"of '{keyed}' has {len(key)} ({_listed(key)}); give one field per key field, "
                "in that order.",
                location=argument.location_of(),
            )


def _listed(key: tuple[str, ...]) -> str:
    return ", ".join(f"'{k}'" for k in key)


def _has_many_fields(
    context: ValidationContext,
    model: RawType,
    field: RawField,
    directive: RawDirective,
    argument: RawArgument,
) -> Iterator[Diagnostic]:
    names = strings(argument.value)
    queried = queried_key(context, directive, field.type.name)
    if names is None or queried is None or len(names) in (1, len(queried[1])):
        return
    what, key = queried
    yield Diagnostic(
        message=f"'fields' of @hasMany on field '{model.name}.{field.name}' names "
        f"{len(names)} field(s), but {what} of '{field.type.name}' it queries has {len(key)} "
        f"({_listed(key)}); give one field, matched with its partition key '{key[0]}', or "
        f"one per key field, in that order (a partial sort key is not accepted).",
        location=argument.location_of(),
    )


def _has_many_index_by_own_key(
    context: ValidationContext, model: RawType, field: RawField, directive: RawDirective
) -> Iterator[Diagnostic]:
    """``@hasMany(indexName:)`` without ``fields`` matches this model's primary key with
    the index's key: the partition key alone, or every field of it."""
    index = directive.argument("indexName")
    if directive.name != "hasMany" or index is None or directive.argument("fields") is not None:
        return
    queried = queried_key(context, directive, field.type.name)
    partition, sort = primary_key(context, model.name)
    own = (partition, *sort)
    if queried is None or len(own) in (1, len(queried[1])):
        return
    what, key = queried
    yield Diagnostic(
        message=f"@hasMany on field '{model.name}.{field.name}' matches the primary key of "
        f"'{model.name}' ({_listed(own)}) with {what} of '{field.type.name}' ({_listed(key)}), "
        f"which has {len(key)} field(s); name the fields of '{model.name}' it matches with "
        f"'fields': one, for its partition key '{key[0]}', or one per key field, in that order.",
        location=index.location_of(),
    )
