"""list.js and queryIndex.js.

Static admission reads every item; owner and dynamic-group rules narrow the read to the
caller's items (a filter on a Scan, or ONE Query on the owner index keyed by the caller's
owner key, filtered on the caller's identities); no rule -> Unauthorized.
"""

from __future__ import annotations

from typing import Any

import pytest

from authorized_appsync.codegen.resolvers.plan import OperationKind, ResolverPlan
from authorized_appsync.codegen.tables import OwnerIndex
from resolver_harness import (
    ALICE,
    API_KEY,
    BOB,
    CAROL,
    IAM_ADMIN,
    LAMBDA,
    OIDC,
    UNAUTHORIZED,
    Resolver,
    dynamic_groups,
    from_ddb,
    owner,
    plan,
    public,
    static_groups,
)

LIST = OperationKind.LIST
INDEX = "ownerOwnerIndex"
KEY = "__ownerKey_owner"
OWNER_INDEX = OwnerIndex("owner", INDEX, KEY)


def plain(expr: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    """An expression object as (expression, names, plain values)."""
    values = {k: from_ddb(v) for k, v in expr.get("expressionValues", {}).items()}
    return expr["expression"], expr["expressionNames"], values


# ---- list.js: Scan -----------------------------------------------------------------------


def test_static_admission_scans_without_a_filter() -> None:
    sent = Resolver(plan(LIST, [public(), owner()])).request(API_KEY, arguments={})
    assert sent.result == {"operation": "Scan", "limit": 100}


def test_limit_and_token_are_passed_on() -> None:
    sent = Resolver(plan(LIST, [public()])).request(
        API_KEY, arguments={"limit": 5, "nextToken": "opaque"}
    )
    assert sent.result == {"operation": "Scan", "limit": 5, "nextToken": "opaque"}


def test_owner_only_scans_with_the_owner_predicate_as_filter() -> None:
    sent = Resolver(plan(LIST, [owner(), static_groups("Admins")])).request(ALICE, arguments={})
    assert isinstance(sent.result, dict)
    assert sent.result["operation"] == "Scan"
    assert plain(sent.result["filter"]) == (
        "#owner IN (:auth0, :auth1, :auth2)",
        {"#owner": "owner"},
        {":auth0": ALICE.owner_value, ":auth1": ALICE.sub, ":auth2": "alice"},
    )


def test_admin_group_member_scans_everything() -> None:
    sent = Resolver(plan(LIST, [owner(), static_groups("Admins")])).request(CAROL, arguments={})
    assert sent.result == {"operation": "Scan", "limit": 100}


def test_several_predicates_are_ored_and_and_ed_with_the_user_filter() -> None:
    rules = [owner(), owner("editors", is_list=True)]
    sent = Resolver(plan(LIST, rules)).request(
        ALICE, arguments={"filter": {"title": {"eq": "Hello"}}}
    )
    assert isinstance(sent.result, dict)
    expression, names, values = plain(sent.result["filter"])
    user_part, auth_part = expression.split(" AND ", 1)
    assert user_part == "(#title = :title_eq)"
    assert auth_part == (
        "((#owner IN (:auth0, :auth1, :auth2)) OR (contains(#editors, :auth3) OR "
        "contains(#editors, :auth4) OR contains(#editors, :auth5)))"
    )
    assert names == {"#title": "title", "#owner": "owner", "#editors": "editors"}
    assert values[":title_eq"] == "Hello"
    assert [values[f":auth{i}"] for i in range(3, 6)] == [ALICE.owner_value, ALICE.sub, "alice"]


def test_nobody_else_lists() -> None:
    resolver = Resolver(plan(LIST, [owner()]))
    for who in (API_KEY, OIDC, LAMBDA):
        got = resolver.request(who, arguments={})
        assert got.error is not None, who.name
        assert got.error.error_type == UNAUTHORIZED


def test_admin_role_scans_everything() -> None:
    assert Resolver(plan(LIST, [owner()])).request(IAM_ADMIN, arguments={}).result == {
        "operation": "Scan",
        "limit": 100,
    }


def test_page_items_read_owner_back_as_username() -> None:
    result = {"items": [{"id": "1", "owner": ALICE.owner_value}], "nextToken": "t"}
    got = Resolver(plan(LIST, [owner()])).response(ALICE, arguments={}, result=result)
    item = {"id": "1", "owner": "alice", "__storedOwners": {"owner": ALICE.owner_value}}
    assert got.result == {"items": [item], "nextToken": "t"}


# ---- queryIndex.js -----------------------------------------------------------------------


def index_plan(*rules: Any) -> ResolverPlan:
    return plan(
        OperationKind.QUERY_INDEX,
        rules,
        index_name="byBlog",
        index_partition_key="blogId",
        index_sort_key="createdAt",
    )


def test_query_index_key_condition_and_sort_key() -> None:
    sent = Resolver(index_plan(public())).request(
        API_KEY,
        arguments={"blogId": "b1", "createdAt": {"beginsWith": "2024-"}, "sortDirection": "DESC"},
    )
    assert isinstance(sent.result, dict)
    assert sent.result["index"] == "byBlog"
    assert sent.result["scanIndexForward"] is False
    assert plain(sent.result["query"]) == (
        "#blogId = :pk AND begins_with(#createdAt, :sk)",
        {"#blogId": "blogId", "#createdAt": "createdAt"},
        {":pk": "b1", ":sk": "2024-"},
    )
    assert "filter" not in sent.result


def test_query_index_between() -> None:
    sent = Resolver(index_plan(public())).request(
        API_KEY, arguments={"blogId": "b1", "createdAt": {"between": ["a", "b"]}}
    )
    assert isinstance(sent.result, dict)
    assert plain(sent.result["query"])[0] == "#blogId = :pk AND #createdAt BETWEEN :sk0 AND :sk1"


def test_query_index_owner_filters() -> None:
    sent = Resolver(index_plan(owner())).request(ALICE, arguments={"blogId": "b1"})
    assert isinstance(sent.result, dict)
    assert plain(sent.result["filter"])[0] == "#owner IN (:auth0, :auth1, :auth2)"
    got = Resolver(index_plan(owner())).request(BOB, arguments={"blogId": "b1"})
    assert plain(got.result["filter"])[2][":auth2"] == "bob"


def test_query_index_denies_without_rule() -> None:
    got = Resolver(index_plan(owner())).request(API_KEY, arguments={"blogId": "b1"})
    assert got.error is not None
    assert got.error.error_type == UNAUTHORIZED


# ---- owner lists: one Query on the owner index, keyed by the owner key ----------------------


def owner_list_plan(*rules: Any) -> ResolverPlan:
    return plan(LIST, rules, owner_indexes=(OWNER_INDEX,))


def test_owner_list_is_one_query_on_the_owner_key() -> None:
    # DESIGN: "A list allowed only through an owner rule on a scalar owner field is a
    # DynamoDB Query on a generated owner index, not a Scan with a filter."
    sent = Resolver(owner_list_plan(owner())).request(ALICE, arguments={"limit": 20})
    assert isinstance(sent.result, dict)
    assert sent.result["operation"] == "Query"
    assert sent.result["index"] == INDEX
    assert sent.result["limit"] == 20
    # "<sub>::<username>" and "<username>" both key as the username.
    assert plain(sent.result["query"]) == (
        f"#{KEY} = :ownerKey",
        {f"#{KEY}": KEY},
        {":ownerKey": "alice"},
    )
    # The filter keeps only the caller's own identities: a later user who got the same
    # username never sees an item stored with an earlier user's "<sub>::<username>".
    expression, names, values = plain(sent.result["filter"])
    assert expression == "#owner IN (:auth0, :auth1, :auth2)"
    assert names == {"#owner": "owner"}
    assert sorted(values.values()) == sorted([ALICE.owner_value, ALICE.sub, "alice"])


def test_owner_list_passes_the_token_and_ands_the_user_filter() -> None:
    args = {"nextToken": "opaque", "filter": {"title": {"eq": "x"}}}
    sent = Resolver(owner_list_plan(owner())).request(ALICE, arguments=args)
    assert isinstance(sent.result, dict)
    assert sent.result["nextToken"] == "opaque"
    assert plain(sent.result["filter"])[0] == (
        "(#title = :title_eq) AND (#owner IN (:auth0, :auth1, :auth2))"
    )


def test_custom_claim_keys_on_its_one_value() -> None:
    p = owner_list_plan(owner(claim="user_id", provider="oidc"))
    sent = Resolver(p).request(OIDC, arguments={})
    assert isinstance(sent.result, dict)
    assert sent.result["index"] == INDEX
    assert plain(sent.result["query"])[2] == {":ownerKey": "u-42"}


def test_static_admission_scans_the_table() -> None:
    sent = Resolver(owner_list_plan(owner(), public())).request(API_KEY, arguments={"limit": 3})
    assert sent.result == {"operation": "Scan", "limit": 3}


def test_mixed_predicates_fall_back_to_a_filtered_scan() -> None:
    p = owner_list_plan(owner(), dynamic_groups(is_list=True))
    sent = Resolver(p).request(CAROL, arguments={})
    assert isinstance(sent.result, dict)
    assert sent.result["operation"] == "Scan"
    assert sent.result["filter"]["expression"] == (
        "(#owner IN (:auth0, :auth1, :auth2)) OR (contains(#groups, :auth3) OR "
        "contains(#groups, :auth4))"
    )


@pytest.mark.parametrize(
    ("who", "read"),
    [(ALICE, "Query"), (CAROL, "Scan"), (API_KEY, None), (IAM_ADMIN, "Scan")],
    ids=["owner", "admin group", "api key", "admin role"],
)
def test_owner_list_reads(who: Any, read: str | None) -> None:
    p = owner_list_plan(owner(), static_groups("Admins"))
    got = Resolver(p).request(who, arguments={})
    if read is None:
        assert got.error is not None
        assert got.error.error_type == UNAUTHORIZED
    else:
        assert got.error is None
        assert isinstance(got.result, dict)
        assert got.result["operation"] == read
        assert ("filter" in got.result) is (read == "Query")


def test_owner_list_returns_usernames_and_the_token() -> None:
    stored = [{"id": "a", "owner": ALICE.owner_value, KEY: "alice"}, {"id": "b", "owner": "alice"}]
    got = Resolver(owner_list_plan(owner())).response(
        ALICE, arguments={}, result={"items": stored, "nextToken": "next"}
    )
    assert got.error is None
    assert [i["owner"] for i in got.result["items"]] == ["alice", "alice"]
    assert got.result["nextToken"] == "next"


# ---- custom primary key: the key arguments make list a Query on the table ------------------
# The schema's listX(<partitionKey>, <sortKey>: Model<T>KeyConditionInput, filter, limit,
# nextToken, sortDirection) - see codegen/sdl/generator.py, _list_arguments.


def score_plan(*rules: Any, **kw: Any) -> ResolverPlan:
    return plan(LIST, rules, model="Score", partition_key="game", sort_key="points", **kw)


def test_partition_key_argument_makes_a_table_query() -> None:
    sent = Resolver(score_plan(public())).request(API_KEY, arguments={"game": "chess"})
    assert isinstance(sent.result, dict)
    assert sent.result["operation"] == "Query"
    assert "index" not in sent.result
    assert sent.result["scanIndexForward"] is True
    assert plain(sent.result["query"]) == ("#game = :pk", {"#game": "game"}, {":pk": "chess"})
    assert sent.result["limit"] == 100
    assert "filter" not in sent.result


@pytest.mark.parametrize(
    ("condition", "expression", "values"),
    [
        ({"eq": 5}, "#points = :sk", {":sk": 5}),
        ({"le": 5}, "#points <= :sk", {":sk": 5}),
        ({"lt": 5}, "#points < :sk", {":sk": 5}),
        ({"ge": 5}, "#points >= :sk", {":sk": 5}),
        ({"gt": 5}, "#points > :sk", {":sk": 5}),
        ({"between": [1, 9]}, "#points BETWEEN :sk0 AND :sk1", {":sk0": 1, ":sk1": 9}),
        ({"beginsWith": "1"}, "begins_with(#points, :sk)", {":sk": "1"}),
    ],
    ids=["eq", "le", "lt", "ge", "gt", "between", "beginsWith"],
)
def test_sort_key_condition_and_direction(
    condition: dict[str, Any], expression: str, values: dict[str, Any]
) -> None:
    args = {"game": "chess", "points": condition, "sortDirection": "DESC", "limit": 3}
    sent = Resolver(score_plan(public())).request(API_KEY, arguments=args)
    assert isinstance(sent.result, dict)
    assert sent.result["scanIndexForward"] is False
    assert sent.result["limit"] == 3
    assert plain(sent.result["query"]) == (
        f"#game = :pk AND {expression}",
        {"#game": "game", "#points": "points"},
        {":pk": "chess", **values},
    )


def test_table_query_keeps_the_predicates_as_filter() -> None:
    args = {"game": "chess", "filter": {"title": {"eq": "x"}}, "nextToken": "tok"}
    sent = Resolver(score_plan(owner())).request(ALICE, arguments=args)
    assert isinstance(sent.result, dict)
    assert sent.result["operation"] == "Query"
    assert sent.result["nextToken"] == "tok"
    assert plain(sent.result["filter"])[0] == (
        "(#title = :title_eq) AND (#owner IN (:auth0, :auth1, :auth2))"
    )
    assert plain(sent.result["query"])[0] == "#game = :pk"


def test_table_query_still_needs_a_rule() -> None:
    got = Resolver(score_plan(owner())).request(API_KEY, arguments={"game": "chess"})
    assert got.error is not None
    assert got.error.error_type == UNAUTHORIZED


@pytest.mark.parametrize(
    "args", [{}, {"game": None}, {"filter": {"title": {"eq": "x"}}}], ids=["none", "null", "filter"]
)
def test_without_the_partition_key_list_scans(args: dict[str, Any]) -> None:
    sent = Resolver(score_plan(public())).request(API_KEY, arguments=args)
    assert isinstance(sent.result, dict)
    assert sent.result["operation"] == "Scan"
    assert "query" not in sent.result
    assert "scanIndexForward" not in sent.result


@pytest.mark.parametrize(
    ("args", "named"),
    [({"sortDirection": "ASC"}, "sortDirection"), ({"points": {"gt": 1}}, "points")],
    ids=["sortDirection", "sort key"],
)
def test_sort_arguments_without_the_partition_key_are_refused(
    args: dict[str, Any], named: str
) -> None:
    got = Resolver(score_plan(public())).request(API_KEY, arguments=args)
    assert got.error is not None
    assert got.error.error_type == "InvalidArgumentsError"
    assert got.error.message == (
        f"When providing argument '{named}' you must also provide argument 'game'."
    )


def test_default_key_model_ignores_an_absent_id_argument() -> None:
    # listPosts(filter, limit, nextToken): no key arguments, always a Scan.
    sent = Resolver(plan(LIST, [public()])).request(API_KEY, arguments={"limit": 2})
    assert sent.result == {"operation": "Scan", "limit": 2}


def owner_score_plan(*rules: Any) -> ResolverPlan:
    return plan(
        LIST,
        rules,
        model="Score",
        partition_key="game",
        sort_key="points",
        owner_indexes=(OWNER_INDEX,),
    )


def test_owner_list_with_the_partition_key_queries_the_table_not_the_owner_index() -> None:
    sent = Resolver(owner_score_plan(owner())).request(ALICE, arguments={"game": "chess"})
    assert isinstance(sent.result, dict)
    assert sent.result["operation"] == "Query"
    assert "index" not in sent.result
    assert plain(sent.result["query"])[0] == "#game = :pk"
    assert sent.result["filter"]["expression"] == "#owner IN (:auth0, :auth1, :auth2)"
    # A static rule: the same Query, no filter.
    args = {"game": "chess", "limit": 2, "sortDirection": "DESC"}
    sent = Resolver(owner_score_plan(owner(), public())).request(API_KEY, arguments=args)
    assert isinstance(sent.result, dict)
    assert (sent.result["operation"], "index" in sent.result) == ("Query", False)
    assert sent.result["scanIndexForward"] is False
    assert "filter" not in sent.result


def test_owner_list_without_the_partition_key_keeps_the_owner_index() -> None:
    sent = Resolver(owner_score_plan(owner())).request(ALICE, arguments={})
    assert isinstance(sent.result, dict)
    assert sent.result["index"] == INDEX


def test_owner_list_refuses_sort_arguments_without_the_partition_key() -> None:
    got = Resolver(owner_score_plan(owner())).request(ALICE, arguments={"sortDirection": "DESC"})
    assert got.error is not None
    assert got.error.error_type == "InvalidArgumentsError"
