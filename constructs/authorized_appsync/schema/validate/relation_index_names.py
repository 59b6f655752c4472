"""A ``@hasMany(indexName:)`` names an ``@index`` of the related model."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean, quote_list
from ._keys_util import index_keys
from ._types_util import model_directives
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for model, field, directive in model_directives(context, "hasMany"):
        argument = directive.argument("indexName")
        target = field.type.name
        if argument is None or not isinstance(argument.value, str):
            continue
        if target not in context.model_names:
            continue
        indexes = list(index_keys(context, target))
        if argument.value in indexes:
            continue
        have = f"its indexes are {quote_list(indexes)}" if indexes else "it has no @index"
        yield Diagnostic(
            message=f"'indexName' of @hasMany on field '{model.name}.{field.name}' names index "
            f"'{argument.value}', which model '{target}' does not have; {have}."
            f"{did_you_mean(argument.value, indexes)}",
            location=argument.location_of(),
        )
