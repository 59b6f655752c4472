"""A relation's ``fields`` name fields of this model; its ``references`` name fields of the
related model (``@hasOne``/``@hasMany``) or of this model (``@belongsTo``); each named field
can hold a key value (a key scalar, not a list); a relation does not have both."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean, quote_list
from ..raw import RawArgument
from ..vocabulary import RELATION_DIRECTIVES
from ._keys_util import key_type_problem
from ._rules_util import located_strings
from ._types_util import field_types, model_directives
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for model, field, directive in model_directives(context, *RELATION_DIRECTIVES):
        place = f"@{directive.name} on field '{model.name}.{field.name}'"
        fields = directive.argument("fields")
        references = directive.argument("references")
        if fields is not None and references is not None:
            yield Diagnostic(
                message=f"{place} has both 'fields' and 'references'; use one of them "
                "('references' is the newer form).",
                location=references.location,
                related=(fields.location,),
            )
        if fields is not None:
            yield from _names(context, fields, model.name, f"'fields' of {place}")
        target = field.type.name
        if references is not None and target in context.model_names:
            holder = model.name if directive.name == "belongsTo" else target
            yield from _names(context, references, holder, f"'references' of {place}")


def _names(
    context: ValidationContext, argument: RawArgument, holder: str, what: str
) -> Iterator[Diagnostic]:
    types = field_types(context, holder)
    known = list(types)
    for name, location in located_strings(argument):
        if name not in types:
            yield Diagnostic(
                message=f"{what} names '{name}', which is not a field of '{holder}'; its "
                f"fields are {quote_list(known)}.{did_you_mean(name, known)}",
                location=location,
            )
        elif problem := key_type_problem(context, types[name], non_null=False):
            yield Diagnostic(
                message=f"{what} names '{holder}.{name}', which cannot hold a key value: it "
                f"{problem}.",
                location=location,
            )
