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

A validation rule's test module (``test_<rule>.py``, named after ``schema/validate/<rule>.py``)
lists its bad inputs as :func:`case` s and binds the two tests of :func:`rule_tests` to
module-level names, where pytest collects them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from authorized_appsync.cli import main
from authorized_appsync.schema.errors import Diagnostic
from authorized_appsync.schema.sdl import parse_sdl
from authorized_appsync.schema.validate import validate

__all__ = [
    "SOURCE",
    "Expected",
    "assert_errors",
    "assert_valid",
    "case",
    "diagnostics",
    "prepare",
    "rule_tests",
]

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


def case(case_id: str, sdl: str, expected: list[Expected]) -> object:
    """A bad input: ``sdl`` and exactly the problems it must produce, as a test parameter."""
    return pytest.param(sdl, expected, id=case_id)


def rule_tests(cases: Sequence[object]) -> tuple[Callable[..., None], Callable[..., None]]:
    """The two tests of a rule's bad inputs, parametrized with ``cases``: ``validate`` reports
    exactly the expected problems, and ``authorized-appsync check`` prints each at
    ``file:line:col`` and fails. Bind both in the rule's test module::

        test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = (
            rule_tests(BAD_INPUTS)
        )
    """

    @pytest.mark.parametrize(("sdl", "expected"), cases)
    def test_bad_input_is_reported(sdl: str, expected: list[Expected]) -> None:
        assert_errors(sdl, expected)

    @pytest.mark.parametrize(("sdl", "expected"), cases)
    def test_check_command_prints_located_message_and_fails(
        sdl: str, expected: list[Expected], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / SOURCE
        path.write_text(prepare(sdl), encoding="utf-8")
        assert main(["check", str(path)]) == 1
        printed = capsys.readouterr().err.splitlines()
        for line, column, fragment in expected:
            prefix = f"{path}:{line}:{column}: "
            assert any(p.startswith(prefix) and fragment in p for p in printed), (prefix, printed)
        plural = "s" if len(expected) != 1 else ""
        assert printed[-1] == f"{len(expected)} problem{plural} found."

    return test_bad_input_is_reported, test_check_command_prints_located_message_and_fails
