"""``ConflictResolutionConfig``: the construct's conflict resolution property (Amplify's
``conflictResolution``), checked and turned into the compiler's
:class:`~..authz.settings.ConflictResolution`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from aws_cdk import aws_lambda

from ..authz.settings import ConflictHandler, ConflictResolution
from ..schema import names
from ..schema.errors import quote_list
from ..schema.model import Schema

__all__ = [
    "ConflictHandler",
    "ConflictResolutionConfig",
    "LambdaConflictHandler",
    "conflict_handlers",
    "conflict_problems",
    "conflict_settings",
]


@dataclass(frozen=True)
class LambdaConflictHandler:
    """The LAMBDA conflict handler (AppSync's ``LAMBDA`` with its
    ``LambdaConflictHandlerConfig``): ``function`` answers a write refused for its version
    with ``{"action": "RESOLVE", "item": {...}}``, ``{"action": "REJECT"}`` or
    ``{"action": "REMOVE"}``. The API gets one Lambda data source per distinct function,
    shared by the models it resolves, with a role that may invoke that function only."""

    function: aws_lambda.IFunction


Handler = ConflictHandler | LambdaConflictHandler | str
_NAMED = (ConflictHandler.AUTOMERGE, ConflictHandler.OPTIMISTIC_CONCURRENCY)
_ALLOWED = ", ".join(f"'{h.value}'" for h in _NAMED) + " or LambdaConflictHandler(function=...)"


@dataclass(frozen=True)
class ConflictResolutionConfig:
    """Conflict detection and sync for every model (``project``) and per model name
    (``models``, overriding ``project``): each a :class:`ConflictHandler` or its name, or a
    :class:`LambdaConflictHandler`. A model with a handler is versioned, as a DataStore
    client needs it."""

    project: Handler | None = None
    models: Mapping[str, Handler] = field(default_factory=dict)


def _handler(value: object, where: str, problems: list[str]) -> ConflictHandler | None:
    if isinstance(value, LambdaConflictHandler):
        if not hasattr(value.function, "function_arn"):
            problems.append(
                f"conflict_resolution {where} is a LambdaConflictHandler whose function is "
                f"{value.function!r}; it takes a Lambda function (aws_lambda.IFunction)."
            )
            return None
        return ConflictHandler.LAMBDA
    if isinstance(value, ConflictHandler):
        handler = value
    else:
        try:
            handler = ConflictHandler(value)
        except ValueError:
            problems.append(f"conflict_resolution {where} is {value!r}; it takes {_ALLOWED}.")
            return None
    if handler is ConflictHandler.LAMBDA:
        problems.append(
            f"conflict_resolution {where} is 'LAMBDA', which needs the function that "
            "resolves conflicts: pass LambdaConflictHandler(function=<an aws_lambda.IFunction>) "
            "instead."
        )
        return None
    return handler


def conflict_problems(config: object, schema: Schema | None) -> list[str]:
    """Every problem of the property, as a sentence (models checked against ``schema``)."""
    if config is None:
        return []
    if not isinstance(config, ConflictResolutionConfig):
        return [
            f"conflict_resolution is {config!r}; it takes a ConflictResolutionConfig "
            "(or None: no conflict resolution)."
        ]
    problems: list[str] = []
    if config.project is not None:
        _handler(config.project, "project", problems)
    known = [m.name for m in schema.models] if schema is not None else None
    for name, value in config.models.items():
        _handler(value, f"for model '{name}'", problems)
        if known is not None and name not in known:
            problems.append(
                f"conflict_resolution names the model '{name}', which the schema does not "
                f"declare; use one of {quote_list(known)}."
            )
    return problems + (_reserved_fields(config, schema) if schema is not None else [])


# The fields a versioned model gains, and the attribute its tombstones expire by.
_RESERVED = (
    names.VERSION_FIELD,
    names.DELETED_FIELD,
    names.LAST_CHANGED_FIELD,
    names.TTL_ATTRIBUTE,
)
_RESERVED_TEXT = ", ".join(repr(n) for n in _RESERVED)


def _reserved_fields(config: ConflictResolutionConfig, schema: Schema) -> list[str]:
    """A versioned model declaring a field conflict resolution adds (or its TTL attribute),
    or an ``@index`` named as its delta-sync index."""
    found = []
    for model in schema.models:
        if config.models.get(model.name, config.project) is None:
            continue
        taken = [f.name for f in model.fields if f.name in _RESERVED]
        if taken:
            found.append(
                f"Model '{model.name}' declares {', '.join(repr(n) for n in taken)}: "
                f"conflict resolution adds {_RESERVED_TEXT} to a versioned model "
                f"itself; rename the field or leave '{model.name}' out of conflict_resolution."
            )
        found += [
            f"The @index on field '{model.name}.{index.partition_key}' is named "
            f"'{index.name}', the name of the delta-sync index conflict resolution adds to "
            f"a versioned model's table; give the @index another name or leave "
            f"'{model.name}' out of conflict_resolution."
            for index in model.indexes
            if index.name == names.DELTA_SYNC_INDEX
        ]
    return found


def _kind(value: Handler) -> ConflictHandler:
    return (
        ConflictHandler.LAMBDA
        if isinstance(value, LambdaConflictHandler)
        else ConflictHandler(value)
    )


def conflict_handlers(config: ConflictResolutionConfig | None) -> dict[str, aws_lambda.IFunction]:
    """The Lambda data source name of each distinct handler function, in the order the
    property names them: ``<FunctionId>ConflictHandler`` (numbered when ids repeat)."""
    if config is None:
        return {}
    found: dict[str, aws_lambda.IFunction] = {}
    for value in (config.project, *config.models.values()):
        if not isinstance(value, LambdaConflictHandler):
            continue
        if any(f is value.function for f in found.values()):
            continue
        stem = re.sub(r"[^A-Za-z0-9]", "", value.function.node.id) or "Lambda"
        name = f"{stem}ConflictHandler"
        count = 1
        while name in found:
            count += 1
            name = f"{stem}ConflictHandler{count}"
        found[name] = value.function
    return found


def conflict_settings(config: ConflictResolutionConfig | None) -> ConflictResolution:
    """The compiler's setting of a property :func:`conflict_problems` found sound."""
    if config is None:
        return ConflictResolution()
    functions = conflict_handlers(config)

    def source(value: Handler | None) -> str | None:
        if not isinstance(value, LambdaConflictHandler):
            return None
        return next(name for name, f in functions.items() if f is value.function)

    project_source = source(config.project)
    return ConflictResolution(
        project=None if config.project is None else _kind(config.project),
        models=tuple((name, _kind(value)) for name, value in config.models.items()),
        project_lambda=project_source,
        lambdas=tuple(
            (name, found)
            for name, value in config.models.items()
            if (found := source(value)) is not None
        ),
    )
