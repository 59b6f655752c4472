"""list.js, queryIndex.js, and the owner-list pipeline (listOwner.js + listOwnerForm.js).

Static admission reads every item; owner and dynamic-group rules narrow the read to the
caller's items (a filter on a Scan, or Queries on the owner index, one per stored owner
form); no rule -> Unauthorized.
"""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any

import pytest

from authorized_appsync.codegen.resolver_plan import OperationKind, ResolverPlan
from resolver_harness import (
    ALICE,
    API_KEY,
    BOB,
    CAROL,
    IAM_ADMIN,
    LAMBDA,
    OIDC,
    UNAUTHORIZED,
    FakeTable,
    Resolver,
    dynamic_groups,
    from_ddb,
    owner,
    plan,
    public,
    run_owner_list,
    static_groups,
)

LIST = OperationKind.LIST
INDEX = "ownerOwnerIndex"


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
    assert got.result == {"items": [{"id": "1", "owner": "alice"}], "nextToken": "t"}


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


# ---- listOwner + listOwnerForm -------------------------------------------------------------


def owner_list_plan(*rules: Any) -> ResolverPlan:
    return plan(LIST, rules, owner_indexes=(("owner", INDEX),))


def items_of(alice_forms: list[str], others: int) -> list[dict[str, Any]]:
    found = [{"id": f"a{i}", "owner": form} for i, form in enumerate(alice_forms)]
    found += [{"id": f"o{i}", "owner": f"someone{i}"} for i in range(others)]
    return found


def page_ids(result: Any) -> list[str]:
    return [item["id"] for item in result["items"]]


def test_owner_mode_queries_each_form_and_reads_only_owned_items() -> None:
    # DESIGN: "A list allowed only through an owner rule on a scalar owner field is a
    # DynamoDB Query on a generated owner index, not a Scan with a filter."
    forms = [ALICE.owner_value, ALICE.sub, "alice"]
    table = FakeTable(items_of(forms, 50), {INDEX: "owner"})
    got = run_owner_list(owner_list_plan(owner()), ALICE, table, {})
    assert got.error is None
    assert page_ids(got.result) == ["a0", "a1", "a2"]
    assert [i["owner"] for i in got.result["items"]] == ["alice", ALICE.sub, "alice"]
    assert got.result["nextToken"] is None
    assert table.reads == 3  # items read ~ items returned
    queried = [from_ddb(r["query"]["expressionValues"][":form"]) for r in table.requests]
    assert queried == forms
    assert all(r["operation"] == "Query" and r["index"] == INDEX for r in table.requests)


def test_owner_mode_pages_are_full_and_tokens_carry_the_form() -> None:
    forms = [ALICE.owner_value] * 3 + [ALICE.sub] * 2 + ["alice"] * 2
    table = FakeTable(items_of(forms, 10), {INDEX: "owner"})
    seen: list[str] = []
    token = None
    pages = []
    for _ in range(5):
        got = run_owner_list(
            owner_list_plan(owner()), ALICE, table, {"limit": 2, "nextToken": token}
        )
        assert got.error is None, got.error
        pages.append(page_ids(got.result))
        seen += pages[-1]
        token = got.result["nextToken"]
        if token is None:
            break
        decoded = json.loads(base64.b64decode(token))
        assert set(decoded) == {"f", "t"}
    assert sorted(seen) == sorted(f"a{i}" for i in range(7))
    assert all(len(p) == 2 for p in pages[:-1]), pages  # never a short page while items remain
    assert len(pages) == 4
    assert table.reads == 7


def test_owner_mode_token_moves_to_the_next_form_when_a_form_ends_on_a_full_page() -> None:
    table = FakeTable(
        items_of([ALICE.owner_value, ALICE.owner_value, "alice"], 0), {INDEX: "owner"}
    )
    first = run_owner_list(owner_list_plan(owner()), ALICE, table, {"limit": 2})
    token = first.result["nextToken"]
    assert json.loads(base64.b64decode(token)) == {"f": 1, "t": None}
    second = run_owner_list(
        owner_list_plan(owner()), ALICE, table, {"limit": 2, "nextToken": token}
    )
    assert page_ids(second.result) == ["a2"]
    assert second.result["nextToken"] is None


def test_owner_mode_rejects_a_forged_token() -> None:
    table = FakeTable([], {INDEX: "owner"})
    got = run_owner_list(owner_list_plan(owner()), ALICE, table, {"nextToken": "bm90LWEtdG9rZW4="})
    assert got.error is not None
    assert got.error.error_type == "InvalidNextTokenException"


def test_custom_claim_has_one_form() -> None:
    table = FakeTable(
        [{"id": "x", "owner": "u-42"}, {"id": "y", "owner": "user-123"}], {INDEX: "owner"}
    )
    got = run_owner_list(owner_list_plan(owner(claim="user_id", provider="oidc")), OIDC, table, {})
    assert page_ids(got.result) == ["x"]
    assert len(table.requests) == 1


