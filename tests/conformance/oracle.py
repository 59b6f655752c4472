"""The oracle: what an operation must do, from docs/semantics.md and the Amplify
documentation it quotes alone (no code of the compiler or the resolvers). Standard library
only; see test_independence.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import (
    exists,
    field_read_rules,
    model_rules,
    operation_modes,
    read_view,
    write_view,
)
from .identity import (
    Identity,
    Record,
    admits,
    admits_static,
    could_admit,
    covers,
    is_admin,
    owner_identities,
)
from .model import ApiSpec, ModelSpec, Rule

Leaf = tuple[str, str, object]  # (field, eq | ne | beginsWith, value)
Filter = tuple[str, tuple[Leaf, ...]]  # ("and" | "or", leaves)
RuleSet = tuple[str, list[Rule]]  # a field (or "id") and the rules one of which must admit

DENIED = "denied"
NOT_FOUND = "not found"
CONDITION = "condition failed"
ABSENT = "absent"
OK = "ok"
UNAUTHORIZED = "Unauthorized"
CONDITIONAL = "DynamoDB:ConditionalCheckFailedException"


@dataclass(frozen=True)
class Case:
    model: str
    op: str  # get | list | index | create | update | delete | subscribe
    who: Identity
    records: tuple[Record, ...] = ()  # stored before the operation, each with its id
    target: str | None = None  # get/update/delete: the id asked for
    filter: Filter | None = None  # list/index
    cat: str | None = None  # index: the partition key
    input: tuple[tuple[str, object], ...] = ()  # create/update (without id)
    condition: Filter | None = None  # update/delete
    writer: Identity | None = None  # subscribe: who creates the event's record
    alias: bool = False  # the query selects `secret` under the alias `hidden`


@dataclass(frozen=True)
class Outcome:
    status: str
    errors: frozenset[str] = frozenset()
    items: tuple[dict[str, object], ...] = ()
    detail: str = field(default="", compare=False)


def matches(flt: Filter | None, record: Record) -> bool:
    if flt is None:
        return True
    results = [_leaf(leaf, record.get(leaf[0])) for leaf in flt[1]]
    return all(results) if flt[0] == "and" else any(results)


def _leaf(leaf: Leaf, value: object) -> bool:
    _, op, wanted = leaf
    if op == "eq":
        return value == wanted
    if op == "ne":
        return value is not None and value != wanted
    return isinstance(value, str) and isinstance(wanted, str) and value.startswith(wanted)


def named(flt: Filter | None) -> list[str]:
    return [] if flt is None else [leaf[0] for leaf in flt[1]]


def decide(api: ApiSpec, case: Case) -> Outcome:
    model = api.model(case.model)
    op = {"index": "list", "subscribe": "listen"}.get(case.op, case.op)
    if not exists(api, model, op):
        return Outcome(ABSENT, frozenset({"ValidationError"}), detail=f"{op} is not generated")
    if case.op in ("get", "list", "index"):
        return _read(api, model, case, op)
    if case.op == "create":
        return create(api, model, case.who, dict(case.input))[0]
    if case.op == "subscribe":
        return _subscribe(api, model, case)
    return _write(api, model, case, op)


def _denied(detail: str) -> Outcome:
    return Outcome(DENIED, frozenset({UNAUTHORIZED}), detail=detail)


def _shown(views: list[dict[str, object]]) -> Outcome:
    from .fields import DROPPED, HIDDEN

    values = [v for view in views for v in view.values()]
    errors = {UNAUTHORIZED} if any(v is HIDDEN for v in values) else set()
    # `id: ID!` hidden: GraphQL nulls the whole item (a non-null field cannot be null).
    items = tuple(
        {k: (None if v is HIDDEN or v is DROPPED else v) for k, v in view.items()}
        if view.get("id") is not HIDDEN
        else {"item": None}
        for view in views
    )
    return Outcome(OK, frozenset(errors), items)


def question_refused(
    api: ApiSpec,
    model: ModelSpec,
    who: Identity,
    names: list[str],
    model_readers: list[Rule],
    writing: bool = False,
) -> str | None:
    """ "Questions about fields": a field with its own rules needs a read rule admitting
    the caller statically; a field the model's rules govern, a reader of the records (one
    of ``model_readers`` could admit the caller); a field the authorizer denied, never."""
    for name in names:
        if f"{model.name}.{name}" in who.denied:
            return f"{name} is denied by the authorizer"
        own = model.field(name).rules
        if own is not None:
            if not any(admits_static(r, who) for r in own if r.allows("read")):
                return f"no read rule of {name} admits the caller statically"
        elif writing and not any(could_admit(r, who) for r in model_readers):
            # "a field-only writer admitted by none of them is Unauthorized"
            return f"{name} is the model's and no rule showing the record admits the caller"
        elif not writing and partial_reader(model, who, model_readers):
            return f"{name} is the model's and the caller is a partial reader"
    return None


def partial_reader(model: ModelSpec, who: Identity, model_readers: list[Rule]) -> bool:
    """ "Partial readers (callers only field rules admit)" may not name the model's fields.
    docs/semantics.md does not say whether a caller the model's rules admit only through
    a predicate (an owner), whom a field rule the model's rules do not cover admits too,
    counts: the resolvers count them (lib/partial.js readsPartially), since their answers
    would hold records they read only partially; so does the oracle."""
    if not any(could_admit(r, who) for r in model_readers):
        return True
    if any(admits_static(r, who) for r in model_readers):
        return False
    uncovered = [
        r
        for r in field_read_rules(model)
        if not any(covers(m, r, tuple(model_readers)) for m in model_readers)
    ]
    return any(could_admit(r, who) for r in uncovered)


def _read(api: ApiSpec, model: ModelSpec, case: Case, op: str) -> Outcome:
    who = case.who
    records = list(case.records)
    if is_admin(api, who):
        chosen = _chosen(case, records)
        return _shown([read_view(api, model, who, r, True) for r in chosen])
    readers = model_rules(model, op)
    partial = field_read_rules(model)
    if not any(could_admit(r, who) for r in readers + partial):
        return _denied(f"no rule can admit the caller to {op}")
    keys = ["id"] if case.op == "get" else (["cat"] if case.op == "index" else [])
    refused = question_refused(api, model, who, named(case.filter), readers)
    if keys and not any(could_admit(r, who) for r in readers):
        refused = refused or f"{keys[0]} is the model's and the caller is a partial reader"
    if refused:
        return _denied(refused)
    # "A key is always a conjunct, so there an owner or dynamic-group read rule counts and
    # confines the question": a caller the model's rules admit only through predicates,
    # who reads other records partially, is answered on the records those predicates hold
    # on (a get answers null for any other record, a list leaves it out).
    confine = bool(keys) and partial_reader(model, who, readers)
    views = []
    for record in _chosen(case, records):
        reader = any(admits(r, who, record) for r in readers)
        if confine and not reader:
            continue
        if reader or any(admits(r, who, record) for r in partial):
            views.append(read_view(api, model, who, record, reader))
        elif case.op == "get":
            return _denied("neither the model's rules nor a field rule admit the record")
    return _shown(views)


def _chosen(case: Case, records: list[Record]) -> list[Record]:
    if case.op == "get":
        return [r for r in records if r["id"] == case.target]
    chosen = [r for r in records if matches(case.filter, r)]
    if case.op == "index":
        chosen = [r for r in chosen if r.get("cat") == case.cat]
    return chosen


def fill_owners(model: ModelSpec, who: Identity, item: dict[str, object]) -> None:
    """ "create fills each absent owner field named by an owner rule allowing create, for
    the caller's provider, with the caller's most specific identity (a list owner field: a
    list of the caller alone). A supplied owners list is kept as sent"."""
    for rule in model_rules(model, "create"):
        mine = owner_identities(rule, who) if rule.allow == "owner" else []
        if not mine:
            continue
        name = rule.owner_field
        if model.field(name).is_list:
            if item.get(name) is None:
                item[name] = [mine[0]]
        elif name not in item:
            item[name] = mine[0]


