"""Which template holds each model: the API's own stack, or one of ``K`` nested stacks
chosen by the hash of the model's name.

Placement depends only on the model's name and ``K``, never on the size of the schema's
other models: a model stays in its stack as the schema changes, because CloudFormation
cannot move a deployed table, data source or resolver to another stack (the new copy is
created before the old one is deleted, and their names clash). ``K`` is the
``model_stacks`` setting, or chosen from measured sizes when it is not set: 0 (the API's
stack) while the models fit there, else the smallest power of two whose stacks all fit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..errors import AuthorizedAppSyncError
from .model_template import ModelFragment

__all__ = [
    "API_STACK_BYTES",
    "API_STACK_RESOURCES",
    "NESTED_BYTES",
    "NESTED_RESOURCES",
    "Placement",
    "PlacementError",
    "place",
]

# What this library puts in the API's own stack at most, leaving the rest of
# CloudFormation's 1,000,000 bytes and 500 resources to the stack's other resources.
API_STACK_BYTES = 500_000
API_STACK_RESOURCES = 250
# What one nested stack of models holds at most (CloudFormation: 1,000,000 / 500).
NESTED_BYTES = 800_000
NESTED_RESOURCES = 400
# Above this many nested stacks the API's stack would spend too much of its own budget on
# them; a schema that needs more is refused.
MAX_STACKS = 256
# Bytes a fragment grows by once its parameter references are resolved (GetAtt instead of
# Ref); measured on the example app, rounded up.
_RESOLVED_MARGIN = 1.05


class PlacementError(AuthorizedAppSyncError, ValueError):
    """The models cannot be placed within the budgets; the message says what to change."""


@dataclass(frozen=True)
class Placement:
    """``stacks`` = 0: every model in the API's own stack; else ``buckets[i]`` holds the
    models of nested stack ``i`` (empty ones are not created)."""

    stacks: int
    buckets: tuple[tuple[ModelFragment, ...], ...]
    automatic: bool
    api_stack_bytes: int  # what the API's own stack gets from this library
    api_stack_resources: int


def bucket_of(model: str, stacks: int) -> int:
    return int(hashlib.sha256(model.encode("utf-8")).hexdigest()[:12], 16) % stacks


def _bytes(fragments: tuple[ModelFragment, ...] | list[ModelFragment]) -> int:
    return int(sum(f.size for f in fragments) * _RESOLVED_MARGIN)


def _resources(fragments: tuple[ModelFragment, ...] | list[ModelFragment]) -> int:
    return sum(len(f.resources) for f in fragments)


def _buckets(fragments: list[ModelFragment], stacks: int) -> tuple[tuple[ModelFragment, ...], ...]:
    found: list[list[ModelFragment]] = [[] for _ in range(stacks)]
    for fragment in fragments:
        found[bucket_of(fragment.model, stacks)].append(fragment)
    return tuple(tuple(b) for b in found)


def _overflows(buckets: tuple[tuple[ModelFragment, ...], ...]) -> list[str]:
    problems = []
    for index, bucket in enumerate(buckets):
        size, count = _bytes(bucket), _resources(bucket)
        if size > NESTED_BYTES or count > NESTED_RESOURCES:
            names = ", ".join(f.model for f in bucket[:5]) + (" ..." if len(bucket) > 5 else "")
            problems.append(
                f"nested stack Models{index} would hold {len(bucket)} models ({names}): "
                f"{count} resources and about {size:,} bytes, over this library's limit of "
                f"{NESTED_RESOURCES} resources and {NESTED_BYTES:,} bytes per nested stack "
                f"(CloudFormation's: 500 and 1,000,000)"
            )
    return problems


def place(
    fragments: list[ModelFragment], *, fixed_bytes: int, fixed_resources: int, stacks: int | None
) -> Placement:
    """Where each model goes. ``fixed_*``: what the API's stack holds besides models.
    ``stacks``: the ``model_stacks`` setting (None: automatic)."""
    in_api = fixed_bytes + _bytes(fragments), fixed_resources + _resources(fragments)
    fits = in_api[0] <= API_STACK_BYTES and in_api[1] <= API_STACK_RESOURCES
    if stacks == 0 or (stacks is None and fits):
        if not fits:
            raise PlacementError(
                f"with model_stacks=0 every model is in the API's own stack, which would get "
                f"{in_api[1]} resources and about {in_api[0]:,} bytes from this API; this "
                f"library keeps its share under {API_STACK_RESOURCES} resources and "
                f"{API_STACK_BYTES:,} bytes (CloudFormation takes 500 and 1,000,000 per "
                f"stack). Set model_stacks to a number of nested stacks (e.g. "
                f"{_automatic(fragments) or 2}), or leave it unset to choose automatically."
            )
        return Placement(0, (), stacks is None, *in_api)
    count = stacks if stacks is not None else _automatic(fragments)
    if count is None:
        largest = max(fragments, key=lambda f: (len(f.resources), f.size))
        raise PlacementError(
            f"model '{largest.model}' alone has {len(largest.resources)} resources and about "
            f"{_bytes([largest]):,} bytes; a nested stack holds at most {NESTED_RESOURCES} "
            f"resources and {NESTED_BYTES:,} bytes. Give it fewer @index query fields or "
            f"fields with their own rules, or split it into several models."
        )
    if count > MAX_STACKS:
        raise PlacementError(
            f"model_stacks={count}; at most {MAX_STACKS} nested stacks are supported."
        )
    buckets = _buckets(fragments, count)
    problems = _overflows(buckets)
    if problems:
        raise PlacementError(
            "; ".join(problems)
            + f". Set model_stacks to {count * 2}: models move between stacks when it "
            f"changes, which a deployed API cannot do, so choose it before the first "
            f"deployment."
        )
    used = sum(1 for b in buckets if b)
    return Placement(
        count, buckets, stacks is None, fixed_bytes + 1_500 * used, fixed_resources + used
    )


def _automatic(fragments: list[ModelFragment]) -> int | None:
    """The smallest power of two (>= 2) whose nested stacks all fit; None if none does."""
    count = 2
    while count <= MAX_STACKS:
        if not _overflows(_buckets(fragments, count)):
            return count
        count *= 2
    return None