def test_static_admission_scans_in_form_zero() -> None:
    table = FakeTable(items_of(["alice"], 3), {INDEX: "owner"})
    got = run_owner_list(owner_list_plan(owner(), public()), API_KEY, table, {"limit": 3})
    assert [r["operation"] for r in table.requests] == ["Scan"]
    assert len(page_ids(got.result)) == 3
    token = got.result["nextToken"]
    assert json.loads(base64.b64decode(token))["f"] == 0
    rest = run_owner_list(
        owner_list_plan(owner(), public()), API_KEY, table, {"limit": 3, "nextToken": token}
    )
    assert len(page_ids(rest.result)) == 1
    assert rest.result["nextToken"] is None


def test_mixed_predicates_fall_back_to_a_filtered_scan() -> None:
    p = owner_list_plan(owner(), dynamic_groups(is_list=True))
    before = Resolver(replace(p, kind=OperationKind.LIST_OWNER)).request(CAROL, arguments={})
    assert before.stash["mode"] == "filter"
    filt = before.stash["filter"]
    assert isinstance(filt, dict)
    assert filt["expression"] == (
        "(#owner IN (:auth0, :auth1, :auth2)) OR (contains(#groups, :auth3) OR "
        "contains(#groups, :auth4))"
    )


@pytest.mark.parametrize(
    ("who", "mode"),
    [(ALICE, "owner"), (CAROL, "scan"), (API_KEY, None), (IAM_ADMIN, "scan")],
    ids=["owner", "admin group", "api key", "admin role"],
)
def test_list_owner_modes(who: Any, mode: str | None) -> None:
    p = owner_list_plan(owner(), static_groups("Admins"))
    got = Resolver(replace(p, kind=OperationKind.LIST_OWNER)).request(who, arguments={})
    if mode is None:
        assert got.error is not None
        assert got.error.error_type == UNAUTHORIZED
    else:
        assert got.error is None
        assert got.stash["mode"] == mode


# ---- custom primary key: the key arguments make list a Query on the table ------------------
# The schema's listX(<partitionKey>, <sortKey>: Model<T>KeyConditionInput, filter, limit,
# nextToken, sortDirection) - see sdl_operations / appsync_sdl._list_arguments.


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
        owner_indexes=(("owner", INDEX),),
    )


def test_owner_list_with_the_partition_key_queries_the_table_not_the_owner_index() -> None:
    mine = [{"game": "chess", "points": i, "owner": "alice"} for i in range(3)]
    table = FakeTable([*mine, {"game": "go", "points": 1, "owner": "alice"}], {INDEX: "owner"})
    before = Resolver(replace(owner_score_plan(owner()), kind=OperationKind.LIST_OWNER)).request(
        ALICE, arguments={"game": "chess"}
    )
    assert before.stash["mode"] == "filter"
    assert before.stash["filter"]["expression"] == "#owner IN (:auth0, :auth1, :auth2)"
    assert before.stash["keyQuery"]["query"]["expression"] == "#game = :pk"
    # A static rule: the same Query, no filter; pages and tokens as for a Scan.
    got = run_owner_list(
        owner_score_plan(owner(), public()),
        API_KEY,
        table,
        {"game": "chess", "limit": 2, "sortDirection": "DESC"},
    )
    assert got.error is None, got.error
    assert [i["points"] for i in got.result["items"]] == [2, 1]
    assert [(r["operation"], "index" in r) for r in table.requests] == [("Query", False)]
    assert table.requests[0]["scanIndexForward"] is False
    token = got.result["nextToken"]
    assert json.loads(base64.b64decode(token))["f"] == 0
    rest = run_owner_list(
        owner_score_plan(owner(), public()),
        API_KEY,
        table,
        {"game": "chess", "limit": 2, "sortDirection": "DESC", "nextToken": token},
    )
    assert [i["points"] for i in rest.result["items"]] == [0]
    assert rest.result["nextToken"] is None


def test_owner_list_without_the_partition_key_keeps_the_owner_index() -> None:
    table = FakeTable([{"game": "chess", "points": 1, "owner": "alice"}], {INDEX: "owner"})
    got = run_owner_list(owner_score_plan(owner()), ALICE, table, {})
    assert [item["points"] for item in got.result["items"]] == [1]
    assert all(r["index"] == INDEX for r in table.requests)


def test_owner_list_refuses_sort_arguments_without_the_partition_key() -> None:
    p = replace(owner_score_plan(owner()), kind=OperationKind.LIST_OWNER)
    got = Resolver(p).request(ALICE, arguments={"sortDirection": "DESC"})
    assert got.error is not None
    assert got.error.error_type == "InvalidArgumentsError"
