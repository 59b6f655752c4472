"""How every generated resolver runs: a pipeline resolver whose own code is only its plan,
and functions the whole API shares.

AppSync keeps a copy of the code of each resolver and function, and CloudFormation keeps
it in the template; the operation logic (10-28 KB of JavaScript per operation kind) must
therefore exist once per API, not once per resolver. A resolver is a pipeline:

- its own code (``stages/resolver.js``, ``stages/subscription.js``) puts its plan in
  ``ctx.stash.plan`` and returns the last function's result;
- a table operation runs three functions: the shared **prepare** function of its kind
  (NONE data source: authorization, the DynamoDB request), the model's **data** function
  (its table's data source: sends that request, hands the outcome on, a few hundred
  characters of code), and the shared **finish** function of its kind (NONE: errors,
  owner values read back, field guards);
- a subscription or a field guard runs the shared **decide** function of its kind (NONE);
- an update of an AUTOMERGE model (conflict resolution) runs two more after its data
  function: the shared **merge** function (NONE: a write refused for its version only is
  merged into the stored record) and the model's **retry** function (its table: sends the
  merged write, or nothing), before finish;
- an update or delete of a LAMBDA model runs the shared **conflict** function of its kind
  bound to the handler's Lambda data source (one per kind and handler: invokes the handler
  only when the write failed for its version), the shared **resolve** function of its kind
  (NONE: turns the handler's answer into the retry; two functions, so that each stays well
  within AppSync's limit on code), then the model's retry function, before finish.

Shared functions are content-addressed: one per distinct bundle, used by every resolver
of that kind in the API. The API's security settings are part of their code.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from ...errors import AuthorizedAppSyncError
from .bundle import MAX_CODE_LENGTH, bundle_module, compact_plan_js, source_file
from .plan import (
    ConflictHandler,
    GetPlan,
    OperationKind,
    ResolverPlan,
    SecuritySettings,
    security_js,
)

__all__ = [
    "DATA",
    "RETRY",
    "TABLE_KINDS",
    "CodeTooLargeError",
    "SharedFunction",
    "Stage",
    "data_function_code",
    "pipeline_of",
    "resolver_code",
    "retry_function_code",
]

# Mark the model's own data function, and its retry function, in a pipeline.
DATA = "data"
RETRY = "retry"
TABLE_KINDS = frozenset(
    {
        OperationKind.GET,
        OperationKind.LIST,
        OperationKind.QUERY_INDEX,
        OperationKind.CREATE,
        OperationKind.UPDATE,
        OperationKind.DELETE,
    }
)

_CHANGES = frozenset({OperationKind.UPDATE, OperationKind.DELETE})


class CodeTooLargeError(AuthorizedAppSyncError, ValueError):
    """Generated code longer than AppSync accepts for one resolver or function."""

    def __init__(self, what: str, length: int, advice: str) -> None:
        self.what = what
        self.length = length
        super().__init__(
            f"The APPSYNC_JS code of {what} is {length:,} characters; AppSync accepts at most "
            f"{MAX_CODE_LENGTH:,} per resolver or function. {advice}"
        )


class Stage(enum.Enum):
    """The entry module of a shared function."""

    PREPARE = "stages/prepare.js"
    FINISH = "stages/finish.js"
    DECIDE = "stages/decide.js"
    MERGE = "stages/merge.js"
    CONFLICT = "stages/conflict.js"
    RESOLVE = "stages/resolve.js"


@dataclass(frozen=True)
class SharedFunction:
    """A function every resolver of one operation kind shares: ``key`` names it
    (``getPrepare``, ``subscribeDecide``, ``updateConflictNotesHandler``) and is a valid
    AppSync function name. ``handler``: the Lambda data source it is bound to (a conflict
    handler's); None: the NONE data source."""

    kind: OperationKind
    stage: Stage
    handler: str | None = None

    @property
    def key(self) -> str:
        return self.kind.value + self.stage.name.capitalize() + (self.handler or "")

    def code(self, security: SecuritySettings) -> str:
        def build(tabs: bool) -> str:
            return bundle_module(
                self.stage.value,
                operation=source_file(self.kind),
                values={"SECURITY": security_js(security)},
                tabs=tabs,
            )

        return _fitted(
            build,
            f"the shared '{self.key}' function",
            "The API's security settings are part of it: give fewer admin roles.",
        )


def pipeline_of(
    kind: OperationKind, conflict: ConflictHandler | None = None, handler: str | None = None
) -> tuple[SharedFunction | str, ...]:
    """The functions of a resolver of ``kind`` (of a model with the ``conflict`` handler;
    ``handler``: a LAMBDA handler's data source), in order; :data:`DATA` stands for the
    model's data function, :data:`RETRY` for its retry function."""
    if kind is OperationKind.UPDATE and conflict is ConflictHandler.AUTOMERGE:
        merge = SharedFunction(kind, Stage.MERGE)
        return (SharedFunction(kind, Stage.PREPARE), DATA, merge, RETRY, _finish(kind))
    if kind in _CHANGES and conflict is ConflictHandler.LAMBDA and handler is not None:
        invoke = SharedFunction(kind, Stage.CONFLICT, handler)
        resolve = SharedFunction(kind, Stage.RESOLVE)
        prepare = SharedFunction(kind, Stage.PREPARE)
        return (prepare, DATA, invoke, resolve, RETRY, _finish(kind))
    if kind in TABLE_KINDS:
        return (SharedFunction(kind, Stage.PREPARE), DATA, _finish(kind))
    return (SharedFunction(kind, Stage.DECIDE),)


def _finish(kind: OperationKind) -> SharedFunction:
    return SharedFunction(kind, Stage.FINISH)


def data_function_code() -> str:
    """The code of every model's data function (the same for all)."""
    return bundle_module("stages/data.js")


def retry_function_code() -> str:
    """The code of every AUTOMERGE model's retry function (the same for all)."""
    return bundle_module("stages/retry.js")


def _entry(plan: ResolverPlan) -> str:
    if plan.kind is OperationKind.SUBSCRIBE:
        return "stages/subscription.js"
    if isinstance(plan, GetPlan) and plan.is_relation:
        return "stages/relation.js"
    return "stages/resolver.js"


def resolver_code(plan: ResolverPlan, *, where: str) -> str:
    """The code of a resolver: its entry with the plan, each distinct rule written once
    when that is shorter. ``where`` names the resolver in errors (``Query.getPost``)."""
    plain, compact = plan.to_js(), compact_plan_js(plan)
    values = {"PLAN": compact if len(compact) < len(plain) else plain}

    def build(tabs: bool) -> str:
        return bundle_module(_entry(plan), values=values, tabs=tabs)

    return _fitted(
        build,
        f"the resolver {where}",
        f"Its plan lists the rules of model '{plan.model}' and of its fields: give fewer "
        "fields their own @auth rules, or split the model.",
    )


def _fitted(build: Callable[[bool], str], what: str, advice: str) -> str:
    code = build(False)
    if len(code) > MAX_CODE_LENGTH:
        code = build(True)
    if len(code) > MAX_CODE_LENGTH:
        raise CodeTooLargeError(what, len(code), advice)
    return code
