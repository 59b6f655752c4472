"""Filters and conditions may not name a field the caller may not read (lib/readable.js).

A list's `filter` or an update's / delete's `condition` on a protected field answers "which
records hold this value" even though the value itself comes back null. A field with its
own rules (plan ``readRules``) may be named only by a caller one of its read rules admits
statically, or a bypassing caller (admin role, IAM authorization mode). Decision: an owner
or dynamic-group read rule does not count, the filter runs on records it may not hold on.
Also: how ``resolver_specs`` fills ``readRules`` and ``defaults`` from a schema.
"""

from __future__ import annotations

from typing import Any

import pytest

from authorized_appsync import ApiDefinition
from authorized_appsync.authz.api_plan import plan_api
from authorized_appsync.authz.settings import ApiSettings
from authorized_appsync.codegen.resolvers.plan import (
    OperationKind,
    ResolverPlan,
    RuleSpec,
    SecuritySettings,
)
from authorized_appsync.codegen.resolvers.specs import resolver_specs
from authorized_appsync.codegen.tables import OwnerIndex
from authorized_appsync.local.js.runner import HandlerOutcome
from resolver_harness import (
    ALICE,
    API_KEY,
    CAROL,
    IAM_ADMIN,
    IAM_USER,
    SECURITY,
    UNAUTHORIZED,
    Caller,
    Resolver,
    owner,
    plan,
    public,
    static_groups,
)

LIST = OperationKind.LIST
ADMINS = static_groups("Admins")
# ssn: readable by the Admins group (static) and by its owner (a record predicate).
READ_RULES = {"ssn": [ADMINS, owner()]}
MODEL_RULES = [public(), owner(), ADMINS]

ON_SSN = {"ssn": {"beginsWith": "123"}}
ON_TITLE = {"title": {"eq": "Hello"}}
NESTED_SSN = {"and": [ON_TITLE, {"or": [ON_TITLE, {"not": ON_SSN}]}]}


def assert_unauthorized(got: HandlerOutcome) -> None:
    assert got.error is not None, "the filter was let through"
    assert got.error.error_type == UNAUTHORIZED
    assert got.result is None


def assert_allowed(got: HandlerOutcome) -> None:
    assert got.error is None, got.error
    assert isinstance(got.result, dict)


def list_request(
    p: ResolverPlan,
    who: Caller,
    filter_: dict[str, Any] | None,
    security: SecuritySettings = SECURITY,
    **args: Any,
) -> HandlerOutcome:
    return Resolver(p, security).request(who, arguments={"filter": filter_, **args})


