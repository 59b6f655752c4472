"""Runs generated cases through LocalAppSync (one API per generated schema) and compares
each answer with the oracle's."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from authorized_appsync.errors import AuthorizedAppSyncError
from authorized_appsync.local import LocalAppSync
from authorized_appsync.local.engine import Caller
from authorized_appsync.local.subscriptions.hub import SubscriptionRefusedError

from .generate import apis, cases, describe
from .identity import Identity
from .model import ApiSpec, ModelSpec
from .oracle import ABSENT, CONDITION, DENIED, NOT_FOUND, OK, Case, Outcome, decide
from .render import ALIAS, document, model_sdl, schema_sdl, subscription

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "local"))
from stacks import IdentityPool, api_stack, role_name

T = TypeVar("T")
AUTHORIZER = "def handler(event, context):\n    return {'isAuthorized': True}\n"
CATEGORIES = ("allowed/denied", "items", "fields", "error types")


@dataclass
class Mismatch:
    case: str
    category: str
    oracle: Outcome
    runtime: Outcome
    schema: str

    def __str__(self) -> str:
        return (
            f"[{self.category}] {self.case}\n  oracle:  {_show(self.oracle)}\n"
            f"  runtime: {_show(self.runtime)}"
        )


def _show(outcome: Outcome) -> str:
    detail = f" ({outcome.detail})" if outcome.detail else ""
    return f"{outcome.status} {sorted(outcome.errors)} {list(outcome.items)}{detail}"


@dataclass
class Tally:
    by_op: Counter[str] = field(default_factory=Counter)
    by_caller: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    mismatches: list[Mismatch] = field(default_factory=list)
    schemas: int = 0
    skipped_schemas: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def cases(self) -> int:
        return sum(self.by_op.values())


def draw(strategy: st.SearchStrategy[T], count: int, base_seed: int) -> list[T]:
    """``count`` examples of ``strategy`` drawn with a fixed seed (generation only: no
    shrinking, no example database)."""
    found: list[T] = []

    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @seed(base_seed)
    @given(strategy)
    def collect(example: T) -> None:
        found.append(example)

    collect()
    return found


def draw_apis(count: int, base_seed: int) -> list[ApiSpec]:
    return draw(st.integers(0, 10**6).flatmap(apis), count, base_seed)


def draw_cases(api: ApiSpec, count: int, base_seed: int) -> list[Case]:
    return draw(cases(api, "r"), count, base_seed)


@contextmanager
def running(api: ApiSpec, name: str, sdl: str | None = None) -> Iterator[tuple[LocalAppSync, str]]:
    """The API of ``api`` (its SDL, or ``sdl``) running locally, with the name of its admin
    role."""
    stack = api_stack(
        name,
        sdl or schema_sdl(api),
        api_key=True,
        oidc=True,
        identity_pool=IdentityPool(),
        iam_mode=api.iam_mode,
        authorizer=AUTHORIZER,
        admin_role="Ops" if api.admin else None,
    )
    with LocalAppSync.from_stack(stack) as local:
        yield local, role_name(stack, "Ops") if api.admin else "Ops"


def caller(local: LocalAppSync, who: Identity, admin_name: str) -> Caller:
    claims = dict(who.claims)
    if who.kind == "apiKey":
        return local.api_key()
    if who.kind == "userPools":
        groups = tuple(claims.pop("cognito:groups", ()))
        assert who.username is not None
        return local.user(who.username, groups=groups, sub=who.sub, claims=claims)
    if who.kind == "oidc":
        return local.oidc_user({"sub": who.sub, "username": who.username, **claims})
    if who.kind in ("iamAuth", "iamUnauth"):
        return local.iam("authenticated" if who.kind == "iamAuth" else "unauthenticated")
    if who.kind in ("iamAdmin", "iamOther"):
        return local.iam(admin_name if who.kind == "iamAdmin" else "Stranger")
    context = {"deniedFields": json.dumps(sorted(who.denied))} if who.denied else {}
    return local.lambda_caller(context, tuple(sorted(who.denied)))


def _attribute(value: object) -> dict[str, Any]:
    if isinstance(value, list):
        return {"L": [{"S": v} for v in value]}
    return {"S": value}


def seed_records(local: LocalAppSync, model: ModelSpec, case: Case) -> None:
    """Put the case's records straight into the table, with the owner key attribute an
    item written by another tool must carry (docs/semantics.md, "Known limits")."""
    table = _table(local, model)
    attributes = {name for name, _ in table.attributes}
    for record in case.records:
        item = {k: _attribute(v) for k, v in record.items() if v is not None}
        item["__typename"] = {"S": model.name}
        for f in model.fields:
            key = f"__ownerKey_{f.name}"
            value = record.get(f.name)
            if key in attributes and isinstance(value, str) and value:
                item[key] = {"S": value.split("::", 1)[1] if "::" in value else value}
        local.client.put_item(TableName=table.name, Item=item)


def _table(local: LocalAppSync, model: ModelSpec) -> Any:
    (table,) = [t for k, t in local.api.tables.items() if k.endswith(f"{model.name}Table")]
    return table


def wipe(local: LocalAppSync, model: ModelSpec) -> None:
    table = _table(local, model)
    for item in local.client.scan(TableName=table.name).get("Items", []):
        local.client.delete_item(TableName=table.name, Key={"id": item["id"]})


def observe(local: LocalAppSync, model: ModelSpec, case: Case, admin_name: str) -> Outcome:
    who = caller(local, case.who, admin_name)
    if case.op == "subscribe":
        return _observe_subscription(local, model, case, who, admin_name)
    query, variables, root = document(model, case)
    response = local.graphql(query, {k: v for k, v in variables.items() if v is not None}, auth=who)
    return read_response(response, root, case)


def read_response(response: Mapping[str, Any], root: str, case: Case) -> Outcome:
    errors = response.get("errors") or []
    # GraphQL's own "Cannot return null for non-nullable field" error has no errorType.
    types = frozenset(str(e["errorType"]) for e in errors if e.get("errorType"))
    messages = "; ".join(str(e.get("message")) for e in errors)
    data = (response.get("data") or {}).get(root) if response.get("data") else None
    if data is None and errors and not response.get("data"):
        return Outcome(ABSENT, types, detail=messages)
    if data is None and any(_id_error(e, root) for e in errors):
        # The record came back without its `id: ID!`: GraphQL nulls the whole record.
        return Outcome(OK, types, ({"item": None},), detail=messages)
    if data is None and errors:
        if "ConditionalCheckFailed" in messages or any("Conditional" in t for t in types):
            status = NOT_FOUND if "not found" in messages else CONDITION
            return Outcome(status, types, detail=messages)
        return Outcome(DENIED, types, detail=messages)
    if data is None:
        return Outcome(OK, types, (), detail=messages)
    items = data["items"] if case.op in ("list", "index") else [data]
    found = tuple(_unaliased(i) if i is not None else {"item": None} for i in items)
    return Outcome(OK, types, found, detail=messages)


def _unaliased(item: Mapping[str, Any]) -> dict[str, Any]:
    return {("secret" if k == ALIAS else k): v for k, v in item.items()}


def _id_error(error: Mapping[str, Any], root: str) -> bool:
    info = error.get("errorInfo") or {}
    return (
        error.get("path") == [root, "id"]
        or info.get("path") == ["id"]
        or str(error.get("message", "")).startswith("Cannot return null for non-nullable")
    )


def _observe_subscription(
    local: LocalAppSync, model: ModelSpec, case: Case, who: Caller, admin_name: str
) -> Outcome:
    query, root = subscription(model)
    try:
        listening = local.subscribe(query, auth=who)
    except SubscriptionRefusedError as refused:
        types = frozenset(str(e.get("errorType")) for e in refused.errors)
        if "ValidationError" in types:
            return Outcome(ABSENT, types, detail=str(refused))
        return Outcome("refused", types, detail=str(refused))
    with listening:
        assert case.writer is not None
        writer = caller(local, case.writer, admin_name)
        made, variables, _ = document(
            model, Case(model.name, "create", case.writer, input=case.input)
        )
        local.graphql(made, variables, auth=writer)
        events = listening.events
    return Outcome(OK, items=tuple(dict(e["data"][root]) for e in events))


def _status(outcome: Outcome) -> str:
    if outcome.status == OK and outcome.errors:
        return "ok, some fields hidden"
    if outcome.status == OK and not outcome.items:
        return "ok, nothing returned"
    return outcome.status


def compare(case: Case, oracle: Outcome, runtime: Outcome) -> str | None:
    """The first category the answers differ in."""
    if oracle.status != runtime.status:
        return CATEGORIES[0]
    strip = case.op in ("create", "subscribe")  # ids are made by the resolver
    left = [_key(i, strip) for i in oracle.items]
    right = [_key(i, strip) for i in runtime.items]
    if sorted(i[0] for i in left) != sorted(i[0] for i in right):
        return CATEGORIES[1]
    if sorted(left) != sorted(right):
        return CATEGORIES[2]
    if oracle.errors != runtime.errors:
        return CATEGORIES[3]
    return None


def _key(item: Mapping[str, object], strip: bool) -> tuple[str, str]:
    ident = "<made>" if strip and item.get("id") is not None else str(item.get("id"))
    rest = {k: v for k, v in item.items() if k != "id"}
    return ident, json.dumps(rest, sort_keys=True)


def run(
    schemas: int, per_schema: int, base_seed: int, tally: Tally, verbose: bool = False
) -> Tally:
    started = time.perf_counter()
    for index, api in enumerate(draw_apis(schemas, base_seed)):
        name = f"Conformance{base_seed}x{index}"
        try:
            context = running(api, name)
            local, admin_name = context.__enter__()
        except AuthorizedAppSyncError as refused:
            tally.skipped_schemas.append(f"{name}: {refused}".splitlines()[0])
            continue
        tally.schemas += 1
        try:
            for case in draw_cases(api, per_schema, base_seed + index):
                model = api.model(case.model)
                expected = decide(api, case)
                try:
                    seed_records(local, model, case)
                    got = observe(local, model, case, admin_name)
                finally:
                    wipe(local, model)
                tally.by_op[case.op] += 1
                tally.by_caller[case.who.kind] += 1
                tally.by_status[_status(expected)] += 1
                category = compare(case, expected, got)
                if category:
                    tally.by_category[category] += 1
                    tally.mismatches.append(
                        Mismatch(describe(case), category, expected, got, schema_sdl(api))
                    )
                    if verbose:
                        print(tally.mismatches[-1], flush=True)
                        print(model_sdl(model), flush=True)
        finally:
            context.__exit__(None, None, None)
    tally.seconds += time.perf_counter() - started
    return tally
