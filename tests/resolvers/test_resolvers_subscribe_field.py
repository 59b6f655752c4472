"""subscribe.js (subscribe-time auth, enhanced filters) and fieldRead.js (field-level read)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from authorized_appsync.codegen.resolvers.plan import OperationKind, RuleSpec
from resolver_harness import (
    ALICE,
    API_KEY,
    BOB,
    CAROL,
    IAM_ADMIN,
    IAM_AUTH,
    LAMBDA,
    OIDC,
    UNAUTHORIZED,
    Caller,
    Resolver,
    custom,
    dynamic_groups,
    owner,
    plan,
    private,
    public,
    static_groups,
)

SUBSCRIBE = OperationKind.SUBSCRIBE
FIELD_READ = OperationKind.FIELD_READ
ALICE_FORMS = [ALICE.owner_value, ALICE.sub, "alice"]


def subscribe(who: Caller, rules: list[RuleSpec], args: dict[str, Any] | None = None) -> Any:
    resolver = Resolver(plan(SUBSCRIBE, rules))
    sent = resolver.request(who, arguments=args or {})
    assert sent.result == {"payload": None}
    return resolver.response(who, arguments=args or {}, result=None)


def in_groups(who: Caller, *groups: str) -> Caller:
    """``who`` with other user-pool groups."""
    claims = {**who.identity["claims"], "cognito:groups": list(groups)}
    return replace(who, identity={**who.identity, "claims": claims, "groups": list(groups)})


def filters(got: Any) -> list[list[dict[str, Any]]]:
    assert got.error is None, got.error
    assert got.result is None
    return [group["filters"] for group in got.subscription_filter["filterGroup"]]


# ---- subscribe ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "rules"),
    [
        (API_KEY, [public(), owner()]),
        (CAROL, [owner(), static_groups("Admins")]),
        (IAM_AUTH, [private("iam")]),
        (LAMBDA, [custom()]),
        (IAM_ADMIN, [owner()]),
    ],
    ids=["api key", "static group", "iam private", "custom", "admin role"],
)
def test_static_admission_subscribes_without_filter(who: Caller, rules: list[RuleSpec]) -> None:
    got = subscribe(who, rules)
    assert got.error is None
    assert got.subscription_filter is None


@pytest.mark.parametrize(
    ("who", "rules"),
    [(API_KEY, [owner()]), (OIDC, [owner()]), (BOB, [static_groups("Admins")]), (ALICE, [])],
    ids=["api key vs owner", "oidc vs user-pool owner", "not in group", "no rules"],
)
def test_callers_without_a_rule_are_refused(who: Caller, rules: list[RuleSpec]) -> None:
    got = subscribe(who, rules)
    assert got.error is not None
    assert got.error.error_type == UNAUTHORIZED
    assert got.error.message == "Not Authorized to access onCreatePost on type Subscription"
    assert got.subscription_filter is None


def test_owner_subscription_receives_only_own_records() -> None:
    # Mutation responses read owners back as usernames; the "in" covers every stored form.
    assert filters(subscribe(ALICE, [owner()])) == [
        [{"fieldName": "owner", "operator": "in", "value": ALICE_FORMS}]
    ]


def test_multi_owner_subscription_uses_contains_any() -> None:
    assert filters(subscribe(ALICE, [owner("authors", is_list=True)])) == [
        [{"fieldName": "authors", "operator": "containsAny", "value": ALICE_FORMS}]
    ]


def test_dynamic_groups_scalar_and_list() -> None:
    assert filters(subscribe(CAROL, [dynamic_groups("group")])) == [
        [{"fieldName": "group", "operator": "in", "value": ["Admins", "Editors"]}]
    ]
    assert filters(subscribe(CAROL, [dynamic_groups(is_list=True)])) == [
        [{"fieldName": "groups", "operator": "containsAny", "value": ["Admins", "Editors"]}]
    ]


def test_one_filter_group_per_rule() -> None:
    got = filters(subscribe(CAROL, [owner(), dynamic_groups(is_list=True)]))
    assert [f[0]["fieldName"] for f in got] == ["owner", "groups"]


def test_more_groups_than_one_filter_takes_are_split_over_filter_groups() -> None:
    # seed 003: "subscriptions are only supported if the user is part of 5 or fewer user
    # groups" - here the groups are split, 5 per "in" filter, OR-ed.
    many = in_groups(CAROL, *(f"g{i}" for i in range(7)))
    got = filters(subscribe(many, [dynamic_groups("group")]))
    assert [f[0]["value"] for f in got] == [[f"g{i}" for i in range(5)], ["g5", "g6"]]


def test_too_many_groups_fail_the_subscription() -> None:
    many = in_groups(CAROL, *(f"g{i}" for i in range(51)))
    got = subscribe(many, [dynamic_groups("group")])
    assert got.error is not None
    assert "filter groups" in got.error.message


def test_oidc_groups_from_a_json_string_claim() -> None:
    got = filters(subscribe(OIDC, [dynamic_groups(claim="user_groups", provider="oidc")]))
    assert got == [[{"fieldName": "groups", "operator": "in", "value": ["Moderator", "Editors"]}]]


def test_user_filter_is_kept_with_the_auth_filter() -> None:
    args = {"filter": {"or": [{"title": {"eq": "a"}}, {"title": {"eq": "b"}}]}}
    got = filters(subscribe(ALICE, [owner()], args))
    auth = {"fieldName": "owner", "operator": "in", "value": ALICE_FORMS}
    assert got == [
        [{"fieldName": "title", "operator": "eq", "value": "a"}, auth],
        [{"fieldName": "title", "operator": "eq", "value": "b"}, auth],
    ]


def test_user_filter_alone_for_static_admission() -> None:
    got = subscribe(API_KEY, [public()], {"filter": {"title": {"beginsWith": "x"}}})
    assert got.subscription_filter == {
        "filterGroup": [
            {"filters": [{"fieldName": "title", "operator": "beginsWith", "value": "x"}]}
        ]
    }


# ---- fieldRead --------------------------------------------------------------------------------


def read_field(who: Caller, rules: list[RuleSpec], source: dict[str, Any]) -> Any:
    p = plan(FIELD_READ, rules, field_name="ssn")
    resolver = Resolver(p)
    sent = resolver.request(who, source=source)
    if sent.error is not None:
        return sent
    return resolver.response(who, source=source, result=sent.result["payload"])


SSN_OWNED = {"id": "e1", "owner": ALICE.owner_value, "ssn": "123-45"}


@pytest.mark.parametrize(
    ("who", "rules", "source"),
    [
        (ALICE, [owner()], SSN_OWNED),
        (ALICE, [owner()], {**SSN_OWNED, "owner": "alice"}),  # as get/list return it
        (BOB, [private()], SSN_OWNED),
        (CAROL, [owner(), static_groups("Admins")], SSN_OWNED),
        (CAROL, [dynamic_groups("group")], {**SSN_OWNED, "group": "Editors"}),
        (IAM_ADMIN, [], SSN_OWNED),
    ],
    ids=["owner", "owner read back", "private", "static group", "dynamic group", "admin role"],
)
def test_field_read_allowed(who: Caller, rules: list[RuleSpec], source: dict[str, Any]) -> None:
    got = read_field(who, rules, source)
    assert got.error is None, got.error
    assert got.result == "123-45"


@pytest.mark.parametrize(
    ("who", "rules", "source"),
    [
        (BOB, [owner()], SSN_OWNED),
        (API_KEY, [owner()], SSN_OWNED),
        (OIDC, [private()], SSN_OWNED),
        (ALICE, [static_groups("Admins")], SSN_OWNED),
        (ALICE, [dynamic_groups("group")], {**SSN_OWNED, "group": "Editors"}),
        (ALICE, [], SSN_OWNED),
    ],
    ids=[
        "other user",
        "api key",
        "oidc vs user pools",
        "not in group",
        "not in record group",
        "no rules",
    ],
)
def test_field_read_denied(who: Caller, rules: list[RuleSpec], source: dict[str, Any]) -> None:
    # seed 003: "Any signed in user can read data with the exception of the ssn field."
    got = read_field(who, rules, source)
    assert got.error is not None, f"{who.name} read the field"
    assert got.error.error_type == UNAUTHORIZED
    assert got.error.message == "Not Authorized to access ssn on type Post"
    assert got.result is None


def test_field_read_of_an_absent_value_is_null() -> None:
    got = read_field(ALICE, [owner()], {"id": "e1", "owner": "alice"})
    assert got.error is None
    assert got.result is None
