"""codegen/bundle.py and codegen/pipelines.py: each resolver's code is its plan; the
operation logic is bundled once per kind into functions the whole API shares."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from authorized_appsync import ApiDefinition
from authorized_appsync.authz.api_plan import plan_api
from authorized_appsync.authz.settings import ApiSettings
from authorized_appsync.codegen.artifacts import DATA, build_artifacts
from authorized_appsync.codegen.resolvers import bundle as bundle_mod
from authorized_appsync.codegen.resolvers.bundle import (
    MAX_CODE_LENGTH,
    BundleError,
    bundle_module,
    compact_plan_js,
    source_file,
)
from authorized_appsync.codegen.resolvers.pipelines import (
    CodeTooLargeError,
    SharedFunction,
    Stage,
    data_function_code,
    pipeline_of,
    resolver_code,
)
from authorized_appsync.codegen.resolvers.plan import (
    OperationKind,
    ResolverPlan,
    SecuritySettings,
    security_js,
)
from authorized_appsync.local.js.runner import run_handler
from authorized_appsync.schema.model import Provider
from resolver_harness import (
    ALICE,
    SECURITY,
    Resolver,
    owner,
    plan,
    shared_functions,
    static_groups,
)

RESOLVERS = Path(bundle_mod.resolvers_dir())
SHARED = shared_functions()


def _utils_imports(code: str) -> list[str]:
    return re.findall(r"^import .*$", code, re.MULTILINE)


@pytest.mark.parametrize("function", SHARED, ids=[f.key for f in SHARED])
def test_every_shared_function_bundles_into_one_module(function: SharedFunction) -> None:
    code = function.code(SECURITY)
    imports = _utils_imports(code)
    assert len(imports) == 1, "imports of every module are merged"
    assert imports[0].endswith("from '@aws-appsync/utils';")
    assert "./" not in code, "no relative import is left"
    assert re.findall(r"^export function (\w+)", code, re.MULTILINE) == ["request", "response"]
    assert code.count("const SECURITY = ") == 1
    assert security_js(SECURITY) in code
    assert "PLAN" not in code, "the plan comes from the stash, not from the code"
    assert len(code) < MAX_CODE_LENGTH


def test_a_resolver_carries_only_its_plan() -> None:
    p = plan(OperationKind.GET, [owner(), static_groups("Admins")], owner_fields=(owner(),))
    code = resolver_code(p, where="Query.getPost")
    assert re.findall(r"^export function (\w+)", code, re.MULTILINE) == ["request", "response"]
    assert "function callerOf" not in code
    assert "SECURITY" not in code
    assert "adminRoles" not in code
    assert len(code) < 800
    done = run_handler(code, "request", {"stash": {}}, None)
    assert done.stash["plan"] == p.to_json()


def test_the_resolver_plan_leaves_out_defaults_that_the_functions_fill_in() -> None:
    # lib/stash.js's DEFAULTS must be exactly what to_json() leaves out.
    text = (RESOLVERS / "lib" / "stash.js").read_text()
    body = text[text.index("const DEFAULTS") :].split("\n};\n")[0] + "\n};\n"
    defaults = run_handler(
        body + "export function request() { return DEFAULTS; }\n", "request", {}, None
    )
    p = plan(OperationKind.GET)
    left_out = {k: v for k, v in p.full_json().items() if k not in p.to_json()}
    assert isinstance(defaults.result, dict)
    assert left_out == {k: v for k, v in defaults.result.items() if k in left_out}
    assert set(defaults.result) == set(p.full_json()) - {"kind", "model"}


def test_the_subscription_resolver_sets_the_filter_its_function_decided() -> None:
    p = plan(OperationKind.SUBSCRIBE, [owner()])
    got = Resolver(p).response(ALICE, result=None)
    assert got.error is None
    assert got.subscription_filter == {
        "filterGroup": [
            {
                "filters": [
                    {
                        "fieldName": "owner",
                        "operator": "in",
                        "value": [ALICE.owner_value, ALICE.sub, ALICE.username],
                    }
                ]
            }
        ]
    }


def test_the_data_function_is_small_and_hands_errors_on() -> None:
    code = data_function_code()
    assert len(code) < 600
    sent = run_handler(code, "request", {"stash": {"dataRequest": {"operation": "GetItem"}}}, None)
    assert sent.result == {"operation": "GetItem"}
    error = {"message": "boom", "type": "DynamoDB:Throttling"}
    got = run_handler(code, "response", {"result": None, "error": error}, None)
    assert got.error is None, "the finish function decides about errors"
    assert got.result == {"result": None, "error": error}
    missing = run_handler(code, "request", {"stash": {}}, None)
    assert missing.error is not None


SCHEMA = """
type Post @model @auth(rules: [{ allow: owner }, { allow: groups, groups: ["Admins"] }]) {
  title: String @index(name: "byTitle", queryField: "postsByTitle")
}
type Note @model @auth(rules: [{ allow: public }]) { text: String }
"""


def test_functions_are_shared_by_every_model_and_content_addressed() -> None:
    schema = ApiDefinition.from_string(SCHEMA).schema
    artifacts = build_artifacts(
        plan_api(schema, ApiSettings()),
        modes=frozenset({Provider.USER_POOLS, Provider.API_KEY}),
        default_mode=Provider.USER_POOLS,
    )
    keys = [f.key for f in artifacts.functions]
    codes = [f.code for f in artifacts.functions]
    assert len(codes) == len(set(codes)), "one function per distinct code"
    by_field = {(s.type_name, s.field_name): artifacts.pipeline(s) for s in artifacts.resolvers}
    assert (
        by_field["Query", "getPost"]
        == by_field["Query", "getNote"]
        == ("getPrepare", DATA, "getFinish")
    )
    # update and delete show the written record the same way: one finish function.
    assert by_field["Mutation", "deletePost"][2] == by_field["Mutation", "updatePost"][2]
    assert by_field["Query", "postsByTitle"][2] == by_field["Query", "listPosts"][2]
    assert {step for pipeline in by_field.values() for step in pipeline} - {DATA} == set(keys)
    assert by_field["Subscription", "onCreatePost"] == ("subscribeDecide",)


def test_dependencies_come_first() -> None:
    code = SharedFunction(OperationKind.UPDATE, Stage.PREPARE).code(SECURITY)
    assert code.index("function assumedRoleOf") < code.index("function admitsStatically")
    assert code.index("function newExpression") < code.index("function writeCondition")
    assert code.rindex("export function request") > code.index("function authorizeChanges")


def test_sources_are_read_once() -> None:
    function = pipeline_of(OperationKind.GET)[0]
    assert isinstance(function, SharedFunction)
    function.code(SECURITY)
    before = bundle_mod._read.cache_info().misses
    for _ in range(3):
        function.code(SecuritySettings(admin_roles=("Other",)))
    assert bundle_mod._read.cache_info().misses == before


def wide_plan(fields: int, *, distinct: bool) -> ResolverPlan:
    """An update plan whose rules name many fields."""
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
    code = resolver_code(p, where="Mutation.updatePost")
    assert len(code) <= MAX_CODE_LENGTH
    assert "const R = [" in code
    evaluated = run_handler(
        compact_plan_js(p) + "\nexport function request() { return PLAN; }\n", "request", {}, None
    )
    assert evaluated.result == p.to_json()
    done = Resolver(p).request(ALICE, arguments={"input": {"id": "p1", "field3": "x"}})
    assert done.error is None
    assert isinstance(done.result, dict)
    assert done.result["operation"] == "UpdateItem"


def test_code_over_appsyncs_limit_is_refused_naming_the_resolver() -> None:
    with pytest.raises(
        CodeTooLargeError,
        match=r"Mutation.updatePost is [\d,]+ characters; AppSync accepts at most 32,768",
    ):
        resolver_code(wide_plan(400, distinct=True), where="Mutation.updatePost")


def test_source_for_each_kind_exists() -> None:
    for kind in OperationKind:
        assert (RESOLVERS / source_file(kind)).is_file()


def test_values_must_match_what_the_bundle_imports() -> None:
    with pytest.raises(BundleError, match=r"imports the values \['PLAN'\], but \[\] were given"):
        bundle_module("stages/resolver.js")
    with pytest.raises(BundleError, match=r"but \['PLAN', 'SECURITY'\] were given"):
        bundle_module("stages/resolver.js", values={"PLAN": "const PLAN = {};", "SECURITY": ""})
    with pytest.raises(BundleError, match="no operation was given"):
        bundle_module("stages/prepare.js", values={"SECURITY": "const SECURITY = {};"})


# ---- errors in the sources (a fake resolvers/ folder) -----------------------------------


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    def clear() -> None:
        for cached in (bundle_mod._read, bundle_mod._module, bundle_mod._assembly):
            cached.cache_clear()

    (tmp_path / "lib").mkdir()
    (tmp_path / "plan.js").write_text("export const PLAN = {};\n")
    monkeypatch.setattr(bundle_mod, "resolvers_dir", lambda: tmp_path)
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


def get_code() -> str:
    return bundle_module("get.js", values={"PLAN": "const PLAN = {};"})


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
        get_code()


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
        get_code()


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
    code = get_code()
    assert code.startswith("import { runtime, util } from '@aws-appsync/utils';\n")
    assert code.count("const c = (x) => x;") == 1
    assert code.index("const c = (x) => x;") < code.index("function a(x)")
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
        get_code()


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
        get_code()


def test_only_whole_line_comments_are_left_out(sources: Path) -> None:
    write(
        sources,
        {
            "get.js": GET_SOURCE,
            "lib/a.js": "/** Doc\n * of a */\nexport function a(x) { /* inline */ return x; }\n",
            "lib/b.js": "// note\nexport function b(x) {\n    return x; // trailing\n}\n",
        },
    )
    code = get_code()
    assert "Doc" not in code
    assert "note" not in code
    assert "\nfunction a(x) { /* inline */ return x; }" in code  # inlined: export removed
    assert "return x; // trailing" in code


def test_a_tree_shaken_declaration_takes_its_utils_imports_with_it():
    # The finish of an index query and of a list present the same listing; only the index
    # query's prepare ends a relation early (runtime.earlyReturn), and that code is not in
    # the finish bundle, so neither is its import: the two share one function.
    security = SecuritySettings()
    listing = SharedFunction(OperationKind.LIST, Stage.FINISH).code(security)
    indexed = SharedFunction(OperationKind.QUERY_INDEX, Stage.FINISH).code(security)
    assert indexed == listing
    assert "runtime" not in listing.splitlines()[0]
    prepare = SharedFunction(OperationKind.QUERY_INDEX, Stage.PREPARE).code(security)
    assert "runtime" in prepare.splitlines()[0]
