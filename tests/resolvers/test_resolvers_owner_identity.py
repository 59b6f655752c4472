"""Owner identities (lib/identity.js ``ownerIdentitiesOf``) under attack: a value holding
"::" is never an identity on its own.

Security finding 1: a user whose *username* is ``<victimSub>::<victimUsername>`` matched the
victim's stored owner value ``<sub>::<username>`` (the bare username was one of their
identities), so they got, updated, reassigned and deleted the victim's records and listed
them through Scan-based (multi-owner) lists. A stored ``X::Y`` must match only the caller
whose own ``<sub>::<username>`` is ``X::Y``.

Every operation reads the caller's identities from the one function, so each is attacked
here: get (the record), update / delete (the ConditionExpression), create (a supplied
owner), list (the Scan filter, the owner index key and filter), subscribe (the filter).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from authorized_appsync.codegen.resolvers.plan import OperationKind, RuleSpec
from authorized_appsync.codegen.tables import OwnerIndex
from resolver_harness import (
    ALICE,
    API_KEY,
    OIDC,
    UNAUTHORIZED,
    WRITTEN,
    Caller,
    Resolver,
    from_ddb,
    owner,
    plan,
    public,
)

VICTIM = ALICE.owner_value  # "<aliceSub>::alice", as create stores it
MALLORY_SUB = "0b5e55ed-0000-4000-8000-000000000001"


def pool_user(username: str, sub: str = MALLORY_SUB) -> Caller:
    """A user-pool caller with the given username and sub."""
    claims = {**ALICE.identity["claims"], "sub": sub, "cognito:username": username}
    identity = {**ALICE.identity, "sub": sub, "username": username, "claims": claims}
    return replace(ALICE, name=username, identity=identity)


def oidc_user(**claims: Any) -> Caller:
    """An OIDC caller with the given claims (over the recorded OIDC user's)."""
    merged = {**OIDC.identity["claims"], **claims}
    return replace(OIDC, identity={**OIDC.identity, "sub": merged.get("sub"), "claims": merged})


# The username an attacker picks once a static reader's filters recovered the victim's sub.
MALLORY = pool_user(VICTIM)


def values(expr: dict[str, Any]) -> list[Any]:
    return [from_ddb(v) for v in expr.get("expressionValues", {}).values()]


def assert_unauthorized(got: Any) -> None:
    assert got.error is not None, "the caller was let in"
    assert got.error.error_type == UNAUTHORIZED


# ---- the named finding -------------------------------------------------------------------


def test_finding_1_username_shaped_like_sub_and_username_is_not_an_owner() -> None:
    item = {"id": "p1", "title": "Alice's", "owner": VICTIM}
    got = Resolver(plan(OperationKind.GET, [owner()])).response(
        MALLORY, arguments={"id": "p1"}, result=item
    )
    assert_unauthorized(got)
    # The victim still reads it.
    mine = Resolver(plan(OperationKind.GET, [owner()])).response(
        ALICE, arguments={"id": "p1"}, result=item
    )
    assert mine.error is None
    assert mine.result["title"] == "Alice's"


# ---- every operation, the same identities ------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "input"),
    [
        (OperationKind.UPDATE, {"id": "p1", "title": "Mine now"}),
        (OperationKind.DELETE, {"id": "p1"}),
    ],
    ids=["update", "delete"],
)
def test_writes_are_not_conditional_on_the_victims_value(
    kind: OperationKind, input: dict[str, Any]
) -> None:
    sent = Resolver(plan(kind, [owner()])).request(MALLORY, arguments={"input": input})
    assert sent.error is None, sent.error
    got = values(sent.result["condition"])
    assert VICTIM not in got
    assert f"{MALLORY_SUB}::{VICTIM}" in got  # their own joined identity, harmless


def test_reassigning_to_the_victims_value_is_conditional_on_the_attackers_own() -> None:
    sent = Resolver(plan(OperationKind.UPDATE, [owner()])).request(
        MALLORY, arguments={"input": {"id": "p1", "owner": VICTIM}}
    )
    assert sent.error is None, sent.error
    condition = values(sent.result["condition"])
    assert VICTIM not in condition


