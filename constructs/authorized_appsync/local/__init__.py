"""The local runtime: runs what was synthesized (the cloud assembly's schema, resolvers,
data sources and authorization config) on this machine, with AppSync's behaviour.

    from authorized_appsync.local import LocalAppSync

README.md says what each folder holds. It needs the packages of the ``local`` extra;
without them importing it raises :class:`LocalExtraMissingError`, a one-sentence
``ImportError`` naming the extra.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from ..errors import AuthorizedAppSyncError

if TYPE_CHECKING:
    from .app import CredentialsRejectedError, LocalAppSync

__all__ = ["CredentialsRejectedError", "LocalAppSync", "LocalExtraMissingError"]

# The top-level modules of the `local` extra's distributions (pyproject.toml).
EXTRA_MODULES = ("boto3", "moto", "cryptography", "websockets")
_EXPORTS = frozenset({"CredentialsRejectedError", "LocalAppSync"})


class LocalExtraMissingError(AuthorizedAppSyncError, ImportError):
    """A package of the ``local`` extra is not installed (``name``: its module)."""


def _missing() -> list[str]:
    absent = []
    for module in EXTRA_MODULES:
        try:
            found = find_spec(module)
        except (ImportError, ValueError):  # blocked, or a broken entry in sys.modules
            found = None
        if found is None:
            absent.append(module)
    return absent


def _require_extra() -> None:
    absent = _missing()
    if absent:
        raise LocalExtraMissingError(
            f"authorized_appsync.local needs the 'local' extra ({', '.join(absent)} "
            f"{'is' if len(absent) == 1 else 'are'} not installed): "
            f"pip install 'authorized-appsync[local]'.",
            name=absent[0],
        )


_require_extra()


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module 'authorized_appsync.local' has no attribute '{name}'")
