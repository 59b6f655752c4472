"""A model has at most one ``@primaryKey``, on a non-null key scalar or enum field; its
``sortKeyFields`` name other non-null key scalar or enum fields of the model, each once."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ._keys_util import key_type_problem, sort_key_problems
from ._types_util import fields_of
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for model in context.models:
        keys = [
            (f, d)
            for f in fields_of(context, model.name).values()
            for d in f.directives_named("primaryKey")
        ]
        if not keys:
            continue
        (field, directive), rest = keys[0], keys[1:]
        for other, extra in rest:
            yield Diagnostic(
                message=f"Model '{model.name}' has a second @primaryKey, on field '{other.name}' "
                f"(the first is on '{field.name}'); a model has one primary key: add fields to "
                "it with sortKeyFields.",
                location=extra.location,
                related=(directive.location,),
            )
        problem = key_type_problem(context, field.type, non_null=True)
        if problem:
            yield Diagnostic(
                message=f"The @primaryKey field '{model.name}.{field.name}' {problem}.",
                location=field.location,
            )
        argument = directive.argument("sortKeyFields")
        if argument is not None:
            owner = f"@primaryKey on '{model.name}.{field.name}'"
            yield from sort_key_problems(
                context, model.name, field.name, argument, owner=owner, non_null=True
            )
