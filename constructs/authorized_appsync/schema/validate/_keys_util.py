"""Helpers shared by the key rules (``@primaryKey``, ``@index``, relation key fields): which
field types can hold a key (a key scalar or an enum, stored as a DynamoDB string, as
Amplify's transformer allows), and the checks of a ``sortKeyFields`` list."""

from __future__ import annotations

from collections.abc import Iterator

from .. import names
from ..errors import Diagnostic, did_you_mean, quote_list
from ..raw import RawArgument, TypeRef
from ..rules_build import as_strings
from ..vocabulary import KEY_SCALARS
from ._rules_util import located_strings
from ._types_util import field_types, fields_of
from .context import ValidationContext

__all__ = ["index_keys", "key_type_problem", "sort_key_problems"]


def index_keys(context: ValidationContext, model: str) -> dict[str, tuple[str, ...]]:
    """The ``@index`` es of ``model`` by name (as the builder names them): each its
    partition key field, then its sort key fields."""
    found: dict[str, tuple[str, ...]] = {}
    for f in fields_of(context, model).values():
        for d in f.directives_named("index"):
            sort = as_strings(keys.value) if (keys := d.argument("sortKeyFields")) else ()
            given = name.value if (name := d.argument("name")) is not None else None
            found.setdefault(names.index_name(model, f.name, sort, given), (f.name, *sort))
    return found


def key_type_problem(
    context: ValidationContext, type_ref: TypeRef, *, non_null: bool
) -> str | None:
    """Why a field of this type cannot be a key field, or None if it can."""
    if type_ref.is_list:
        return f"is a list ('{type_ref}'); key fields must be single values"
    if type_ref.name not in KEY_SCALARS and type_ref.name not in context.enum_names:
        return (
            f"has type '{type_ref}'; key fields must be an enum or one of "
            f"{quote_list(KEY_SCALARS)}"
        )
    if non_null and not type_ref.non_null:
        return f"is nullable ('{type_ref}'); key fields must be non-null ('{type_ref}!')"
    return None


def sort_key_problems(
    context: ValidationContext,
    model: str,
    key_field: str,
    argument: RawArgument,
    *,
    owner: str,
    non_null: bool,
) -> Iterator[Diagnostic]:
    """Problems with the ``sortKeyFields`` of a key on ``model.key_field``: each names
    another field of the model, once, whose type can be a key."""
    types = field_types(context, model)
    seen = {key_field}
    for name, location in located_strings(argument):
        what = f"Sort key field '{name}' of the {owner}"
        type_ref = types.get(name)
        if name in seen:
            message = f"{what} is already part of the key; name each key field once."
        elif type_ref is None:
            others = [n for n in types if n not in seen]
            message = f"{what} is not a field of '{model}'.{did_you_mean(name, others)}"
        elif problem := key_type_problem(context, type_ref, non_null=non_null):
            message = f"{what} {problem}."
        else:
            message = ""
        seen.add(name)
        if message:
            yield Diagnostic(message=message, location=location)