def create(
    api: ApiSpec, model: ModelSpec, who: Identity, given: dict[str, object]
) -> tuple[Outcome, dict[str, object] | None]:
    """ "Resolvers: writes", create, and "Partial readers", writes."""
    item = {"id": "<made>", **given}  # "`util.autoId()` for an absent `id` key"
    if is_admin(api, who):
        return _shown([write_view(api, model, who, item, True)]), item
    fill_owners(model, who, item)
    creator = any(admits(r, who, item) for r in model_rules(model, "create"))
    # "a caller whom only fields' create rules admit": admitted by the create rules, on the
    # new item, of a field they supply (docs/semantics.md is silent on an empty input).
    field_creator = any(
        admits(r, who, item)
        for name in given
        for r in model.field(name).rules or ()
        if r.allows("create")
    )
    if not creator and not field_creator:
        return _denied("no create rule admits the caller"), None
    refused = []
    for name in given:
        own = model.field(name).rules
        if own is None:
            if not creator:
                refused.append(name)
        elif not any(admits(r, who, item) for r in own if r.allows("create")):
            refused.append(name)
    if refused:
        return _denied(f"Unauthorized on {sorted(refused)}"), None
    return _shown([write_view(api, model, who, item, True)]), item


def _write(api: ApiSpec, model: ModelSpec, case: Case, op: str) -> Outcome:
    """Update and delete ("Resolvers: writes"): refusals before DynamoDB, then the write's
    condition judged on the item it lands on (not found, predicates, the user's)."""
    who = case.who
    record = next((r for r in case.records if r["id"] == case.target), None)
    admin = is_admin(api, who)
    sets = _rule_sets(model, op, dict(case.input))
    extra: list[Rule] = []
    if not admin:
        refused, extra = _before_write(api, model, case, op, sets)
        if refused is not None:
            return refused
    if record is None:
        return Outcome(NOT_FOUND, frozenset({CONDITIONAL}), detail="no item has this key")
    if not admin:
        for name, rules in [*sets, ("the condition", extra)]:
            if rules and not any(admits(r, who, record) for r in rules):
                return _denied(f"the predicates of {name} are false on the record")
    after = _applied(record, dict(case.input))
    if not matches(case.condition, record):
        # "Resolvers: writes", Atomic: AppSync counts an update whose condition failed as
        # done when the item already is what it would leave, unless predicates guard it.
        guarded = not admin and (extra or any(not _static(rules, who) for _, rules in sets))
        if op == "delete" or guarded or after != record:
            return Outcome(CONDITION, frozenset({CONDITIONAL}), detail="the condition failed")
    if op == "delete":
        return _shown([write_view(api, model, who, record, True)])
    # "A caller the model's rules let update gets the record back whole even without read":
    # let update on the record the write lands on (an owner who gives it away included).
    readers = model_rules(model, "update") + model_rules(model, "get")
    whole = admin or any(admits(r, who, record) for r in readers)
    return _shown([write_view(api, model, who, after, whole)])


