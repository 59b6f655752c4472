"""Field-level read rules applied by the resolvers that return records (lib/fieldGuard.js):
get, list, index queries and the mutations null a guarded field the caller may not read,
and add "Not Authorized to access <field> on type <Model>" when the client asked for it.

Seed 003: "Any signed in user can read data with the exception of the ssn field. This
field only has owner auth applied, the field-level auth rule means that model-level auth
rules are not applied".
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from authorized_appsync.codegen.resolvers.plan import OperationKind, RuleSpec, SecuritySettings
from authorized_appsync.local.js.runner import HandlerOutcome
from resolver_harness import (
    ALICE,
    API_KEY,
    BOB,
    CAROL,
    IAM_ADMIN,
    IAM_AUTH,
    SECURITY,
    UNAUTHORIZED,
    Caller,
    Resolver,
    owner,
    plan,
    private,
    public,
    static_groups,
)

MESSAGE = "Not Authorized to access ssn on type Post"
SINGLE = [OperationKind.GET, OperationKind.CREATE, OperationKind.UPDATE, OperationKind.DELETE]
PAGED = [OperationKind.LIST, OperationKind.QUERY_INDEX]


def guarded(kind: OperationKind, ssn_rules: list[RuleSpec]) -> Resolver:
    """A resolver of ``kind`` whose model readers are every signed-in user and whose
    ``ssn`` is guarded by ``ssn_rules``."""
    return Resolver(plan(kind, [private(), owner()], guarded_fields=(("ssn", tuple(ssn_rules)),)))


def record(who: Caller, ssn: str = "123-45") -> dict[str, Any]:
    return {"id": "p1", "owner": who.owner_value, "ssn": ssn, "title": "t"}


def respond(
    kind: OperationKind, who: Caller, rules: list[RuleSpec], stored: Any, selected: list[str]
) -> HandlerOutcome:
    resolver = guarded(kind, rules)
    result = {"items": stored, "nextToken": None} if kind in PAGED else stored
    info = {"selectionSetList": selected, "selectionSetGraphQL": "{ " + " ".join(selected) + " }"}
    got = resolver.response(who, result=result, info=info, stash={"authParts": []})
    assert got.error is None, got.error
    return got


@pytest.mark.parametrize("kind", SINGLE)
@pytest.mark.parametrize(
    ("who", "rules"),
    [(ALICE, [owner()]), (CAROL, [static_groups("Admins")]), (IAM_ADMIN, [owner()])],
    ids=["owner", "static group", "admin role"],
)
def test_a_reader_the_rules_admit_gets_the_field(
    kind: OperationKind, who: Caller, rules: list[RuleSpec]
) -> None:
    got = respond(kind, who, rules, record(ALICE), ["id", "ssn"])
    assert got.errors == ()
    assert isinstance(got.result, dict)
    # Mutation responses null protected fields for everyone (none here): the value stays.
    assert got.result["ssn"] == "123-45"


@pytest.mark.parametrize("kind", SINGLE)
def test_another_reader_gets_null_and_the_error(kind: OperationKind) -> None:
    got = respond(kind, BOB, [owner()], record(ALICE), ["id", "ssn"])
    assert isinstance(got.result, dict)
    assert (got.result["ssn"], got.result["title"]) == (None, "t")
    ((error),) = got.errors
    assert (error.message, error.error_type, error.error_info) == (
        MESSAGE,
        UNAUTHORIZED,
        {"path": ["ssn"]},
    )


@pytest.mark.parametrize("kind", SINGLE)
def test_no_error_when_the_field_is_not_selected(kind: OperationKind) -> None:
    got = respond(kind, BOB, [owner()], record(ALICE), ["id", "title"])
    assert isinstance(got.result, dict)
    assert got.result["ssn"] is None
    assert got.errors == ()


@pytest.mark.parametrize(
    "text",
    ["{ id number: ssn }", "{ id number :ssn title }", "{\n  number:\n    ssn\n}"],
)
def test_an_aliased_field_gets_the_error(text: str) -> None:
    resolver = guarded(OperationKind.GET, [owner()])
    info = {"selectionSetList": ["id", "number"], "selectionSetGraphQL": text}
    got = resolver.response(BOB, result=record(ALICE), info=info)
    assert [e.message for e in got.errors] == [MESSAGE]


@pytest.mark.parametrize(
    "text",
    [
        "{ id ssnCopy }",
        "{ id x: ssnCopy }",
        "{ id x: mySsn }",
        "{ ssn2: title }",
        "{ id address { ssn } }",  # another type's field of that name, not aliased
    ],
)
def test_another_name_or_place_is_not_the_field(text: str) -> None:
    resolver = guarded(OperationKind.GET, [owner()])
    info = {"selectionSetList": ["id"], "selectionSetGraphQL": text}
    got = resolver.response(BOB, result=record(ALICE), info=info)
    assert got.errors == ()


@pytest.mark.parametrize("kind", PAGED)
def test_each_unreadable_item_gets_its_error_with_its_place(kind: OperationKind) -> None:
    items = [record(BOB), record(ALICE), record(ALICE)]
    got = respond(kind, ALICE, [owner()], items, ["items", "items/id", "items/ssn"])
    assert isinstance(got.result, dict)
    assert [item["ssn"] for item in got.result["items"]] == [None, "123-45", "123-45"]
    assert [(e.message, e.error_info) for e in got.errors] == [
        (MESSAGE, {"path": ["items", 0, "ssn"]})
    ]


@pytest.mark.parametrize("kind", PAGED)
def test_a_page_without_the_field_selected_has_no_error(kind: OperationKind) -> None:
    got = respond(kind, ALICE, [owner()], [record(BOB)], ["items", "items/id"])
    assert isinstance(got.result, dict)
    assert got.result["items"][0]["ssn"] is None
    assert got.errors == ()


def test_the_stored_owner_decides_not_the_returned_username() -> None:
    # The guard reads the stored record: an owner stored as "<sub>::<username>" is returned
    # as the username, and still admits the owner.
    got = respond(OperationKind.GET, ALICE, [owner()], record(ALICE), ["ssn", "owner"])
    assert isinstance(got.result, dict)
    assert (got.result["owner"], got.result["ssn"]) == ("alice", "123-45")


def test_a_protected_field_is_null_in_a_mutation_response_without_an_error() -> None:
    resolver = Resolver(
        plan(
            OperationKind.CREATE,
            [private(), owner()],
            guarded_fields=(("ssn", (owner(),)),),
            protected_fields=("ssn",),
        )
    )
    info = {"selectionSetList": ["ssn"], "selectionSetGraphQL": "{ ssn }"}
    got = resolver.response(ALICE, result=record(ALICE), info=info)
    assert isinstance(got.result, dict)
    assert got.result["ssn"] is None
    assert got.errors == ()


@pytest.mark.parametrize(
    ("who", "security", "error"),
    [
        (API_KEY, SECURITY, False),  # @aws_cognito_user_pools alone: AppSync's error
        (IAM_AUTH, SECURITY, True),  # admin roles put @aws_iam on every field
        (IAM_AUTH, replace(SECURITY, admin_roles=()), False),
        (BOB, SECURITY, True),
    ],
    ids=["api key", "iam with admin roles", "iam without", "other user"],
)
def test_the_error_is_left_to_appsync_for_a_mode_the_fields_directive_refuses(
    who: Caller, security: SecuritySettings, error: bool
) -> None:
    resolver = Resolver(
        plan(
            OperationKind.GET,
            [public(), private("iam"), private(), owner()],
            guarded_fields=(("ssn", (owner(),)),),
        ),
        security,
    )
    info = {"selectionSetList": ["ssn"], "selectionSetGraphQL": "{ ssn }"}
    got = resolver.response(who, result=record(ALICE), info=info)
    assert isinstance(got.result, dict)
    assert got.result["ssn"] is None
    assert [e.message for e in got.errors] == ([MESSAGE] if error else [])
