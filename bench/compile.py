"""Compile-time benchmark: parse + validate + build + plan (with the access-control
matrix) for generated schemas of 10, 100 and 1,000 models.

Target (issue 2): 1,000 models in under 2 s on one core. Prints a table; run with
``make bench`` or ``.venv/bin/python bench/compile.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from authorized_appsync.authz import plan_schema
from authorized_appsync.schema._gc import paused_gc
from authorized_appsync.schema.build import build_schema
from authorized_appsync.schema.model import Schema
from authorized_appsync.schema.sdl import parse_sdl
from authorized_appsync.schema.validate import validate

sys.path.insert(0, str(Path(__file__).parent))
from schemas import generated_schema

T = TypeVar("T")


def _timed(step: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def run_once(sdl: str) -> dict[str, float]:
    """One compile, stage by stage, each stage run as the library runs it (the collector
    paused, see schema/_gc.py)."""
    parse_s, document = _timed(lambda: parse_sdl(sdl, "bench.graphql"))

    def checked() -> list[object]:
        with paused_gc():
            return list(validate(document))

    def built() -> Schema:
        with paused_gc():
            return build_schema(document)

    validate_s, problems = _timed(checked)
    assert problems == [], problems
    build_s, schema = _timed(built)

    def plan_with_acm() -> int:
        plan = plan_schema(schema)
        # The matrix is computed by the plan; its rows are a view (roles x fields x 4).
        return sum(len(t.roles) * len(t.fields) * 4 for t in plan.acm.types)

    plan_s, rows = _timed(plan_with_acm)
    return {
        "parse": parse_s,
        "validate": validate_s,
        "build": build_s,
        "plan": plan_s,
        "total": parse_s + validate_s + build_s + plan_s,
        "rows": float(rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (median shown)")
    parser.add_argument("--sizes", default="10,100,1000")
    args = parser.parse_args()
    header = f"{'models':>7} {'parse s':>9} {'validate s':>11} {'build s':>9} {'plan+acm s':>11}"
    header += f" {'total s':>9} {'ACM rows':>9} {'target':>8}"
    print(header)
    print("-" * len(header))
    for size in (int(s) for s in args.sizes.split(",")):
        sdl = generated_schema(size)
        runs = [run_once(sdl) for _ in range(args.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        target = ("< 2 s " + ("ok" if med["total"] < 2 else "MISSED")) if size == 1000 else ""
        print(
            f"{size:>7} {med['parse']:>9.3f} {med['validate']:>11.3f} {med['build']:>9.3f}"
            f" {med['plan']:>11.3f} {med['total']:>9.3f} {int(med['rows']):>9} {target:>8}"
        )


if __name__ == "__main__":
    main()
