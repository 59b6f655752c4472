"""The SDL of a generated API, and the GraphQL documents of a case."""

from __future__ import annotations

import json

from .model import ApiSpec, FieldSpec, ModelSpec, Rule
from .oracle import Case, Filter


def rule_sdl(rule: Rule) -> str:
    parts = [f"allow: {rule.allow}", f"provider: {rule.provider}"]
    if rule.allow == "owner":
        if rule.owner_field != "owner":
            parts.append(f'ownerField: "{rule.owner_field}"')
        if rule.identity_claim != "sub::username":
            parts.append(f'identityClaim: "{rule.identity_claim}"')
    if rule.groups:
        parts.append(f"groups: {json.dumps(list(rule.groups))}")
    if rule.groups_field:
        parts.append(f'groupsField: "{rule.groups_field}"')
    if rule.operations is not None:
        parts.append(f"operations: [{', '.join(rule.operations)}]")
    return "{ " + ", ".join(parts) + " }"


def _auth(rules: tuple[Rule, ...]) -> str:
    return "@auth(rules: [" + ", ".join(rule_sdl(r) for r in rules) + "])"


def _field_sdl(model: ModelSpec, f: FieldSpec) -> str:
    kind = "[String]" if f.is_list else ("ID!" if f.name == "id" else "String")
    text = f"  {f.name}: {kind}"
    if f.name == "cat" and model.index:
        text += f' @index(name: "byCat", queryField: "{model.index_query}")'
    if f.rules is not None:
        text += " " + _auth(f.rules)
    return text


def model_sdl(model: ModelSpec) -> str:
    options = "timestamps: null" + ("" if model.subscriptions else ", subscriptions: null")
    lines = [f"type {model.name} @model({options}) {_auth(model.rules)} {{"]
    lines += [_field_sdl(model, f) for f in model.fields]
    return "\n".join([*lines, "}"])


def schema_sdl(api: ApiSpec) -> str:
    return "\n\n".join(model_sdl(m) for m in api.models) + "\n"


def selection(model: ModelSpec, alias: bool = False) -> str:
    return " ".join(
        f"{ALIAS}: secret" if alias and f.name == "secret" else f.name for f in model.fields
    )


ALIAS = "hidden"


def filter_input(flt: Filter | None) -> dict[str, object] | None:
    if flt is None:
        return None
    leaves = [{name: {op: value}} for name, op, value in flt[1]]
    return leaves[0] if len(leaves) == 1 else {flt[0]: leaves}


def document(model: ModelSpec, case: Case) -> tuple[str, dict[str, object], str]:
    """The operation's document, its variables and the root field it answers under."""
    m = model.name
    sel = selection(model, case.alias)
    if case.op == "get":
        return f"query($id: ID!) {{ get{m}(id: $id) {{ {sel} }} }}", {"id": case.target}, f"get{m}"
    if case.op in ("list", "index"):
        variables: dict[str, object] = {"f": filter_input(case.filter)}
        if case.op == "list":
            field = model.list_name
            head = f"query($f: Model{m}FilterInput) {{ {field}(filter: $f"
        else:
            field = model.index_query
            head = f"query($f: Model{m}FilterInput, $c: String!) {{ {field}(cat: $c, filter: $f"
            variables["c"] = case.cat
        return head + f", limit: 1000) {{ items {{ {sel} }} }} }}", variables, field
    name = {"create": "create", "update": "update", "delete": "delete", "subscribe": "create"}
    op = name[case.op]
    given = dict(case.input)
    if case.op in ("update", "delete"):
        given["id"] = case.target
    variables = {"i": given}
    head = f"mutation($i: {op.title()}{m}Input!"
    args = "input: $i"
    if case.condition is not None:
        head += f", $c: Model{m}ConditionInput"
        args += ", condition: $c"
        variables["c"] = filter_input(case.condition)
    return f"{head}) {{ {op}{m}({args}) {{ {sel} }} }}", variables, f"{op}{m}"


def subscription(model: ModelSpec) -> tuple[str, str]:
    return f"subscription {{ onCreate{model.name} {{ {selection(model)} }} }}", (
        f"onCreate{model.name}"
    )
