"""get.js: who reads a record, per auth mode and rule; deny by default.

Each case: the model's get rules, the caller (a recorded identity), the stored item, and
whether the item comes back. Static rules admit before the read; owner and dynamic-group
rules are checked on the item.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

from authorized_appsync.codegen.resolvers.plan import OperationKind, RuleSpec, SecuritySettings
from resolver_harness import (
    ALICE,
    API_KEY,
    BOB,
    CAROL,
    IAM_ADMIN,
    IAM_ADMIN_LOOKALIKE,
    IAM_AUTH,
    IAM_UNAUTH,
    IAM_USER,
    LAMBDA,
    OIDC,
    SECURITY,
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

GET = OperationKind.GET


@dataclass(frozen=True)
class Case:
    id: str
    rules: tuple[RuleSpec, ...]
    who: Caller
    item: dict[str, Any]
    allowed: bool
    security: SecuritySettings = SECURITY


def post(**fields: Any) -> dict[str, Any]:
    return {"id": "p1", "title": "Hello", **fields}


ALICE_FULL = ALICE.owner_value  # "<sub>::alice"
OWNED = post(owner=ALICE_FULL)

CASES = [
    # -- deny by default (seed 003: "Authorization rules operate on the deny-by-default
    #    principle.") -------------------------------------------------------------------
    Case("no rules: api key", (), API_KEY, OWNED, False),
    Case("no rules: owner", (), ALICE, OWNED, False),
    Case("no rules: iam auth role", (), IAM_AUTH, OWNED, False),
    # -- public / private, per provider ---------------------------------------------------
    Case("public apiKey: api key", (public(),), API_KEY, OWNED, True),
    Case("public apiKey: user pool user", (public(),), ALICE, OWNED, False),
    Case("public apiKey: iam guest", (public(),), IAM_UNAUTH, OWNED, False),
    Case("public iam: guest role", (public("iam"),), IAM_UNAUTH, OWNED, True),
    Case("public iam: authenticated role", (public("iam"),), IAM_AUTH, OWNED, False),
    Case("public iam: iam user outside pool", (public("iam"),), IAM_USER, OWNED, False),
    Case("public iam: api key", (public("iam"),), API_KEY, OWNED, False),
    Case("private iam: authenticated role", (private("iam"),), IAM_AUTH, OWNED, True),
    Case("private iam: guest role", (private("iam"),), IAM_UNAUTH, OWNED, False),
    Case("private iam: iam user outside pool", (private("iam"),), IAM_USER, OWNED, False),
    Case("private userPools: any user", (private(),), BOB, OWNED, True),
    Case("private userPools: oidc user", (private(),), OIDC, OWNED, False),
    Case("private userPools: api key", (private(),), API_KEY, OWNED, False),
    Case("private oidc: oidc user", (private("oidc"),), OIDC, OWNED, True),
    Case("private oidc: user pool user", (private("oidc"),), ALICE, OWNED, False),
    Case("custom: lambda", (custom(),), LAMBDA, OWNED, True),
    Case("custom: api key", (custom(),), API_KEY, OWNED, False),
    Case("custom: user pool user", (custom(),), ALICE, OWNED, False),
    # -- owner: stored forms (seed 000: "The API will authorize against the full value of
    #    <sub>::<username> or sub / username separately") ----------------------------------
    Case("owner sub::username", (owner(),), ALICE, OWNED, True),
    Case("owner sub", (owner(),), ALICE, post(owner=ALICE.sub), True),
    Case("owner username", (owner(),), ALICE, post(owner="alice"), True),
    Case("owner: other user", (owner(),), BOB, OWNED, False),
    Case("owner: other's username", (owner(),), ALICE, post(owner="bob"), False),
    Case(
        "owner: own sub, other username", (owner(),), ALICE, post(owner=f"{ALICE.sub}::bob"), False
    ),
    Case("owner: username prefix", (owner(),), ALICE, post(owner="alice2"), False),
    Case("owner: no owner stored", (owner(),), ALICE, post(), False),
    Case("owner: api key", (owner(),), API_KEY, OWNED, False),
    Case("owner: oidc user with same sub", (owner(),), OIDC, post(owner="user-123"), False),
    Case("owner: admin group member", (owner(),), CAROL, OWNED, False),
    Case("owner custom field", (owner("author"),), ALICE, post(author="alice"), True),
    Case("owner custom field: owner ignored", (owner("author"),), ALICE, OWNED, False),
    # -- multi-owner (seed 003: "Any user listed in the authors field can access the record.")
    Case(
        "multi-owner: listed",
        (owner("authors", is_list=True),),
        ALICE,
        post(authors=["bob", ALICE_FULL]),
        True,
    ),
    Case(
        "multi-owner: listed by username",
        (owner("authors", is_list=True),),
        ALICE,
        post(authors=["alice"]),
        True,
    ),
    Case(
        "multi-owner: not listed",
        (owner("authors", is_list=True),),
        ALICE,
        post(authors=["bob", "carol"]),
        False,
    ),
    Case(
        "multi-owner: scalar stored in list field",
        (owner("authors", is_list=True),),
        ALICE,
        post(authors="alice"),
        False,
    ),
    # -- static groups (seed 003: only users in "Admin" reach Salary) ---------------------
    Case("groups Admins: member", (static_groups("Admins"),), CAROL, OWNED, True),
    Case("groups Admins: non-member", (static_groups("Admins"),), ALICE, OWNED, False),
    Case("groups Admins: no groups claim", (static_groups("Admins"),), BOB, OWNED, False),
    Case("groups Admins: api key", (static_groups("Admins"),), API_KEY, OWNED, False),
    Case("groups: one of several", (static_groups("Ops", "Editors"),), CAROL, OWNED, True),
    Case(
        "groups oidc: JSON-string claim",
        (static_groups("Moderator", claim="user_groups", provider="oidc"),),
        OIDC,
        OWNED,
        True,
    ),
    Case(
        "groups oidc: JSON-string claim, other group",
        (static_groups("Admins", claim="user_groups", provider="oidc"),),
        OIDC,
        OWNED,
        False,
    ),
    Case(
        "groups oidc: rule for user pools",
        (static_groups("Moderator", claim="user_groups"),),
        OIDC,
        OWNED,
        False,
    ),
    # -- dynamic groups (seed 003: "each record contains an attribute specifying what
    #    Cognito groups should be able to access it") ---------------------------------------
    Case("dynamic scalar: match", (dynamic_groups("group"),), CAROL, post(group="Editors"), True),
    Case(
        "dynamic scalar: no match", (dynamic_groups("group"),), ALICE, post(group="Editors"), False
    ),
    Case(
        "dynamic list: match",
        (dynamic_groups(is_list=True),),
        CAROL,
        post(groups=["Sales", "Admins"]),
        True,
    ),
    Case(
        "dynamic list: no match",
        (dynamic_groups(is_list=True),),
        ALICE,
        post(groups=["Sales", "Admins"]),
        False,
    ),
    Case("dynamic: no groups on record", (dynamic_groups(is_list=True),), CAROL, post(), False),
    Case(
        "dynamic oidc: JSON-string claim",
        (dynamic_groups(is_list=True, claim="user_groups", provider="oidc"),),
        OIDC,
        post(groups=["Moderator"]),
        True,
    ),
    # -- custom identityClaim (seed 003: "the record owner will check against a user_id claim")
    Case(
        "identityClaim user_id: match",
        (owner(claim="user_id", provider="oidc"),),
        OIDC,
        post(owner="u-42"),
        True,
    ),
    Case(
        "identityClaim user_id: sub does not count",
        (owner(claim="user_id", provider="oidc"),),
        OIDC,
        post(owner="user-123"),
        False,
    ),
    Case(
        "identityClaim sub::username on oidc",
        (owner(provider="oidc"),),
        OIDC,
        post(owner="dave"),
        True,
    ),
    # -- OR of rules (seed 003: rules are "logically OR"-ed) --------------------------------
    Case("owner or Admins: owner", (owner(), static_groups("Admins")), ALICE, OWNED, True),
    Case("owner or Admins: Admin", (owner(), static_groups("Admins")), CAROL, OWNED, True),
    Case("owner or Admins: neither", (owner(), static_groups("Admins")), BOB, OWNED, False),
    # -- IAM admin roles: exact names only (Amplify matched by substring) -----------------
    Case("admin role: no rules needed", (), IAM_ADMIN, OWNED, True),
    Case("admin role lookalike: denied", (private("iam"),), IAM_ADMIN_LOOKALIKE, OWNED, False),
    Case(
        "admin role by ARN",
        (),
        IAM_ADMIN,
        OWNED,
        True,
        SecuritySettings(admin_roles=("arn:aws:iam::123456789012:role/AdminRole",)),
    ),
    Case(
        "admin role lookalike by substring of ARN",
        (),
        IAM_ADMIN_LOOKALIKE,
        OWNED,
        False,
        SecuritySettings(admin_roles=("AdminRole", "arn:aws:iam::123456789012:role/AdminRole")),
    ),
    Case(
        "an IAM user named like an admin role is no admin",
        (),
        IAM_USER,
        OWNED,
        False,
        SecuritySettings(admin_roles=("appsync",)),
    ),
    Case("admin role listed, other iam user", (), IAM_USER, OWNED, False),
    # -- iamAuthorizationMode (seed 003: "with the exception of Amazon Cognito identity pool
    #    roles"): IAM principals outside the pool are governed by IAM alone ----------------
    Case(
        "iamAuthorizationMode: iam user",
        (),
        IAM_USER,
        OWNED,
        True,
        SecuritySettings(iam_authorization_mode=True),
    ),
    Case(
        "iamAuthorizationMode: pool role still needs a rule",
        (),
        IAM_AUTH,
        OWNED,
        False,
        SecuritySettings(iam_authorization_mode=True),
    ),
    # -- identity pool id --------------------------------------------------------------------
    Case(
        "private iam: role of another pool",
        (private("iam"),),
        IAM_AUTH,
        OWNED,
        False,
        SecuritySettings(identity_pool_id="us-east-1:99999999-0000-0000-0000-000000000000"),
    ),
    Case(
        "private iam: a user ARN as authenticated role admits nobody",
        (private("iam"),),
        IAM_USER,
        OWNED,
        False,
        SecuritySettings(authenticated_role="arn:aws:iam::123456789012:user/appsync"),
    ),
    Case(
        "private iam: named authenticated role, no identity-pool fields",
        (private("iam"),),
        IAM_ADMIN,
        OWNED,
        True,
        SecuritySettings(authenticated_role="arn:aws:iam::123456789012:role/AdminRole"),
    ),
    Case(
        "private iam: named role, caller is the guest role",
        (private("iam"),),
        IAM_UNAUTH,
        OWNED,
        False,
        SecuritySettings(authenticated_role="authRole"),
    ),
]


def _resolver(case: Case) -> Resolver:
    return Resolver(plan(GET, case.rules), security=case.security)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_get(case: Case) -> None:
    resolver = _resolver(case)
    sent = resolver.request(case.who, arguments={"id": "p1"})
    if sent.error is None:
        assert sent.result == {"operation": "GetItem", "key": {"id": {"S": "p1"}}}
        got = resolver.response(case.who, arguments={"id": "p1"}, result=case.item)
    else:
        got = sent  # denied before reading: no rule can admit this caller
    if case.allowed:
        assert got.error is None, got.error
        assert isinstance(got.result, dict)
        assert got.result["id"] == "p1"
    else:
        assert got.error is not None, f"{case.who.name} was let in"
        assert got.error.error_type == UNAUTHORIZED
        assert got.error.message == "Not Authorized to access getPost on type Query"
        assert got.result is None


def test_callers_without_any_rule_are_refused_before_the_read() -> None:
    got = Resolver(plan(GET, [owner()])).request(API_KEY, arguments={"id": "p1"})
    assert got.error is not None
    assert got.error.error_type == UNAUTHORIZED


def test_missing_item_is_null_for_a_possible_owner() -> None:
    resolver = Resolver(plan(GET, [owner()]))
    got = resolver.response(ALICE, arguments={"id": "p1"}, result=None)
    assert got.error is None
    assert got.result is None


def test_owner_value_is_returned_as_username() -> None:
    # seed 000: "... and return username." The stored value stays beside it, under a name
    # no GraphQL field can have, for the <Model>.<field> resolvers that judge the record.
    resolver = Resolver(plan(GET, [owner()]))
    got = resolver.response(ALICE, arguments={"id": "p1"}, result=OWNED)
    assert got.result == {
        "id": "p1",
        "title": "Hello",
        "owner": "alice",
        "__storedOwners": {"owner": ALICE_FULL},
    }


def test_each_owner_in_a_list_is_returned_as_username() -> None:
    resolver = Resolver(plan(GET, [owner("authors", is_list=True)]))
    item = post(authors=[ALICE_FULL, "b0b0::bob", "carol"])
    got = resolver.response(ALICE, arguments={"id": "p1"}, result=item)
    assert isinstance(got.result, dict)
    assert got.result["authors"] == ["alice", "bob", "carol"]


def test_custom_claim_values_are_returned_as_stored() -> None:
    resolver = Resolver(plan(GET, [owner(claim="user_id", provider="oidc")]))
    item = post(owner="u-42")
    assert resolver.response(OIDC, arguments={"id": "p1"}, result=item).result == item


def test_owner_fields_of_rules_not_allowing_get_are_read_back_too() -> None:
    # The codegen lists every owner rule of the model in ownerFields.
    p = plan(GET, [public()], owner_fields=(owner(),))
    got = Resolver(p).response(API_KEY, arguments={"id": "p1"}, result=OWNED)
    assert isinstance(got.result, dict)
    assert got.result["owner"] == "alice"


def test_composite_key() -> None:
    p = replace(plan(GET, [public()]), sort_key="createdAt")
    got = Resolver(p).request(API_KEY, arguments={"id": "p1", "createdAt": "2024"})
    assert got.result == {
        "operation": "GetItem",
        "key": {"id": {"S": "p1"}, "createdAt": {"S": "2024"}},
    }


def test_data_source_error_is_passed_on() -> None:
    error = {
        "message": "Requested resource not found",
        "type": "DynamoDB:ResourceNotFoundException",
    }
    got = Resolver(plan(GET, [public()])).response(API_KEY, arguments={"id": "p1"}, error=error)
    assert got.error is not None
    assert (got.error.message, got.error.error_type) == (error["message"], error["type"])
