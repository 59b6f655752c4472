"""The documented import, ``from authorized_appsync.local import LocalAppSync``, and what it
says without the ``local`` extra: one sentence naming the extra, as an ``ImportError`` (the
command line's ``serve`` reports it in its own words)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from authorized_appsync.local import EXTRA_MODULES, CredentialsRejectedError, LocalAppSync
from authorized_appsync.local.app import CredentialsRejectedError as AppCredentialsRejected
from authorized_appsync.local.app import LocalAppSync as AppLocalAppSync

SENTENCE = (
    "authorized_appsync.local needs the 'local' extra ({module} is not installed): "
    "pip install 'authorized-appsync[local]'."
)

# Two ways a package can be missing: no finder finds it (a meta path finder refusing it, as
# an uninstalled package is refused), or sys.modules holding None for it.
BLOCKERS = {
    "finder": """
        import importlib.abc, sys
        class Uninstalled(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.partition(".")[0] == MISSING:
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)
                return None
        sys.meta_path.insert(0, Uninstalled())
    """,
    "sys.modules": """
        import sys
        sys.modules[MISSING] = None
    """,
}

PROBE = """
import json
try:
    {statement}
except ImportError as error:
    print(json.dumps({{"type": type(error).__name__, "message": str(error), "name": error.name}}))
else:
    print(json.dumps(None))
"""


def _import_without(module: str, blocker: str, statement: str) -> object:
    script = f"MISSING = {module!r}\n" + textwrap.dedent(BLOCKERS[blocker])
    script += PROBE.format(statement=statement)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout)


def test_the_short_path_is_the_runtime():
    assert LocalAppSync is AppLocalAppSync
    assert CredentialsRejectedError is AppCredentialsRejected


@pytest.mark.parametrize("blocker", sorted(BLOCKERS))
@pytest.mark.parametrize(
    "statement",
    ["from authorized_appsync.local import LocalAppSync", "import authorized_appsync.local"],
)
def test_without_the_extra_one_sentence_names_it(blocker, statement):
    failed = _import_without("moto", blocker, statement)
    assert failed == {
        "type": "LocalExtraMissingError",
        "message": SENTENCE.format(module="moto"),
        "name": "moto",
    }


@pytest.mark.parametrize("module", EXTRA_MODULES)
def test_each_package_of_the_extra_is_checked(module):
    failed = _import_without(module, "sys.modules", "import authorized_appsync.local")
    assert isinstance(failed, dict)
    assert failed["message"] == SENTENCE.format(module=module)


def test_serve_names_the_extra_too():
    script = (
        "import sys\nsys.modules['websockets'] = None\n"
        "from authorized_appsync.cli import main\nsys.exit(main(['serve']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "authorized-appsync serve needs the local runtime's packages (websockets is missing): "
        "pip install 'authorized-appsync[local]'."
    )
