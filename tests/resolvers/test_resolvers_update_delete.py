"""update.js and delete.js: authorization in the ConditionExpression of the write itself.

DESIGN: "Update/delete authorization is a ConditionExpression on the write itself (owner /
dynamic-group predicates), not a read followed by an unconditional write."
"""

from __future__ import annotations

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
    static_groups,
)

UPDATE = OperationKind.UPDATE
DELETE = OperationKind.DELETE
ALICE_FORMS = [ALICE.owner_value, ALICE.sub, "alice"]
CONDITION_FAILED = "DynamoDB:ConditionalCheckFailedException"
EXISTS = "attribute_exists(#id)"


def expression(expr: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    values = {k: from_ddb(v) for k, v in expr.get("expressionValues", {}).items()}
    return expr["expression"], expr["expressionNames"], values


def update(
    who: Caller,
    input: dict[str, Any],
    rules: list[RuleSpec],
    *,
    field_rules: dict[str, list[RuleSpec]] | None = None,
    null_rules: dict[str, list[RuleSpec]] | None = None,
) -> Any:
    p = plan(UPDATE, rules, field_rules=field_rules, null_rules=null_rules)
    return Resolver(p).request(who, arguments={"input": {"id": "p1", **input}})


def condition(sent: Any) -> tuple[str, dict[str, str], dict[str, Any]]:
    assert sent.error is None, sent.error
    return expression(sent.result["condition"])


def assert_error(sent: Any, message: str) -> None:
    assert sent.error is not None, "the caller was let in"
    assert (sent.error.error_type, sent.error.message) == (UNAUTHORIZED, message)


# ---- update: the condition -----------------------------------------------------------------


def test_owner_update_is_conditional_on_the_stored_owner() -> None:
    assert condition(update(ALICE, {"title": "New"}, [owner()])) == (
        f"({EXISTS}) AND (#owner IN (:auth0, :auth1, :auth2))",
        {"#id": "id", "#owner": "owner"},
        {":auth0": ALICE.owner_value, ":auth1": ALICE.sub, ":auth2": "alice"},
    )


def test_static_admission_has_no_owner_predicate() -> None:
    rules = [owner(), static_groups("Admins")]
    assert condition(update(CAROL, {"title": "New"}, rules)) == (EXISTS, {"#id": "id"}, {})


def test_admin_role_has_no_predicate_and_no_field_checks() -> None:
    sent = update(IAM_ADMIN, {"title": "x", "ssn": None}, [owner()], field_rules={"ssn": []})
    assert condition(sent) == (EXISTS, {"#id": "id"}, {})


def test_multi_owner_and_dynamic_groups_predicates() -> None:
    rules = [owner("editors", is_list=True), dynamic_groups("group")]
    assert condition(update(CAROL, {"title": "x"}, rules)) == (
        f"({EXISTS}) AND ((contains(#editors, :auth0) OR contains(#editors, :auth1) OR "
        "contains(#editors, :auth2)) OR (#group IN (:auth3, :auth4)))",
        {"#id": "id", "#editors": "editors", "#group": "group"},
        {
            ":auth0": CAROL.owner_value,
            ":auth1": CAROL.sub,
            ":auth2": "carol",
            ":auth3": "Admins",
            ":auth4": "Editors",
        },
    )


def test_model_and_field_parts_are_anded_and_equal_parts_merged() -> None:
    # seed 003 Employee: private users read, the owner updates; ssn is owner-only.
    rules = [owner(), static_groups("Admins")]
    field_rules = {"ssn": [owner()], "notes": [owner()]}
    sent = update(ALICE, {"title": "t", "ssn": "1", "notes": "n"}, rules, field_rules=field_rules)
    text, _, values = condition(sent)
    assert text == f"({EXISTS}) AND (#owner IN (:auth0, :auth1, :auth2))"
    assert list(values.values()) == ALICE_FORMS
    # An admin passes the model rules statically but is an owner of nothing: the ssn part stays.
    admin = update(CAROL, {"title": "t", "ssn": "1"}, rules, field_rules={"ssn": [owner()]})
    assert condition(admin)[0] == f"({EXISTS}) AND (#owner IN (:auth0, :auth1, :auth2))"


def test_different_field_parts_are_all_required() -> None:
    rules = [private()]
    field_rules = {"ssn": [owner()], "tags": [dynamic_groups(is_list=True)]}
    text, _, _ = condition(
        update(CAROL, {"ssn": "1", "tags": ["a"]}, rules, field_rules=field_rules)
    )
    assert text == (
        f"({EXISTS}) AND (#owner IN (:auth0, :auth1, :auth2)) AND "
        "(contains(#groups, :auth3) OR contains(#groups, :auth4))"
    )


def test_update_expression_sets_changes_timestamp_and_typename_and_removes_nulls() -> None:
    null_rules = {"content": [owner()]}
    sent = update(ALICE, {"title": "New", "content": None}, [owner()], null_rules=null_rules)
    assert sent.error is None, sent.error
    assert sent.result["key"] == {"id": {"S": "p1"}}
    text, names, values = expression(sent.result["update"])
    # A predicate guards the write: a fresh __writeId keeps AppSync from counting a refused
    # no-op update as done (tests/local/test_local_noop_update.py).
    write_id = values.pop(":new2")
    assert (text, names, values) == (
        "SET #title = :new0, #__typename = :new1, #__writeId = :new2, #updatedAt = :new3 "
        "REMOVE #content",
        {
            "#title": "title",
            "#content": "content",
            "#__typename": "__typename",
            "#__writeId": "__writeId",
            "#updatedAt": "updatedAt",
        },
        {":new0": "New", ":new1": "Post", ":new3": NOW},
    )
    assert isinstance(write_id, str)
    assert len(write_id) == 36


# ---- update: who may change what -----------------------------------------------------------


def test_no_rule_for_the_caller_names_the_fields() -> None:
    assert_error(
        update(API_KEY, {"title": "x", "content": "y"}, [owner()]),
        "Unauthorized on [title, content]",
    )


def test_update_without_changes_needs_the_model_rules() -> None:
    assert condition(update(ALICE, {}, [owner()]))[0].startswith(f"({EXISTS}) AND (#owner IN")
    denied = update(API_KEY, {}, [owner()])
    assert denied.error is not None
    assert denied.error.message == "Not Authorized to access updatePost on type Mutation"


def test_setting_a_field_to_null_needs_delete() -> None:
    # seed 000: an owner allowed only create, read and update may not delete, so not null a field.
    rules = [owner()]
    assert_error(
        update(ALICE, {"content": None}, rules, null_rules={"content": []}),
        "Unauthorized on [content]",
    )
    assert_error(
        update(ALICE, {"content": None}, rules), "Unauthorized on [content]"
    )  # no entry: denied
    allowed = update(ALICE, {"content": None}, rules, null_rules={"content": [owner()]})
    assert allowed.error is None


def test_owner_may_reassign_ownership_by_default() -> None:
    # seed 000: "By default, owners can reassign the owner of their existing record to
    # another user."
    sent = update(ALICE, {"owner": "bob"}, [owner()])
    assert condition(sent)[0] == f"({EXISTS}) AND (#owner IN (:auth0, :auth1, :auth2))"


def test_a_field_rule_on_the_owner_field_prevents_reassigning() -> None:
    # seed 000: owner: a.string().authorization(allow => [allow.owner().to(['read', 'delete'])])
    sent = update(ALICE, {"owner": "bob"}, [owner()], field_rules={"owner": []})
    assert_error(sent, "Unauthorized on [owner]")


def test_field_rules_replace_model_rules() -> None:
    # seed 003: "Field-level authorization rules do not inherit model-level authorization rules."
    rules = [owner(), static_groups("Admins")]
    sent = update(CAROL, {"description": "d"}, rules, field_rules={"description": [private("iam")]})
    assert_error(sent, "Unauthorized on [description]")
    iam = update(
        IAM_AUTH, {"description": "d"}, rules, field_rules={"description": [private("iam")]}
    )
    assert condition(iam) == (EXISTS, {"#id": "id"}, {})


# ---- condition failures ------------------------------------------------------------------


@pytest.mark.parametrize("kind", [UPDATE, DELETE])
def test_condition_failure_without_item_is_not_found(kind: OperationKind) -> None:
    resolver = Resolver(plan(kind, [owner()]))
    stash = {"authParts": []}
    got = resolver.response(
        ALICE,
        arguments={"input": {"id": "p1"}},
        stash=stash,
        error={"message": "The conditional request failed", "type": CONDITION_FAILED},
    )
    assert got.error is not None
    assert (got.error.message, got.error.error_type) == (
        "Post not found: no item has this key.",
        CONDITION_FAILED,
    )


@pytest.mark.parametrize("kind", [UPDATE, DELETE])
def test_condition_failure_on_someone_elses_item_is_unauthorized(kind: OperationKind) -> None:
    resolver = Resolver(plan(kind, [owner()]))
    sent = resolver.request(BOB, arguments={"input": {"id": "p1"}})
    got = resolver.response(
        BOB,
        arguments={"input": {"id": "p1"}},
        stash=sent.stash,
        result={"id": "p1", "owner": ALICE.owner_value},
        error={"message": "The conditional request failed", "type": CONDITION_FAILED},
    )
    assert got.error is not None
    assert got.error.error_type == UNAUTHORIZED
    assert got.error.message.startswith("Not Authorized to access ")


def test_condition_failure_of_the_users_own_condition_is_passed_on() -> None:
    resolver = Resolver(plan(UPDATE, [owner()]))
    args = {"input": {"id": "p1", "title": "x"}, "condition": {"title": {"eq": "old"}}}
    sent = resolver.request(ALICE, arguments=args)
    assert condition(sent)[0] == (
        f"({EXISTS}) AND (#owner IN (:auth0, :auth1, :auth2)) AND (#title = :title_eq)"
    )
    got = resolver.response(
        ALICE,
        arguments=args,
        stash=sent.stash,
        result={"id": "p1", "owner": "alice", "title": "other"},
        error={"message": "The conditional request failed", "type": CONDITION_FAILED},
    )
    assert got.error is not None
    assert got.error.error_type == CONDITION_FAILED
    assert got.error.message == "The conditional request failed"


def test_update_response_nulls_protected_fields_and_keeps_the_stored_owner() -> None:
    p = plan(UPDATE, [owner()], protected_fields=("ssn",))
    got = Resolver(p).response(
        ALICE,
        arguments={"input": {"id": "p1"}},
        stash={"authParts": []},
        result={"id": "p1", "owner": ALICE.owner_value, "ssn": "123"},
    )
    assert got.result == {"id": "p1", "owner": ALICE.owner_value, "ssn": None, WRITTEN: True}


# ---- delete -----------------------------------------------------------------------------------


def delete(
    who: Caller, rules: list[RuleSpec], field_rules: dict[str, list[RuleSpec]] | None = None
) -> Any:
    return Resolver(plan(DELETE, rules, field_rules=field_rules)).request(
        who, arguments={"input": {"id": "p1"}}
    )


def test_owner_delete_is_conditional() -> None:
    sent = delete(ALICE, [owner(), static_groups("Admins")])
    assert sent.result["operation"] == "DeleteItem"
    assert sent.result["key"] == {"id": {"S": "p1"}}
    assert condition(sent) == (
        f"({EXISTS}) AND (#owner IN (:auth0, :auth1, :auth2))",
        {"#id": "id", "#owner": "owner"},
        dict(zip([":auth0", ":auth1", ":auth2"], ALICE_FORMS, strict=True)),
    )


def test_group_delete_is_unconditional_apart_from_existence() -> None:
    assert condition(delete(CAROL, [owner(), static_groups("Admins")])) == (
        EXISTS,
        {"#id": "id"},
        {},
    )


def test_delete_needs_delete_on_every_field() -> None:
    # seed 003: "Since the description field is not accessible by "Admin" Cognito group
    # users, they cannot delete any Todo records."
    rules = [private("iam"), static_groups("Admins")]
    field_rules = {"name": rules, "description": [private("iam")]}
    denied = delete(CAROL, rules, field_rules)
    assert denied.error is not None
    assert denied.error.error_type == UNAUTHORIZED
    assert condition(delete(IAM_AUTH, rules, field_rules)) == (EXISTS, {"#id": "id"}, {})


def test_delete_field_owner_rule_adds_its_predicate() -> None:
    sent = delete(CAROL, [static_groups("Admins")], {"ssn": [owner()]})
    assert condition(sent)[0] == f"({EXISTS}) AND (#owner IN (:auth0, :auth1, :auth2))"


def test_delete_denied_to_callers_without_a_rule() -> None:
    for who in (API_KEY, IAM_AUTH, OIDC):
        sent = delete(who, [owner()])
        assert sent.error is not None, who.name
        assert sent.error.message == "Not Authorized to access deletePost on type Mutation"
    # Any user-pool user may try: the condition decides whose record it is.
    assert condition(delete(BOB, [owner()]))[2][":auth2"] == "bob"


def test_delete_response_returns_the_deleted_item() -> None:
    got = Resolver(plan(DELETE, [owner()], protected_fields=("ssn",))).response(
        ALICE,
        arguments={"input": {"id": "p1"}},
        stash={"authParts": []},
        result={"id": "p1", "owner": ALICE.owner_value, "ssn": "1"},
    )
    assert got.result == {"id": "p1", "owner": ALICE.owner_value, "ssn": None, WRITTEN: True}
