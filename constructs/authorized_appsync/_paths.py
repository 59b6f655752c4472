"""Where the package's non-Python parts are: ``resolvers/`` (APPSYNC_JS sources) and
``lambda_authorizer/``. Installed from a wheel they sit inside the package; in a checkout
they are top-level folders of the repository. Both are found the same way."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["lambda_authorizer_dir", "resolvers_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"authorized-appsync cannot find its '{name}' folder (looked in {_PACKAGE / name} and "
        f"{_PACKAGE.parent.parent / name}); the installation is incomplete."
    )


@cache
def resolvers_dir() -> Path:
    return _find("resolvers")


@cache
def lambda_authorizer_dir() -> Path:
    return _find("lambda_authorizer")
