"""The generated schemas as data: rules, fields, models and the API's settings (oracle side:
standard library only). The generator renders them as SDL; the oracle reads them as the
rules docs/semantics.md defines.

Every model has ``id: ID!`` (implicit), ``title: String`` (the model's rules govern it),
``secret: String`` (its own ``@auth`` rules, or none), ``cat: String`` (with an ``@index``
or not), the owner fields its owner rules name and the groups fields its dynamic group
rules name; ``@model(timestamps: null)``.
"""

from __future__ import annotations

from dataclasses import dataclass

# docs/semantics.md, "Operations": "`read` is shorthand for all five sub-operations".
READ_OPS = frozenset({"get", "list", "sync", "listen", "search"})
MODEL_OPS = ("create", "update", "delete", "get", "list", "listen")


@dataclass(frozen=True)
class Rule:
    allow: str  # public | private | owner | groups | custom
    provider: str  # apiKey | iam | userPools | oidc | function
    operations: tuple[str, ...] | None = None  # None: every operation
    owner_field: str = "owner"
    identity_claim: str = "sub::username"
    groups: tuple[str, ...] = ()
    groups_field: str | None = None
    group_claim: str = "cognito:groups"

    def allows(self, op: str) -> bool:
        """Whether the rule names ``op`` (create/update/delete/get/list/listen, or read)."""
        if self.operations is None:
            return True
        if op in self.operations:
            return True
        return op in READ_OPS and "read" in self.operations

    @property
    def is_predicate(self) -> bool:
        """Owner and dynamic group rules need a record ("Resolvers: owners and groups")."""
        return self.allow == "owner" or (self.allow == "groups" and self.groups_field is not None)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    is_list: bool = False
    rules: tuple[Rule, ...] | None = None  # its own @auth, or None
    kind: str = "plain"  # plain | owner | groups | key


@dataclass(frozen=True)
class ModelSpec:
    name: str
    rules: tuple[Rule, ...]
    fields: tuple[FieldSpec, ...]
    index: bool = False
    subscriptions: bool = True

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    def rules_of(self, name: str) -> tuple[Rule, ...]:
        """A field's own rules, else the model's ("field rules replace model rules")."""
        own = self.field(name).rules
        return self.rules if own is None else own

    @property
    def field_rules(self) -> tuple[Rule, ...]:
        return tuple(r for f in self.fields if f.rules is not None for r in f.rules)

    @property
    def list_name(self) -> str:
        # The generated names (M<seed>x<i>) end in a digit, which pluralize follows with "s".
        return f"list{self.name}s"

    @property
    def index_query(self) -> str:
        return f"{self.name[0].lower()}{self.name[1:]}ByCat"


@dataclass(frozen=True)
class ApiSpec:
    models: tuple[ModelSpec, ...]
    admin: bool = False  # an admin role "Ops"
    iam_mode: bool = False  # IamConfig(enable_iam_authorization_mode=True)
    seed: int = 0

    def model(self, name: str) -> ModelSpec:
        return next(m for m in self.models if m.name == name)
