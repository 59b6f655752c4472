"""The one harness for resolver tests: a plan in, the deployed APPSYNC_JS (the resolver's
own code and the shared functions of its pipeline) run in node with a recorded AppSync
identity, AppSync's outcome out.

    post = Resolver(plan(OperationKind.GET, rules=[owner()]))
    got = post.response(ALICE, result={"id": "1", "owner": ALICE.owner_value})
    assert got.result == {"id": "1", "owner": "alice"}

``request`` runs the pipeline up to the data source (its result is the request the
model's data function sends; a NONE pipeline's ``{"payload": null}``), ``response`` runs
the rest with the data source's ``result`` / ``error``, as AppSync does.

Callers are the recorded contexts in ``fixtures/contexts/`` (one identity per auth mode,
shaped as AppSync fills ``ctx.identity``). Every handler call runs in a fresh ``vm``
context of one shared node process.
"""

from __future__ import annotations

import atexit
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from authorized_appsync.codegen.resolvers.pipelines import (
    DATA,
    SharedFunction,
    data_function_code,
    pipeline_of,
    resolver_code,
)
from authorized_appsync.codegen.resolvers.plan import (
    ConflictHandler,
    OperationKind,
    ResolverPlan,
    RuleSpec,
    SecuritySettings,
    plan_of_kind,
)
from authorized_appsync.local.js.runner import HandlerCall, HandlerOutcome, JsSession
from authorized_appsync.schema.model import Provider, Strategy

__all__ = [
    "ADMIN",
    "ALICE",
    "API_KEY",
    "BOB",
    "CAROL",
    "IAM_ADMIN",
    "IAM_ADMIN_LOOKALIKE",
    "IAM_AUTH",
    "IAM_UNAUTH",
    "IAM_USER",
    "LAMBDA",
    "NOW",
    "OIDC",
    "POOL_ID",
    "SECURITY",
    "UNAUTHORIZED",
    "Caller",
    "Resolver",
    "caller",
    "custom",
    "ddb",
    "dynamic_groups",
    "from_ddb",
    "owner",
    "plan",
    "private",
    "public",
    "static_groups",
]

FIXTURES = Path(__file__).parent / "fixtures" / "contexts"
NOW = "2024-05-01T12:00:00.000Z"
POOL_ID = "us-east-1:11111111-2222-3333-4444-555555555555"
UNAUTHORIZED = "Unauthorized"
# The key marking a mutation's record (lib/shape.js): relation fields below it are null.
WRITTEN = "__written"


@dataclass(frozen=True)
class Caller:
    """A recorded caller: the mode AppSync authorized it with and its ``ctx.identity``."""

    name: str
    auth_type: str
    identity: Any
    request: Any

    @property
    def sub(self) -> str:
        return str(self.identity["sub"])

    @property
    def username(self) -> str:
        return str(self.identity.get("username") or self.identity["claims"]["username"])

    @property
    def owner_value(self) -> str:
        """What create stores for this caller: ``<sub>::<username>``."""
        return f"{self.sub}::{self.username}"


@cache
def caller(name: str) -> Caller:
    raw = json.loads((FIXTURES / f"{name}.json").read_text())
    return Caller(name, raw["authType"], raw["identity"], raw["request"])


API_KEY = caller("api_key")
IAM_UNAUTH = caller("iam_unauth")
IAM_AUTH = caller("iam_auth")
IAM_ADMIN = caller("iam_admin")
IAM_ADMIN_LOOKALIKE = caller("iam_admin_lookalike")
IAM_USER = caller("iam_user")
ALICE = caller("cognito_alice")
BOB = caller("cognito_bob")
CAROL = ADMIN = caller("cognito_admin")  # in "Admins" and "Editors"
OIDC = caller("oidc_user")
LAMBDA = caller("lambda")

SECURITY = SecuritySettings(admin_roles=("AdminRole",), identity_pool_id=POOL_ID)


# ---- rules --------------------------------------------------------------------------


def owner(
    field: str = "owner",
    *,
    claim: str = "sub::username",
    provider: str = "userPools",
    is_list: bool = False,
) -> RuleSpec:
    return RuleSpec(
        strategy=Strategy.OWNER,
        provider=Provider(provider),
        owner_field=field,
        owner_is_list=is_list,
        identity_claim=claim,
    )


