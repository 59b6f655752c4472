"""Who reads which field of a model's records, and what the resolvers must do about it.

A record's readers are the callers the model's get and list rules admit (*model readers*)
and the callers only a field's own rules admit (*partial readers*: seed 003, "only the
specified field-level authorization rule is applied" — a field rule can let a caller read
that field of records the model's rules keep from them; get, list and the subscriptions
let them through and show them the fields whose rules admit them, the rest null).

From that follow:

- guards: fields some reader could otherwise read although the field's rules refuse them;
- protected fields: nulled in every mutation response, as some subscriber may not read
  them (subscription events are mutation responses);
- required fields the resolvers would have to null, refused at synth (AppSync nulls the
  whole object for a null non-null field; see ``field_problems.py``).

Rules are compared by *who* they admit (their operations set aside, see
``authz/coverage.py``): a ``private`` rule of a user pool or OIDC provider admits everyone
that provider's owner and group rules admit, a static groups rule every member of a subset
of its groups.
"""

from __future__ import annotations

from ..schema.model import (
    READ_OPERATIONS,
    AuthRule,
    Field,
    Operation,
    Provider,
    Schema,
    Strategy,
)
from .coverage import covers, who
from .modes import field_providers, type_providers
from .plan import ModelPlan

__all__ = [
    "exposed_models",
    "field_modes",
    "field_read_rules",
    "needs_guard",
    "needs_resolver_check",
    "partial_rules",
    "protected_fields",
    "silenced_subscriptions",
    "unread_writers",
    "view_rules",
    "who",
]

_RECORD_READS = (Operation.GET, Operation.LIST)


def partial_rules(plan: ModelPlan, *operations: Operation) -> tuple[AuthRule, ...]:
    """Field rules allowing one of ``operations`` that admit someone no model rule allowing
    it admits: the partial readers' rules, each *who* once, in schema order."""
    model = [r for op in operations for r in plan.rules_for(op)]
    found: dict[AuthRule, AuthRule] = {}
    for f in plan.model.fields:
        for rule in f.rules or ():
            if rule.operations & set(operations) and not covers(model, rule):
                found.setdefault(who(rule), rule)
    return tuple(found.values())


def view_rules(plan: ModelPlan, operation: Operation) -> tuple[AuthRule, ...]:
    """Whom a mutation's response shows the whole record: the model's get rules and its
    rules allowing ``operation`` (seed 004's owners may update and get their post back,
    though only the API key reads)."""
    return (*plan.rules_for(Operation.GET), *plan.rules_for(operation))


def unread_writers(plan: ModelPlan, operation: Operation) -> bool:
    """Whether a field rule allowing ``operation`` admits someone :func:`view_rules` do
    not: a caller only that field's rule lets write, whose response must not show them
    the rest of the record."""
    viewers = view_rules(plan, operation)
    return any(
        operation in r.operations and not covers(viewers, r)
        for f in plan.model.fields
        for r in f.rules or ()
    )


def field_read_rules(plan: ModelPlan, f: Field) -> tuple[AuthRule, ...]:
    """The rules letting a caller read ``f``: its own read rules, else the model's."""
    rules = f.rules if f.rules is not None else plan.rules
    return tuple(r for r in rules if r.operations & READ_OPERATIONS)


def _model_readers(plan: ModelPlan) -> set[AuthRule]:
    return {who(r) for op in _RECORD_READS for r in plan.rules_for(op)}


def _readers(plan: ModelPlan) -> set[AuthRule]:
    return _model_readers(plan) | {who(r) for r in partial_rules(plan, *_RECORD_READS)}


def _modes(plan: ModelPlan, f: Field, admin_iam: bool) -> frozenset[Provider]:
    """The providers the field's directive admits (its own, else the type's)."""
    own = field_providers(plan, f, admin_iam)
    return own if own is not None else type_providers(plan, admin_iam)


def needs_guard(plan: ModelPlan, f: Field, admin_iam: bool, *, partial: bool) -> bool:
    """Whether a model reader (with ``partial``, a partial reader too) of the record could
    read ``f`` although its read rules do not admit them. Readers whose mode the field's
    directive leaves out are refused by AppSync itself (with the same ``Not Authorized to
    access`` error)."""
    allowed = field_read_rules(plan, f)
    admitted = _modes(plan, f, admin_iam)
    readers = _readers(plan) if partial else _model_readers(plan)
    return any(r.provider in admitted and not covers(allowed, r) for r in readers)


