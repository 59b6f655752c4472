"""The long conformance run (`make conformance`): generated schemas x callers x records x
operations through LocalAppSync, each compared with the independent oracle of
tests/conformance. Prints cases per operation and caller kind, mismatches by category and
the wall time; exits 1 on any mismatch.

    python bench/conformance.py [--cases 100000] [--seed 1] [--schemas 25]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conformance.runner import CATEGORIES, Tally, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in all (100000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the draws (1)")
    parser.add_argument("--schemas", type=int, default=25, help="generated schemas (25)")
    parser.add_argument("--show", type=int, default=10, help="mismatches printed (10)")
    args = parser.parse_args(argv)
    per_schema = -(-args.cases // args.schemas)
    tally = run(args.schemas, per_schema, args.seed, Tally(), verbose=False)
    print(report(tally, args.seed))
    for mismatch in tally.mismatches[: args.show]:
        print(f"\n{mismatch}")
    return 1 if tally.mismatches else 0


def report(tally: Tally, seed: int) -> str:
    lines = [
        f"conformance: {tally.cases} cases over {tally.schemas} schemas (seed {seed}), "
        f"{tally.seconds:.0f} s ({tally.cases / max(tally.seconds, 1e-9):.0f} cases/s)"
    ]
    if tally.skipped_schemas:
        lines.append(f"schemas refused at synth and skipped: {len(tally.skipped_schemas)}")
    lines += _table("operation", tally.by_op)
    lines += _table("caller", tally.by_caller)
    lines += _table("outcome", tally.by_status)
    lines.append("")
    lines.append(f"{'mismatches':<34}{'count':>8}")
    for category in CATEGORIES:
        lines.append(f"  {category:<32}{tally.by_category[category]:>8}")
    lines.append(f"  {'total':<32}{len(tally.mismatches):>8}")
    return "\n".join(lines)


def _table(title: str, counts: dict[str, int]) -> list[str]:
    rows = ["", f"{title:<34}{'cases':>8}"]
    rows += [f"  {name:<32}{count:>8}" for name, count in sorted(counts.items())]
    return rows


if __name__ == "__main__":
    sys.exit(main())
