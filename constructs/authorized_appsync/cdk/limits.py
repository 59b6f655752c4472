"""CloudFormation's limits on one template, checked on every template this library writes
(the API's resources, each nested stack), so that synthesis never emits one that
CloudFormation would refuse; and DynamoDB's limit on the global secondary indexes of a
table, checked on every table spec. AppSync's limit on code length is checked where the
code is made (``codegen/resolvers/pipelines.py``)."""

from __future__ import annotations

import json
from typing import Any

from ..codegen.tables import TableSpec
from .checks import ConfigurationError

__all__ = [
    "MAX_GSIS",
    "MAX_OUTPUTS",
    "MAX_PARAMETERS",
    "MAX_RESOURCES",
    "MAX_TEMPLATE_BYTES",
    "check_indexes",
    "check_template",
    "index_problems",
    "template_problems",
]

# AWS CloudFormation quotas (per template / stack).
MAX_TEMPLATE_BYTES = 1_000_000  # template body, read from S3
MAX_RESOURCES = 500
MAX_OUTPUTS = 200
MAX_PARAMETERS = 200
# Amazon DynamoDB quota: global secondary indexes per table.
MAX_GSIS = 20


def template_problems(what: str, template: dict[str, Any]) -> list[str]:
    """Sentences naming each CloudFormation limit ``template`` exceeds (none: it fits)."""
    size = len(json.dumps(template, indent=1).encode("utf-8"))
    found = []
    for name, count, limit in (
        ("resources", len(template.get("Resources") or {}), MAX_RESOURCES),
        ("outputs", len(template.get("Outputs") or {}), MAX_OUTPUTS),
        ("parameters", len(template.get("Parameters") or {}), MAX_PARAMETERS),
    ):
        if count > limit:
            found.append(
                f"{what} would have {count} {name}; CloudFormation takes at most {limit} per "
                f"stack. Set model_stacks to spread the models over more nested stacks, or "
                f"split the schema over several APIs."
            )
    if size > MAX_TEMPLATE_BYTES:
        found.append(
            f"{what} would be a {size:,}-byte template; CloudFormation takes at most "
            f"{MAX_TEMPLATE_BYTES:,} bytes. Set model_stacks to spread the models over more "
            f"nested stacks, or split the schema over several APIs."
        )
    return found


def check_template(path: str, what: str, template: dict[str, Any]) -> None:
    """Raise :class:`ConfigurationError` (construct ``path``) if ``template`` exceeds a limit."""
    problems = template_problems(what, template)
    if problems:
        raise ConfigurationError(path, problems)


def index_problems(tables: tuple[TableSpec, ...]) -> list[str]:
    """Sentences naming each table with more global secondary indexes than DynamoDB takes."""
    found = []
    for table in tables:
        count = len(table.indexes)
        if count <= MAX_GSIS:
            continue
        owners, relations = len(table.owner_indexes), len(table.relation_owner_indexes)
        delta = ", the delta-sync index of conflict resolution" if table.delta_sync_index else ""
        declared = count - owners - relations - (1 if delta else 0)
        found.append(
            f"the table of model '{table.model}' would have {count} global secondary indexes "
            f"({declared} for its @index directives and the foreign keys of @hasMany "
            f"relations, {owners} owner index{'es' if owners != 1 else ''}, {relations} "
            f"relation owner index{'es' if relations != 1 else ''}{delta}); DynamoDB takes at most "
            f"{MAX_GSIS} per table. Remove @index directives from '{table.model}' or @hasMany "
            f"relations to it (each adds its foreign-key index and one relation owner index "
            f"per owner field of an owner rule allowing list), or split the model."
        )
    return found


def check_indexes(path: str, tables: tuple[TableSpec, ...]) -> None:
    """Raise :class:`ConfigurationError` (construct ``path``) if a table has too many GSIs."""
    problems = index_problems(tables)
    if problems:
        raise ConfigurationError(path, problems)