def test_create_refuses_the_victims_value_as_a_supplied_owner() -> None:
    rules = [owner()]
    sent = Resolver(plan(OperationKind.CREATE, rules, owner_fields=tuple(rules))).request(
        MALLORY, arguments={"input": {"title": "x", "owner": VICTIM}}
    )
    assert_unauthorized(sent)


def test_create_fills_the_attackers_own_joined_value() -> None:
    rules = [owner()]
    sent = Resolver(plan(OperationKind.CREATE, rules, owner_fields=tuple(rules))).request(
        MALLORY, arguments={"input": {"title": "x"}}
    )
    assert sent.error is None, sent.error
    stored = from_ddb(sent.result["attributeValues"]["owner"])
    assert stored == f"{MALLORY_SUB}::{VICTIM}"


def test_multi_owner_scan_filter_leaves_the_victims_value_out() -> None:
    sent = Resolver(plan(OperationKind.LIST, [owner("editors", is_list=True)])).request(
        MALLORY, arguments={}
    )
    assert sent.error is None, sent.error
    assert sent.result["operation"] == "Scan"
    assert VICTIM not in values(sent.result["filter"])


def test_owner_index_query_filters_out_the_victims_items() -> None:
    index = OwnerIndex("owner", "ownerOwnerIndex", "__ownerKey_owner")
    sent = Resolver(plan(OperationKind.LIST, [owner()], owner_indexes=(index,))).request(
        MALLORY, arguments={}
    )
    assert sent.error is None, sent.error
    # The key of "<mallorySub>::<aliceSub>::alice" is "<aliceSub>::alice": the Query may read
    # the victim's key only if it were stored so, and the filter holds only Mallory's values.
    assert VICTIM not in values(sent.result["filter"])


def test_subscription_filter_leaves_the_victims_value_out() -> None:
    resolver = Resolver(plan(OperationKind.SUBSCRIBE, [owner()]))
    got = resolver.response(MALLORY, arguments={}, result=None)
    assert got.error is None, got.error
    wanted = [f["value"] for g in got.subscription_filter["filterGroup"] for f in g["filters"]]
    assert all(VICTIM not in v for v in wanted)


def test_field_read_refuses_the_attacker() -> None:
    p = plan(OperationKind.FIELD_READ, [owner()], field_name="ssn")
    got = Resolver(p).response(MALLORY, source={"ssn": "123", "owner": VICTIM})
    assert_unauthorized(got)


# ---- which values are identities -----------------------------------------------------------


def identities(who: Caller, rule: RuleSpec) -> list[str]:
    """The caller's identities for ``rule``, as a subscription filters on them."""
    got = Resolver(plan(OperationKind.SUBSCRIBE, [rule])).response(who, arguments={}, result=None)
    if got.error is not None:
        return []
    return [
        v for g in got.subscription_filter["filterGroup"] for f in g["filters"] for v in f["value"]
    ]


