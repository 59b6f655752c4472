"""Every field's type is a scalar, or a type defined in the schema of a kind that fits:
object, interface and union types for output fields, inputs for input fields, enums and
scalars for both. Relation fields of models are checked by :mod:`.relation_targets`; the
``input AMPLIFY`` declaration by :mod:`.global_auth_rule`."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean
from ..raw import RawField, RawType, TypeKind
from ..vocabulary import GLOBAL_RULE_INPUT, RELATION_DIRECTIVES, SCALARS
from ._types_util import kind_noun
from .context import ValidationContext

__all__ = ["check"]

_OUTPUT_OWNERS = (TypeKind.OBJECT, TypeKind.INTERFACE)
_INPUT_KINDS = (TypeKind.INPUT, TypeKind.ENUM, TypeKind.SCALAR)


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    candidates = [*SCALARS, *context.types]
    for t in context.document.types:
        if t.kind is TypeKind.INPUT and t.name == GLOBAL_RULE_INPUT:
            continue
        if t.kind not in (*_OUTPUT_OWNERS, TypeKind.INPUT):
            continue
        is_model = t.name in context.model_names
        for f in t.fields:
            if is_model and any(d.name in RELATION_DIRECTIVES for d in f.directives):
                continue
            message = _problem(context, t, f, candidates)
            if message:
                yield Diagnostic(message=message, location=f.location)


def _problem(
    context: ValidationContext, owner: RawType, field: RawField, candidates: list[str]
) -> str | None:
    name = field.type.name
    if name in SCALARS:
        return None
    place = f"Field '{owner.name}.{field.name}'"
    target = context.types.get(name)
    if target is None:
        return (
            f"{place} has unknown type '{name}'; use a scalar such as 'String' or "
            "'AWSDateTime', an enum, or a type defined in the schema."
            f"{did_you_mean(name, candidates)}"
        )
    if owner.kind is TypeKind.INPUT and target.kind not in _INPUT_KINDS:
        return (
            f"{place} has type '{name}', which is {kind_noun(target.kind)}; input fields take "
            "scalars, enums and inputs."
        )
    if owner.kind is not TypeKind.INPUT and target.kind is TypeKind.INPUT:
        return (
            f"{place} has type '{name}', which is an input; fields of types take scalars, "
            "enums, types, interfaces and unions."
        )
    return None
