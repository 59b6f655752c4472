"""The auth plan: for every model operation and every field, the rules that apply.

Model-level rules govern operations on the model; a field with its own ``@auth`` is
governed by those rules alone (they *replace* the model's for that field). A model with
no rules is closed to everyone, unless sandbox mode is on, when the global
``{ allow: public }`` rule (API key) stands in for its missing rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..schema._gc import paused_gc
from ..schema.model import (
    MODEL_OPERATIONS,
    AuthRule,
    Field,
    Model,
    Operation,
    Provider,
    Schema,
    Strategy,
)
from .acm import AccessControlMatrix, TypeMatrix, type_matrix
from .roles import Role, roles_of

__all__ = ["SANDBOX_RULE", "AuthPlan", "ModelPlan", "plan_schema"]

SANDBOX_RULE = AuthRule(
    strategy=Strategy.PUBLIC, provider=Provider.API_KEY, operations=MODEL_OPERATIONS
)


@dataclass(frozen=True)
class ModelPlan:
    """The rules of one model, resolved for every operation and field."""

    model: Model
    rules: tuple[AuthRule, ...]
    sandboxed: bool = False

    def rules_for(self, operation: Operation) -> tuple[AuthRule, ...]:
        """Model-level rules that allow ``operation``."""
        return tuple(r for r in self.rules if operation in r.operations)

    def field_rules(self, field: Field | str) -> tuple[AuthRule, ...]:
        """The rules governing a field: its own if it has any, else the model's."""
        f = self.model.field(field) if isinstance(field, str) else field
        if f is None:
            raise KeyError(f"Model '{self.model.name}' has no field '{field}'.")
        return f.rules if f.rules is not None else self.rules

    def field_rules_for(self, field: Field | str, operation: Operation) -> tuple[AuthRule, ...]:
        return tuple(r for r in self.field_rules(field) if operation in r.operations)

    @cached_property
    def providers(self) -> frozenset[Provider]:
        """Every provider any rule of this model (or its fields) uses."""
        found = {r.provider for r in self.rules}
        for f in self.model.fields:
            found |= {r.provider for r in f.rules or ()}
        return frozenset(found)

    @cached_property
    def roles(self) -> tuple[Role, ...]:
        """Roles in order of first appearance: model rules, then field rules."""
        seen: dict[Role, None] = {}
        for rule in self.rules:
            seen.update(dict.fromkeys(roles_of(rule)))
        for f in self.model.fields:
            for rule in f.rules or ():
                seen.update(dict.fromkeys(roles_of(rule)))
        return tuple(seen)

    @cached_property
    def matrix(self) -> TypeMatrix:
        return type_matrix(self)


@dataclass(frozen=True)
class AuthPlan:
    schema: Schema
    models: tuple[ModelPlan, ...]
    sandbox: bool

    def model(self, name: str) -> ModelPlan:
        for m in self.models:
            if m.model.name == name:
                return m
        raise KeyError(f"No model named '{name}' in the schema.")

    @cached_property
    def acm(self) -> AccessControlMatrix:
        return AccessControlMatrix(tuple(m.matrix for m in self.models))

    @cached_property
    def providers(self) -> frozenset[Provider]:
        found: set[Provider] = set()
        for m in self.models:
            found |= m.providers
        for custom in self.schema.custom_fields:
            found |= {r.provider for r in custom.rules}
        return frozenset(found)


def plan_schema(schema: Schema, *, sandbox: bool = False) -> AuthPlan:
    """Plan every model. ``sandbox`` turns on the global ``{ allow: public }`` rule for
    models that declare no rules (the construct's ``sandbox_mode_enabled``)."""
    with paused_gc():
        plan = _plan(schema, sandbox)
        for model in plan.models:
            _ = model.matrix
    return plan


def _plan(schema: Schema, sandbox: bool) -> AuthPlan:
    plans = []
    for model in schema.models:
        if model.rules or not sandbox:
            plans.append(ModelPlan(model=model, rules=model.rules))
        else:
            plans.append(ModelPlan(model=model, rules=(SANDBOX_RULE,), sandboxed=True))
    return AuthPlan(schema=schema, models=tuple(plans), sandbox=sandbox)
