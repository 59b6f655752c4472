"""The fixed-seed CI sample of the conformance run: generated schemas, callers, records and
operations through LocalAppSync, each answer compared with the independent oracle
(oracle.py, from docs/semantics.md alone). `make conformance` runs the long one."""

from __future__ import annotations

from .runner import CATEGORIES, Tally, run

SEED = 20261206
SCHEMAS = 8
CASES_PER_SCHEMA = 375  # 3,000 cases


def test_the_runtime_agrees_with_the_oracle_on_the_fixed_seed_sample() -> None:
    tally = run(SCHEMAS, CASES_PER_SCHEMA, SEED, Tally())
    assert tally.schemas == SCHEMAS, tally.skipped_schemas
    assert tally.cases == SCHEMAS * CASES_PER_SCHEMA
    # Every operation kind and caller kind is exercised.
    assert set(tally.by_op) == {"get", "list", "index", "create", "update", "delete", "subscribe"}
    assert len(tally.by_caller) == 8, tally.by_caller
    shown = "\n\n".join(str(m) for m in tally.mismatches[:20])
    summary = {c: tally.by_category[c] for c in CATEGORIES}
    assert not tally.mismatches, f"{len(tally.mismatches)} mismatches {summary}:\n\n{shown}"
