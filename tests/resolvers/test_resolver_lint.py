"""The APPSYNC_JS code passes AWS's AppSync ESLint rules (recommended set): the sources in
``resolvers/`` and, more to the point, the bundles AppSync actually receives."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from authorized_appsync.codegen.resolvers.pipelines import (
    data_function_code,
    resolver_code,
)
from authorized_appsync.codegen.resolvers.plan import (
    PLAN_TYPES,
    OperationKind,
    ResolverPlan,
    SecuritySettings,
)
from authorized_appsync.codegen.tables import OwnerIndex
from resolver_harness import (
    dynamic_groups,
    owner,
    plan,
    private,
    public,
    shared_functions,
    static_groups,
)

ROOT = Path(__file__).resolve().parents[2]
ESLINT = ROOT / "node_modules" / ".bin" / "eslint"

# The bundles are linted with the repository's own rule set (eslint.config.mjs exports it).
BUNDLE_CONFIG = """import {{ appsyncConfig }} from {config};
export default appsyncConfig(['**/*.js'], './tsconfig.json', {root});
"""


def _npx() -> str:
    if not ESLINT.exists():
        pytest.fail(f"ESLint is not installed in {ROOT / 'node_modules'}: run make setup")
    npx = shutil.which("npx")
    if npx is None:
        pytest.fail("npx (Node.js) is not on PATH: install Node.js 20 and run make setup")
    return npx


def _eslint(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``npx eslint`` from the repository's node_modules, run in ``cwd`` (ESLint ignores
    files outside the working directory)."""
    return subprocess.run(
        [_npx(), "--no-install", "--prefix", str(ROOT), "eslint", "--max-warnings", "0", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def representative(kind: OperationKind) -> ResolverPlan:
    """A plan of ``kind`` with every part its type takes filled in."""
    rules = (owner(), static_groups("Admins"), dynamic_groups(is_list=True), public())
    every: dict[str, Any] = {
        "field_rules": {"ssn": [owner()], "notes": [private("iam")]},
        "null_rules": {"title": rules, "ssn": [owner()]},
        "owner_fields": (owner(), owner("editors", is_list=True)),
        "protected_fields": ("ssn", "notes"),
        "owner_indexes": (OwnerIndex("owner", "ownerOwnerIndex", "__ownerKey_owner"),),
        "index_name": "byBlog",
        "index_partition_key": "blogId",
        "index_sort_key": "createdAt",
        "field_name": "ssn",
    }
    taken = {f.name for f in fields(PLAN_TYPES[kind])}
    return plan(kind, rules, **{k: v for k, v in every.items() if k in taken})


SECURITY = SecuritySettings(
    admin_roles=("AdminRole",),
    identity_pool_id="us-east-1:11111111-2222-3333-4444-555555555555",
    authenticated_role="authRole",
)


def deployed_code() -> dict[str, str]:
    """File name -> every kind of code AppSync receives: each resolver's own code, each
    shared function, the models' data function."""
    found = {"data.js": data_function_code()}
    for kind in OperationKind:
        found[f"{kind.value}Resolver.js"] = resolver_code(representative(kind), where=kind.value)
    for step in shared_functions():
        found[f"{step.key}.js"] = step.code(SECURITY)
    # A plan too large to embed as is: the code writes each rule once (R).
    wide = {f"field{i}": (owner(), static_groups("Admins")) for i in range(80)}
    large = resolver_code(plan(OperationKind.UPDATE, [owner()], null_rules=wide), where="large")
    assert "const R = [" in large
    found["updateLarge.js"] = large
    return found


def test_bundles_pass_the_appsync_rules(tmp_path: Path) -> None:
    code = deployed_code()
    for name, text in code.items():
        (tmp_path / name).write_text(text)
    utils_types = ROOT / "node_modules" / "@aws-appsync" / "utils" / "lib" / "index.d.ts"
    tsconfig = {
        "compilerOptions": {
            "allowJs": True,
            "checkJs": False,
            "noEmit": True,
            "target": "ES2022",
            "module": "ES2022",
            "moduleResolution": "node",
            "lib": ["ES2022"],
            "types": [],
            "skipLibCheck": True,
            "baseUrl": ".",
            "paths": {"@aws-appsync/utils": [str(utils_types)]},
        },
        "include": ["*.js"],
    }
    (tmp_path / "tsconfig.json").write_text(json.dumps(tsconfig, indent=2))
    config = tmp_path / "eslint.config.mjs"
    config.write_text(
        BUNDLE_CONFIG.format(
            config=json.dumps((ROOT / "eslint.config.mjs").as_uri()), root=json.dumps(str(tmp_path))
        )
    )
    files = sorted(p.name for p in tmp_path.glob("*.js"))
    assert files == sorted(code)
    done = _eslint(["--config", str(config), "--format", "json", *files], cwd=tmp_path)
    report = json.loads(done.stdout or "[]")
    linted = {Path(r["filePath"]).name for r in report}
    assert linted == set(code), done.stderr
    problems = [
        f"{Path(r['filePath']).name}:{m.get('line')}:{m.get('column')} "
        f"{m['message']} ({m.get('ruleId')})"
        for r in report
        for m in r["messages"]
    ]
    assert not problems, "\n".join(problems)
    assert done.returncode == 0, done.stderr


def test_sources_pass_the_appsync_rules() -> None:
    done = _eslint(["resolvers"])
    assert done.returncode == 0, done.stdout + done.stderr
