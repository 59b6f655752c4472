"""Source locations and the one error type for schema problems.

Every problem found in a schema is a :class:`Diagnostic` carrying the place it came from.
Validation collects all of them; :class:`SchemaError` carries the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..appsync import did_you_mean
from ..errors import AuthorizedAppSyncError

__all__ = [
    "UNKNOWN_LOCATION",
    "Diagnostic",
    "Location",
    "SchemaError",
    "did_you_mean",
    "quote_list",
]


@dataclass(frozen=True, kw_only=True, order=True)
class Location:
    """A place in a schema source: a file (or ``<string>``) with 1-based line and column."""

    source: str = "<string>"
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}"


UNKNOWN_LOCATION = Location(source="<unknown>", line=0, column=0)


@dataclass(frozen=True, kw_only=True)
class Diagnostic:
    """One problem: a sentence that names the thing, the value received and what is allowed."""

    message: str
    location: Location
    related: tuple[Location, ...] = field(default=())

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        for other in self.related:
            text += f"\n{other}: (see also)"
        return text


class SchemaError(AuthorizedAppSyncError):
    """Raised when a schema has problems; ``diagnostics`` lists every one, in source order."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(
            sorted(diagnostics, key=lambda d: (d.location, d.message))
        )
        count = len(self.diagnostics)
        head = f"The schema has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([head, *(str(d) for d in self.diagnostics)]))


def quote_list(values: Iterable[str]) -> str:
    """``a, b or c`` with each value quoted, for 'what is allowed' clauses."""
    quoted = [f"'{v}'" for v in values]
    if not quoted:
        return "nothing"
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
