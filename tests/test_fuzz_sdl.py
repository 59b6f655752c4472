"""A bounded fuzz of the schema compiler: valid schemas with random tokens deleted, repeated,
replaced or inserted (directives and arguments among them) must each give either a schema
or a ``SchemaError`` whose every diagnostic is a located sentence, never another exception.
A schema that compiles must go on to plan and generate, and the AppSync schema generated
from it must be valid GraphQL (DESIGN.md: "After validate, nothing downstream may fail on
user input").

Fixed seed (``derandomize``), no example database: every run tries the same inputs.
"""

from __future__ import annotations

import re
from pathlib import Path

import graphql
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from authorized_appsync import ApiDefinition
from authorized_appsync.appsync import ROOT_TYPES
from authorized_appsync.authz.api_plan import plan_api
from authorized_appsync.authz.settings import ApiSettings
from authorized_appsync.codegen.artifacts import build_artifacts
from authorized_appsync.codegen.sdl.generator import appsync_preamble
from authorized_appsync.schema.errors import SchemaError
from authorized_appsync.schema.model import Provider
from authorized_appsync.schema.validate.context import ValidationContext
from authorized_appsync.schema.validate.generated_names import generated_type_names
from authorized_appsync.schema.vocabulary import SCALARS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (
    (ROOT / "examples" / "blog.graphql").read_text(),
    """
type Employee @model @auth(rules: [
  { allow: owner, ownerField: "editors", identityClaim: "sub" }
  { allow: groups, groups: ["HR"], groupClaim: "roles", operations: [read, update] }
  { allow: private, provider: oidc, operations: [read] }
]) {
  team: String! @primaryKey(sortKeyFields: ["badge"])
  badge: String!
  editors: [String]
  status: Status @default(value: "ACTIVE")
  region: String @index(name: "byRegion", queryField: "employeesByRegion", sortKeyFields: ["ssn"])
  ssn: String @auth(rules: [{ allow: owner, ownerField: "editors" }])
  address: Address
}

enum Status { ACTIVE RETIRED }

type Address { street: String city: String }

type Query {
  echo(text: String): String @auth(rules: [{ allow: public }])
}

input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
""",
    """
type Todo @model(subscriptions: null, timestamps: { createdAt: "made" }) @auth(rules: [
  { allow: public, provider: iam, operations: [read] }
  { allow: owner, operations: [create, read, update, delete] }
]) {
  id: ID!
  content: String @auth(rules: [{ allow: owner }, { allow: custom, operations: [read] }])
  tags: [String!]
}

extend type Todo { priority: Int @default(value: "3") }
""",
)
TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?|\.\.\.|\S')
PIECES = tuple(TOKEN.findall(re.sub(r"#[^\n]*", "", seed)) for seed in SEEDS)
NAMES = sorted(
    {t for tokens in PIECES for t in tokens if t[:1].isalpha() or t[:1] == "_"}
    | {"type", "input", "enum", "interface", "union", "scalar", "extend", "schema", "directive"}
    | {"implements", "query", "Query", "Mutation", "Subscription", "null", "true", "false"}
    | {"AWSJSON", "AWSDateTime", "Boolean", "Float", "Int", "__typename", "model", "auth"}
    | {"primaryKey", "index", "default", "hasMany", "belongsTo", "hasOne", "manyToMany"}
    | {"key", "searchable", "aws_api_key", "deprecated", "ModelTodoConnection", "getTodo"}
    | {"listTodos", "createTodo", "onCreateTodo", "CreateTodoInput", "ModelStringInput"}
)
STRINGS = sorted(
    {t for tokens in PIECES for t in tokens if t.startswith('"')}
    | {'""', '" "', '"::"', '"__x"', '"1x"', '"a b"', '"listTodos"', '"getTodo"', '"\\u0000"'}
    | {'"onCreateTodo"', '"id"', '"owner"', '"Todo"', '"cognito:groups"', '"é"'}
)
VALUES = ("null", "true", "0", "-1", "1.5", "1e400", "[]", "{}", "[null]", "[[]]", "{ a: 1 }")
DIRECTIVES = tuple(f"@{n}" for n in NAMES if n[:1].islower())
# Whole definitions to add: kinds the seeds lack, and names the generated API takes.
DEFINITIONS = (
    "union U = Address | Employee",
    "interface Node { id: ID! }",
    "input Filter { a: Int }",
    "scalar Upload",
    "enum Empty",
    "type Bare",
    "type Query { listTodos: String }",
    "type Mutation { createPost(content: String): Post }",
    "type Subscription { onCreateComment: Comment }",
    "type ModelTodoConnection { items: [Todo] }",
    "enum ModelSortDirection { UP DOWN }",
    "type Query { find(by: Filter, at: Upload): U }",
    "schema { query: Todo }",
    "query { listTodos { items { id } } }",
    "extend type Address { zip: String }",
    "directive @auth(rules: [String]) on OBJECT",
)
PAIRS = {"{": "}", "[": "]", "(": ")"}
PROVIDERS = frozenset(Provider)


def _group(tokens: list[str], at: int) -> int:
    """The end (exclusive) of the bracketed group opening at ``at``, else ``at + 1``."""
    close = PAIRS.get(tokens[at])
    if close is None:
        return at + 1
    depth = 0
    for end in range(at, len(tokens)):
        depth += tokens[end] == tokens[at]
        depth -= tokens[end] == close
        if depth == 0:
            return end + 1
    return len(tokens)


