"""Partial readers in the resolvers (lib/partial.js): callers only a field's own rules
admit to a read pass get, list and the subscriptions, and see the fields those rules open.

Seed 003: "Field-level authorization rules do not inherit model-level authorization
rules. Meaning, only the specified field-level authorization rule is applied."
"""

from __future__ import annotations

from typing import Any

from authorized_appsync.codegen.resolvers.plan import OperationKind, ResolverPlan, RuleSpec
from authorized_appsync.codegen.tables import OwnerIndex
from resolver_harness import (
    ALICE,
    API_KEY,
    BOB,
    CAROL,
    OIDC,
    UNAUTHORIZED,
    Resolver,
    owner,
    plan,
    public,
    static_groups,
)

# Profile: the owner's; the API key may read `id` and `name` (field rules), nothing else.
NAME_RULES = (owner(), public())
MODES = (
    ("id", ("apiKey", "userPools")),
    ("name", ("apiKey", "userPools")),
    ("email", ("userPools",)),
    ("owner", ("userPools",)),
)
OWNER_INDEX = OwnerIndex("owner", "ownerOwnerIndex", "__ownerKey_owner")


def profile_plan(kind: OperationKind, partial: tuple[RuleSpec, ...] = (public(),)) -> ResolverPlan:
    views: dict[str, Any] = {} if kind is OperationKind.SUBSCRIBE else {"field_modes": MODES}
    if kind is OperationKind.LIST:
        views["owner_indexes"] = (OWNER_INDEX,)
    return plan(
        kind,
        [owner()],
        partial_rules=partial,
        read_rules={"id": NAME_RULES, "name": NAME_RULES},
        **views,
    )


def record(**extra: Any) -> dict[str, Any]:
    return {"id": "p1", "owner": ALICE.owner_value, "name": "Alice", "email": "a@x", **extra}


def info(*selected: str) -> dict[str, Any]:
    return {
        "selectionSetList": list(selected),
        "selectionSetGraphQL": "{ " + " ".join(selected) + " }",
    }


def test_a_partial_reader_passes_get_and_sees_the_fields_opened_to_them() -> None:
    get = Resolver(profile_plan(OperationKind.GET))
    assert get.request(API_KEY, arguments={"id": "p1"}).error is None
    got = get.response(API_KEY, result=record(), info=info("id", "name", "email"))
    assert got.error is None
    assert got.result == {"id": "p1", "owner": None, "name": "Alice", "email": None}
    # email carries @aws_cognito_user_pools alone: AppSync reports it itself.
    assert got.errors == ()


def test_errors_for_fields_the_directive_lets_through() -> None:
    # CAROL, an Admins member, is a partial reader through a group rule on `name`: the
    # user-pool directive of id and email lets her through, so those errors are the
    # resolver's to report (for the fields she asked for).
    admins = static_groups("Admins")
    get = Resolver(
        plan(
            OperationKind.GET,
            [owner()],
            partial_rules=(admins,),
            read_rules={"id": (owner(), admins), "name": (owner(), admins)},
            field_modes=MODES,
        )
    )
    assert get.request(CAROL, arguments={"id": "p1"}).error is None
    got = get.response(CAROL, result=record(), info=info("name", "email"))
    assert got.result == {"id": "p1", "owner": None, "name": "Alice", "email": None}
    assert [(e.message, e.error_info) for e in got.errors] == [
        ("Not Authorized to access email on type Post", {"path": ["email"]})
    ]


def test_a_caller_neither_rule_admits_is_refused() -> None:
    get = Resolver(profile_plan(OperationKind.GET))
    sent = get.request(OIDC, arguments={"id": "p1"})
    assert sent.error is not None
    assert sent.error.error_type == UNAUTHORIZED


def test_the_owner_still_reads_the_whole_record() -> None:
    got = Resolver(profile_plan(OperationKind.GET)).response(
        ALICE, result=record(), info=info("name", "email")
    )
    stored = {"__storedOwners": {"owner": record()["owner"]}}
    assert got.result == {**record(), "owner": "alice", **stored}
    assert got.errors == ()


