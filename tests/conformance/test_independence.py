"""The oracle shares no code with what it judges: its modules import the standard library
and each other only (not the compiler, the local runtime, the resolvers or the generator)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

HERE = Path(__file__).parent
ORACLE = ("model.py", "identity.py", "fields.py", "oracle.py")


def imports(path: Path) -> list[tuple[str, int]]:
    """Each imported module of ``path`` with its relative level (0: absolute)."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_the_oracle_imports_only_the_standard_library_and_itself() -> None:
    for name in ORACLE:
        for module, level in imports(HERE / name):
            if level:
                assert module.split(".")[0] in {m[:-3] for m in ORACLE}, (name, module)
            else:
                root = module.split(".")[0]
                assert root in sys.stdlib_module_names or root == "__future__", (name, module)


def test_the_independence_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from authorized_appsync.authz import rules\nfrom .runner import run\n")
    assert imports(bad) == [("authorized_appsync.authz", 0), ("runner", 1)]
