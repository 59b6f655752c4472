"""create.js: owner fill, foreign owners, field-level create rules, the PutItem."""

from __future__ import annotations

import re
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
    NOW,
    OIDC,
    UNAUTHORIZED,
    WRITTEN,
    Caller,
    Resolver,
    dynamic_groups,
    from_ddb,
    owner,
    plan,
    private,
    public,
    static_groups,
)

CREATE = OperationKind.CREATE
NOT_AUTHORIZED = "Not Authorized to access createPost on type Mutation"


def create(
    who: Caller,
    input: dict[str, Any],
    rules: list[RuleSpec],
    *,
    field_rules: dict[str, list[RuleSpec]] | None = None,
    owner_fields: tuple[RuleSpec, ...] | None = None,
    **kw: Any,
) -> Any:
    specs = owner_fields if owner_fields is not None else tuple(r for r in rules if r.owner_field)
    p = plan(CREATE, rules, field_rules=field_rules, owner_fields=specs, **kw)
    return Resolver(p).request(who, arguments={"input": input})


def stored(sent: Any) -> dict[str, Any]:
    """The item a PutItem request writes, as plain values."""
    assert sent.error is None, sent.error
    request = sent.result
    assert request["operation"] == "PutItem"
    item = {k: from_ddb(v) for k, v in request["attributeValues"].items()}
    item.update({k: from_ddb(v) for k, v in request["key"].items()})
    return item


def assert_denied(sent: Any, message: str = NOT_AUTHORIZED) -> None:
    assert sent.error is not None, "the caller was let in"
    assert sent.error.error_type == UNAUTHORIZED
    assert sent.error.message == message
    assert sent.result is None


# ---- owner fill (seed 000: "the owner field will automatically be added and populated
# with the identity of the created user"; "The value saved includes sub and username in
# the format <sub>::<username>") -----------------------------------------------------------


def test_absent_owner_is_filled_with_sub_and_username() -> None:
    item = stored(create(ALICE, {"title": "Hi"}, [owner()]))
    assert item["owner"] == ALICE.owner_value


@pytest.mark.parametrize(
    "value", [ALICE.owner_value, ALICE.sub, "alice"], ids=["full", "sub", "username"]
)
def test_supplied_owner_in_any_of_the_callers_forms_is_kept(value: str) -> None:
    assert stored(create(ALICE, {"owner": value}, [owner()]))["owner"] == value


@pytest.mark.parametrize("value", ["bob", f"{BOB.sub}::bob", f"{ALICE.sub}::bob", "alice "])
def test_foreign_owner_is_refused(value: str) -> None:
    assert_denied(create(ALICE, {"owner": value}, [owner()]))


def test_a_static_rule_may_create_on_behalf_of_someone_else() -> None:
    item = stored(create(CAROL, {"owner": "bob"}, [owner(), static_groups("Admins")]))
    assert item["owner"] == "bob"


def test_group_member_without_owner_is_filled_too() -> None:
    item = stored(create(CAROL, {}, [owner(), static_groups("Admins")]))
    assert item["owner"] == CAROL.owner_value


def test_custom_identity_claim_fills_that_claim() -> None:
    item = stored(create(OIDC, {}, [owner(claim="user_id", provider="oidc")]))
    assert item["owner"] == "u-42"


def test_other_modes_fill_nothing_and_need_their_own_rule() -> None:
    assert_denied(create(API_KEY, {}, [owner()]))
    assert_denied(create(OIDC, {}, [owner()]))  # the rule is for user pools
    assert_denied(create(IAM_AUTH, {}, [owner()]))


# ---- multi-owner (seed 003: "upon record creation, the authors list is populated with the
# creator of the record") -------------------------------------------------------------------

AUTHORS = owner("authors", is_list=True)


def test_multi_owner_list_is_created_with_the_creator() -> None:
    assert stored(create(ALICE, {}, [AUTHORS]))["authors"] == [ALICE.owner_value]


def test_multi_owner_list_without_the_creator_is_refused() -> None:
    # Issue 13, as Amplify's create resolver: the caller is not added to a supplied list; the
    # owner rule admits only when the list holds one of the caller's identities.
    assert_denied(create(ALICE, {"authors": ["bob"]}, [AUTHORS]))
    assert_denied(create(ALICE, {"authors": []}, [AUTHORS]))


def test_multi_owner_list_without_the_creator_is_kept_when_another_rule_admits() -> None:
    admins = [AUTHORS, static_groups("Admins")]
    assert stored(create(CAROL, {"authors": ["bob"]}, admins))["authors"] == ["bob"]


def test_multi_owner_list_with_the_creator_is_kept() -> None:
    assert stored(create(ALICE, {"authors": ["alice", "bob"]}, [AUTHORS]))["authors"] == [
        "alice",
        "bob",
    ]


# ---- dynamic groups: the record's groups must include one of the caller's --------------


