"""Amplify's model introspection schema (version 1) of a schema, as Amplify's clients read
it: ``generateClient()`` of ``aws-amplify/data`` builds its ``client.models.<Model>``
operations, selection sets and relation loaders from it, and DataStore chooses its auth
modes from the rules it lists. It is ``data.model_introspection`` of
``amplify_outputs.json``.

The shape is the one ``@aws-amplify/graphql-generator`` writes (``target:
"introspection"``), made here from the validated schema model, with the generated names of
``schema/names.py`` (``pluralName`` is the plural the API's list query uses). Where this
differs from the generator, the difference is deliberate and listed in
``tests/codegen/test_model_introspection.py``: the implicit owner fields of owner rules are
listed (the API's types have them), every rule names its provider, and a join model of
``@manyToMany`` carries the two sides' rules as one rule list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ...schema import names
from ...schema.model import (
    DEFAULT_IDENTITY_CLAIM,
    READ_OPERATIONS,
    AuthRule,
    EnumType,
    Field,
    Model,
    NonModelType,
    Operation,
    Provider,
    Relation,
    RelationKind,
    Schema,
    Strategy,
)

__all__ = ["INTROSPECTION_VERSION", "Json", "ModelIntrospection", "model_introspection"]

INTROSPECTION_VERSION = 1

# A JSON value, as json.dumps writes it.
Json = None | bool | int | float | str | Sequence["Json"] | Mapping[str, "Json"]

# Operations in the order Amplify's generator lists them; ``read`` stands for all reads.
_WRITE_ORDER = (Operation.CREATE, Operation.UPDATE, Operation.DELETE)
_READ_ORDER = (Operation.GET, Operation.LIST, Operation.SYNC, Operation.LISTEN, Operation.SEARCH)
# Rule providers as the clients spell them (DataStore compares with ``"iam"``).
_PROVIDERS = {
    Provider.API_KEY: "apiKey",
    Provider.IAM: "iam",
    Provider.USER_POOLS: "userPools",
    Provider.OIDC: "oidc",
    Provider.FUNCTION: "function",
}
# The claim Amplify's clients read the owner from when a rule names none: the username
# (DataStore passes that claim's value as a subscription's owner argument; the API matches
# an owner by its username as by ``sub::username``).
_CLIENT_DEFAULT_CLAIM = "cognito:username"
_ASSOCIATIONS = {
    RelationKind.HAS_ONE: "HAS_ONE",
    RelationKind.HAS_MANY: "HAS_MANY",
    RelationKind.BELONGS_TO: "BELONGS_TO",
    RelationKind.MANY_TO_MANY: "HAS_MANY",  # to the join model, as Amplify's clients see it
}


@dataclass(frozen=True)
class ModelIntrospection:
    """The introspection of one schema; :meth:`to_json` is the document clients read."""

    models: tuple[tuple[str, Json], ...]
    enums: tuple[tuple[str, Json], ...]
    non_models: tuple[tuple[str, Json], ...]

    def to_json(self) -> dict[str, Json]:
        return {
            "version": INTROSPECTION_VERSION,
            "models": dict(self.models),
            "enums": dict(self.enums),
            "nonModels": dict(self.non_models),
        }


def model_introspection(schema: Schema) -> ModelIntrospection:
    """The model introspection schema of ``schema`` (models, enums, non-model types)."""
    kinds = _TypeKinds(schema)
    hidden = _relation_indexes(schema)
    return ModelIntrospection(
        models=tuple((m.name, _model(m, schema, kinds, hidden)) for m in schema.models),
        enums=tuple((e.name, _enum(e)) for e in schema.enums),
        non_models=tuple((t.name, _non_model(t, kinds)) for t in schema.non_models),
    )


class _TypeKinds:
    """A field type's introspection: a scalar's name, or ``{"enum"|"nonModel"|"model": name}``."""

    def __init__(self, schema: Schema) -> None:
        self._kinds = {e.name: "enum" for e in schema.enums}
        self._kinds.update({t.name: "nonModel" for t in schema.non_models})
        self._kinds.update({m.name: "model" for m in schema.models})

    def of(self, type_name: str) -> Json:
        kind = self._kinds.get(type_name)
        return type_name if kind is None else {kind: type_name}


def _enum(enum: EnumType) -> Json:
    return {"name": enum.name, "values": list(enum.values)}


def _non_model(type_: NonModelType, kinds: _TypeKinds) -> Json:
    return {"name": type_.name, "fields": {f.name: _field(f, kinds) for f in type_.fields}}


def _field(field: Field, kinds: _TypeKinds, *, timestamp: bool = False) -> dict[str, Json]:
    ref = field.type
    entry: dict[str, Json] = {
        "name": field.name,
        "isArray": ref.is_list,
        "type": kinds.of(ref.name),
        # A list's items are required or not; a timestamp is the API's to fill in.
        "isRequired": (ref.item_non_null if ref.is_list else ref.non_null) and not timestamp,
        "attributes": [],
    }
    if ref.is_list:
        entry["isArrayNullable"] = not ref.non_null
    if timestamp:
        entry["isReadOnly"] = True
    return entry


def _model(
    model: Model, schema: Schema, kinds: _TypeKinds, relation_indexes: frozenset[str]
) -> Json:
    stamps = {model.options.created_at, model.options.updated_at} - {None}
    fields: dict[str, Json] = {}
    for field in model.fields:
        entry = _field(field, kinds, timestamp=field.implicit and field.name in stamps)
        relation = field.relation
        if relation is not None:
            if relation.kind is RelationKind.MANY_TO_MANY and relation.relation_name:
                entry["type"] = {"model": relation.relation_name}
            entry["association"] = _association(field, schema)
        fields[field.name] = entry
    key = model.primary_key
    custom_key = key.partition_key != "id" or bool(key.sort_key_fields)
    return {
        "name": model.name,
        "fields": fields,
        "syncable": True,
        "pluralName": names.plural(model.name),
        "attributes": _model_attributes(model, custom_key, relation_indexes),
        "primaryKeyInfo": {
            "isCustomPrimaryKey": custom_key,
            "primaryKeyFieldName": key.partition_key,
            "sortKeyFieldNames": list(key.sort_key_fields),
        },
    }


def _association(field: Field, schema: Schema) -> Json:
    relation = field.relation
    assert relation is not None
    kind = _ASSOCIATIONS[relation.kind]
    if relation.kind in (RelationKind.HAS_MANY, RelationKind.MANY_TO_MANY):
        return {"connectionType": kind, "associatedWith": _child_keys(relation, schema)}
    if relation.kind is RelationKind.BELONGS_TO:  # its key fields: declared, or references
        return {"connectionType": kind, "targetNames": list(relation.fields or relation.references)}
    if relation.references:  # the related model holds this model's key
        return {
            "connectionType": kind,
            "associatedWith": list(relation.references),
            "targetNames": [],
        }
    related = schema.model(relation.related_model).primary_key
    return {
        "connectionType": kind,
        "associatedWith": [related.partition_key, *related.sort_key_fields],
        "targetNames": list(relation.fields),
    }


def _relation_indexes(schema: Schema) -> frozenset[str]:
    """The indexes Amplify adds for the foreign keys of relations (``gsi-<Parent>.<field>``,
    ``schema/relations.py``) that its introspection leaves out: those of parents keyed by
    `id` alone. (A parent with a primary key of its own names the key fields after it,
    ``teamMembersCode``, and Amplify's generator lists that index as a key attribute.)"""
    return frozenset(
        f"gsi-{m.name}.{f.name}"
        for m in schema.models
        for f in m.fields
        if f.relation is not None
        and f.relation.index_name is None
        and (m.primary_key.partition_key, *m.primary_key.sort_key_fields) == ("id",)
    )


def _child_keys(relation: Relation, schema: Schema) -> list[Json]:
    """The fields of a ``@hasMany``'s related model holding this model's key: its
    ``references`` (implicit or declared), else, for ``@hasMany(indexName:, fields:)``, the
    key fields of that index (of the related primary key without an index)."""
    if relation.references:
        return list(relation.references)
    related = schema.model(relation.related_model)
    keys = (related.primary_key.partition_key, *related.primary_key.sort_key_fields)
    for index in related.indexes:
        if index.name == relation.index_name:
            keys = (index.partition_key, *index.sort_key_fields)
    return list(keys[: len(relation.fields)])


def _model_attributes(
    model: Model, custom_key: bool, relation_indexes: frozenset[str]
) -> list[Json]:
    found: list[Json] = [{"type": "model", "properties": _model_properties(model)}]
    key = model.primary_key
    if custom_key:
        found.append(
            {"type": "key", "properties": {"fields": [key.partition_key, *key.sort_key_fields]}}
        )
    for index in model.indexes:
        if index.name in relation_indexes:
            continue
        properties: dict[str, Json] = {"name": index.name}
        if index.query_field is not None:
            properties["queryField"] = index.query_field
        properties["fields"] = [index.partition_key, *index.sort_key_fields]
        found.append({"type": "key", "properties": properties})
    if model.rules:
        found.append({"type": "auth", "properties": {"rules": [_rule(r) for r in model.rules]}})
    return found


def _model_properties(model: Model) -> dict[str, Json]:
    options = model.options
    properties: dict[str, Json] = {}
    for name, enabled in (
        ("queries", options.queries),
        ("mutations", options.mutations),
        ("subscriptions", options.subscriptions),
    ):
        if not enabled:
            properties[name] = None
    if options.created_at is None and options.updated_at is None:
        properties["timestamps"] = None
    elif (options.created_at, options.updated_at) != ("createdAt", "updatedAt"):
        properties["timestamps"] = {
            "createdAt": options.created_at,
            "updatedAt": options.updated_at,
        }
    return properties


def _operations(rule: AuthRule) -> list[Json]:
    ops = rule.operations
    listed: list[Json] = [op.value for op in _WRITE_ORDER if op in ops]
    if ops >= READ_OPERATIONS:
        listed.append("read")
    else:
        listed += [op.value for op in _READ_ORDER if op in ops]
    return listed


def _rule(rule: AuthRule) -> Json:
    entry: dict[str, Json] = {"allow": rule.strategy.value, "provider": _PROVIDERS[rule.provider]}
    if rule.strategy is Strategy.OWNER:
        entry["ownerField"] = rule.owner_field
        claim = rule.identity_claim
        entry["identityClaim"] = _CLIENT_DEFAULT_CLAIM if claim == DEFAULT_IDENTITY_CLAIM else claim
    if rule.strategy is Strategy.GROUPS:
        entry["groupClaim"] = rule.group_claim
        if rule.groups_field is not None:
            entry["groupsField"] = rule.groups_field
        else:
            entry["groups"] = list(rule.groups)
    entry["operations"] = _operations(rule)
    return entry
