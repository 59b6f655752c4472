"""Each key field a relation names holds values of the key field it matches, as Amplify's
transformer v2 requires: the same base type for ``fields``; for ``references`` the same
base type too, except that ``ID`` and ``String`` match each other (both are stored as
DynamoDB strings). Pairs, in order: ``@hasOne``/``@belongsTo(fields:)`` and
``@belongsTo(references:)`` with the related model's primary key; ``@hasOne``/
``@hasMany(references:)`` with this model's primary key; ``@hasMany(fields:)`` with the key
it queries (``relation_key_arity.queried_key``). A count that does not match is
``relation_key_arity``'s to report; a name that is no field, ``relation_fields``'."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..raw import RawArgument, RawDirective, RawType
from ..vocabulary import RELATION_DIRECTIVES
from ._rules_util import located_strings
from ._types_util import field_types, model_directives, primary_key
from .context import ValidationContext
from .relation_key_arity import queried_key

__all__ = ["check"]

_STRINGS = frozenset({"ID", "String"})


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for model, field, directive in model_directives(context, *RELATION_DIRECTIVES):
        target = field.type.name
        if target not in context.model_names or directive.name == "manyToMany":
            continue
        place = f"@{directive.name} on field '{model.name}.{field.name}'"
        for argument in directive.arguments:
            paired = _pairing(context, model, directive, argument, target)
            if paired is not None:
                yield from _mismatches(context, argument, place, *paired)


def _pairing(
    context: ValidationContext,
    model: RawType,
    directive: RawDirective,
    argument: RawArgument,
    target: str,
) -> tuple[str, str, tuple[str, ...]] | None:
    """The model holding the named fields, the model whose key they match, and that key."""
    if argument.name == "fields" and directive.name == "hasMany":
        queried = queried_key(context, directive, target)
        return None if queried is None else (model.name, target, queried[1])
    if argument.name == "fields" or (
        argument.name == "references" and directive.name == "belongsTo"
    ):
        partition, sort = primary_key(context, target)
        return model.name, target, (partition, *sort)
    if argument.name == "references":
        partition, sort = primary_key(context, model.name)
        return target, model.name, (partition, *sort)
    return None


def _mismatches(
    context: ValidationContext,
    argument: RawArgument,
    place: str,
    holder: str,
    keyed: str,
    key: tuple[str, ...],
) -> Iterator[Diagnostic]:
    held, keys = field_types(context, holder), field_types(context, keyed)
    references = argument.name == "references"
    for (name, location), key_field in zip(located_strings(argument), key, strict=False):
        given, wanted = held.get(name), keys.get(key_field)
        if given is None or wanted is None or given.is_list or given.name == wanted.name:
            continue
        if references and {given.name, wanted.name} <= _STRINGS:
            continue
        allowed = (
            "'ID' or 'String' (they match each other)"
            if references and wanted.name in _STRINGS
            else f"'{wanted.name}'"
        )
        yield Diagnostic(
            message=f"'{argument.name}' of {place} names '{holder}.{name}' of type "
            f"'{given.name}', which holds the value of key field '{keyed}.{key_field}' of "
            f"type '{wanted.name}'; name a field of type {allowed}.",
            location=location,
        )