def test_dynamic_groups_create_needs_a_group_of_the_caller() -> None:
    rules = [dynamic_groups(is_list=True)]
    assert stored(create(CAROL, {"groups": ["Editors"]}, rules))["groups"] == ["Editors"]
    assert_denied(create(CAROL, {"groups": ["Sales"]}, rules))
    assert_denied(create(ALICE, {}, rules))


# ---- field-level create rules ---------------------------------------------------------------
# seed 003: "Since the description field is not accessible by "Admin" Cognito group users,
# they cannot ..." - and DESIGN: "Create/update with a field the caller may not write fails
# whole: `Unauthorized on [<fields>]`".

TODO_RULES = [private("iam"), static_groups("Admins")]
TODO_FIELDS = {"name": TODO_RULES, "description": [private("iam")]}


def test_field_the_caller_may_not_create_fails_the_request() -> None:
    sent = create(CAROL, {"name": "n", "description": "d"}, TODO_RULES, field_rules=TODO_FIELDS)
    assert_denied(sent, "Unauthorized on [description]")


def test_every_denied_field_is_named() -> None:
    fields = {**TODO_FIELDS, "notes": [private("iam")]}
    sent = create(CAROL, {"notes": "x", "description": "d"}, TODO_RULES, field_rules=fields)
    assert_denied(sent, "Unauthorized on [notes, description]")


def test_fields_the_caller_may_create_pass() -> None:
    assert stored(create(CAROL, {"name": "n"}, TODO_RULES, field_rules=TODO_FIELDS))["name"] == "n"
    iam = create(IAM_AUTH, {"name": "n", "description": "d"}, TODO_RULES, field_rules=TODO_FIELDS)
    assert stored(iam)["description"] == "d"


def test_field_owner_rule_is_checked_on_the_filled_input() -> None:
    # seed 003 Employee: "only the employee/owner themselves have CRUD access to their ssn"
    rules = [owner()]
    assert stored(create(ALICE, {"ssn": "1"}, rules, field_rules={"ssn": [owner()]}))["ssn"] == "1"
    sent = create(
        CAROL,
        {"owner": "alice", "ssn": "1"},
        [*rules, static_groups("Admins")],
        field_rules={"ssn": [owner()]},
    )
    assert_denied(sent, "Unauthorized on [ssn]")


def test_protected_owner_field_is_filled_but_cannot_be_supplied() -> None:
    # seed 000: owner: a.string().authorization(allow => [allow.owner().to(['read', 'delete'])])
    field_rules: dict[str, list[RuleSpec]] = {"owner": []}  # no rule allows create on it
    assert (
        stored(create(ALICE, {}, [owner()], field_rules=field_rules))["owner"] == ALICE.owner_value
    )
    assert_denied(
        create(ALICE, {"owner": "alice"}, [owner()], field_rules=field_rules),
        "Unauthorized on [owner]",
    )


# ---- the PutItem ---------------------------------------------------------------------------------


def test_put_item_fills_key_timestamps_and_typename_and_never_overwrites() -> None:
    sent = create(ALICE, {"title": "Hi"}, [owner()])
    item = stored(sent)
    assert re.fullmatch(r"[0-9a-f-]{36}", item["id"])
    assert item["createdAt"] == item["updatedAt"] == NOW
    assert item["__typename"] == "Post"
    assert sent.result["condition"] == {
        "expression": "attribute_not_exists(#id)",
        "expressionNames": {"#id": "id"},
    }
    assert set(sent.result["key"]) == {"id"}


def test_supplied_id_and_timestamps_are_kept() -> None:
    item = stored(create(ALICE, {"id": "p1", "createdAt": "2020-01-01T00:00:00Z"}, [owner()]))
    assert (item["id"], item["createdAt"], item["updatedAt"]) == ("p1", "2020-01-01T00:00:00Z", NOW)


def test_timestamps_turned_off() -> None:
    item = stored(create(ALICE, {}, [owner()], created_at=None, updated_at=None))
    assert "createdAt" not in item
    assert "updatedAt" not in item


def test_composite_key_and_user_condition() -> None:
    sent = create(
        ALICE,
        {"id": "p1", "slug": "s"},
        [owner()],
        sort_key="slug",
    )
    assert set(sent.result["key"]) == {"id", "slug"}
    with_condition = Resolver(plan(CREATE, [owner()], owner_fields=(owner(),))).request(
        ALICE, arguments={"input": {"id": "p1"}, "condition": {"title": {"attributeExists": False}}}
    )
    condition = with_condition.result["condition"]
    assert (
        condition["expression"] == "(attribute_not_exists(#id)) AND (attribute_not_exists(#title))"
    )
    assert condition["expressionNames"] == {"#id": "id", "#title": "title"}


def test_admin_role_creates_anything_without_owner_fill() -> None:
    sent = create(
        IAM_ADMIN, {"owner": "bob", "description": "d"}, [owner()], field_rules={"description": []}
    )
    item = stored(sent)
    assert (item["owner"], item["description"]) == ("bob", "d")


