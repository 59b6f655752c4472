"""Stage 2b: a validated :class:`~.raw.RawDocument` to the typed :class:`~.model.Schema`.

Defaults are filled in and implicit fields added: ``id: ID!`` when a model has no
``@primaryKey`` and no ``id``; the owner field of every owner rule (``String``, or as
declared); the key fields of implicit relations; ``createdAt``/``updatedAt``; and the join
model of each ``@manyToMany``. Runs only on validated input and cannot fail on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..appsync import ROOT_TYPES
from . import names
from .model import (
    CustomField,
    EnumType,
    Field,
    Index,
    Model,
    ModelOptions,
    NonModelType,
    PrimaryKey,
    Schema,
    TypeRef,
)
from .raw import RawDocument, RawField, RawType, TypeKind, Value
from .relations import RelationPlanner
from .rules_build import as_strings, build_rule, rules_of
from .vocabulary import GLOBAL_RULE_FIELD, GLOBAL_RULE_INPUT

__all__ = ["build_schema"]

_TIMESTAMP = TypeRef(name="AWSDateTime", non_null=True)
_OWNER = TypeRef(name="String")


def _merged(document: RawDocument, kind: TypeKind) -> dict[str, RawType]:
    """Types of one kind by name, with ``extend`` fields and directives appended."""
    merged: dict[str, RawType] = {}
    for t in document.types:
        if t.kind is not kind:
            continue
        base = merged.get(t.name)
        if base is None:
            merged[t.name] = t
            continue
        merged[t.name] = RawType(
            kind=kind,
            name=t.name,
            fields=base.fields + t.fields,
            directives=base.directives + t.directives,
            enum_values=base.enum_values + t.enum_values,
            field_defaults=base.field_defaults + t.field_defaults,
            location=base.location,
        )
    return merged


def _default_value(raw: Value, type_name: str) -> Value:
    text = str(raw)
    if type_name == "Int":
        return int(text)
    if type_name == "Float":
        return float(text)
    if type_name == "Boolean":
        return text.strip().lower() == "true"
    return text


def _field(raw: RawField) -> Field:
    has_auth = bool(raw.directives_named("auth"))
    default = raw.directives_named("default")
    value: Value = None
    if default:
        arg = default[0].argument("value")
        value = _default_value(arg.value if arg else None, raw.type.name)
    return Field(
        name=raw.name,
        type=raw.type,
        rules=tuple(rules_of(raw.directives)) if has_auth else None,
        default=value,
        has_default=bool(default),
        location=raw.location,
    )


def _options(raw: RawType) -> ModelOptions:
    directive = raw.directives_named("model")[0]
    present = {a.name: a.value for a in directive.arguments}
    timestamps = present.get("timestamps", {})
    created: str | None = None
    updated: str | None = None
    if isinstance(timestamps, dict):
        created = str(timestamps.get("createdAt", "createdAt") or "") or None
        updated = str(timestamps.get("updatedAt", "updatedAt") or "") or None
    return ModelOptions(
        queries=present.get("queries", True) is not None,
        mutations=present.get("mutations", True) is not None,
        subscriptions=present.get("subscriptions", True) is not None,
        created_at=created,
        updated_at=updated,
    )


def _primary_key(raw: RawType) -> PrimaryKey:
    for f in raw.fields:
        for d in f.directives_named("primaryKey"):
            arg = d.argument("sortKeyFields")
            return PrimaryKey(
                partition_key=f.name, sort_key_fields=as_strings(arg.value if arg else None)
            )
    return PrimaryKey()


def _indexes(raw: RawType) -> tuple[Index, ...]:
    found: list[Index] = []
    for f in raw.fields:
        for d in f.directives_named("index"):
            values = {a.name: a.value for a in d.arguments}
            query_field = values.get("queryField")
            sort_keys = as_strings(values.get("sortKeyFields"))
            found.append(
                Index(
                    name=names.index_name(raw.name, f.name, sort_keys, values.get("name")),
                    partition_key=f.name,
                    sort_key_fields=as_strings(values.get("sortKeyFields")),
                    query_field=query_field if isinstance(query_field, str) else None,
                )
            )
    return tuple(found)


def _with_implicit(model: Model, extra: Iterable[Field], indexes: Iterable[Index] = ()) -> Model:
    """``model`` with ``id`` first, then declared fields, the ``extra`` (relation keys),
    missing owner fields, and the timestamps last; ``indexes`` (the foreign keys of the
    ``@hasMany`` relations pointing at it) after its own."""
    fields = list(model.fields)
    names = {f.name for f in fields}
    if model.primary_key.partition_key == "id" and "id" not in names:
        fields.insert(0, Field(name="id", type=TypeRef(name="ID", non_null=True), implicit=True))
        names.add("id")
    for f in extra:
        if f.name not in names:
            fields.append(f)
            names.add(f.name)
    every_rule = [*model.rules, *(r for f in model.fields for r in f.rules or ())]
    for rule in every_rule:
        if rule.owner_field and rule.owner_field not in names:
            fields.append(Field(name=rule.owner_field, type=_OWNER, implicit=True))
            names.add(rule.owner_field)
    for stamp in (model.options.created_at, model.options.updated_at):
        if stamp and stamp not in names:
            fields.append(Field(name=stamp, type=_TIMESTAMP, implicit=True))
            names.add(stamp)
    return Model(
        name=model.name,
        fields=tuple(fields),
        rules=model.rules,
        primary_key=model.primary_key,
        indexes=(*model.indexes, *indexes),
        options=model.options,
        location=model.location,
    )


def _declared_model(raw: RawType) -> Model:
    return Model(
        name=raw.name,
        fields=tuple(_field(f) for f in raw.fields),
        rules=tuple(rules_of(raw.directives)),
        primary_key=_primary_key(raw),
        indexes=_indexes(raw),
        options=_options(raw),
        location=raw.location,
    )


def _custom_fields(objects: dict[str, RawType]) -> tuple[CustomField, ...]:
    found: list[CustomField] = []
    for root in ROOT_TYPES:
        raw = objects.get(root)
        for f in raw.fields if raw else ():
            found.append(
                CustomField(
                    parent=root,
                    name=f.name,
                    type=f.type,
                    arguments=f.arguments,
                    rules=tuple(rules_of(f.directives)),
                    location=f.location,
                )
            )
    return tuple(found)


def _global_rule(document: RawDocument) -> Schema:
    inputs = _merged(document, TypeKind.INPUT)
    raw = inputs.get(GLOBAL_RULE_INPUT)
    defaults = dict(raw.field_defaults) if raw else {}
    value = defaults.get(GLOBAL_RULE_FIELD)
    rule = build_rule(value, raw.location) if raw and isinstance(value, dict) else None
    return Schema(global_rule=rule)


def build_schema(document: RawDocument) -> Schema:
    """The typed schema of a document that :func:`~.validate.validate` accepted."""
    objects = _merged(document, TypeKind.OBJECT)
    declared = [_declared_model(t) for t in objects.values() if t.is_model]
    planner = RelationPlanner(declared, {t.name: t for t in objects.values() if t.is_model})
    with_relations = planner.models_with_relations()
    models = tuple(
        _with_implicit(m, planner.implicit_fields(m.name), planner.relation_indexes(m.name))
        for m in with_relations
    ) + tuple(_with_implicit(m, ()) for m in planner.join_models())
    enums = tuple(
        EnumType(name=t.name, values=t.enum_values, location=t.location)
        for t in _merged(document, TypeKind.ENUM).values()
    )
    non_models = tuple(
        NonModelType(name=t.name, fields=tuple(_field(f) for f in t.fields), location=t.location)
        for t in objects.values()
        if not t.is_model and t.name not in ROOT_TYPES
    )
    return Schema(
        models=models,
        enums=enums,
        non_models=non_models,
        custom_fields=_custom_fields(objects),
        global_rule=_global_rule(document).global_rule,
    )