def test_a_static_partial_rule_lists_everything() -> None:
    sent = Resolver(profile_plan(OperationKind.LIST)).request(API_KEY, arguments={})
    assert sent.result == {"operation": "Scan", "limit": 100}


def test_an_owner_who_is_also_a_partial_reader_scans_instead_of_the_owner_index() -> None:
    # Alice may read every profile's name: her list is every record, hers whole.
    sent = Resolver(profile_plan(OperationKind.LIST, (static_groups("Staff"), public()))).request(
        ALICE, arguments={}
    )
    assert isinstance(sent.result, dict)
    assert sent.result["operation"] == "Query"  # not Staff: her owner index alone
    wide = plan(
        OperationKind.LIST,
        [owner()],
        partial_rules=(owner("editors"),),
        read_rules={"name": (owner(), owner("editors"))},
        field_modes=MODES,
        owner_indexes=(OWNER_INDEX,),
    )
    sent = Resolver(wide).request(ALICE, arguments={})
    assert isinstance(sent.result, dict)
    assert sent.result["operation"] == "Scan"
    assert "#editors" in sent.result["filter"]["expressionNames"]


def test_a_page_shows_each_item_by_its_own_view() -> None:
    items = [record(), record(id="p2", owner=BOB.owner_value, email="b@x")]
    got = Resolver(profile_plan(OperationKind.LIST)).response(
        ALICE,
        result={"items": items, "nextToken": None},
        info=info("items", "items/name", "items/email"),
    )
    assert isinstance(got.result, dict)
    assert [(i["id"], i["email"]) for i in got.result["items"]] == [("p1", "a@x")]
    # Bob's profile: Alice is no partial reader (the API key is), so it is left out.


def test_subscribing_as_a_partial_reader() -> None:
    listen = Resolver(profile_plan(OperationKind.SUBSCRIBE))
    got = listen.response(API_KEY, arguments={})
    assert got.error is None
    assert got.subscription_filter is None  # every event; payloads null what they may not read


def test_a_partial_reader_may_not_filter_on_what_they_cannot_read() -> None:
    # Which records match `email` would reveal it.
    listing = Resolver(profile_plan(OperationKind.LIST))
    refused = listing.request(API_KEY, arguments={"filter": {"email": {"eq": "a@x"}}})
    assert refused.error is not None
    assert refused.error.error_type == UNAUTHORIZED
    allowed = listing.request(API_KEY, arguments={"filter": {"name": {"beginsWith": "A"}}})
    assert allowed.error is None
    # The owner reads no record partially: her filter is hers to make.
    assert listing.request(ALICE, arguments={"filter": {"email": {"eq": "a@x"}}}).error is None


def test_a_partial_reader_may_not_query_by_a_key_they_cannot_read() -> None:
    by_email = Resolver(
        plan(
            OperationKind.QUERY_INDEX,
            [owner()],
            partial_rules=(public(),),
            read_rules={"name": NAME_RULES},
            field_modes=MODES,
            index_name="byEmail",
            index_partition_key="email",
        )
    )
    refused = by_email.request(API_KEY, arguments={"email": "a@x"})
    assert refused.error is not None
    assert refused.error.error_type == UNAUTHORIZED
    assert by_email.request(ALICE, arguments={"email": "a@x"}).error is None


def test_finding_2_a_partial_reader_may_not_get_by_a_key_they_cannot_read() -> None:
    # The get of a Post keyed by its owner's email: the API key may read `name` alone, so
    # whether getPost(email: ...) finds a record would tell it which emails are stored.
    by_email = plan(
        OperationKind.GET,
        [owner()],
        partial_rules=(public(),),
        read_rules={"name": NAME_RULES},
        field_modes=MODES,
        partition_key="email",
    )
    refused = Resolver(by_email).request(API_KEY, arguments={"email": "a@x"})
    assert refused.error is not None
    assert refused.error.error_type == UNAUTHORIZED
    # The owner reads her records whole: her key is hers to give.
    assert Resolver(by_email).request(ALICE, arguments={"email": "a@x"}).error is None
