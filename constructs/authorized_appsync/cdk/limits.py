"""CloudFormation's limits on one template, checked on every template this library writes
(the API's resources, each nested stack), so that synthesis never emits one that
CloudFormation would refuse. AppSync's limit on code length is checked where the code is
made (``codegen/resolvers/pipelines.py``)."""

from __future__ import annotations

import json
from typing import Any

from .checks import ConfigurationError

__all__ = [
    "MAX_OUTPUTS",
    "MAX_PARAMETERS",
    "MAX_RESOURCES",
    "MAX_TEMPLATE_BYTES",
    "check_template",
    "template_problems",
]

# AWS CloudFormation quotas (per template / stack).
MAX_TEMPLATE_BYTES = 1_000_000  # template body, read from S3
MAX_RESOURCES = 500
MAX_OUTPUTS = 200
MAX_PARAMETERS = 200


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
