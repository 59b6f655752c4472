"""A relation field (``@hasOne``, ``@hasMany``, ``@belongsTo``, ``@manyToMany``) on a model
has a ``@model`` type; ``@hasMany``/``@manyToMany`` fields are lists, ``@hasOne``/
``@belongsTo`` fields are not."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean, quote_list
from ..raw import TypeKind
from ..vocabulary import RELATION_DIRECTIVES
from ._types_util import kind_noun, model_directives
from .context import ValidationContext

__all__ = ["check"]

_TO_MANY = ("hasMany", "manyToMany")


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    models = sorted(context.model_names)
    for model, field, directive in model_directives(context, *RELATION_DIRECTIVES):
        place = f"@{directive.name} field '{model.name}.{field.name}'"
        target = field.type.name
        if target not in context.model_names:
            known = context.types.get(target)
            if known is None:
                what = "not defined"
            elif known.kind is TypeKind.OBJECT:
                what = "an object type without @model"
            else:
                what = kind_noun(known.kind)
            yield Diagnostic(
                message=f"The {place} has type '{target}', which is {what}; a relation "
                f"connects @model types ({quote_list(models)}).{did_you_mean(target, models)}",
                location=field.location,
            )
        if directive.name in _TO_MANY and not field.type.is_list:
            yield Diagnostic(
                message=f"The {place} must be a list, e.g. '[{target}]'; received "
                f"'{field.type}'.",
                location=field.location,
            )
        elif directive.name not in _TO_MANY and field.type.is_list:
            yield Diagnostic(
                message=f"The {place} must not be a list; received '{field.type}'. Use "
                "@hasMany for a one-to-many relation.",
                location=field.location,
            )
