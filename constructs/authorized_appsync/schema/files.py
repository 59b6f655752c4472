"""Schema paths to schema sources: what ``check``, ``acm`` and ``ApiDefinition.from_files``
read.

A path is a file (read as given, whatever its name) or a directory: every ``*.graphql``
file under it, in its subdirectories too, hidden files and directories (``.name``) left
out, sorted by path. Amplify's CLI reads a project's ``schema/`` folder the same way
(recursively, hidden entries skipped); the order here is sorted so that error listings and
builds are the same on every machine. A file named twice (itself and through its directory)
is read once.

A path that cannot be used is a :class:`SchemaFileError`, one sentence per path: it is a
mistake on the command line or in the CDK app, not a problem of the schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import AuthorizedAppSyncError
from .errors import did_you_mean

__all__ = ["SCHEMA_SUFFIX", "SchemaFileError", "read_schema_sources", "schema_files"]

SCHEMA_SUFFIX = ".graphql"


class SchemaFileError(AuthorizedAppSyncError, ValueError):
    """Schema paths that cannot be read; ``problems`` holds one sentence per path."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))


def schema_files(*paths: str | Path) -> tuple[Path, ...]:
    """The files ``paths`` name: each file as given, each directory's ``*.graphql`` files
    (recursively, hidden entries skipped, sorted). Raises :class:`SchemaFileError` for a
    path that does not exist or a directory holding no ``.graphql`` file."""
    found: dict[Path, None] = {}
    problems: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            try:
                inside = _graphql_files(path)
            except OSError as error:
                problems.append(
                    f"Cannot read schema directory '{error.filename or path}': "
                    f"{error.strerror or error}."
                )
                continue
            if not inside:
                problems.append(
                    f"Directory '{path}' holds no {SCHEMA_SUFFIX} file (its subdirectories "
                    f"were searched too); give a {SCHEMA_SUFFIX} file or a directory that "
                    "holds some."
                )
            found.update(dict.fromkeys(inside))
        elif path.exists():
            found[path] = None
        else:
            problems.append(_missing(path))
    if problems:
        raise SchemaFileError(problems)
    return _unique(found)


def read_schema_sources(*paths: str | Path) -> list[tuple[str, str]]:
    """``(name, text)`` of every file :func:`schema_files` finds, names as the paths were
    given (so errors point where the user looks). Raises :class:`SchemaFileError` for
    paths it cannot use or files it cannot read as UTF-8 text."""
    sources: list[tuple[str, str]] = []
    problems: list[str] = []
    for path in schema_files(*paths):
        try:
            sources.append((str(path), path.read_text(encoding="utf-8")))
        except UnicodeDecodeError as error:
            problems.append(
                f"Schema file '{path}' is not UTF-8 text (byte 0x{error.object[error.start]:02x} "
                f"at offset {error.start}); save it as UTF-8."
            )
        except OSError as error:
            problems.append(f"Cannot read schema file '{path}': {error.strerror or error}.")
    if problems:
        raise SchemaFileError(problems)
    return sources


def _graphql_files(directory: Path) -> list[Path]:
    files: list[Path] = []
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            files.extend(_graphql_files(entry))
        elif entry.suffix == SCHEMA_SUFFIX and entry.is_file():
            files.append(entry)
    return files


def _missing(path: Path) -> str:
    parent = path.parent
    siblings = [p.name for p in parent.iterdir()] if parent.is_dir() else []
    return (
        f"Schema path '{path}' does not exist; give a {SCHEMA_SUFFIX} file or a directory "
        f"of {SCHEMA_SUFFIX} files.{did_you_mean(path.name, siblings)}"
    )


def _unique(found: Iterable[Path]) -> tuple[Path, ...]:
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return tuple(unique)