KINDS = {
    "list": (plan(LIST, MODEL_RULES, read_rules=READ_RULES), {}),
    "queryIndex": (
        plan(
            OperationKind.QUERY_INDEX,
            MODEL_RULES,
            read_rules=READ_RULES,
            index_name="byBlog",
            index_partition_key="blogId",
        ),
        {"blogId": "b1"},
    ),
    "ownerList": (
        plan(
            OperationKind.LIST,
            MODEL_RULES,
            read_rules=READ_RULES,
            owner_indexes=(OwnerIndex("owner", "ownerOwnerIndex", "__ownerKey_owner"),),
        ),
        {},
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("filter_", [ON_SSN, NESTED_SSN], ids=["top level", "nested"])
def test_lists_refuse_a_filter_on_a_field_the_caller_may_not_read(
    kind: str, filter_: dict[str, Any]
) -> None:
    p, args = KINDS[kind]
    # API key: may list (public), may not read ssn at all.
    assert_unauthorized(list_request(p, API_KEY, filter_, **args))
    # Alice reads ssn only on her own records (owner predicate): refused too (conservative).
    assert_unauthorized(list_request(p, ALICE, filter_, **args))


@pytest.mark.parametrize("kind", list(KINDS))
def test_lists_allow_the_filter_to_static_readers_and_bypass(kind: str) -> None:
    p, args = KINDS[kind]
    assert_allowed(list_request(p, CAROL, NESTED_SSN, **args))  # Admins: static
    assert_allowed(list_request(p, IAM_ADMIN, NESTED_SSN, **args))  # admin role
    iam_mode = SecuritySettings(iam_authorization_mode=True)
    assert_allowed(list_request(p, IAM_USER, NESTED_SSN, iam_mode, **args))


@pytest.mark.parametrize("kind", list(KINDS))
def test_lists_allow_filters_on_other_fields(kind: str) -> None:
    p, args = KINDS[kind]
    for who in (API_KEY, ALICE):
        assert_allowed(list_request(p, who, {"or": [ON_TITLE, {"not": ON_TITLE}]}, **args))
        assert_allowed(list_request(p, who, None, **args))


def test_the_filter_is_passed_on_when_allowed() -> None:
    got = list_request(plan(LIST, MODEL_RULES, read_rules=READ_RULES), CAROL, ON_SSN)
    assert_allowed(got)
    assert got.result is not None
    assert got.result["filter"]["expression"] == "(begins_with(#ssn, :ssn_beginsWith))"


def test_a_field_no_read_rule_admits_is_refused_even_to_static_list_callers() -> None:
    p = plan(LIST, [public()], read_rules={"ssn": []})
    assert_unauthorized(list_request(p, API_KEY, ON_SSN))
    assert_allowed(list_request(p, IAM_ADMIN, ON_SSN))


def test_fields_without_own_rules_are_not_checked() -> None:
    p = plan(LIST, [owner()])  # no readRules: only the model's rules govern every field
    assert_allowed(list_request(p, ALICE, ON_SSN))


def test_a_filter_nested_too_deep_is_refused() -> None:
    deep: dict[str, Any] = ON_TITLE
    for _ in range(40):
        deep = {"not": deep}
    p = plan(LIST, MODEL_RULES, read_rules=READ_RULES)
    got = list_request(p, API_KEY, deep)
    assert got.error is not None
    assert got.error.error_type == "ValidationException"
    shallow: dict[str, Any] = ON_TITLE
    for _ in range(20):
        shallow = {"not": shallow}
    assert_allowed(list_request(p, API_KEY, shallow))


# ---- update / delete: the `condition` -------------------------------------------------------


def write(
    kind: OperationKind,
    who: Caller,
    condition: dict[str, Any],
    security: SecuritySettings = SECURITY,
    **kw: Any,
) -> HandlerOutcome:
    p = plan(kind, MODEL_RULES, read_rules=READ_RULES, **kw)
    args: dict[str, Any] = {"input": {"id": "p1"}, "condition": condition}
    if kind is OperationKind.UPDATE:
        args["input"]["title"] = "New"
    return Resolver(p, security).request(who, arguments=args)


WRITES = [OperationKind.UPDATE, OperationKind.DELETE]


@pytest.mark.parametrize("kind", WRITES, ids=[k.value for k in WRITES])
def test_writes_refuse_a_condition_on_a_field_the_caller_may_not_read(kind: OperationKind) -> None:
    for who in (API_KEY, ALICE):
        assert_unauthorized(write(kind, who, ON_SSN))
        assert_unauthorized(write(kind, who, NESTED_SSN))


@pytest.mark.parametrize("kind", WRITES, ids=[k.value for k in WRITES])
def test_writes_allow_the_condition_to_static_readers_and_bypass(kind: OperationKind) -> None:
    got = write(kind, CAROL, NESTED_SSN)
    assert_allowed(got)
    assert got.result is not None
    assert "#ssn" in got.result["condition"]["expressionNames"]
    assert_allowed(write(kind, IAM_ADMIN, ON_SSN))
    iam_mode = SecuritySettings(iam_authorization_mode=True)
    assert_allowed(write(kind, IAM_USER, ON_SSN, iam_mode))


@pytest.mark.parametrize("kind", WRITES, ids=[k.value for k in WRITES])
def test_writes_allow_conditions_on_other_fields(kind: OperationKind) -> None:
    for who in (API_KEY, ALICE):
        assert_allowed(write(kind, who, ON_TITLE))


# ---- resolver_specs: what the plans carry ---------------------------------------------------

SCHEMA = """
type Post @model @auth(rules: [{ allow: owner }, { allow: groups, groups: ["Admins"] }]) {
  title: String!
  status: String! @default(value: "DRAFT")
  views: Int! @default(value: "0")
  rating: Float @default(value: "2.5")
  pinned: Boolean @default(value: "true")
  blogId: ID! @index(name: "byBlog", queryField: "postsByBlog")
  ssn: String @auth(rules: [
    { allow: owner, operations: [read, create, delete] },
    { allow: groups, groups: ["Admins"], operations: [read] },
    { allow: groups, groups: ["Writers"], operations: [update] }
  ])
}
"""


def schema_specs() -> list[Any]:
    api = plan_api(ApiDefinition.from_string(SCHEMA, "schema.graphql").schema, ApiSettings())
    return list(resolver_specs(api))


def schema_plans() -> dict[str, ResolverPlan]:
    return {f"{s.type_name}.{s.field_name}": s.plan for s in schema_specs()}


def rule_kinds(specs: tuple[RuleSpec, ...]) -> list[tuple[str, tuple[str, ...]]]:
    return [(s.strategy.value, s.groups) for s in specs]


def test_create_plan_carries_typed_defaults() -> None:
    plans = schema_plans()
    create = plans["Mutation.createPost"].to_json()
    assert create["defaults"] == {"status": "DRAFT", "views": 0, "rating": 2.5, "pinned": True}
    assert plans["Mutation.updatePost"].full_json()["defaults"] == {}
    assert "defaults" not in plans["Mutation.updatePost"].to_json()  # the default is left out


def test_read_rules_reach_every_operation_taking_a_question() -> None:
    # get (key arguments), the lists (filter, keys), the writes (key, condition) and the
    # subscriptions (filter): all judge the fields they are asked about by them.
    plans = schema_plans()
    names = (
        "Query.getPost",
        "Query.listPosts",
        "Query.postsByBlog",
        "Mutation.updatePost",
        "Mutation.deletePost",
        "Subscription.onCreatePost",
    )
    for name in names:
        p = plans[name]
        assert [f for f, _ in p.read_rules] == ["ssn"], name
        assert rule_kinds(dict(p.read_rules)["ssn"]) == [("owner", ()), ("groups", ("Admins",))]
    assert "readRules" not in plans["Mutation.createPost"].to_json()


def test_owner_list_carries_read_rules() -> None:
    listing = next(s for s in schema_specs() if s.field_name == "listPosts")
    assert listing.plan.owner_indexes
    assert [f for f, _ in listing.plan.read_rules] == ["ssn"]
