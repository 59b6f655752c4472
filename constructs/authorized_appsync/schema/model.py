"""The validated schema model: frozen, typed, every default filled in.

Produced by ``build.py`` from a validated :class:`~.raw.RawDocument`; consumed by ``authz``
and ``codegen``. Locations never take part in equality, so a model built from the Python
DSL equals the one built from the equivalent SDL.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .errors import UNKNOWN_LOCATION, Location
from .raw import TypeRef, Value

__all__ = [
    "DEFAULT_GROUPS_FIELD",
    "DEFAULT_GROUP_CLAIM",
    "DEFAULT_IDENTITY_CLAIM",
    "DEFAULT_OWNER_FIELD",
    "MODEL_OPERATIONS",
    "READ_OPERATIONS",
    "AuthRule",
    "CustomField",
    "EnumType",
    "Field",
    "Index",
    "Model",
    "ModelOptions",
    "NonModelType",
    "Operation",
    "PrimaryKey",
    "Provider",
    "Relation",
    "RelationKind",
    "Schema",
    "Strategy",
    "TypeRef",
]

DEFAULT_OWNER_FIELD = "owner"
DEFAULT_IDENTITY_CLAIM = "sub::username"
DEFAULT_GROUP_CLAIM = "cognito:groups"
DEFAULT_GROUPS_FIELD = "groups"


class Strategy(enum.Enum):
    """Who a rule admits (``allow:``)."""

    PUBLIC = "public"
    PRIVATE = "private"
    OWNER = "owner"
    GROUPS = "groups"
    CUSTOM = "custom"


class Provider(enum.Enum):
    """How the caller is authenticated. ``identityPool`` is read as :attr:`IAM`."""

    API_KEY = "apiKey"
    IAM = "iam"
    USER_POOLS = "userPools"
    OIDC = "oidc"
    FUNCTION = "function"


class Operation(enum.Enum):
    """Atomic model operations. ``read`` is shorthand for :data:`READ_OPERATIONS`."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    GET = "get"
    LIST = "list"
    SYNC = "sync"
    LISTEN = "listen"
    SEARCH = "search"


READ_OPERATIONS: frozenset[Operation] = frozenset(
    {Operation.GET, Operation.LIST, Operation.SYNC, Operation.LISTEN, Operation.SEARCH}
)
MODEL_OPERATIONS: frozenset[Operation] = frozenset(Operation)


@dataclass(frozen=True, kw_only=True)
class AuthRule:
    """One ``@auth`` rule with its provider and operations resolved.

    ``operations`` never contains a shorthand: ``read`` has been expanded to
    :data:`READ_OPERATIONS`. Strategy-specific settings are ``None``/empty when they do
    not apply (``owner_field`` only for owner rules, ``groups``/``groups_field`` and
    ``group_claim`` only for group rules).
    """

    strategy: Strategy
    provider: Provider
    operations: frozenset[Operation] = MODEL_OPERATIONS
    owner_field: str | None = None
    identity_claim: str | None = None
    group_claim: str | None = None
    groups: tuple[str, ...] = ()
    groups_field: str | None = None
    location: Location = field(default=UNKNOWN_LOCATION, compare=False)

    @property
    def is_dynamic_group(self) -> bool:
        return self.strategy is Strategy.GROUPS and self.groups_field is not None

    def allows(self, operation: Operation) -> bool:
        return operation in self.operations


class RelationKind(enum.Enum):
    HAS_ONE = "hasOne"
    HAS_MANY = "hasMany"
    BELONGS_TO = "belongsTo"
    MANY_TO_MANY = "manyToMany"


@dataclass(frozen=True, kw_only=True)
class Relation:
    """A relation field. ``fields`` are key fields of this model (declared, or the implicit
    keys of ``@hasOne``/``@belongsTo``); ``references`` name the fields holding the key of
    the model whose key it is: of the related model for ``@hasOne``/``@hasMany`` (declared,
    or the implicit keys of ``@hasMany``), of this model for ``@belongsTo``."""

    kind: RelationKind
    related_model: str
    fields: tuple[str, ...] = ()
    index_name: str | None = None
    references: tuple[str, ...] = ()
    # @manyToMany: the join model; its index holding this model's key is ``index_name``, on
    # the join model's fields ``references``.
    relation_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class Field:
    """A model field. ``rules is None`` means the model's rules apply (no field ``@auth``)."""

    name: str
    type: TypeRef
    rules: tuple[AuthRule, ...] | None = None
    default: Value = None
    has_default: bool = False
    relation: Relation | None = None
    implicit: bool = False
    location: Location = field(default=UNKNOWN_LOCATION, compare=False)


@dataclass(frozen=True, kw_only=True)
class PrimaryKey:
    partition_key: str = "id"
    sort_key_fields: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Index:
    """A ``@index`` (a DynamoDB global secondary index)."""

    name: str
    partition_key: str
    sort_key_fields: tuple[str, ...] = ()
    query_field: str | None = None


@dataclass(frozen=True, kw_only=True)
class ModelOptions:
    """``@model(queries:, mutations:, subscriptions:, timestamps:)`` with defaults."""

    queries: bool = True
    mutations: bool = True
    subscriptions: bool = True
    created_at: str | None = "createdAt"
    updated_at: str | None = "updatedAt"


@dataclass(frozen=True, kw_only=True)
class Model:
    """A ``@model`` type: one table. ``rules`` empty means nobody (deny by default)."""

    name: str
    fields: tuple[Field, ...]
    rules: tuple[AuthRule, ...] = ()
    primary_key: PrimaryKey = field(default_factory=PrimaryKey)
    indexes: tuple[Index, ...] = ()
    options: ModelOptions = field(default_factory=ModelOptions)
    location: Location = field(default=UNKNOWN_LOCATION, compare=False)

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True, kw_only=True)
class EnumType:
    name: str
    values: tuple[str, ...]
    location: Location = field(default=UNKNOWN_LOCATION, compare=False)


@dataclass(frozen=True, kw_only=True)
class NonModelType:
    """An object type without ``@model`` (embedded in a model, stored as a map)."""

    name: str
    fields: tuple[Field, ...]
    location: Location = field(default=UNKNOWN_LOCATION, compare=False)


@dataclass(frozen=True, kw_only=True)
class CustomField:
    """A field the user declared on ``Query``, ``Mutation`` or ``Subscription``."""

    parent: str
    name: str
    type: TypeRef
    arguments: tuple[tuple[str, TypeRef], ...] = ()
    rules: tuple[AuthRule, ...] = ()
    location: Location = field(default=UNKNOWN_LOCATION, compare=False)


@dataclass(frozen=True, kw_only=True)
class Schema:
    """A whole validated schema."""

    models: tuple[Model, ...] = ()
    enums: tuple[EnumType, ...] = ()
    non_models: tuple[NonModelType, ...] = ()
    custom_fields: tuple[CustomField, ...] = ()
    # ``input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }`` if declared.
    global_rule: AuthRule | None = None

    def model(self, name: str) -> Model:
        for m in self.models:
            if m.name == name:
                return m
        raise KeyError(f"No model named '{name}' in the schema.")

    @property
    def model_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.models)