def field_modes(plan: ModelPlan, admin_iam: bool) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every field -> the providers its directive admits (for errors AppSync leaves to the
    resolvers: a mode the directive refuses gets AppSync's own)."""
    return tuple(
        (f.name, tuple(sorted(p.value for p in _modes(plan, f, admin_iam))))
        for f in plan.model.fields
    )


def protected_fields(plan: ModelPlan) -> tuple[str, ...]:
    """Fields nulled in mutation responses: those some subscriber may not read (seed 003:
    "To prevent sensitive data from being sent over subscriptions, the GraphQL Transformer
    needs to alter the response of mutations for those fields by setting them to null").
    A field every listener may read (an owner field protected only from reassignment)
    stays, so owner subscriptions still see who owns the record. A model without
    subscriptions (``@model(subscriptions: null)``) has no listener to hide it from."""
    options = plan.model.options
    if not (options.subscriptions and options.mutations):
        return ()
    listeners = {who(r) for r in plan.rules_for(Operation.LISTEN)}
    listeners |= {who(r) for r in partial_rules(plan, Operation.LISTEN)}
    return tuple(
        f.name
        for f in plan.model.fields
        if not all(covers(field_read_rules(plan, f), r) for r in listeners)
    )


def silenced_subscriptions(plans: tuple[ModelPlan, ...]) -> list[str]:
    """Sentences for each listen rule whose subscription filter tests a field that mutation
    responses null (protected): the events carry it as null, so those subscribers are never
    sent one."""
    found = []
    for plan in plans:
        protected = set(protected_fields(plan))
        rules = (*plan.rules_for(Operation.LISTEN), *partial_rules(plan, Operation.LISTEN))
        for rule in dict.fromkeys(who(r) for r in rules):
            field = rule.owner_field if rule.strategy is Strategy.OWNER else rule.groups_field
            if rule.strategy is Strategy.GROUPS and rule.groups:
                continue
            if field in protected:
                found.append(
                    f"subscribers of type '{plan.model.name}' admitted by the "
                    f"{rule.strategy.value} rule on '{field}' will receive no events: "
                    f"mutation responses return '{plan.model.name}.{field}' as null because "
                    f"some subscribers may not read it, and their subscription filter tests "
                    f"it. Give '{field}' read rules admitting every subscriber of "
                    f"{plan.model.name}."
                )
    return found


def exposed_models(schema: Schema) -> frozenset[str]:
    """Models some field of the schema returns besides the generated operations: a custom
    ``Query``/``Mutation``/``Subscription`` field, a field of a non-model type or of a model
    (relations) typed as the model, or a ``@manyToMany`` returning its join model. (The
    compiler refuses generated types such as connections in the user's fields.) Their
    records can reach a client through resolvers this library did not write, so their field
    guards are resolvers."""
    models = {m.name for m in schema.models}
    types = [c.type.name for c in schema.custom_fields]
    types += [f.type.name for t in schema.non_models for f in t.fields]
    types += [f.type.name for m in schema.models for f in m.fields]
    types += [r.relation_name or "" for m in schema.models for f in m.fields if (r := f.relation)]
    return frozenset(t for t in types if t in models)


def needs_resolver_check(plan: ModelPlan, operation: Operation) -> bool:
    """Whether AppSync's directives (one per mode) cannot enforce the rules alone: owner and
    group rules need the caller's claims, unless a ``private`` rule of the same provider
    already admits everyone they could admit; IAM rules need the caller's role checked."""
    rules = (*plan.rules_for(operation), *partial_rules(plan, operation))
    everyone = {r.provider for r in rules if r.strategy is Strategy.PRIVATE}
    claims = any(
        r.strategy in (Strategy.OWNER, Strategy.GROUPS) and r.provider not in everyone
        for r in rules
    )
    # @aws_iam admits any IAM principal whose own policy allows the field; only a resolver
    # can tell the identity pool's roles (and admin roles) from the rest.
    return claims or any(r.provider is Provider.IAM for r in rules)
