"""``ConflictResolutionConfig``: the construct's conflict resolution property (Amplify's
``conflictResolution``), checked and turned into the compiler's
:class:`~..authz.settings.ConflictResolution`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..authz.settings import ConflictHandler, ConflictResolution
from ..schema import names
from ..schema.errors import quote_list
from ..schema.model import Schema

__all__ = ["ConflictHandler", "ConflictResolutionConfig", "conflict_problems", "conflict_settings"]

# The handlers this version resolves; the others are refused by name.
SUPPORTED = (ConflictHandler.AUTOMERGE, ConflictHandler.OPTIMISTIC_CONCURRENCY)


@dataclass(frozen=True)
class ConflictResolutionConfig:
    """Conflict detection and sync for every model (``project``) and per model name
    (``models``, overriding ``project``): each a :class:`ConflictHandler` or its name.
    A model with a handler is versioned, as a DataStore client needs it."""

    project: ConflictHandler | str | None = None
    models: Mapping[str, ConflictHandler | str] = field(default_factory=dict)


def _handler(value: object, where: str, problems: list[str]) -> ConflictHandler | None:
    if isinstance(value, ConflictHandler):
        handler = value
    else:
        try:
            handler = ConflictHandler(value)
        except ValueError:
            allowed = quote_list([h.value for h in ConflictHandler])
            problems.append(f"conflict_resolution {where} is {value!r}; it takes one of {allowed}.")
            return None
    if handler not in SUPPORTED:
        supported = quote_list([h.value for h in SUPPORTED])
        problems.append(
            f"conflict_resolution {where} is '{handler.value}', which this version of "
            f"authorized-appsync does not support yet; use {supported}."
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


def conflict_settings(config: ConflictResolutionConfig | None) -> ConflictResolution:
    """The compiler's setting of a property :func:`conflict_problems` found sound."""
    if config is None:
        return ConflictResolution()
    project = None if config.project is None else ConflictHandler(config.project)
    return ConflictResolution(
        project=project,
        models=tuple((name, ConflictHandler(value)) for name, value in config.models.items()),
    )