def static_groups(
    *groups: str, claim: str = "cognito:groups", provider: str = "userPools"
) -> RuleSpec:
    return RuleSpec(
        strategy=Strategy.GROUPS, provider=Provider(provider), group_claim=claim, groups=groups
    )


def dynamic_groups(
    field: str = "groups",
    *,
    is_list: bool = False,
    claim: str = "cognito:groups",
    provider: str = "userPools",
) -> RuleSpec:
    return RuleSpec(
        strategy=Strategy.GROUPS,
        provider=Provider(provider),
        group_claim=claim,
        groups_field=field,
        groups_field_is_list=is_list,
    )


def public(provider: str = "apiKey") -> RuleSpec:
    return RuleSpec(strategy=Strategy.PUBLIC, provider=Provider(provider))


def private(provider: str = "userPools") -> RuleSpec:
    return RuleSpec(strategy=Strategy.PRIVATE, provider=Provider(provider))


def custom() -> RuleSpec:
    return RuleSpec(strategy=Strategy.CUSTOM, provider=Provider.FUNCTION)


def shared_functions() -> list[SharedFunction]:
    """Every shared function a pipeline may run: each kind's, AUTOMERGE's merge and a
    LAMBDA handler's conflict functions."""
    conflicts = ((None, None), (ConflictHandler.AUTOMERGE, None), (ConflictHandler.LAMBDA, "Fix"))
    found = (
        step
        for kind in OperationKind
        for conflict, handler in conflicts
        for step in pipeline_of(kind, conflict, handler)
    )
    return list(dict.fromkeys(s for s in found if isinstance(s, SharedFunction)))


def plan(
    kind: OperationKind,
    rules: Iterable[RuleSpec] = (),
    *,
    field_rules: Mapping[str, Iterable[RuleSpec]] | None = None,
    null_rules: Mapping[str, Iterable[RuleSpec]] | None = None,
    read_rules: Mapping[str, Iterable[RuleSpec]] | None = None,
    defaults: Mapping[str, Any] | None = None,
    **kw: Any,
) -> ResolverPlan:
    """A plan for model ``Post`` (key ``id``)."""
    kw.setdefault("model", "Post")
    kw.setdefault("partition_key", "id")
    kw.setdefault("sort_key", None)
    if kind is OperationKind.QUERY_INDEX:
        kw.setdefault("index_name", "byBlog")
        kw.setdefault("index_partition_key", "blogId")
    parts = {
        "field_rules": field_rules,
        "null_rules": null_rules,
        "read_rules": read_rules,
    }
    for name, given in parts.items():
        if given is not None:
            kw[name] = tuple((k, tuple(v)) for k, v in given.items())
    if defaults is not None:
        kw["defaults"] = tuple(defaults.items())
    return plan_of_kind(kind, rules=tuple(rules), **kw)


# ---- running handlers -----------------------------------------------------------------

_SESSION: list[JsSession] = []


def _session() -> JsSession:
    if not _SESSION:
        _SESSION.append(JsSession())
        atexit.register(_SESSION[0].close)
    return _SESSION[0]


_FIELDS = {
    OperationKind.GET: ("Query", "get{m}"),
    OperationKind.LIST: ("Query", "list{m}s"),
    OperationKind.QUERY_INDEX: ("Query", "{m_lower}sByIndex"),
    OperationKind.CREATE: ("Mutation", "create{m}"),
    OperationKind.UPDATE: ("Mutation", "update{m}"),
    OperationKind.DELETE: ("Mutation", "delete{m}"),
    OperationKind.SUBSCRIBE: ("Subscription", "onCreate{m}"),
}


@dataclass
class _Run:
    """One pass through some handlers: the context as it evolves and what they did."""

    ctx: dict[str, Any]
    errors: list[Any] = field(default_factory=list)
    subscription_filter: Any = None

    def call(self, code: str, handler: str, who: Caller) -> HandlerOutcome:
        got = _session().run(HandlerCall(code, handler, self.ctx, who.auth_type, now=NOW))
        self.errors += got.errors
        self.ctx["stash"] = got.stash
        if got.subscription_filter is not None:
            self.subscription_filter = got.subscription_filter
        return got

    def outcome(self, last: HandlerOutcome) -> HandlerOutcome:
        return HandlerOutcome(
            result=last.result,
            error=last.error,
            errors=tuple(self.errors),
            early_return=last.early_return,
            subscription_filter=self.subscription_filter,
            stash=self.ctx["stash"],
        )