def _rule_sets(model: ModelSpec, op: str, changes: dict[str, object]) -> list[RuleSet]:
    """Each rule set the write needs a rule of: per changed field (update; a key-only input
    the model's update rules), or the model's delete rules and each field's own."""
    if op == "update":
        return [
            (name, [r for r in model.rules_of(name) if r.allows(_change_op(value))])
            for name, value in changes.items()
        ] or [("id", model_rules(model, "update"))]
    return [("id", model_rules(model, "delete"))] + [
        (f.name, [r for r in f.rules if r.allows("delete")])
        for f in model.fields
        if f.rules is not None
    ]


def _before_write(
    api: ApiSpec, model: ModelSpec, case: Case, op: str, sets: list[RuleSet]
) -> tuple[Outcome | None, list[Rule]]:
    """The refusals before DynamoDB is asked, and the predicates a condition on the model's
    fields adds for a caller the response shows the record to only through them."""
    who = case.who
    if op == "update" and who.provider not in operation_modes(api, model, op):
        return _denied("the update's directive leaves the caller's mode out"), []
    refused = [n for n, rules in sets if not any(could_admit(r, who) for r in rules)]
    if refused:
        return _denied(f"Unauthorized on {refused}"), []
    whole_rules = model_rules(model, "get") + model_rules(model, op)
    reason = question_refused(api, model, who, named(case.condition), whole_rules, True)
    if reason:
        return _denied(reason), []
    on_model = any(model.field(n).rules is None for n in named(case.condition))
    if on_model and not _static(whole_rules, who):
        return None, [r for r in whole_rules if could_admit(r, who)]
    return None, []


def _applied(record: Record, changes: dict[str, object]) -> dict[str, object]:
    after = dict(record)
    for name, value in changes.items():
        if value is None:
            after.pop(name, None)
        else:
            after[name] = value
    return after


def _static(rules: list[Rule], who: Identity) -> bool:
    return any(admits_static(r, who) for r in rules)


def _change_op(value: object) -> str:
    """ "a change to `null` by the rules allowing `delete` on it"."""
    return "delete" if value is None else "update"


def _subscribe(api: ApiSpec, model: ModelSpec, case: Case) -> Outcome:
    """ "Resolvers: subscriptions": admins and static admission get every event; predicates
    filter on the event (a mutation response: stored owner values, protected fields null);
    the payload keeps the fields the subscriber's mode and authorizer let through."""
    from .fields import gate

    who = case.who
    listeners = model_rules(model, "listen") + field_read_rules(model)
    admin = is_admin(api, who)
    if not admin and not any(could_admit(r, who) for r in listeners):
        return Outcome("refused", frozenset({UNAUTHORIZED}), detail="no listen rule admits")
    assert case.writer is not None
    made, item = create(api, model, case.writer, dict(case.input))
    if item is None:
        return Outcome(OK, detail="the writer's create was refused: no event")
    event = dict(made.items[0])
    if event == {"item": None}:
        # The writer may not read the record's id: the mutation's response is null, and a
        # subscription event is that response.
        return Outcome(OK, detail="the writer's create returned null: no event")
    if (
        not admin
        and not _static(listeners, who)
        and not any(admits(r, who, event) for r in listeners)
    ):
        return Outcome(OK, detail="the filter leaves the event out")
    payload = {
        k: (
            v
            if admin or (gate(api, model, k, who) is None and f"{model.name}.{k}" not in who.denied)
            else None
        )
        for k, v in event.items()
    }
    return Outcome(OK, items=(payload,))
