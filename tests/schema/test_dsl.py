"""The Python DSL (``a.schema``): it builds the document the equivalent SDL parses to.

Every DSL example of the seeds is written here in Python and compared with the SDL the
DSL emits for it (``RawDocument`` equality ignores locations). The SDL is written the
normalized way the DSL emits it: rules carry only what the user said, field directives
in the order ``@primaryKey``, ``@default``, ``@auth``; implied fields come after the
declared ones; an inline enum type right after its model.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable

import pytest

from acm_notation import matrix
from authorized_appsync import ApiDefinition
from authorized_appsync.schema.dsl import DslError, DslSchema, FieldBuilder, a
from authorized_appsync.schema.errors import Location
from authorized_appsync.schema.raw import RawDocument, RawType, TypeKind
from authorized_appsync.schema.sdl import parse_sdl


def _line() -> int:
    """The line this is called from."""
    return sys._getframe(1).f_lineno


def _at(line: int) -> Location:
    return Location(source=__file__, line=line, column=1)


# --- The seeds' examples -------------------------------------------------------------


def _seed000_owner() -> DslSchema:
    # seed 000_521a094984aafdc2.txt: allow => [allow.owner()]
    return a.schema(
        {
            "Todo": a.model({"content": a.string()}).authorization(lambda allow: [allow.owner()]),
        }
    )


def _seed000_owner_without_delete() -> DslSchema:
    # seed 000_521a094984aafdc2.txt: allow.owner().to(['create', 'read', 'update'])
    return a.schema(
        {
            "Todo": a.model({"content": a.string()}).authorization(
                lambda allow: [allow.owner().to(["create", "read", "update"])]
            ),
        }
    )


def _seed000_protected_owner_field() -> DslSchema:
    # seed 000_521a094984aafdc2.txt: owner: a.string().authorization(allow =>
    # [allow.owner().to(['read', 'delete'])])
    return a.schema(
        {
            "Todo": a.model(
                {
                    "content": a.string(),
                    "owner": a.string().authorization(
                        lambda allow: [allow.owner().to(["read", "delete"])]
                    ),
                }
            ).authorization(lambda allow: [allow.owner()]),
        }
    )


def _seed000_owner_defined_in() -> DslSchema:
    # seed 000_521a094984aafdc2.txt: allow.ownerDefinedIn('author')
    return a.schema(
        {
            "Todo": a.model(
                {
                    "content": a.string(),
                    "author": a.string(),  # record owner information now stored in "author"
                }
            ).authorization(lambda allow: [allow.owner_defined_in("author")]),
        }
    )


def _seed001_private() -> DslSchema:
    # seed 001_11bff43db1341d34.txt: .authorization([a.allow.private()])
    return a.schema({"Todo": a.model({"content": a.string()}).authorization([a.allow.private()])})


def _seed001_private_identity_pool() -> DslSchema:
    # seed 001_11bff43db1341d34.txt: .authorization([a.allow.private('identityPool')])
    return a.schema(
        {"Todo": a.model({"content": a.string()}).authorization([a.allow.private("identityPool")])}
    )


SEED_CASES: list[tuple[str, Callable[[], DslSchema], str]] = [
    (
        "000 owner",
        _seed000_owner,
        "type Todo @model @auth(rules: [{allow: owner}]) { content: String }",
    ),
    (
        "000 owner to create/read/update",
        _seed000_owner_without_delete,
        """type Todo @model @auth(rules: [{allow: owner, operations: [create, read, update]}]) {
          content: String
        }""",
    ),
    (
        "000 owner field protected from reassignment",
        _seed000_protected_owner_field,
        """type Todo @model @auth(rules: [{allow: owner}]) {
          content: String
          owner: String @auth(rules: [{allow: owner, operations: [read, delete]}])
        }""",
    ),
    (
        "000 ownerDefinedIn('author')",
        _seed000_owner_defined_in,
        """type Todo @model @auth(rules: [{allow: owner, ownerField: "author"}]) {
          content: String
          author: String
        }""",
    ),
    (
        "001 private()",
        _seed001_private,
        "type Todo @model @auth(rules: [{allow: private}]) { content: String }",
    ),
    (
        "001 private('identityPool')",
        _seed001_private_identity_pool,
        """type Todo @model @auth(rules: [{allow: private, provider: identityPool}]) {
          content: String
        }""",
    ),
]


@pytest.mark.parametrize(
    ("build", "sdl"), [c[1:] for c in SEED_CASES], ids=[c[0] for c in SEED_CASES]
)
def test_seed_examples_build_the_equivalent_sdl_document(
    build: Callable[[], DslSchema], sdl: str
) -> None:
    assert build().to_document() == parse_sdl(sdl)


@pytest.mark.parametrize(
    ("build", "sdl"), [c[1:] for c in SEED_CASES], ids=[c[0] for c in SEED_CASES]
)
def test_seed_examples_compile_to_the_same_model_as_the_sdl(
    build: Callable[[], DslSchema], sdl: str
) -> None:
    from_dsl = ApiDefinition.from_schema(build())
    from_sdl = ApiDefinition.from_string(sdl)
    assert from_dsl.diagnostics() == []
    assert from_dsl.schema == from_sdl.schema


# Expected matrices of the seeds' DSL examples (fields as declared; `owner` implicit where
# the example does not declare it).
SEED_MATRICES: dict[str, dict[str, dict[str, str]]] = {
    # 000: "The "owner" of a Todo is allowed to create, read, update, and delete their own todos"
    "000 owner": {"userPools:owner:owner": {"content": "crud"}},
    # 000: "The "owner" of a Todo record is denied to delete it."
    "000 owner to create/read/update": {"userPools:owner:owner": {"content": "cru-"}},
    # 000: "To prevent an owner from reassigning their record to another user, protect the
    # owner field"
    "000 owner field protected from reassignment": {
        "userPools:owner:owner": {"content": "crud", "owner": "-r-d"}
    },
    # 000: "record owner information now stored in "author" field"
    "000 ownerDefinedIn('author')": {
        "userPools:owner:author": {"content": "crud", "author": "crud"}
    },
    # 001: "anyone with a valid JWT token from the Cognito user pool is allowed access to all
    # Todos."
    "001 private()": {"userPools:private": {"content": "crud"}},
    # 001: "identityPool is specified as the provider" (the authenticated role: iam:private)
    "001 private('identityPool')": {"iam:private": {"content": "crud"}},
}


@pytest.mark.parametrize(
    ("name", "build"), [c[:2] for c in SEED_CASES], ids=[c[0] for c in SEED_CASES]
)
def test_seed_examples_have_the_expected_matrix(name: str, build: Callable[[], DslSchema]) -> None:
    assert matrix(ApiDefinition.from_schema(build()), "Todo") == SEED_MATRICES[name]


# --- Field types ---------------------------------------------------------------------

FIELD_TYPES: list[tuple[Callable[[], FieldBuilder], str]] = [
    (a.id, "ID"),
    (a.string, "String"),
    (a.integer, "Int"),
    (a.float, "Float"),
    (a.boolean, "Boolean"),
    (a.datetime, "AWSDateTime"),
    (a.date, "AWSDate"),
    (a.time, "AWSTime"),
    (a.timestamp, "AWSTimestamp"),
    (a.json, "AWSJSON"),
    (a.email, "AWSEmail"),
    (a.url, "AWSURL"),
    (a.phone, "AWSPhone"),
    (a.ip_address, "AWSIPAddress"),
    (lambda: a.string().required(), "String!"),
    (lambda: a.string().array(), "[String]"),
    (lambda: a.string().required().array(), "[String!]"),
    (lambda: a.string().array().required(), "[String]!"),
    (lambda: a.string().required().array().required(), "[String!]!"),
    (lambda: a.ref("Status").array(), "[Status]"),
]


@pytest.mark.parametrize(("build", "expected"), FIELD_TYPES, ids=[t for _, t in FIELD_TYPES])
def test_field_builders_and_type_modifiers(
    build: Callable[[], FieldBuilder], expected: str
) -> None:
    schema = a.schema({"Status": a.enum(["open"]), "T": a.model({"f": build()})})
    assert schema.to_document() == parse_sdl(
        f"enum Status {{ open }} type T @model {{ f: {expected} }}"
    )


def test_modifiers_return_new_builders_and_never_mutate() -> None:
    base = a.string()
    required = base.required()
    assert required is not base
    assert (base.non_null, required.non_null) == (False, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        base.non_null = True  # type: ignore[misc]
    rule = a.allow.owner()
    assert rule.to(["read"]) is not rule
    assert rule.operations is None


# --- Enums ---------------------------------------------------------------------------


def test_named_enum_referenced_with_ref() -> None:
    schema = a.schema(
        {
            "Status": a.enum(["draft", "done"]),
            "Todo": a.model({"status": a.ref("Status").required()}),
        }
    )
    assert schema.to_document() == parse_sdl(
        "enum Status { draft done } type Todo @model { status: Status! }"
    )


def test_inline_enum_declares_model_field_enum_type_after_its_model() -> None:
    schema = a.schema(
        {
            "Todo": a.model({"status": a.enum(["draft", "done"]), "content": a.string()}),
            "Note": a.model({"priority": a.enum(["low", "high"]).array()}),
        }
    )
    assert schema.to_document() == parse_sdl(
        """
        type Todo @model { status: TodoStatus content: String }
        enum TodoStatus { draft done }
        type Note @model { priority: [NotePriority] }
        enum NotePriority { low high }
        """
    )


# --- Defaults and identifier ---------------------------------------------------------


def test_default_values_are_written_as_strings() -> None:
    schema = a.schema(
        {
            "Todo": a.model(
                {
                    "title": a.string().default("untitled"),
                    "count": a.integer().required().default(0),
                    "ratio": a.float().default(0.5),
                    "done": a.boolean().default(False),
                    "status": a.enum(["draft", "done"]).default("draft"),
                }
            ),
        }
    )
    assert schema.to_document() == parse_sdl(
        """
        type Todo @model {
          title: String @default(value: "untitled")
          count: Int! @default(value: "0")
          ratio: Float @default(value: "0.5")
          done: Boolean @default(value: "false")
          status: TodoStatus @default(value: "draft")
        }
        enum TodoStatus { draft done }
        """
    )


def test_field_directives_come_in_primary_key_default_auth_order() -> None:
    schema = a.schema(
        {
            "Todo": a.model(
                {
                    "email": a.email()
                    .required()
                    .default("x@example.com")
                    .authorization(lambda allow: [allow.owner()]),
                    "kind": a.string().required(),
                }
            ).identifier(["email", "kind"]),
        }
    )
    assert schema.to_document() == parse_sdl(
        """
        type Todo @model {
          email: AWSEmail! @primaryKey(sortKeyFields: ["kind"]) @default(value: "x@example.com")
            @auth(rules: [{allow: owner}])
          kind: String!
        }
        """
    )


IDENTIFIERS: list[tuple[list[str], str]] = [
    (["email", "kind"], 'email: String! @primaryKey(sortKeyFields: ["kind"]) kind: String!'),
    (["email"], "email: String! @primaryKey kind: String!"),
    (["id"], "email: String! kind: String!"),  # the default key: nothing to say
]


@pytest.mark.parametrize(("fields", "sdl"), IDENTIFIERS, ids=["+".join(f) for f, _ in IDENTIFIERS])
def test_identifier_is_a_primary_key_on_its_first_field(fields: list[str], sdl: str) -> None:
    schema = a.schema(
        {
            "Contact": a.model(
                {"email": a.string().required(), "kind": a.string().required()}
            ).identifier(fields),
        }
    )
    assert schema.to_document() == parse_sdl(f"type Contact @model {{ {sdl} }}")


# --- Allow builders and rule modifiers -----------------------------------------------

RULES: list[tuple[Callable[[], object], str]] = [
    (lambda: a.allow.owner(), "{allow: owner}"),
    (lambda: a.allow.owner("oidc"), "{allow: owner, provider: oidc}"),
    (lambda: a.allow.owner_defined_in("author"), '{allow: owner, ownerField: "author"}'),
    (lambda: a.allow.owners_defined_in("authors"), '{allow: owner, ownerField: "authors"}'),
    (lambda: a.allow.public_api_key(), "{allow: public, provider: apiKey}"),
    (lambda: a.allow.guest(), "{allow: public, provider: identityPool}"),
    (lambda: a.allow.authenticated(), "{allow: private}"),
    (lambda: a.allow.authenticated("iam"), "{allow: private, provider: iam}"),
    (lambda: a.allow.private("oidc"), "{allow: private, provider: oidc}"),
    (lambda: a.allow.group("Admin"), '{allow: groups, groups: ["Admin"]}'),
    (lambda: a.allow.groups(["A", "B"]), '{allow: groups, groups: ["A", "B"]}'),
    (lambda: a.allow.group_defined_in("group"), '{allow: groups, groupsField: "group"}'),
    (lambda: a.allow.groups_defined_in("groups"), '{allow: groups, groupsField: "groups"}'),
    (lambda: a.allow.custom(), "{allow: custom}"),
    (lambda: a.allow.custom("function"), "{allow: custom, provider: function}"),
    (lambda: a.allow.owner().to(["read"]), "{allow: owner, operations: [read]}"),
    (
        lambda: a.allow.public_api_key().to(["get", "list", "listen", "sync", "search"]),
        "{allow: public, provider: apiKey, operations: [get, list, listen, sync, search]}",
    ),
    (
        lambda: a.allow.owner("oidc").identity_claim("user_id"),
        '{allow: owner, provider: oidc, identityClaim: "user_id"}',
    ),
    (
        lambda: a.allow.group("Moderator").with_claim_in("user_groups"),
        '{allow: groups, groups: ["Moderator"], groupClaim: "user_groups"}',
    ),
    (
        lambda: a.allow.groups_defined_in("groups").with_claim_in("g").to(["update"]),
        '{allow: groups, groupsField: "groups", groupClaim: "g", operations: [update]}',
    ),
]


@pytest.mark.parametrize(("build", "rule"), RULES, ids=[r for _, r in RULES])
def test_each_allow_builder_renders_its_sdl_rule(build: Callable[[], object], rule: str) -> None:
    schema = a.schema(
        {
            "Todo": a.model(
                {"authors": a.string().array(), "group": a.string(), "groups": a.string().array()}
            ).authorization(lambda _: [build()]),  # type: ignore[list-item]
        }
    )
    expected = parse_sdl(
        f"""type Todo @model @auth(rules: [{rule}]) {{
          authors: [String] group: String groups: [String]
        }}"""
    )
    assert schema.to_document() == expected


IMPLIED: list[tuple[Callable[[], object], str]] = [
    (lambda: a.allow.owner(), ""),
    (lambda: a.allow.owner_defined_in("author"), ""),  # String is implicit for owner fields
    (lambda: a.allow.owners_defined_in("authors"), "authors: [String]"),
    (lambda: a.allow.group_defined_in("group"), "group: String"),
    (lambda: a.allow.groups_defined_in("groups"), "groups: [String]"),
]


@pytest.mark.parametrize(("build", "field"), IMPLIED, ids=[f or "nothing" for _, f in IMPLIED])
def test_rules_declare_the_list_and_group_fields_they_need(
    build: Callable[[], object], field: str
) -> None:
    model = a.model({"content": a.string()}).authorization(lambda _: [build()])  # type: ignore[list-item]
    expected = parse_sdl(f"type Todo @model {{ content: String {field} }}")
    assert a.schema({"Todo": model}).to_document().types[0].fields == expected.types[0].fields


def test_declared_fields_are_not_redeclared_and_field_rules_imply_fields_too() -> None:
    schema = a.schema(
        {
            "Post": a.model(
                {
                    "groups": a.string().required().array(),
                    "secret": a.string().authorization(
                        lambda allow: [allow.owners_defined_in("editors"), allow.group("Admin")]
                    ),
                }
            ).authorization(
                lambda allow: [
                    allow.groups_defined_in("groups"),
                    allow.group_defined_in("team"),
                    allow.group_defined_in("team").to(["read"]),
                ]
            ),
        }
    )
    assert schema.to_document() == parse_sdl(
        """
        type Post @model @auth(rules: [
          {allow: groups, groupsField: "groups"}
          {allow: groups, groupsField: "team"}
          {allow: groups, groupsField: "team", operations: [read]}
        ]) {
          groups: [String!]
          secret: String @auth(rules: [
            {allow: owner, ownerField: "editors"}, {allow: groups, groups: ["Admin"]}
          ])
          team: String
          editors: [String]
        }
        """
    )


def test_rules_and_fields_from_lambda_and_list_forms_are_equal() -> None:
    with_lambda = a.schema(
        {"T": a.model({"x": a.string()}).authorization(lambda allow: [allow.guest()])}
    )
    with_list = a.schema({"T": a.model({"x": a.string()}).authorization([a.allow.guest()])})
    assert with_lambda.to_document() == with_list.to_document()


def test_api_definition_from_schema_reads_the_document() -> None:
    schema = _seed000_owner()
    assert ApiDefinition.from_schema(schema).document == schema.to_document()


def test_empty_rule_list_is_emitted_as_written() -> None:
    schema = a.schema({"T": a.model({"x": a.string()}).authorization([])})
    assert schema.to_document() == parse_sdl("type T @model @auth(rules: []) { x: String }")


# --- Locations -----------------------------------------------------------------------


def test_every_node_points_at_the_python_line_that_wrote_it() -> None:
    start = _line()
    owners = a.allow.owners_defined_in("authors")  # +1
    read_only = owners.to(["read"])  # +2
    schema = a.schema(  # +3
        {
            "Todo": a.model(  # +5
                {
                    "content": a.string(),  # +7
                    "status": a.enum(["a", "b"]).default("a"),  # +8
                }
            )
            .identifier(["content"])  # +11
            .authorization(  # +12
                lambda allow: [
                    read_only,
                    allow.group("Admin"),  # +15
                ]
            ),
        }
    )
    todo, enum = schema.to_document().types
    content, status, authors = todo.fields
    model_directive, auth = todo.directives
    (key,) = content.directives
    (default,) = status.directives
    (rules,) = auth.arguments
    assert schema.location == _at(start + 3)
    assert todo.location == model_directive.location == _at(start + 5)
    assert content.location == _at(start + 7)
    assert status.location == enum.location == _at(start + 8)
    assert default.location == default.arguments[0].location == _at(start + 8)
    assert key.location == _at(start + 11)
    assert auth.location == rules.location == rules.location_of() == _at(start + 12)
    assert rules.location_of(0) == rules.location_of(0, "ownerField") == _at(start + 1)
    assert authors.location == _at(start + 1)
    assert rules.location_of(0, "operations") == rules.location_of(0, "operations", 0)
    assert rules.location_of(0, "operations") == _at(start + 2)
    assert rules.location_of(1, "groups", 0) == _at(start + 15)


def test_field_rules_point_at_their_lines() -> None:
    start = _line()
    schema = a.schema(
        {
            "Todo": a.model(
                {
                    "owner": a.string().authorization(  # +5
                        lambda allow: [allow.owner().identity_claim("user_id")]  # +6
                    ),
                }
            ),
        }
    )
    (auth,) = schema.to_document().types[0].fields[0].directives
    assert auth.location == _at(start + 5)
    assert auth.arguments[0].location_of(0, "identityClaim") == _at(start + 6)


def test_a_validation_problem_points_at_the_python_line() -> None:
    from authorized_appsync.schema.validate.context import ValidationContext
    from authorized_appsync.schema.validate.owner_field_not_primary_key import check

    start = _line()
    key = a.id().required()  # +1
    owner_is_key = a.allow.owner_defined_in("id")  # +2
    schema = a.schema({"Todo": a.model({"id": key}).authorization([owner_is_key])})
    (problem,) = check(ValidationContext(schema.to_document()))
    assert problem.location == _at(start + 2)
    assert problem.related == (_at(start + 1),)
    assert str(problem).startswith(f"{__file__}:{start + 2}:1: The ownerField 'id'")


# --- Misuse --------------------------------------------------------------------------

MISUSE: list[tuple[str, Callable[[], object], str]] = [
    (
        "unknown operation",
        lambda: a.allow.owner().to(["craete"]),
        "allow.owner().to(): 'craete' is not an operation; allowed: 'create', 'update', "
        "'delete', 'get', 'list', 'sync', 'listen', 'search' or 'read'. Did you mean 'create'?",
    ),
    (
        "operations not a list",
        lambda: a.allow.owner().to("read"),
        "allow.owner().to() takes a list of operations, e.g. .to(['read']); got str 'read'.",
    ),
    (
        "no operations",
        lambda: a.allow.owner().to([]),
        "allow.owner().to() needs at least one operation; allowed: 'create',",
    ),
    (
        "operations twice",
        lambda: a.allow.owner().to(["read"]).to(["create"]),
        "allow.owner().to(): the rule already sets operations.",
    ),
    (
        "provider the strategy does not accept",
        lambda: a.allow.owner(provider="apiKey"),
        "allow.owner() does not accept provider 'apiKey'; allowed: 'userPools' or 'oidc'.",
    ),
    (
        "misspelt provider",
        lambda: a.allow.authenticated("userPool"),
        "allow.authenticated() does not accept provider 'userPool'; allowed: 'iam', "
        "'identityPool', 'userPools' or 'oidc'. Did you mean 'userPools'?",
    ),
    (
        "custom with a user pool",
        lambda: a.allow.custom("userPools"),
        "allow.custom() does not accept provider 'userPools'; allowed: 'function'.",
    ),
    (
        "group rule with iam",
        lambda: a.allow.group("Admin", provider="iam"),
        "allow.group('Admin') does not accept provider 'iam'; allowed: 'userPools' or 'oidc'.",
    ),
    (
        "identity claim on a non-owner rule",
        lambda: a.allow.authenticated().identity_claim("user_id"),
        "allow.authenticated().identity_claim(): only owner rules (allow.owner(), "
        "allow.owner_defined_in(), allow.owners_defined_in()) have an identity claim.",
    ),
    (
        "group claim on a non-group rule",
        lambda: a.allow.owner().with_claim_in("user_groups"),
        "allow.owner().with_claim_in(): only group rules (allow.group(), allow.groups(), "
        "allow.group_defined_in(), allow.groups_defined_in()) have a group claim.",
    ),
    (
        "empty claim",
        lambda: a.allow.owner().identity_claim(""),
        "allow.owner().identity_claim() takes a claim name; got str ''.",
    ),
    (
        "groups given one string",
        lambda: a.allow.groups("Admin"),
        "allow.groups('Admin') takes a non-empty list of group names (for one group: "
        "allow.group('Admin')); got str 'Admin'.",
    ),
    (
        "group field not a name",
        lambda: a.allow.group_defined_in("my group"),
        "allow.group_defined_in('my group'): the field name 'my group' is not a valid GraphQL name",
    ),
    (
        "empty enum",
        lambda: a.enum([]),
        "a.enum() takes a non-empty list of value names, e.g. a.enum(['draft', 'done']); "
        "got list [].",
    ),
    (
        "enum value not a name",
        lambda: a.enum(["in-progress"]),
        "a.enum(): the enum value 'in-progress' is not a valid GraphQL name",
    ),
    (
        "repeated enum value",
        lambda: a.enum(["a", "b", "a"]),
        "a.enum(): the value 'a' is listed more than once.",
    ),
    (
        "default outside the enum",
        lambda: a.enum(["draft", "done"]).default("dnoe"),
        "a.enum([...]).default(): 'dnoe' is not a value of the enum; allowed: 'draft' or "
        "'done'. Did you mean 'done'?",
    ),
    (
        "default of an unsupported type",
        lambda: a.string().default(None),  # type: ignore[arg-type]
        "a.string().default() takes a string, number or boolean; got NoneType None.",
    ),
    (
        "list of lists",
        lambda: a.string().array().array(),
        "a.string().array(): lists of lists are not supported.",
    ),
    (
        "field value not a builder",
        lambda: a.model({"content": "String"}),  # type: ignore[dict-item]
        "a.model(): field 'content' must be a field builder such as a.string(); "
        "got str 'String'.",
    ),
    (
        "field builder not called",
        lambda: a.model({"content": a.string}),  # type: ignore[dict-item]
        "a.model(): field 'content' must be a field builder such as a.string(); "
        "got the function Namespace.string (not called).",
    ),
    (
        "field name not a name",
        lambda: a.model({"first name": a.string()}),
        "a.model(): the field name 'first name' is not a valid GraphQL name",
    ),
    (
        "model name not a name",
        lambda: a.schema({"To do": a.model({"x": a.string()})}),
        "a.schema(): the type name 'To do' is not a valid GraphQL name",
    ),
    (
        "reserved model name",
        lambda: a.schema({"__Todo": a.model({"x": a.string()})}),
        "a.schema(): the type name '__Todo' is not a valid GraphQL name",
    ),
    (
        "schema entry not a model",
        lambda: a.schema({"Todo": a.string()}),
        "a.schema(): 'Todo' must be a.model({...}) or a.enum([...]); got FieldBuilder.",
    ),
    (
        "enum entry with modifiers",
        lambda: a.schema({"Status": a.enum(["a"]).required()}),
        "a.schema(): 'Status' declares an enum, which takes no modifiers;",
    ),
    (
        "ref to an undeclared type",
        lambda: a.schema({"Status": a.enum(["a"]), "Todo": a.model({"status": a.ref("Stauts")})}),
        "Model 'Todo', field 'status': a.ref('Stauts') names no type of the schema; "
        "declared: 'Status' or 'Todo'. Did you mean 'Status'?",
    ),
    (
        "inline enum colliding with a declared type",
        lambda: a.schema({"Todo": a.model({"status": a.enum(["a"])}), "TodoStatus": a.enum(["b"])}),
        "a.schema(): the inline enum type 'TodoStatus' would collide with another type",
    ),
    (
        "authorization given one rule",
        lambda: a.model({"x": a.string()}).authorization(a.allow.owner()),  # type: ignore[arg-type]
        "a.model().authorization() takes a list of rules; wrap the rule in [...]: "
        "[allow.owner()].",
    ),
    (
        "authorization given a string",
        lambda: a.model({"x": a.string()}).authorization("owner"),  # type: ignore[arg-type]
        "a.model().authorization() takes a list of rules or a function returning one, e.g. "
        "lambda allow: [allow.owner()]; got str 'owner'.",
    ),
    (
        "authorization lambda returning nothing",
        lambda: a.string().authorization(lambda allow: None),  # type: ignore[arg-type,return-value]
        "a.string().authorization() takes a list of rules or a function returning one, e.g. "
        "lambda allow: [allow.owner()]; got a function returning NoneType None.",
    ),
    (
        "rule builder not called",
        lambda: a.model({"x": a.string()}).authorization(
            lambda allow: [allow.owner]  # type: ignore[list-item]
        ),
        "a.model().authorization(): every rule must be built by allow (e.g. allow.owner()); "
        "got the function Allow.owner (not called).",
    ),
    (
        "authorization twice",
        lambda: a.model({"x": a.string()}).authorization([]).authorization([]),
        "a.model().authorization(): the model's authorization is already set.",
    ),
    (
        "identifier naming an undeclared field",
        lambda: a.model({"email": a.string()}).identifier(["emial"]),
        "a.model().identifier(): 'emial' is not a field of the model; declared: 'email'. "
        "Did you mean 'email'?",
    ),
    (
        "identifier given one string",
        lambda: a.model({"email": a.string()}).identifier("email"),
        "a.model().identifier() takes a non-empty list of field names, e.g. ['email', 'kind']; "
        "got str 'email'.",
    ),
    (
        "conflicting implied fields",
        lambda: a.schema(
            {
                "Post": a.model({"x": a.string()}).authorization(
                    lambda allow: [allow.group_defined_in("g"), allow.groups_defined_in("g")]
                )
            }
        ),
        "Model 'Post': rules need field 'g' to be both String and [String]; declare the field",
    ),
]


@pytest.mark.parametrize(("call", "message"), [m[1:] for m in MISUSE], ids=[m[0] for m in MISUSE])
def test_misuse_raises_dsl_error_at_the_call(call: Callable[[], object], message: str) -> None:
    with pytest.raises(DslError, match="^" + re.escape(message)):
        call()


def test_dsl_error_is_a_value_error() -> None:
    assert issubclass(DslError, ValueError)


def test_a_schema_document_holds_only_raw_types() -> None:
    document = _seed000_owner().to_document()
    assert isinstance(document, RawDocument)
    assert all(isinstance(t, RawType) for t in document.types)
    assert [t.kind for t in document.types] == [TypeKind.OBJECT]
