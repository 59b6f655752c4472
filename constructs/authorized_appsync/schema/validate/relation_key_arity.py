"""A relation's explicit key fields match the key they point at, one for one:
``@hasOne``/``@belongsTo(fields:)`` and ``@belongsTo(references:)`` give one field per
primary key field of the related model (partition key, then sort keys);
``@hasOne``/``@hasMany(references:)`` one per primary key field of this model."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..vocabulary import RELATION_DIRECTIVES
from ._rules_util import strings
from ._types_util import model_directives, primary_key
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for model, field, directive in model_directives(context, *RELATION_DIRECTIVES):
        target = field.type.name
        if target not in context.model_names:
            continue
        for argument in directive.arguments:
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
            listed = ", ".join(f"'{k}'" for k in key)
            yield Diagnostic(
                message=f"'{argument.name}' of @{directive.name} on field "
                f"'{model.name}.{field.name}' names {len(names)} field(s), but the primary key "
                f"of '{keyed}' has {len(key)} ({listed}); give one field per key field, in "
                "that order.",
                location=argument.location_of(),
            )
