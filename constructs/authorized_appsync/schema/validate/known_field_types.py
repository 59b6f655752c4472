"""Every field's type is a scalar, or a type defined in the schema of a kind that fits:
object types for output fields, inputs for input fields, enums and scalars for both; the
arguments of fields take scalars and enums. The generated AppSync schema carries the
schema's object types and enums, not (yet) its unions, interfaces and inputs, and AppSync
has no custom scalars: no field or argument may have such a type. Relation fields of
models are checked by :mod:`.relation_targets`; the ``input AMPLIFY`` declaration by
:mod:`.global_auth_rule`."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean
from ..raw import RawField, RawType, TypeKind, TypeRef
from ..vocabulary import GLOBAL_RULE_INPUT, RELATION_DIRECTIVES, SCALARS
from ._types_util import kind_noun
from .context import ValidationContext

__all__ = ["check"]

_OUTPUT_OWNERS = (TypeKind.OBJECT, TypeKind.INTERFACE)
_INPUT_KINDS = (TypeKind.INPUT, TypeKind.ENUM, TypeKind.SCALAR)
_NOT_GENERATED = (TypeKind.UNION, TypeKind.INTERFACE)


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    candidates = [*SCALARS, *context.types]
    for t in context.document.types:
        if t.kind is TypeKind.INPUT and t.name == GLOBAL_RULE_INPUT:
            continue
        if t.kind not in (*_OUTPUT_OWNERS, TypeKind.INPUT):
            continue
        is_model = t.name in context.model_names
        for f in t.fields:
            if not (is_model and any(d.name in RELATION_DIRECTIVES for d in f.directives)):
                message = _problem(context, t, f, candidates)
                if message:
                    yield Diagnostic(message=message, location=f.location)
            for name, type_ref in f.arguments:
                message = _argument_problem(context, t, f, name, type_ref, candidates)
                if message:
                    yield Diagnostic(message=message, location=f.location)


def _custom_scalar(place: str, name: str) -> str:
    return (
        f"{place} has type '{name}', a scalar declared in the schema; AppSync has no custom "
        "scalars. Use one of its scalars, such as 'String' or 'AWSJSON'."
    )


def _unknown(place: str, name: str, candidates: list[str]) -> str:
    return (
        f"{place} has unknown type '{name}'; use a scalar such as 'String' or "
        f"'AWSDateTime', an enum, or a type defined in the schema.{did_you_mean(name, candidates)}"
    )


def _problem(
    context: ValidationContext, owner: RawType, field: RawField, candidates: list[str]
) -> str | None:
    name = field.type.name
    if name in SCALARS:
        return None
    place = f"Field '{owner.name}.{field.name}'"
    target = context.types.get(name)
    if target is None:
        return _unknown(place, name, candidates)
    if target.kind is TypeKind.SCALAR:
        return _custom_scalar(place, name)
    return _kind_mismatch(place, name, owner.kind is TypeKind.INPUT, target.kind)


def _kind_mismatch(place: str, name: str, in_input: bool, kind: TypeKind) -> str | None:
    if in_input:
        if kind in _INPUT_KINDS:
            return None
        return (
            f"{place} has type '{name}', which is {kind_noun(kind)}; input fields take "
            "scalars, enums and inputs."
        )
    if kind is TypeKind.INPUT:
        return (
            f"{place} has type '{name}', which is an input; fields of types take scalars, "
            "enums and object types."
        )
    if kind in _NOT_GENERATED:
        return (
            f"{place} has type '{name}', which is {kind_noun(kind)}; unions and interfaces "
            "are not supported yet (the generated AppSync schema leaves them out). Return "
            "an object type instead."
        )
    return None


def _argument_problem(
    context: ValidationContext,
    owner: RawType,
    field: RawField,
    argument: str,
    type_ref: TypeRef,
    candidates: list[str],
) -> str | None:
    name = type_ref.name
    if name in SCALARS:
        return None
    place = f"Argument '{argument}' of field '{owner.name}.{field.name}'"
    target = context.types.get(name)
    if target is None:
        return _unknown(place, name, candidates)
    if target.kind is TypeKind.SCALAR:
        return _custom_scalar(place, name)
    if target.kind is TypeKind.INPUT:
        return (
            f"{place} has type '{name}', an input declared in the schema; such inputs are "
            "not generated into the AppSync schema yet. Take scalars or enums as arguments, "
            "or one 'AWSJSON' argument for structured values."
        )
    if target.kind is not TypeKind.ENUM:
        return (
            f"{place} has type '{name}', which is {kind_noun(target.kind)}; arguments take "
            "scalars and enums."
        )
    return None
