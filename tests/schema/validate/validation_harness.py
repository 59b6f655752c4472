"""The one harness for schema validation tests: SDL in, the exact list of problems out.

SDL given to the harness is dedented and its leading blank lines removed, so that line 1 is
the first line of schema text as written in the test::

    assert_errors(
        '''
        type Todo @model @auth(rules: [{ allow: ownr }]) {
          content: String
        }
        ''',
        [(1, 41, "Did you mean 'owner'?")],
    )
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from authorized_appsync.schema.errors import Diagnostic
from authorized_appsync.schema.sdl import parse_sdl
from authorized_appsync.schema.validate import validate

__all__ = ["SOURCE", "Expected", "assert_errors", "assert_valid", "diagnostics", "prepare"]

SOURCE = "schema.graphql"
# (line, column, a fragment the message must contain)
Expected = tuple[int, int, str]


def prepare(sdl: str) -> str:
    """The SDL as the harness parses it: dedented, leading blank lines removed."""
    return textwrap.dedent(sdl).lstrip("\n")


def diagnostics(sdl: str) -> list[Diagnostic]:
    """Every problem ``validate`` reports for ``sdl`` (after :func:`prepare`)."""
    return validate(parse_sdl(prepare(sdl), SOURCE))


def _report(found: Sequence[Diagnostic]) -> str:
    return "\n".join(f"  {d}" for d in found) or "  (none)"


def assert_errors(sdl: str, expected: Sequence[Expected]) -> list[Diagnostic]:
    """Assert that validating ``sdl`` reports exactly ``expected``: the same number of
    problems, at the same (line, column) positions in the same order, each message
    containing its fragment. Returns the diagnostics for further assertions."""
    found = diagnostics(sdl)
    got = [(d.location.line, d.location.column) for d in found]
    want = [(line, column) for line, column, _ in expected]
    assert len(found) == len(
        expected
    ), f"expected {len(expected)} problem(s), got {len(found)}:\n{_report(found)}"
    assert got == want, f"locations differ: expected {want}, got:\n{_report(found)}"
    for diagnostic, (_, _, fragment) in zip(found, expected, strict=True):
        assert (
            fragment in diagnostic.message
        ), f"message at {diagnostic.location} lacks {fragment!r}:\n  {diagnostic.message}"
        assert diagnostic.location.source == SOURCE
    return found


def assert_valid(sdl: str) -> None:
    """Assert that ``sdl`` validates with no problems at all."""
    assert_errors(sdl, [])
