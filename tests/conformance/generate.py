"""Hypothesis strategies: APIs (rules x providers x operations x field rules x owner and
group field shapes x indexes), callers, records and operations."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from .fields import exists, field_read_rules, model_rules
from .identity import Identity, could_admit, covers, is_admin
from .model import ApiSpec, FieldSpec, ModelSpec, Rule
from .oracle import Case, Filter, Leaf, create

PROVIDERS = {
    "public": ["apiKey", "iam"],
    "private": ["userPools", "oidc", "iam"],
    "owner": ["userPools", "oidc"],
    "groups": ["userPools", "oidc"],
    "custom": ["function"],
}
# Owner fields: (name, list-typed); groups fields likewise.
OWNER_FIELDS = [("owner", False), ("author", False), ("editors", True)]
GROUP_FIELDS = [("grp", False), ("grps", True)]
CLAIMS = {
    "userPools": ["sub::username", "sub::username", "sub"],
    "oidc": ["sub::username", "sub", "user_id"],
}


@st.composite
def operations(draw: st.DrawFn, field_level: bool) -> tuple[str, ...] | None:
    if draw(st.booleans()):
        return None
    reads = (
        ["read"] if field_level else draw(st.sampled_from([["read"], ["get", "list", "listen"]]))
    )
    pool = ["create", "update", "delete", *reads]
    chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
    return tuple(sorted(chosen))


@st.composite
def rules(draw: st.DrawFn, field_level: bool) -> Rule:
    allow = draw(st.sampled_from(list(PROVIDERS)))
    provider = draw(st.sampled_from(PROVIDERS[allow]))
    ops = draw(operations(field_level))
    if allow == "owner":
        name, _ = draw(st.sampled_from(OWNER_FIELDS))
        claim = draw(st.sampled_from(CLAIMS[provider]))
        return Rule(allow, provider, ops, owner_field=name, identity_claim=claim)
    if allow == "groups":
        if draw(st.booleans()):
            name, _ = draw(st.sampled_from(GROUP_FIELDS))
            return Rule(allow, provider, ops, groups_field=name)
        groups = draw(st.lists(st.sampled_from(["A", "B"]), min_size=1, max_size=2, unique=True))
        return Rule(allow, provider, ops, groups=tuple(sorted(groups)))
    return Rule(allow, provider, ops)


def _distinct(found: list[Rule]) -> tuple[Rule, ...]:
    """One rule per owner or groups field (one identity claim each), no duplicates."""
    kept: list[Rule] = []
    for rule in found:
        key = (rule.allow, rule.provider, rule.owner_field, rule.groups_field, rule.groups)
        clash = any(
            (k.allow, k.provider, k.owner_field, k.groups_field, k.groups) == key
            # Two owner rules may share a field across providers (user pool and OIDC
            # owners of one record), with one identity claim.
            or (
                rule.allow == k.allow == "owner"
                and rule.owner_field == k.owner_field
                and (rule.provider == k.provider or rule.identity_claim != k.identity_claim)
            )
            or (rule.groups_field is not None and rule.groups_field == k.groups_field)
            for k in kept
        )
        if not clash:
            kept.append(rule)
    return tuple(kept)


@st.composite
def models(draw: st.DrawFn, name: str) -> ModelSpec:
    own = _distinct(draw(st.lists(rules(False), min_size=1, max_size=3)))
    secret = None
    if draw(st.booleans()):
        secret = _distinct(draw(st.lists(rules(True), min_size=1, max_size=2)))
        # An owner field shared by a model rule and a field rule keeps the model's claim.
        secret = tuple(r for r in secret if not _claim_clash(r, own))
        secret = secret or None
    everything = own + (secret or ())
    owners = {r.owner_field for r in everything if r.allow == "owner"}
    groups = {r.groups_field for r in everything if r.groups_field}
    fields = [FieldSpec("id", kind="key"), FieldSpec("title"), FieldSpec("secret", rules=secret)]
    fields.append(FieldSpec("cat"))
    fields += [
        FieldSpec(n, is_list=lst, rules=draw(_owner_field_rules(own, n)), kind="owner")
        for n, lst in OWNER_FIELDS
        if n in owners
    ]
    fields += [FieldSpec(n, is_list=lst, kind="groups") for n, lst in GROUP_FIELDS if n in groups]
    model = ModelSpec(name, own, tuple(fields), index=draw(st.booleans()))
    subscriptions = draw(st.integers(0, 3)) > 0 and not _partial_listeners(model)
    return ModelSpec(name, own, tuple(fields), model.index, subscriptions)


@st.composite
def _owner_field_rules(
    draw: st.DrawFn, own: tuple[Rule, ...], name: str
) -> tuple[Rule, ...] | None:
    """Now and then an owner field of the model's owner rule gets rules of its own that
    keep reassignment from its owners ("Owner rules": "a field-level rule on the owner
    field without `update` ... prevents it"), some letting signed-in users read it."""
    model_owner = next((r for r in own if r.allow == "owner" and r.owner_field == name), None)
    if model_owner is None or draw(st.integers(0, 3)) > 0:
        return None
    ops = draw(st.sampled_from([("delete", "read"), ("create", "delete", "read"), ("read",)]))
    found = (Rule("owner", model_owner.provider, ops, name, model_owner.identity_claim),)
    if draw(st.booleans()):
        found += (Rule("private", model_owner.provider, ("read",)),)
    return found


def _claim_clash(rule: Rule, model_rules_: tuple[Rule, ...]) -> bool:
    return rule.allow == "owner" and any(
        m.allow == "owner"
        and m.owner_field == rule.owner_field
        and (m.identity_claim, m.provider) != (rule.identity_claim, rule.provider)
        for m in model_rules_
    )


def _partial_listeners(model: ModelSpec) -> bool:
    """A field read rule the model's listen rules do not cover would hide `id` from its
    listeners, which synthesis refuses while subscriptions are on."""
    listeners = tuple(model_rules(model, "listen"))
    return any(not any(covers(m, r, listeners) for m in listeners) for r in field_read_rules(model))


@st.composite
def apis(draw: st.DrawFn, seed: int) -> ApiSpec:
    count = draw(st.integers(3, 5))
    found = tuple(draw(models(f"M{seed}x{i}")) for i in range(count))
    return ApiSpec(
        found, admin=draw(st.booleans()), iam_mode=draw(st.integers(0, 4)) == 0, seed=seed
    )


# -- callers ----------------------------------------------------------------------------


def roster(api: ApiSpec, model: ModelSpec) -> list[Identity]:
    """The callers of a case: colliding names on purpose (an OIDC user named like a pool
    user, a pool user whose username is another's `<sub>::<username>`)."""
    found = [
        Identity("apiKey", "apiKey"),
        _pool("alice", ["A"]),
        _pool("bob", []),
        _pool("carol", ["A", "B"]),
        Identity("userPools", "mallory", "s-m", "s-alice::alice", (("user_id", "uid-m"),)),
        _oidc("alice", '["B"]'),
        _oidc("dave", None),
        Identity("iamAuth", "iamAuth"),
        Identity("iamUnauth", "iamUnauth"),
        Identity("iamOther", "Stranger"),
        Identity("lambda", "lambda"),
        Identity("lambda", "lambda-denied", denied=frozenset({f"{model.name}.secret"})),
        Identity("lambda", "lambda-denied2", denied=frozenset({f"{model.name}.title"})),
    ]
    if api.admin:
        found.append(Identity("iamAdmin", "Ops"))
    return found


def _pool(name: str, groups: list[str]) -> Identity:
    claims: tuple[tuple[str, object], ...] = (("user_id", f"uid-{name}"),)
    if groups:
        claims += (("cognito:groups", tuple(groups)),)
    return Identity("userPools", name, f"s-{name}", name, claims)


def _oidc(name: str, groups: str | None) -> Identity:
    claims: tuple[tuple[str, object], ...] = (("user_id", f"uid-{name}"),)
    if groups is not None:
        claims += (("cognito:groups", groups),)
    return Identity("oidc", f"oidc-{name}", f"o-{name}", name, claims)


# -- records and operations -------------------------------------------------------------

SCALAR_OWNERS = {
    "sub::username": ["s-alice::alice", "alice", "s-bob::bob", "bob", "o-alice::alice", "dave"],
    "sub": ["s-alice", "s-bob", "o-alice", "o-dave", "s-alice::alice", "s-m"],
    "user_id": ["uid-alice", "uid-bob", "uid-dave"],
}
LIST_OWNERS = ["s-alice::alice", "alice", "s-alice", "s-bob::bob", "o-alice::alice", "o-dave"]


def _owner_values(model: ModelSpec, f: FieldSpec) -> st.SearchStrategy[object]:
    if f.is_list:
        return st.lists(st.sampled_from(LIST_OWNERS), max_size=2, unique=True)
    claims = {r.identity_claim for r in model.rules + model.field_rules if r.owner_field == f.name}
    pool = sorted({v for c in claims for v in SCALAR_OWNERS[c]})
    return st.sampled_from(pool)


def values(model: ModelSpec, f: FieldSpec) -> st.SearchStrategy[object]:
    if f.kind == "owner":
        return _owner_values(model, f)
    if f.kind == "groups":
        if f.is_list:
            return st.lists(st.sampled_from(["A", "B", "C"]), max_size=2, unique=True)
        return st.sampled_from(["A", "B", "C"])
    return st.sampled_from(
        {"title": ["t1", "t2"], "secret": ["s1", "s2"]}.get(f.name, ["c1", "c2"])
    )


@st.composite
def records(draw: st.DrawFn, model: ModelSpec, prefix: str) -> tuple[dict[str, object], ...]:
    found = []
    for i in range(draw(st.integers(0, 3))):
        record: dict[str, object] = {"id": f"{prefix}-{i}"}
        for f in model.fields[1:]:
            if f.kind in ("owner", "groups") and draw(st.integers(0, 5)) == 0:
                continue  # absent
            record[f.name] = draw(values(model, f))
        found.append(record)
    return tuple(found)


@st.composite
def filters(draw: st.DrawFn, model: ModelSpec) -> Filter | None:
    if draw(st.integers(0, 2)) == 0:
        return None
    names = [f for f in model.fields[1:] if not f.is_list]
    leaves: list[Leaf] = []
    for _ in range(draw(st.integers(1, 2))):
        f = draw(st.sampled_from(names))
        ops = ["eq", "beginsWith"] if f.kind != "plain" else ["eq", "ne", "beginsWith"]
        op = draw(st.sampled_from(ops))
        value = draw(values(model, f))
        if op == "beginsWith" and isinstance(value, str):
            value = value[: draw(st.integers(1, len(value)))]
        leaves.append((f.name, op, value))
    return (draw(st.sampled_from(["and", "or"])), tuple(leaves))


@st.composite
def inputs(draw: st.DrawFn, model: ModelSpec, nulls: bool) -> tuple[tuple[str, object], ...]:
    chosen = draw(st.lists(st.sampled_from(model.fields[1:]), max_size=3, unique=True))
    given = []
    for f in chosen:
        value = None if nulls and draw(st.integers(0, 4)) == 0 else draw(values(model, f))
        given.append((f.name, value))
    return tuple(given)


KINDS = ["get", "list", "index", "create", "update", "delete", "subscribe"]


@st.composite
def cases(draw: st.DrawFn, api: ApiSpec, prefix: str) -> Case:
    model = draw(st.sampled_from(api.models))
    alias = draw(st.booleans())
    people = roster(api, model)
    # Mostly callers some rule could admit, and operations that exist: refusals of
    # strangers are cheap to get right and would crowd out the rest.
    relevant = [p for p in people if _relevant(api, model, p)]
    who = draw(st.sampled_from(relevant if relevant and draw(st.integers(0, 3)) else people))
    kinds = [k for k in KINDS if k != "index" or model.index]
    present = [k for k in kinds if exists(api, model, _OPS.get(k, k))]
    kind = draw(st.sampled_from(present if present and draw(st.integers(0, 5)) else kinds))
    stored = draw(records(model, prefix))
    ids = [str(r["id"]) for r in stored] + [f"{prefix}-missing"]
    target = draw(st.sampled_from(ids))
    if kind in ("get", "update", "delete"):
        condition = draw(filters(model)) if kind != "get" else None
        given = draw(inputs(model, True)) if kind == "update" else ()
        return Case(
            model.name, kind, who, stored, target, input=given, condition=condition, alias=alias
        )
    if kind in ("list", "index"):
        cat = draw(st.sampled_from(["c1", "c2"]))
        flt = draw(filters(model))
        return Case(model.name, kind, who, stored, filter=flt, cat=cat, alias=alias)
    given = draw(inputs(model, False))
    if kind == "create":
        return Case(model.name, kind, who, stored, input=given, alias=alias)
    # A writer whose create succeeds, so that there is an event to deliver.
    writers = [p for p in people if create(api, model, p, dict(given))[1] is not None]
    writer = draw(st.sampled_from(writers or people))
    return Case(model.name, kind, who, (), input=given, writer=writer)


_OPS = {"index": "list", "subscribe": "listen"}


def _relevant(api: ApiSpec, model: ModelSpec, who: Identity) -> bool:
    rules = model.rules + model.field_rules
    return is_admin(api, who) or any(could_admit(r, who) for r in rules)


def describe(case: Case) -> str:
    parts = [
        f"{case.op} {case.model} as {case.who.name}" + (" (secret aliased)" if case.alias else "")
    ]
    for label, value in (
        ("records", case.records),
        ("target", case.target),
        ("filter", case.filter),
        ("cat", case.cat),
        ("input", case.input),
        ("condition", case.condition),
        ("writer", case.writer.name if case.writer else None),
    ):
        if value:
            parts.append(f"{label}={json.dumps(value, default=str)}")
    return "; ".join(parts)