@dataclass(frozen=True)
class Resolver:
    """The resolver for a plan as deployed (its code and its pipeline's functions, the
    shared ones with ``security``), with its handlers callable per caller."""

    plan: ResolverPlan
    security: SecuritySettings = SECURITY
    code: str = field(init=False)
    functions: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", resolver_code(self.plan, where="the test resolver"))
        steps = pipeline_of(self.plan.kind)
        codes = tuple(
            data_function_code() if isinstance(step, str) else step.code(self.security)
            for step in steps
        )
        object.__setattr__(self, "functions", codes)
        assert steps[1:2] in ((DATA,), ()), "a table pipeline's data function is second"

    def info(self) -> dict[str, Any]:
        m = self.plan.model
        if self.plan.kind is OperationKind.FIELD_READ:
            parent, name = m, str(self.plan.field_name)
        else:
            parent, name = _FIELDS[self.plan.kind]
            name = name.format(m=m, m_lower=m[:1].lower() + m[1:])
        return {"fieldName": name, "parentTypeName": parent}

    def _context(self, who: Caller, ctx: dict[str, Any]) -> dict[str, Any]:
        context = {k: v for k, v in ctx.items() if v is not None}
        context.setdefault("arguments", {})
        info = {**self.info(), **context.pop("info", {})}
        context.update(identity=who.identity, request=who.request, info=info)
        context.setdefault("stash", {})
        context["prev"] = {"result": None}
        return context

    def request(self, who: Caller, **ctx: Any) -> HandlerOutcome:
        """The resolver's request, then its functions up to the data source: the first
        function's request (a table pipeline: prepare's request and response, then the
        data function's request)."""
        run = _Run(self._context(who, ctx))
        got = run.call(self.code, "request", who)
        if got.error is not None:
            return run.outcome(got)
        got = run.call(self.functions[0], "request", who)
        if got.error is not None or len(self.functions) == 1:
            return run.outcome(got)
        run.ctx["result"] = (got.result or {}).get("payload")
        got = run.call(self.functions[0], "response", who)
        if got.error is not None:
            return run.outcome(got)
        run.ctx.pop("result", None)
        run.ctx["prev"] = {"result": got.result}
        return run.outcome(run.call(self.functions[1], "request", who))

    def response(self, who: Caller, **ctx: Any) -> HandlerOutcome:
        """The rest, with ``result`` / ``error`` as the data source answered. ``stash``
        (e.g. what ``request`` left) is laid over the resolver's own."""
        result, error = ctx.pop("result", None), ctx.pop("error", None)
        given = ctx.pop("stash", None) or {}
        run = _Run(self._context(who, ctx))
        got = run.call(self.code, "request", who)
        run.ctx["stash"] = {**got.stash, **given}
        run.ctx.update(result=result, error=error)
        last = self.functions[-1]
        if len(self.functions) > 1:
            got = run.call(self.functions[1], "response", who)
            if got.error is not None:
                return run.outcome(got)
            run.ctx.pop("result", None)
            run.ctx.pop("error", None)
            run.ctx["prev"] = {"result": got.result}
            got = run.call(last, "request", who)
            if got.error is not None:
                return run.outcome(got)
            run.ctx["result"] = (got.result or {}).get("payload")
        got = run.call(last, "response", who)
        if got.error is not None:
            return run.outcome(got)
        run.ctx.pop("result", None)
        run.ctx.pop("error", None)
        run.ctx["prev"] = {"result": got.result}
        return run.outcome(run.call(self.code, "response", who))


# ---- DynamoDB values ---------------------------------------------------------------------


def ddb(value: Any) -> Any:
    """A plain value as a DynamoDB attribute value (as util.dynamodb.toDynamoDB does)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | float):
        return {"N": str(value)}
    if isinstance(value, list):
        return {"L": [ddb(v) for v in value]}
    return {"M": {k: ddb(v) for k, v in value.items()}}


def from_ddb(value: Mapping[str, Any]) -> Any:
    """A DynamoDB attribute value as a plain value."""
    ((kind, raw),) = value.items()
    if kind == "NULL":
        return None
    if kind == "N":
        return float(raw) if "." in raw else int(raw)
    if kind == "L":
        return [from_ddb(v) for v in raw]
    if kind == "M":
        return {k: from_ddb(v) for k, v in raw.items()}
    return raw
