"""codegen/bundle.py: one ES module per resolver, its plan embedded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from authorized_appsync.codegen import bundle as bundle_module
from authorized_appsync.codegen.bundle import (
    MAX_CODE_LENGTH,
    BundleError,
    bundle,
    compact_plan_js,
    source_file,
)
from authorized_appsync.codegen.resolver_plan import OperationKind, ResolverPlan
from authorized_appsync.local.jsrun import run_handler
from resolver_harness import ALICE, Resolver, owner, plan, static_groups


def representative(kind: OperationKind) -> str:
    return bundle(kind, plan(kind, [owner(), static_groups("Admins")], owner_fields=(owner(),)))


@pytest.mark.parametrize("kind", list(OperationKind), ids=[k.value for k in OperationKind])
def test_every_kind_bundles_into_one_module(kind: OperationKind) -> None:
    code = representative(kind)
    imports = re.findall(r"^import .*$", code, re.MULTILINE)
    assert imports, "the @aws-appsync/utils imports are kept"
    assert all(line.endswith("from '@aws-appsync/utils';") for line in imports)
    assert len(imports) == 1, "imports of every module are merged"
    assert "./" not in code, "no relative import is left"
    assert re.findall(r"^export function (\w+)", code, re.MULTILINE) == ["request", "response"]
    assert code.count("const PLAN = ") == 1
    assert len(code) < MAX_CODE_LENGTH


def test_plan_is_embedded_where_the_import_was() -> None:
    p = plan(OperationKind.GET, [owner()])
    code = bundle(OperationKind.GET, p)
    assert p.to_js() in code
    assert "import { PLAN }" not in code
    assert code.index(p.to_js()) < code.index("function callerOf")


def test_dependencies_come_first_each_once() -> None:
    code = representative(OperationKind.UPDATE)
    headers = re.findall(r"^// ---- (\S+) ----$", code, re.MULTILINE)
    assert headers[-1] == "update.js"
    assert len(headers) == len(set(headers))
    assert headers.index("lib/identity.js") < headers.index("lib/rules.js")
    assert headers.index("lib/expressions.js") < headers.index("lib/writes.js")


def test_sources_are_read_once() -> None:
    representative(OperationKind.GET)
    before = bundle_module._read.cache_info().misses
    for _ in range(3):
        representative(OperationKind.GET)
    assert bundle_module._read.cache_info().misses == before


def test_plan_kind_must_match() -> None:
    with pytest.raises(BundleError, match="plan for 'get'"):
        bundle(OperationKind.LIST, plan(OperationKind.GET))


def wide_plan(fields: int, *, distinct: bool) -> ResolverPlan:
    """An update plan whose nullRules name rules for many fields."""
    rules = {
        f"field{i}": (owner(), static_groups(f"Group{i if distinct else 0}", "Admins"))
        for i in range(fields)
    }
    guarded = tuple(rules.items())
    return plan(
        OperationKind.UPDATE,
        [owner()],
        null_rules=rules,
        field_rules=rules,
        read_rules=rules,
        guarded_fields=guarded,
    )


def test_large_plans_are_embedded_with_each_rule_once() -> None:
    p = wide_plan(60, distinct=False)
    assert len(p.to_js()) > MAX_CODE_LENGTH
    code = bundle(OperationKind.UPDATE, p)
    assert len(code) <= MAX_CODE_LENGTH
    assert "const PLAN_RULES = [" in code
    evaluated = run_handler(
        compact_plan_js(p) + "\nexport function request() { return PLAN; }\n", "request", {}, None
    )
    assert evaluated.result == p.to_json()


def test_code_still_too_long_is_indented_with_tabs_and_runs() -> None:
    # 34 fields with distinct rules: over the limit with each rule written once, under it
    # with a tab per indentation level instead of four spaces.
    p = wide_plan(34, distinct=True)
    code = bundle(OperationKind.UPDATE, p)
    assert len(code) <= MAX_CODE_LENGTH
    assert "\n\t\t" in code
    assert "\n    " not in code
    done = Resolver(p).request(ALICE, arguments={"input": {"id": "p1", "field3": "x"}})
    assert done.error is None
    assert isinstance(done.result, dict)
    assert done.result["operation"] == "UpdateItem"


def test_code_over_appsyncs_limit_is_refused() -> None:
    with pytest.raises(BundleError, match=r"at most 32,768"):
        bundle(OperationKind.UPDATE, wide_plan(200, distinct=True))


def test_source_for_each_kind_exists() -> None:
    resolvers = Path(bundle_module.resolvers_dir())
    for kind in OperationKind:
        assert (resolvers / source_file(kind)).is_file()


# ---- errors in the sources (a fake resolvers/ folder) -----------------------------------


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    def clear() -> None:
        for cached in (bundle_module._read, bundle_module._module, bundle_module._assembly):
            cached.cache_clear()

    (tmp_path / "lib").mkdir()
    (tmp_path / "plan.js").write_text("export const PLAN = {};\n")
    monkeypatch.setattr(bundle_module, "resolvers_dir", lambda: tmp_path)
    clear()
    yield tmp_path
    clear()


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).write_text(text)


GET_SOURCE = """import { util } from '@aws-appsync/utils';
import { PLAN } from './plan.js';
import { a } from './lib/a.js';
import { b } from './lib/b.js';