@pytest.mark.parametrize(
    ("who", "rule", "expected"),
    [
        (ALICE, owner(), [VICTIM, ALICE.sub, "alice"]),
        # A username holding "::" is no identity on its own; the joined value still is.
        (pool_user("a::b", sub="s1"), owner(), ["s1::a::b", "s1"]),
        (pool_user("::alice", sub="s1"), owner(), ["s1::::alice", "s1"]),
        (pool_user("alice::", sub="s1"), owner(), ["s1::alice::", "s1"]),
        # A sub holding "::" (an OIDC issuer's choice): neither it nor a joined value, which
        # another caller (sub "x", username "y::z") could reproduce.
        (oidc_user(sub="x::y", username="z"), owner(provider="oidc"), ["z"]),
        (oidc_user(sub="x", username="y::z"), owner(provider="oidc"), ["x::y::z", "x"]),
        # One claim: its value, unless it holds "::".
        (oidc_user(user_id="u-42"), owner(claim="user_id", provider="oidc"), ["u-42"]),
        (oidc_user(user_id=VICTIM), owner(claim="user_id", provider="oidc"), []),
        (pool_user(VICTIM), owner(claim="username"), []),
        # Several custom claims: the joined value, then each part free of "::".
        (
            oidc_user(tenant="t1", user_id="u-42"),
            owner(claim="tenant::user_id", provider="oidc"),
            ["t1::u-42", "t1", "u-42"],
        ),
        (
            oidc_user(tenant="t1::x", user_id="u-42"),
            owner(claim="tenant::user_id", provider="oidc"),
            ["u-42"],
        ),
        # A missing part: no joined value.
        (oidc_user(tenant="t1"), owner(claim="tenant::absent", provider="oidc"), ["t1"]),
    ],
    ids=[
        "default",
        "username with ::",
        "username starting with ::",
        "username ending with ::",
        "oidc sub with ::",
        "oidc username with ::",
        "one claim",
        "one claim holding the victim's value",
        "username claim holding the victim's value",
        "two claims",
        "two claims, first holding ::",
        "two claims, one missing",
    ],
)
def test_identities(who: Caller, rule: RuleSpec, expected: list[str]) -> None:
    assert identities(who, rule) == expected


# ---- finding 5: filters and guards judge the stored value ----------------------------------
#
# Reads return the owner as the username, which a later user (a deleted user's username,
# a new sub) or an OIDC user with the same username claim holds too. Mutation responses are
# the subscription events, so they keep the stored value; a read keeps it beside the username
# for the <Model>.<field> resolvers below the record.

LATER_ALICE = pool_user("alice", sub="5ec0nd00-0000-4000-8000-000000000002")


def read_by_everyone(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` as a static reader's get returns it (the source of the field resolvers)."""
    got = Resolver(plan(OperationKind.GET, [public(), owner()])).response(
        API_KEY, arguments={"id": "p1"}, result=item
    )
    assert got.error is None, got.error
    return dict(got.result)


def test_finding_5_field_resolver_judges_the_stored_owner_not_the_username() -> None:
    source = read_by_everyone({"id": "p1", "owner": VICTIM, "ssn": "123-45"})
    assert source["owner"] == "alice"
    guard = Resolver(plan(OperationKind.FIELD_READ, [owner()], field_name="ssn"))
    assert_unauthorized(guard.response(LATER_ALICE, source=source))
    mine = guard.response(ALICE, source=source)
    assert (mine.error, mine.result) == (None, "123-45")


def test_a_field_resolver_under_a_custom_resolver_judges_its_plain_record() -> None:
    # A record some other resolver returned carries the stored values themselves.
    guard = Resolver(plan(OperationKind.FIELD_READ, [owner()], field_name="ssn"))
    record = {"id": "p1", "owner": VICTIM, "ssn": "123-45"}
    assert_unauthorized(guard.response(LATER_ALICE, source=record))
    assert guard.response(ALICE, source=record).result == "123-45"


@pytest.mark.parametrize(
    "kind", [OperationKind.CREATE, OperationKind.UPDATE, OperationKind.DELETE], ids=str
)
def test_mutation_responses_carry_the_stored_owner(kind: OperationKind) -> None:
    rules = [owner(), owner("editors", is_list=True)]
    fill = tuple(rules) if kind is OperationKind.CREATE else ()
    written = {"id": "p1", "owner": VICTIM, "editors": [VICTIM, "bob"]}
    got = Resolver(plan(kind, rules, owner_fields=fill)).response(
        ALICE, arguments={"input": {"id": "p1"}}, stash={"authParts": []}, result=written
    )
    assert got.error is None, got.error
    assert got.result == {**written, WRITTEN: True}


def test_the_later_users_subscription_filter_misses_the_stored_owner() -> None:
    assert VICTIM not in identities(LATER_ALICE, owner())
    namesake = oidc_user(sub="oidc-9", username="alice")
    assert VICTIM not in identities(namesake, owner(provider="oidc"))
    assert VICTIM in identities(ALICE, owner())
