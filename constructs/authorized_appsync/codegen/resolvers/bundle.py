"""APPSYNC_JS code: an entry module of ``resolvers/`` bundled into the single ES module
AppSync takes.

The entry's relative imports are inlined (transitively, each module once, dependencies
first) with their ``export`` keywords and import lines removed; the ``@aws-appsync/utils``
imports of every module are merged at the top. Two kinds of module are stand-ins replaced
at bundle time:

- **value modules** (``plan.js`` exporting ``PLAN``, ``security.js`` exporting
  ``SECURITY``): the import becomes the ``const`` the caller supplies (a resolver's plan,
  the API's security settings);
- the **operation module** (``operation.js``): the import is read from the operation's
  source instead (``get.js``, ``list.js`` ...), so one stage entry (``stages/prepare.js``)
  makes the shared function of every operation kind.

The value-independent part is assembled once per (entry, operation) and cached, so
bundling many resolvers costs one string concatenation each. Whole-line comments are left
out (the sources carry the documentation; AppSync's 32 KiB code limit counts every
character), and declarations the entry does not reach are dropped (tree-shaking).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cache

from ..._paths import resolvers_dir
from ...errors import AuthorizedAppSyncError
from .plan import OperationKind, ResolverPlan, js_key, js_literal

__all__ = [
    "MAX_CODE_LENGTH",
    "OPERATION_MODULE",
    "VALUE_MODULES",
    "BundleError",
    "bundle_module",
    "compact_plan_js",
    "source_file",
    "tabbed",
]

# AppSync's limit on a resolver's or function's `code` (characters).
MAX_CODE_LENGTH = 32_768

# Value modules: path under resolvers/ -> the one name it exports, supplied at bundle time.
VALUE_MODULES = {"plan.js": "PLAN", "security.js": "SECURITY"}
OPERATION_MODULE = "operation.js"
RULES_NAME = "R"  # the rule table of a compacted plan: PLAN refers to R[i]
UTILS_MODULES = ("@aws-appsync/utils", "@aws-appsync/utils/dynamodb")

_IMPORT = re.compile(
    r"^import\s+(?P<clause>\{[^}]*\}|\*\s*as\s+[A-Za-z_$][\w$]*)\s+from\s+"
    r"(?P<quote>['\"])(?P<spec>[^'\"]+)(?P=quote)[ \t]*;?[ \t]*$\n?",
    re.MULTILINE,
)
_ANY_IMPORT = re.compile(r"^import\b.*$", re.MULTILINE)
_EXPORT_DECL = re.compile(r"^export\s+(?=(?:function|const|let|var)\b)", re.MULTILINE)
_OTHER_EXPORT = re.compile(r"^export\s+(?!(?:function|const|let|var)\b).*$", re.MULTILINE)
_TOP_LEVEL_NAME = re.compile(
    r"^(?:export\s+)?(?:function\s*\*?\s*|const\s+|let\s+|var\s+)(?P<name>[A-Za-z_$][\w$]*)",
    re.MULTILINE,
)
# Whole-line comments: the sources document themselves; the deployed code is kept small
# (AppSync's 32 KiB limit is shared with the plan).
# A block comment ends at its first "*/", and only comments that end their line go.
_LINE_COMMENTS = re.compile(r"^[ \t]*(?:/\*(?:[^*]|\*(?!/))*\*/|//[^\n]*)[ \t]*\n", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")
_EXPORTED_NAME = re.compile(
    r"^export\s+(?:function\s*\*?\s*|const\s+|let\s+|var\s+)(?P<name>[A-Za-z_$][\w$]*)",
    re.MULTILINE,
)


class BundleError(AuthorizedAppSyncError):
    """A resolver source cannot be bundled (a problem of the sources, not of the schema)."""


@dataclass(frozen=True)
class _Import:
    spec: str  # as written
    names: tuple[str, ...]  # "a", "a as b"; empty for a namespace import
    namespace: str | None  # "ddb" for `import * as ddb from ...`


@dataclass(frozen=True)
class _Module:
    path: str  # relative to resolvers/, posix
    imports: tuple[_Import, ...]
    body: str  # the text without its import lines
    declared: tuple[str, ...]  # top-level names
    exported: tuple[str, ...]


@cache
def _read(path: str) -> str:
    file = resolvers_dir() / path
    if not file.is_file():
        raise BundleError(f"Resolver source '{path}' does not exist in {resolvers_dir()}.")
    return file.read_text(encoding="utf-8")


def _parse_clause(path: str, clause: str, spec: str) -> _Import:
    clause = clause.strip()
    if clause.startswith("*"):
        return _Import(spec=spec, names=(), namespace=clause.split()[-1])
    names = tuple(" ".join(n.split()) for n in clause.strip("{}").split(",") if n.strip())
    if not names:
        raise BundleError(f"'{path}' has an empty import from '{spec}'.")
    return _Import(spec=spec, names=names, namespace=None)


@cache
def _module(path: str) -> _Module:
    text = _read(path)
    imports = tuple(_parse_clause(path, m["clause"], m["spec"]) for m in _IMPORT.finditer(text))
    body = _IMPORT.sub("", text)
    stray = _ANY_IMPORT.search(body)
    if stray:
        raise BundleError(
            f"'{path}' has an import the bundler cannot read: {stray.group(0)!r}. "
            "Write `import { a, b } from '<module>';` or `import * as x from '<module>';`."
        )
    other = _OTHER_EXPORT.search(body)
    if other:
        raise BundleError(
            f"'{path}' exports with {other.group(0)!r}; only `export function|const|let|var` "
            "declarations can be bundled."
        )
    return _Module(
        path=path,
        imports=imports,
        body=body.strip("\n"),
        declared=tuple(m["name"] for m in _TOP_LEVEL_NAME.finditer(body)),
        exported=tuple(m["name"] for m in _EXPORTED_NAME.finditer(body)),
    )


def _resolve(importer: str, spec: str) -> str:
    if not spec.startswith("./") and not spec.startswith("../"):
        raise BundleError(
            f"'{importer}' imports '{spec}'; APPSYNC_JS code may import only "
            f"{' and '.join(repr(m) for m in UTILS_MODULES)} and relative files."
        )
    target = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
    if target.startswith("../"):
        raise BundleError(f"'{importer}' imports '{spec}', which is outside resolvers/.")
    return target


def _check_names(importer: str, imp: _Import, target: _Module) -> None:
    for name in imp.names:
        if " as " in name:
            raise BundleError(
                f"'{importer}' renames '{name}' on import from '{imp.spec}'; inlined modules "
                "share one scope, so import names as they are declared."
            )
        if name not in target.exported:
            raise BundleError(
                f"'{importer}' imports '{name}', which '{target.path}' does not export."
            )


def _ordered(entry: str, operation: str | None) -> tuple[list[_Module], tuple[str, ...]]:
    """Every module ``entry`` needs, dependencies first, each once, ``entry`` last (the
    operation module read as ``operation``); and the value names imported."""
    done: dict[str, _Module] = {}
    visiting: list[str] = []
    values: dict[str, None] = {}

    def target_of(importer: str, spec: str) -> str | None:
        target = _resolve(importer, spec)
        if target in VALUE_MODULES:
            return None
        if target != OPERATION_MODULE:
            return target
        if operation is None:
            raise BundleError(
                f"'{importer}' imports the operation module '{spec}', but no operation was "
                "given to bundle it with."
            )
        return operation

    def visit(path: str) -> None:
        if path in done:
            return
        if path in visiting:
            cycle = " -> ".join([*visiting[visiting.index(path) :], path])
            raise BundleError(f"Resolver sources import each other in a cycle: {cycle}.")
        visiting.append(path)
        module = _module(path)
        for imp in module.imports:
            if imp.spec in UTILS_MODULES:
                continue
            target = target_of(path, imp.spec)
            if target is None:
                name = VALUE_MODULES[_resolve(path, imp.spec)]
                if imp.names != (name,):
                    raise BundleError(
                        f"'{path}' must import exactly {{ {name} }} from '{imp.spec}'."
                    )
                values[name] = None
                continue
            if imp.namespace is not None:
                raise BundleError(
                    f"'{path}' imports '{imp.spec}' as a namespace; name the imports instead."
                )
            _check_names(path, imp, _module(target))
            visit(target)
            needs.setdefault(path, set()).add(target)
        visiting.pop()
        done[path] = module

    needs: dict[str, set[str]] = {}
    visit(entry)
    return [done[p] for p in _canonical_order(list(done), needs, operation)], tuple(values)


def _canonical_order(
    paths: list[str], needs: dict[str, set[str]], operation: str | None
) -> list[str]:
    """Dependencies first, ties by path (the operation module under its stand-in's name),
    so the same reachable code always bundles to the same text and identical functions
    share one resource."""

    def key(path: str) -> str:
        return OPERATION_MODULE if path == operation else path

    order: list[str] = []
    ready = sorted((p for p in paths if not needs.get(p)), key=key)
    while ready:
        path = ready.pop(0)
        order.append(path)
        for other in paths:
            waiting = needs.get(other)
            if waiting and path in waiting:
                waiting.discard(path)
                if not waiting:
                    ready.append(other)
        ready.sort(key=key)
    return order


def _utils_imports(modules: list[_Module], used: set[str] | None = None) -> list[str]:
    """The merged ``@aws-appsync/utils`` imports of ``modules``; with ``used``, only the
    names the bundled code refers to (a tree-shaken declaration's imports go with it, so
    equal code makes equal bundles)."""
    named: dict[str, dict[str, None]] = {spec: {} for spec in UTILS_MODULES}
    namespaces: dict[str, dict[str, None]] = {spec: {} for spec in UTILS_MODULES}
    for module in modules:
        for imp in module.imports:
            if imp.spec not in UTILS_MODULES:
                continue
            if imp.namespace is not None:
                if used is None or imp.namespace in used:
                    namespaces[imp.spec][imp.namespace] = None
            else:
                names = [
                    n for n in imp.names if used is None or n.split(" as ")[-1].strip() in used
                ]
                named[imp.spec].update(dict.fromkeys(names))
    lines = []
    for spec in UTILS_MODULES:
        if named[spec]:
            lines.append(f"import {{ {', '.join(sorted(named[spec]))} }} from '{spec}';")
        lines += [f"import * as {ns} from '{spec}';" for ns in namespaces[spec]]
    return lines


def _imported_names(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        clause = line[len("import ") : line.index(" from ")].strip()
        if clause.startswith("*"):
            found.append(clause.split()[-1])
        else:
            found += [n.split(" as ")[-1].strip() for n in clause.strip("{} ").split(",")]
    return found


def _check_collisions(entry: str, modules: list[_Module], imported: list[str]) -> None:
    owner: dict[str, str] = {name: "@aws-appsync/utils" for name in imported}
    for name in (*VALUE_MODULES.values(), RULES_NAME):
        owner[name] = "a value module"
    for module in modules:
        for name in module.declared:
            if name in owner:
                raise BundleError(
                    f"Bundling '{entry}': '{name}' is declared by both {owner[name]} and "
                    f"'{module.path}'; inlined modules share one scope, so rename one of them."
                )
            owner[name] = f"'{module.path}'"


@dataclass(frozen=True)
class _Assembly:
    head: str  # the merged @aws-appsync/utils imports
    tail: str  # the modules, dependencies first
    values: tuple[str, ...]  # the value-module names the modules import


@cache
def _assembly(entry: str, operation: str | None) -> _Assembly:
    """Everything of ``entry``'s bundle but its values."""
    modules, values = _ordered(entry, operation)
    _check_collisions(entry, modules, _imported_names(_utils_imports(modules)))
    bodies = {}
    for module in modules:
        body = module.body if module.path == entry else _EXPORT_DECL.sub("", module.body)
        bodies[module.path] = _BLANK_RUNS.sub("\n\n", _LINE_COMMENTS.sub("", body + "\n"))
    kept = _reachable(entry, bodies)
    parts = []
    for module in modules:
        body = bodies[module.path] if module.path == entry else kept.get(module.path, "")
        if body.strip():
            parts.append(body.strip("\n") + "\n")
    tail = "\n".join(parts)
    utils = _utils_imports(modules, used=set(_IDENTIFIER.findall(tail)))
    head = "\n".join(utils) + "\n\n" if utils else ""
    return _Assembly(head=head, tail=tail, values=values)


_DECLARATION = re.compile(
    r"^(?:function\s+([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*))", re.M
)
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")


def _declarations(body: str) -> list[tuple[str | None, str]]:
    """A library module's top-level pieces as (declared name, text); text before the first
    declaration (if any) has no name and is always kept."""
    starts = [(m.start(), m.group(1) or m.group(2)) for m in _DECLARATION.finditer(body)]
    pieces: list[tuple[str | None, str]] = []
    if not starts or starts[0][0] > 0:
        pieces.append((None, body[: starts[0][0] if starts else len(body)]))
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(body)
        pieces.append((name, body[start:end]))
    return pieces


def _reachable(entry: str, bodies: dict[str, str]) -> dict[str, str]:
    """Tree-shaking: of the inlined library modules, only the top-level declarations the
    entry module reaches (by name, transitively). Every resolver carries its own copy of
    the library, so what it does not use would only cost code size (AppSync allows 32 KB)
    and synthesis time."""
    pieces = {path: _declarations(body) for path, body in bodies.items() if path != entry}
    declared = {name: text for items in pieces.values() for name, text in items if name}
    needed: set[str] = set()
    frontier = set(_IDENTIFIER.findall(bodies[entry]))
    for items in pieces.values():  # unnamed top-level code always stays, with what it uses
        for name, text in items:
            if name is None:
                frontier |= set(_IDENTIFIER.findall(text))
    while frontier:
        name = frontier.pop()
        if name in needed or name not in declared:
            continue
        needed.add(name)
        frontier |= set(_IDENTIFIER.findall(declared[name])) - needed
    return {
        path: "".join(text for name, text in items if name is None or name in needed)
        for path, items in pieces.items()
    }


def _json(value: object) -> str:
    return js_literal(value)


def compact_plan_js(plan: ResolverPlan) -> str:
    """The plan as JavaScript with each distinct rule written once (``PLAN_RULES``) and
    referenced where the plan repeats it (``nullRules`` names a rule once per field). The
    ``PLAN`` it builds equals the one of ``plan.to_js()``; only large plans need it."""
    rules: dict[str, int] = {}

    def ref(spec: object) -> str:
        text = _json(spec)
        index = rules.setdefault(text, len(rules))
        return f"{RULES_NAME}[{index}]"

    def rule_list(specs: object) -> str:
        assert isinstance(specs, list)
        return "[" + ",".join(ref(spec) for spec in specs) + "]"

    parts = []
    for key, value in plan.to_json().items():
        if key in ("rules", "deleteRules", "ownerFields", "partialRules") or (
            key == "viewRules" and value
        ):
            text = rule_list(value)
        elif key in ("fieldRules", "nullRules", "readRules", "guardedFields", "sourceRules"):
            assert isinstance(value, dict)
            text = "{" + ",".join(f"{js_key(k)}:{rule_list(v)}" for k, v in value.items()) + "}"
        else:
            text = _json(value)
        parts.append(f"{js_key(key)}:{text}")
    table = f"const {RULES_NAME} = [" + ",".join(rules) + "];"
    return table + "\nconst PLAN = {" + ",".join(parts) + "};"


def tabbed(code: str) -> str:
    """``code`` indented with a tab per level instead of four spaces (a quarter of the
    indentation's characters; the sources have no string spanning lines)."""
    lines = []
    for line in code.split("\n"):
        body = line.lstrip(" ")
        levels, rest = divmod(len(line) - len(body), 4)
        lines.append("\t" * levels + " " * rest + body)
    return "\n".join(lines)


def bundle_module(
    entry: str,
    *,
    operation: str | None = None,
    values: dict[str, str] | None = None,
    tabs: bool = False,
) -> str:
    """``entry`` (a path under ``resolvers/``) bundled into one module. ``operation``: the
    source the operation module stands for. ``values`` maps each value-module name the
    bundle imports (``PLAN``, ``SECURITY``) to its ``const`` statement; a missing or
    unexpected one is an error of the caller. ``tabs``: indent with tabs (see
    :func:`tabbed`), for code that would not fit AppSync's limit otherwise."""
    parts = _assembly(entry, operation)
    given = values or {}
    missing = [name for name in parts.values if name not in given]
    extra = [name for name in given if name not in parts.values]
    if missing or extra:
        raise BundleError(
            f"Bundling '{entry}'{f' with {operation!r}' if operation else ''}: it imports the "
            f"values {list(parts.values)}, but {sorted(given)} were given."
        )
    middle = "".join(given[name] + "\n" for name in parts.values)
    head, tail = (tabbed(parts.head), tabbed(parts.tail)) if tabs else (parts.head, parts.tail)
    return head + middle + ("\n" if middle else "") + tail


def source_file(kind: OperationKind) -> str:
    """The source under ``resolvers/`` that implements ``kind``."""
    return f"{kind.value}.js"