export function request(ctx) {
    return a(b(ctx), PLAN);
}

export function response(ctx) {
    return util.isNull(ctx.result) ? null : ctx.result;
}
"""


def get_plan() -> str:
    return bundle(OperationKind.GET, plan(OperationKind.GET))


def test_modules_declaring_the_same_name_are_refused(sources: Path) -> None:
    write(
        sources,
        {
            "get.js": GET_SOURCE,
            "lib/a.js": "function helper() { return 1; }\nexport function a(x) { return x; }\n",
            "lib/b.js": "const helper = 2;\nexport function b(x) { return x; }\n",
        },
    )
    with pytest.raises(BundleError, match="'helper' is declared by both 'lib/a.js' and 'lib/b.js'"):
        get_plan()


def test_a_module_shadowing_an_import_is_refused(sources: Path) -> None:
    write(
        sources,
        {
            "get.js": GET_SOURCE,
            "lib/a.js": "export function a(x) { return x; }\n",
            "lib/b.js": "const util = 1;\nexport function b(x) { return x; }\n",
        },
    )
    with pytest.raises(BundleError, match="'util' is declared by both @aws-appsync/utils"):
        get_plan()


def test_shared_modules_are_inlined_once_and_utils_imports_merged(sources: Path) -> None:
    write(
        sources,
        {
            "get.js": GET_SOURCE,
            "lib/a.js": "import { runtime } from '@aws-appsync/utils';\n"
            "import { c } from './c.js';\n"
            "export function a(x) { return c(x) ?? runtime; }\n",
            "lib/b.js": "import { c } from './c.js';\nexport function b(x) { return c(x); }\n",
            "lib/c.js": "export const c = (x) => x;\n",
        },
    )
    code = get_plan()
    assert code.startswith("import { runtime, util } from '@aws-appsync/utils';\n")
    assert code.count("// ---- lib/c.js ----") == 1
    assert "const c = (x) => x;" in code
    assert "export const" not in code


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"lib/a.js": "import x from 'lodash';\nexport function a() {}\n"}, "cannot read"),
        ({"lib/a.js": "import { x } from 'lodash';\nexport function a() {}\n"}, "may import only"),
        ({"lib/a.js": "export function other() {}\n"}, "'a', which 'lib/a.js' does not export"),
        ({"lib/a.js": "function a() {}\nexport { a };\n"}, "only `export function"),
        (
            {"lib/a.js": "import { b } from './b.js';\nexport function a() {}\n"},
            "cycle: lib/a.js -> lib/b.js -> lib/a.js",
        ),
    ],
    ids=["default import", "package", "missing export", "export list", "cycle"],
)
def test_source_problems_are_reported(sources: Path, files: dict[str, str], message: str) -> None:
    write(
        sources,
        {"get.js": GET_SOURCE, "lib/b.js": "import { a } from './a.js';\nexport function b() {}\n"},
    )
    write(sources, files)
    with pytest.raises(BundleError, match=re.escape(message)):
        get_plan()


def test_renamed_local_imports_are_refused(sources: Path) -> None:
    write(
        sources,
        {
            "get.js": GET_SOURCE.replace("import { a } from", "import { a as a2 } from"),
            "lib/a.js": "export function a() {}\n",
            "lib/b.js": "export function b() {}\n",
        },
    )
    with pytest.raises(BundleError, match="renames 'a as a2'"):
        get_plan()


def test_only_whole_line_comments_are_left_out(sources: Path) -> None:
    write(
        sources,
        {
            "get.js": GET_SOURCE,
            "lib/a.js": "/** Doc\n * of a */\nexport function a(x) { /* inline */ return x; }\n",
            "lib/b.js": "// note\nexport function b(x) {\n    return x; // trailing\n}\n",
        },
    )
    code = get_plan()
    assert "Doc" not in code
    assert "note" not in code
    assert "\nfunction a(x) { /* inline */ return x; }" in code  # inlined: export removed
    assert "return x; // trailing" in code
