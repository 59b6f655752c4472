"""Group rules end to end (seed 003 "User group-based data access"): static groups, a custom
OIDC group claim, dynamic groups held in a ``[String]`` or ``String`` field; the template's
own resolvers on moto's DynamoDB, allowed and denied callers for each rule.
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from stacks import api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.schema import names

SCHEMA = """
type Salary @model @auth(rules: [{ allow: groups, groups: ["Admin"] }]) {
  id: ID!
  wage: Int
  currency: String
}

type Post @model @auth(rules: [
  { allow: groups, provider: oidc, groups: ["Moderator"], groupClaim: "user_groups" }
]) {
  id: ID!
  postname: String
  content: String
}

type Doc @model @auth(rules: [{ allow: groups, groupsField: "groups" }]) {
  id: ID!
  title: String
  groups: [String]
}

type Note @model @auth(rules: [{ allow: groups, groupsField: "group" }]) {
  id: ID!
  title: String
  group: String
}
"""


def build(app: App | None = None) -> Stack:
    """User pool users by default, and OIDC users of the provider at stacks.ISSUER."""
    return api_stack("Groups", SCHEMA, app=app, oidc=True)


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(build()) as local:
        yield local


def crud(model, fields):
    """get/list/create/update/delete documents of ``model`` selecting ``fields``."""
    selection = f"{{ {fields} }}"
    return {
        "create": f"mutation($i: Create{model}Input!) {{ create{model}(input: $i) {selection} }}",
        "get": f"query($id: ID!) {{ get{model}(id: $id) {selection} }}",
        "list": f"{{ {names.list_field(model)} {{ items {selection} }} }}",
        "update": f"mutation($i: Update{model}Input!) {{ update{model}(input: $i) {selection} }}",
        "delete": f"mutation($id: ID!) {{ delete{model}(input: {{id: $id}}) {{ id }} }}",
    }


SALARY = crud("Salary", "id wage currency")
POST = crud("Post", "id postname content")
DOC = crud("Doc", "id title groups")
NOTE = crud("Note", "id title group")


# -- static groups ----------------------------------------------------------------------


def test_admin_members_have_crud_on_salary(api):
    # Seed 003: "only users that are part of the "Admin" user group are granted access to
    # the Salary model."
    admin = api.user("root", groups=("Admin",))
    created = ok(
        api.graphql(SALARY["create"], {"i": {"wage": 10, "currency": "EUR"}}, auth=admin),
        "createSalary",
    )
    salary_id = created["id"]
    assert ok(api.graphql(SALARY["get"], {"id": salary_id}, auth=admin), "getSalary") == created
    listed = ok(api.graphql(SALARY["list"], auth=admin), "listSalaries")["items"]
    assert created in listed
    updated = api.graphql(SALARY["update"], {"i": {"id": salary_id, "wage": 11}}, auth=admin)
    assert ok(updated, "updateSalary")["wage"] == 11
    assert ok(api.graphql(SALARY["delete"], {"id": salary_id}, auth=admin), "deleteSalary") == {
        "id": salary_id
    }


@pytest.mark.parametrize("groups", [(), ("Staff",), ("admin",), ("Administrators",)])
def test_non_members_are_denied_every_salary_operation(api, groups):
    # Seed 003: "Authorization rules operate on the deny-by-default principle." Group names
    # are matched exactly (case and all).
    admin = api.user("root", groups=("Admin",))
    salary_id = ok(api.graphql(SALARY["create"], {"i": {"wage": 1}}, auth=admin), "createSalary")[
        "id"
    ]
    other = api.user("eve", groups=groups)
    assert_denied(api.graphql(SALARY["get"], {"id": salary_id}, auth=other), "getSalary", "Query")
    assert_denied(api.graphql(SALARY["list"], auth=other), "listSalaries", "Query")
    created = api.graphql(SALARY["create"], {"i": {"wage": 2}}, auth=other)
    assert_denied(created, "createSalary", "Mutation")
    update = api.graphql(SALARY["update"], {"i": {"id": salary_id, "wage": 0}}, auth=other)
    assert_denied(update, "updateSalary", "Mutation", "Unauthorized on [wage]")
    deleted = api.graphql(SALARY["delete"], {"id": salary_id}, auth=other)
    assert_denied(deleted, "deleteSalary", "Mutation")
    assert ok(api.graphql(SALARY["get"], {"id": salary_id}, auth=admin), "getSalary")["wage"] == 1


def test_oidc_callers_are_not_user_pool_admins(api):
    # The Salary rule's provider is userPools: an OIDC token carrying the group is not it.
    oidc_admin = api.oidc_user({"sub": "o1", "cognito:groups": ["Admin"]})
    assert_denied(api.graphql(SALARY["list"], auth=oidc_admin), "listSalaries", "Query")


# -- custom group claim (OIDC) ----------------------------------------------------------


def test_custom_group_claim_as_a_json_string_admits_moderators(api):
    # Seed 003: "if the user_groups claim contains a "Moderator" string then access will
    # be granted"; docs/semantics.md: "Claims may arrive as a JSON string ... and are parsed."
    moderator = api.oidc_user({"sub": "m1", "user_groups": '["Moderator"]'})
    created = api.graphql(POST["create"], {"i": {"postname": "p", "content": "c"}}, auth=moderator)
    post = ok(created, "createPost")
    assert ok(api.graphql(POST["get"], {"id": post["id"]}, auth=moderator), "getPost") == post
    assert post in ok(api.graphql(POST["list"], auth=moderator), "listPosts")["items"]
    changed = api.graphql(POST["update"], {"i": {"id": post["id"], "content": "d"}}, auth=moderator)
    assert ok(changed, "updatePost")["content"] == "d"
    listed_as_array = api.oidc_user({"sub": "m2", "user_groups": ["Staff", "Moderator"]})
    assert ok(api.graphql(POST["get"], {"id": post["id"]}, auth=listed_as_array), "getPost")
    assert ok(api.graphql(POST["delete"], {"id": post["id"]}, auth=moderator), "deletePost")


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "d1", "user_groups": '["Other"]'},
        {"sub": "d2"},
        # The default claim is not the one the rule reads.
        {"sub": "d3", "cognito:groups": ["Moderator"]},
        {"sub": "d4", "user_groups": '["Moderators"]'},
    ],
)
def test_custom_group_claim_denies_everyone_else(api, claims):
    moderator = api.oidc_user({"sub": "m1", "user_groups": '["Moderator"]'})
    post_id = ok(
        api.graphql(POST["create"], {"i": {"postname": "p"}}, auth=moderator), "createPost"
    )["id"]
    other = api.oidc_user(claims)
    assert_denied(api.graphql(POST["get"], {"id": post_id}, auth=other), "getPost", "Query")
    assert_denied(api.graphql(POST["list"], auth=other), "listPosts", "Query")
    assert_denied(
        api.graphql(POST["create"], {"i": {"postname": "x"}}, auth=other), "createPost", "Mutation"
    )
    update = api.graphql(POST["update"], {"i": {"id": post_id, "content": "x"}}, auth=other)
    assert_denied(update, "updatePost", "Mutation", "Unauthorized on [content]")
    assert_denied(
        api.graphql(POST["delete"], {"id": post_id}, auth=other), "deletePost", "Mutation"
    )


def test_a_user_pool_moderator_is_not_the_oidc_rule(api):
    pool_moderator = api.user("mod", claims={"user_groups": '["Moderator"]'}, groups=("Moderator",))
    assert_denied(api.graphql(POST["list"], auth=pool_moderator), "listPosts", "Query")


# -- dynamic groups ---------------------------------------------------------------------


def test_dynamic_groups_list_field(api):
    # Seed 003: "each record contains an attribute specifying what Cognito groups should be
    # able to access it ... To specify that multiple groups should have access, use a field
    # of type [String]."
    staff, ops = api.user("sam", groups=("Staff",)), api.user("olga", groups=("Ops",))
    eng = api.user("ed", groups=("Eng",))
    doc = ok(
        api.graphql(DOC["create"], {"i": {"title": "t", "groups": ["Staff", "Ops"]}}, auth=staff),
        "createDoc",
    )
    for member in (staff, ops):
        assert (
            ok(api.graphql(DOC["get"], {"id": doc["id"]}, auth=member), "getDoc")["id"] == doc["id"]
        )
    changed = api.graphql(DOC["update"], {"i": {"id": doc["id"], "title": "by ops"}}, auth=ops)
    assert ok(changed, "updateDoc")["title"] == "by ops"
    # Non-members: nothing.
    assert_denied(api.graphql(DOC["get"], {"id": doc["id"]}, auth=eng), "getDoc", "Query")
    refused = api.graphql(DOC["update"], {"i": {"id": doc["id"], "title": "x"}}, auth=eng)
    assert_denied(refused, "updateDoc", "Mutation")
    assert_denied(api.graphql(DOC["delete"], {"id": doc["id"]}, auth=eng), "deleteDoc", "Mutation")
    no_groups = api.user("nog")
    assert_denied(api.graphql(DOC["get"], {"id": doc["id"]}, auth=no_groups), "getDoc", "Query")
    # A member cannot create a record for a group they are not in.
    foreign = api.graphql(DOC["create"], {"i": {"title": "t", "groups": ["Eng"]}}, auth=staff)
    assert_denied(foreign, "createDoc", "Mutation")
    assert ok(api.graphql(DOC["delete"], {"id": doc["id"]}, auth=staff), "deleteDoc")


def test_dynamic_groups_list_returns_only_the_callers_groups_records(api):
    # Seed 003: "Use the groupsField argument to specify which attribute in the underlying
    # data store holds this group information."
    staff, eng = api.user("sam", groups=("Staff",)), api.user("ed", groups=("Eng",))
    both = api.user("bea", groups=("Staff", "Eng"))
    staff_doc = ok(
        api.graphql(DOC["create"], {"i": {"title": "s", "groups": ["Staff"]}}, auth=staff),
        "createDoc",
    )
    eng_doc = ok(
        api.graphql(DOC["create"], {"i": {"title": "e", "groups": ["Eng"]}}, auth=eng), "createDoc"
    )
    seen_by_staff = {d["id"] for d in ok(api.graphql(DOC["list"], auth=staff), "listDocs")["items"]}
    seen_by_eng = {d["id"] for d in ok(api.graphql(DOC["list"], auth=eng), "listDocs")["items"]}
    seen_by_both = {d["id"] for d in ok(api.graphql(DOC["list"], auth=both), "listDocs")["items"]}
    assert staff_doc["id"] in seen_by_staff
    assert eng_doc["id"] not in seen_by_staff
    assert eng_doc["id"] in seen_by_eng
    assert staff_doc["id"] not in seen_by_eng
    assert {staff_doc["id"], eng_doc["id"]} <= seen_by_both
    for item in ok(api.graphql(DOC["list"], auth=eng), "listDocs")["items"]:
        assert "Eng" in item["groups"]
    # A caller in no group has nothing to match: the list is refused outright.
    assert_denied(api.graphql(DOC["list"], auth=api.user("nog")), "listDocs", "Query")


def test_dynamic_group_single_field(api):
    # Seed 003: "To specify that a single group should have access, use a field of type String."
    staff, eng = api.user("sam", groups=("Staff",)), api.user("ed", groups=("Eng",))
    note = ok(
        api.graphql(NOTE["create"], {"i": {"title": "n", "group": "Staff"}}, auth=staff),
        "createNote",
    )
    assert ok(api.graphql(NOTE["get"], {"id": note["id"]}, auth=staff), "getNote") == note
    changed = api.graphql(NOTE["update"], {"i": {"id": note["id"], "title": "m"}}, auth=staff)
    assert ok(changed, "updateNote")["title"] == "m"
    assert_denied(api.graphql(NOTE["get"], {"id": note["id"]}, auth=eng), "getNote", "Query")
    refused = api.graphql(NOTE["update"], {"i": {"id": note["id"], "title": "x"}}, auth=eng)
    assert_denied(refused, "updateNote", "Mutation")
    assert_denied(
        api.graphql(NOTE["delete"], {"id": note["id"]}, auth=eng), "deleteNote", "Mutation"
    )
    foreign = api.graphql(NOTE["create"], {"i": {"title": "t", "group": "Eng"}}, auth=staff)
    assert_denied(foreign, "createNote", "Mutation")
    listed = ok(api.graphql(NOTE["list"], auth=eng), "listNotes")["items"]
    assert all(item["group"] == "Eng" for item in listed)
    assert note["id"] not in [item["id"] for item in listed]
    staff_list = ok(api.graphql(NOTE["list"], auth=staff), "listNotes")["items"]
    assert note["id"] in [item["id"] for item in staff_list]
    assert all(item["group"] == "Staff" for item in staff_list)
    assert ok(api.graphql(NOTE["delete"], {"id": note["id"]}, auth=staff), "deleteNote")
