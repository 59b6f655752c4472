"""Which operations exist and which fields a caller sees (docs/semantics.md, "Generated
operations", "AppSync authorization directives", "Field-level effects", "Partial readers",
"Resolvers: reads" (field guards, read-back) and "Resolvers: writes" (protected fields)).
Standard library only."""

from __future__ import annotations

from .identity import Identity, Record, admits, covers, is_admin
from .model import ApiSpec, ModelSpec, Rule

HIDDEN = object()  # a field nulled with an error
DROPPED = object()  # a field nulled without one: "AppSync nulls the deniedFields"


def model_rules(model: ModelSpec, op: str) -> list[Rule]:
    return [r for r in model.rules if r.allows(op)]


def field_read_rules(model: ModelSpec) -> list[Rule]:
    """The rules that make partial readers: every field's own read rules."""
    return [r for r in model.field_rules if r.allows("read")]


def exists(api: ApiSpec, model: ModelSpec, op: str) -> bool:
    """ "An operation no rule allows (for any provider) is not generated"; with admin roles
    or the IAM authorization mode "every operation @model leaves on exists"; "delete<M>
    only a provider that, on every field ..., has a rule allowing delete"; "A subscription
    exists only when its mutation does"."""
    if op == "listen":
        return model.subscriptions and exists(api, model, "create") and _allowed(api, model, op)
    return _allowed(api, model, op)


def _allowed(api: ApiSpec, model: ModelSpec, op: str) -> bool:
    if api.admin or api.iam_mode:
        return True
    if op == "delete":
        providers = {r.provider for r in model_rules(model, "delete")}
        for f in model.fields:
            if f.rules is not None:
                providers &= {r.provider for r in f.rules if r.allows("delete")}
        return bool(providers)
    field_op = "read" if op in ("get", "list", "listen") else op
    return bool(model_rules(model, op)) or any(r.allows(field_op) for r in model.field_rules)


def operation_modes(api: ApiSpec, model: ModelSpec, op: str) -> set[str]:
    """ "An operation carries the providers of the model rules allowing it plus those of field
    rules allowing it on some field" (update: update rules, so a caller whose only rule on
    a field allows `delete` does not reach the update that would null it)."""
    modes = {r.provider for r in model_rules(model, op)}
    modes |= {r.provider for r in model.field_rules if r.allows(op)}
    if api.admin or api.iam_mode:
        modes.add("iam")
    return modes


def field_modes(api: ApiSpec, model: ModelSpec, name: str) -> set[str]:
    """The providers of a field's directive: its own rules', else the model rules'; IAM is
    added everywhere with admin roles or the IAM mode."""
    modes = {r.provider for r in model.rules_of(name)}
    if api.admin or api.iam_mode:
        modes.add("iam")
    return modes


def protected(model: ModelSpec) -> set[str]:
    """ "fields with own rules whose read rules do not admit every caller the model's
    `listen` rules admit"; "a model without subscriptions protects none"."""
    listeners = model_rules(model, "listen")
    if not model.subscriptions or not listeners:
        return set()
    found = set()
    for f in model.fields:
        if f.rules is None:
            continue
        readers = tuple(r for r in f.rules if r.allows("read"))
        if not all(any(covers(b, m, readers) for b in readers) for m in listeners):
            found.add(f.name)
    return found


def guarded(api: ApiSpec, model: ModelSpec, name: str) -> bool:
    """ "a field with its own @auth is guarded unless every caller the model's get and list
    rules admit, in a mode the field's own directive admits, is admitted by a read rule of
    the field"."""
    own = model.field(name).rules
    if own is None:
        return False
    readers = tuple(r for r in own if r.allows("read"))
    modes = field_modes(api, model, name)
    return any(
        (m.allows("get") or m.allows("list"))
        and m.provider in modes
        and not any(covers(b, m, readers) for b in readers)
        for m in model.rules
    )


def reads_own(model: ModelSpec, name: str, who: Identity, record: Record) -> bool:
    own = model.field(name).rules or ()
    return any(admits(r, who, record) for r in own if r.allows("read"))


def gate(api: ApiSpec, model: ModelSpec, name: str, who: Identity) -> object:
    """What AppSync's directive does to a field: ``None`` lets it through; HIDDEN when the
    field's directive leaves the caller's mode out."""
    if who.provider not in field_modes(api, model, name):
        return HIDDEN
    return None


def denied(model: ModelSpec, who: Identity, view: dict[str, object]) -> dict[str, object]:
    """``view`` with the Lambda authorizer's deniedFields forced to null (docs/semantics.md,
    "Custom rules": "its deniedFields are forced to null ... without an error for the
    field"); a field the rules refuse keeps the rules' error."""
    return {
        name: DROPPED if f"{model.name}.{name}" in who.denied and value is not HIDDEN else value
        for name, value in view.items()
    }


def read_view(
    api: ApiSpec, model: ModelSpec, who: Identity, record: Record, model_reader: bool
) -> dict[str, object]:
    """A record as get, list and index queries return it: "Each record they read shows the
    fields whose own read rules admit them on that record", owner fields read back."""
    view: dict[str, object] = {}
    for f in model.fields:
        value = read_back(model, f.name, record.get(f.name))
        if is_admin(api, who):
            view[f.name] = value
        elif gate(api, model, f.name, who) is not None:
            view[f.name] = gate(api, model, f.name, who)
        elif f.rules is None:
            view[f.name] = value if model_reader else HIDDEN
        elif reads_own(model, f.name, who, record):
            view[f.name] = value
        else:
            view[f.name] = _guard_null(api, model, f.name, who) if model_reader else HIDDEN
    return denied(model, who, view)


def _guard_null(api: ApiSpec, model: ModelSpec, name: str, who: Identity) -> object:
    """A field a guard refuses: null with its error (docs/semantics.md, "Field guards"),
    whether the guard or AppSync's directive gives it."""
    return HIDDEN


def read_back(model: ModelSpec, name: str, value: object) -> object:
    """ "an owner field of a `sub::username` rule reads as the part after its first `::`
    (per element of a list)"."""
    if not any(
        r.allow == "owner" and r.owner_field == name and r.identity_claim == "sub::username"
        for r in model.rules
    ):
        return value
    if isinstance(value, list):
        return [v.split("::", 1)[1] if isinstance(v, str) and "::" in v else v for v in value]
    if isinstance(value, str) and "::" in value:
        return value.split("::", 1)[1]
    return value


def write_view(
    api: ApiSpec, model: ModelSpec, who: Identity, record: Record, whole: bool
) -> dict[str, object]:
    """A mutation's response: stored owner values ("Mutation responses keep the stored
    value"), protected fields null for everyone; a caller the model's rules let write gets
    the record whole, a field-only writer "the key fields they gave and the fields whose
    own read rules admit them"."""
    hidden = protected(model)
    view: dict[str, object] = {}
    for f in model.fields:
        # A protected field is null for everyone; the guard still tells a caller who may
        # not read it so ("Field guards" run in create, update and delete too).
        value = None if f.name in hidden else record.get(f.name)
        if is_admin(api, who):
            view[f.name] = value
        elif gate(api, model, f.name, who) is not None:
            view[f.name] = gate(api, model, f.name, who)
        elif f.rules is None:
            view[f.name] = value if whole or f.name == "id" else HIDDEN
        elif (whole and not guarded(api, model, f.name)) or reads_own(model, f.name, who, record):
            view[f.name] = value
        else:
            view[f.name] = _guard_null(api, model, f.name, who) if whole else HIDDEN
    return denied(model, who, view)