def test_response_nulls_protected_fields_and_keeps_the_stored_owner() -> None:
    # The response is the subscription event: owner filters judge the stored value.
    p = plan(CREATE, [owner()], owner_fields=(owner(),), protected_fields=("ssn",))
    written = {"id": "p1", "owner": ALICE.owner_value, "ssn": "123"}
    got = Resolver(p).response(ALICE, arguments={"input": {}}, result=written)
    # Marked as a mutation's record: its relation fields are not resolved (subscribers).
    assert got.result == {"id": "p1", "owner": ALICE.owner_value, "ssn": None, WRITTEN: True}


def test_response_passes_an_existing_item_error_on() -> None:
    error = {
        "message": "The conditional request failed",
        "type": "DynamoDB:ConditionalCheckFailedException",
    }
    got = Resolver(plan(CREATE, [owner()])).response(ALICE, arguments={"input": {}}, error=error)
    assert got.error is not None
    assert got.error.error_type == "DynamoDB:ConditionalCheckFailedException"


def test_owner_rules_not_allowing_create_fill_nothing() -> None:
    # The plan lists every owner rule in ownerFields (they are read back as usernames);
    # only those allowing create are filled, as Amplify does.
    editors = owner("editors", is_list=True)
    item = stored(create(ALICE, {}, [owner()], owner_fields=(owner(), editors)))
    assert item["owner"] == ALICE.owner_value
    assert "editors" not in item


def test_private_rule_never_admits_api_key_or_lambda() -> None:
    assert_denied(create(API_KEY, {}, [private()]))
    assert_denied(create(LAMBDA, {}, [private()]))


# ---- @default(value:): filled when the input leaves the field out ---------------------------

DEFAULTS = {"status": "DRAFT", "views": 0, "pinned": False, "score": 1.5}


def test_absent_default_fields_are_filled_with_typed_values() -> None:
    item = stored(create(ALICE, {"title": "Hi"}, [owner()], defaults=DEFAULTS))
    assert {k: item[k] for k in DEFAULTS} == DEFAULTS
    assert isinstance(item["views"], int)
    assert item["pinned"] is False


def test_supplied_values_and_explicit_null_are_not_replaced() -> None:
    # Only an absent field gets its default; an explicit null is the caller's choice.
    item = stored(create(ALICE, {"status": "LIVE", "views": None}, [owner()], defaults=DEFAULTS))
    assert item["status"] == "LIVE"
    assert item["views"] is None
    assert item["pinned"] is False


def test_without_defaults_nothing_is_filled() -> None:
    item = stored(create(ALICE, {"title": "Hi"}, [owner()]))
    assert "status" not in item


def test_field_rules_judge_supplied_fields_not_defaults() -> None:
    # Nobody may create `status` (no rule allows it): its default is still written, while
    # supplying it is refused.
    rules: dict[str, list[RuleSpec]] = {"status": []}
    item = stored(create(ALICE, {}, [owner()], field_rules=rules, defaults=DEFAULTS))
    assert item["status"] == "DRAFT"
    assert_denied(
        create(ALICE, {"status": "DRAFT"}, [owner()], field_rules=rules, defaults=DEFAULTS),
        "Unauthorized on [status]",
    )


def test_defaults_do_not_admit_a_caller_the_rules_refuse() -> None:
    assert_denied(create(API_KEY, {}, [owner()], defaults=DEFAULTS))


def test_an_owner_field_is_filled_with_the_caller_before_its_default() -> None:
    item = stored(create(ALICE, {}, [owner()], defaults={"owner": "nobody"}))
    assert item["owner"] == ALICE.owner_value


def test_a_default_groups_field_decides_a_dynamic_groups_create() -> None:
    # The create rules are evaluated on the item as written, defaults included.
    rules = [dynamic_groups(is_list=True)]
    assert stored(create(CAROL, {}, rules, defaults={"groups": ["Editors"]}))["groups"] == [
        "Editors"
    ]
    assert_denied(create(CAROL, {}, rules, defaults={"groups": ["Sales"]}))


# ---- callers only a field's create rules admit (Amplify's access-control matrix) ---------

GUESTBOOK = {"message": [owner(), public()]}  # the owner's record; anyone may leave a message


def test_a_caller_only_a_field_rule_admits_creates_a_record_of_such_fields() -> None:
    item = stored(create(API_KEY, {"message": "hi"}, [owner()], field_rules=GUESTBOOK))
    assert item["message"] == "hi"
    assert "owner" not in item  # no owner rule of the API key's mode: nothing to fill


def test_a_field_only_creator_may_not_set_the_models_fields() -> None:
    # `title` and `id` follow the model's rules, which refuse the API key.
    sent = create(
        API_KEY, {"message": "hi", "title": "t", "id": "p9"}, [owner()], field_rules=GUESTBOOK
    )
    assert_denied(sent, "Unauthorized on [title, id]")


def test_a_caller_no_rule_admits_is_refused_before_any_field_is_judged() -> None:
    assert_denied(create(API_KEY, {"title": "t"}, [owner()], field_rules=GUESTBOOK))
    assert_denied(create(LAMBDA, {"message": "hi"}, [owner()], field_rules=GUESTBOOK))