@st.composite
def mutated_schema(draw: st.DrawFn) -> str:
    """A seed schema with one to four edits: a name, string or value replaced, a bracketed
    group (rule object, list, arguments) or a raw token dropped or repeated, a directive
    inserted, a definition added."""
    tokens = list(draw(st.sampled_from(PIECES)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(tokens) - 1))
        token = tokens[at]
        kind = draw(
            st.sampled_from(["name", "string", "value", "drop", "repeat", "directive", "add"])
        )
        if kind == "name" and (token[:1].isalpha() or token[:1] == "_"):
            tokens[at] = draw(st.sampled_from(NAMES))
        elif kind == "string" and token.startswith('"'):
            tokens[at] = draw(st.sampled_from(STRINGS))
        elif kind == "value" and at > 0 and tokens[at - 1] == ":":
            end = _group(tokens, at)
            tokens[at:end] = [draw(st.sampled_from((*VALUES, *STRINGS[:8], *NAMES[:8])))]
        elif kind == "drop":
            del tokens[at : _group(tokens, at)]
        elif kind == "repeat":
            tokens[at:at] = tokens[at : _group(tokens, at)]
        elif kind == "directive":
            directive = draw(st.sampled_from(DIRECTIVES))
            if draw(st.booleans()):
                argument = draw(st.sampled_from(NAMES))
                value = draw(st.sampled_from((*VALUES, *STRINGS)))
                directive += f"({argument}: {value})"
            tokens.insert(at + 1, directive)
        elif kind == "add":
            tokens += TOKEN.findall(draw(st.sampled_from(DEFINITIONS)))
        if not tokens:
            tokens = ["type"]
    return " ".join(tokens)


def generate(sdl: str) -> None:
    """Compile ``sdl``; when it compiles, plan it, generate the API, and build and validate
    the AppSync schema the API would deploy (every mode configured, so no rule lacks its
    mode). A schema with no model and no query is the construct's to refuse (a part of a
    schema compiles on its own): ``test_bad_input.py`` checks that it does."""
    definition = ApiDefinition.from_string(sdl, "schema.graphql")
    schema = definition.schema
    if not schema.models and not any(c.parent == "Query" for c in schema.custom_fields):
        return
    plan = plan_api(schema, ApiSettings())
    artifacts = build_artifacts(plan, modes=PROVIDERS, default_mode=Provider.API_KEY)
    built = graphql.build_schema(appsync_preamble() + artifacts.sdl)
    problems = graphql.validate_schema(built)
    assert not problems, problems
    # Validation reserves every name the generator gave a type of its own.
    declared = {t.name for t in definition.document.types} | set(SCALARS) | set(ROOT_TYPES)
    reserved = generated_type_names(ValidationContext(definition.document))
    generated = {n for n in built.type_map if not n.startswith("__")} - declared
    assert generated <= set(reserved), generated - set(reserved)


PUBLIC = "@auth(rules: [{ allow: public }])"
# Inputs the fuzz found that compiled into an AppSync schema AppSync would refuse; each is
# now a validation error (tests/project/test_bad_input.py names them one by one).
FOUND = (
    f'type Todo @model(timestamps: {{ createdAt: " " }}) {PUBLIC} {{ c: String }}',
    f"type Todo @model {PUBLIC} {{ c: String }} type Query {{ x(a: null): String }}",
    f"type Todo @model {PUBLIC} {{ c: String }} type Bare",
    f"type Todo @model {PUBLIC} {{ c: String }} enum Empty",
    f"type Todo @model {PUBLIC} {{ u: U }} union U = Todo",
    f"type Todo @model {PUBLIC} {{ n: Node }} interface Node {{ id: ID! }}",
    f'type Todo @model {PUBLIC} {{ c: String @index(name: "byC", queryField: "listTodos") }}',
    f"type Todo @model {PUBLIC} {{ c: String }} type Query {{ listTodos: String }}",
    f"type Todo @model {PUBLIC} {{ c: String }} type ModelTodoConnection {{ x: Int }}",
    f"type Todo @model {PUBLIC} {{ c: Upload }} scalar Upload",
    f"type Todo @model {PUBLIC} {{ c: String }} input F {{ a: Int }} type Query {{ f(i: F): Int }}",
    f"type todo @model {PUBLIC} {{ c: String }} type Todo @model {PUBLIC} {{ c: String }}",
    f"type Todo @model(queries: null) {PUBLIC} {{ c: String }}",
)


@settings(
    max_examples=400,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated_schema())
@example(FOUND[0])
@example(FOUND[1])
@example(FOUND[2])
@example(FOUND[3])
@example(FOUND[4])
@example(FOUND[5])
@example(FOUND[6])
@example(FOUND[7])
@example(FOUND[8])
@example(FOUND[9])
@example(FOUND[10])
@example(FOUND[11])
@example(FOUND[12])
def test_fuzz_mutated_schemas_compile_or_fail_with_located_sentences(sdl: str) -> None:
    try:
        generate(sdl)
    except SchemaError as error:
        diagnostics = error.diagnostics
    else:
        return
    assert diagnostics
    for diagnostic in diagnostics:
        location = diagnostic.location
        assert location.source == "schema.graphql", diagnostic
        assert location.line >= 1, diagnostic
        assert location.column >= 1, diagnostic
        assert diagnostic.message[:1].isupper() or diagnostic.message[:1] in "'@", diagnostic
        assert diagnostic.message.rstrip().endswith((".", "?", ")")), diagnostic
        assert "Traceback" not in diagnostic.message


def test_the_seeds_compile() -> None:
    for seed in SEEDS:
        generate(seed)


def test_what_the_fuzz_found_is_refused() -> None:
    for sdl in FOUND:
        assert ApiDefinition.from_string(sdl, "schema.graphql").diagnostics(), sdl
