"""Each ``@index`` of a model has a name unique in the model and usable as a DynamoDB index
name, sits on a key scalar or enum field (nullable is fine: records without it are not
indexed), and its ``sortKeyFields`` name other key scalar or enum fields of the model, each
once.

A missing ``name`` is reported by :mod:`.directive_argument_types`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import names
from ..errors import Diagnostic, Location
from ..rules_build import as_strings
from ._keys_util import key_type_problem, sort_key_problems
from ._types_util import model_directives
from .context import ValidationContext

__all__ = ["check"]

_INDEX_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    seen: dict[tuple[str, str], Location] = {}
    for model, field, directive in model_directives(context, "index"):
        place = f"@index on field '{model.name}.{field.name}'"
        argument = directive.argument("name")
        sort_keys = directive.argument("sortKeyFields")
        keys = as_strings(sort_keys.value) if sort_keys is not None else ()
        given = argument.value if argument is not None else None
        if argument is None or isinstance(argument.value, str):
            name = names.index_name(model.name, field.name, keys, given)
            location = argument.location_of() if argument is not None else directive.location
            if not _INDEX_NAME.match(name):
                yield Diagnostic(
                    message=f"The name '{name}' of the {place} is not a valid DynamoDB index "
                    "name; use 3 to 255 letters, digits, '_', '-' or '.'.",
                    location=location,
                )
            first = seen.setdefault((model.name, name), location)
            if first is not location:
                yield Diagnostic(
                    message=f"Model '{model.name}' already has an index named '{name}'; index "
                    "names must be unique within a model.",
                    location=location,
                    related=(first,),
                )
        problem = key_type_problem(context, field.type, non_null=False)
        if problem:
            yield Diagnostic(
                message=f"The {place} cannot index the field: it {problem}.",
                location=directive.location,
            )
        sort_keys = directive.argument("sortKeyFields")
        if sort_keys is not None:
            yield from sort_key_problems(
                context, model.name, field.name, sort_keys, owner=place, non_null=False
            )
