"""AppSync asks an IAM caller's policy before it runs a root field: the local runtime reads
the policies the templates give their roles and refuses what they do not allow. Seed 003:
admin roles "have special access privileges that are scoped based on their IAM policy
instead of any particular @auth rule"."""

from __future__ import annotations

import pytest
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_iam as iam
from stacks import api_stack, assert_denied, ok, role_name

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.assembly.iam_policies import RolePolicies, Statement, role_name_of

SCHEMA = """type Note @model @auth(rules: [{ allow: owner }]) { text: String }"""
CREATE = 'mutation { createNote(input: {text: "t"}) { id text } }'
LIST = "{ listNotes { items { id } } }"


@pytest.fixture(scope="module")
def api():
    # Three admin roles: one granted the whole API, one only listNotes, one nothing.
    stack = api_stack(
        "IamPolicies", SCHEMA, admin_role="Whole", admin_role_names=["AdminWithoutGrant"]
    )
    from aws_cdk import Stack

    scope = Stack.of(stack)
    graphql = next(c for c in scope.node.find_all() if isinstance(c, appsync.CfnGraphQLApi))
    readers = iam.Role(scope, "ListOnly", assumed_by=iam.AccountRootPrincipal())
    iam.Policy(
        scope,
        "ListOnlyPolicy",
        roles=[readers],
        statements=[
            iam.PolicyStatement(
                actions=["appsync:GraphQL"],
                resources=[f"{graphql.attr_arn}/types/Query/fields/listNotes"],
            )
        ],
    )
    iam.Role(scope, "Ungranted", assumed_by=iam.AccountRootPrincipal())
    iam.Role(
        scope, "Forgotten", role_name="AdminWithoutGrant", assumed_by=iam.AccountRootPrincipal()
    )
    with LocalAppSync.from_stack(stack) as local:
        names = {n: role_name(stack, n) for n in ("Whole", "ListOnly", "Ungranted")}
        yield local, names


def test_a_granted_admin_role_has_full_access(api):
    api, names = api
    whole = api.iam(names["Whole"])
    note = ok(api.graphql(CREATE, auth=whole), "createNote")
    assert note["id"] in [n["id"] for n in ok(api.graphql(LIST, auth=whole), "listNotes")["items"]]


def test_a_role_may_call_only_what_its_policy_names(api):
    api, names = api
    # Not an admin role and no rule for IAM: the directive lets IAM in (admin roles are
    # configured), the policy allows listNotes, the resolver then refuses a non-admin.
    list_only = api.iam(names["ListOnly"])
    assert_denied(api.graphql(CREATE, auth=list_only), "createNote", "Mutation")
    # listNotes passes the policy and reaches the resolver, which refuses a non-admin IAM
    # caller with the model's owner rule only ("Not Authorized" from util.unauthorized).
    assert_denied(api.graphql(LIST, auth=list_only), "listNotes", "Query")


def test_a_role_without_a_grant_is_refused_at_the_field(api):
    api, names = api
    ungranted = api.iam(names["Ungranted"])
    assert_denied(api.graphql(CREATE, auth=ungranted), "createNote", "Mutation")
    assert_denied(api.graphql(LIST, auth=ungranted), "listNotes", "Query")


def test_an_admin_role_without_a_grant_is_refused_by_its_policy(api):
    # It passes every resolver check (an admin role), but AppSync asks its IAM policy first:
    # the trap of an admin role deployed without `api.grant...`.
    api, _ = api
    forgotten = api.iam("AdminWithoutGrant")
    assert_denied(api.graphql(CREATE, auth=forgotten), "createNote", "Mutation")
    assert_denied(api.graphql(LIST, auth=forgotten), "listNotes", "Query")


def test_a_role_the_templates_do_not_define_is_let_through_to_its_rules(api):
    api, _ = api
    # Imported roles' policies are unknown here: the directives and resolvers still decide.
    assert_denied(api.graphql(CREATE, auth=api.iam("Elsewhere")), "createNote")


def test_policy_evaluation():
    arn = "arn:aws:appsync:us-east-1:1:apis/a/types/Query/fields/getNote"
    policies = RolePolicies(
        {
            "R": (
                Statement(True, ("appsync:*",), ("arn:aws:appsync:us-east-1:1:apis/a/*",)),
                Statement(False, ("appsync:GraphQL",), ("*/fields/deleteNote",)),
            ),
            "None": (),
        }
    )
    assert policies.decides("R", "appsync:GraphQL", arn) is True
    assert policies.decides("R", "APPSYNC:graphql", arn) is True  # actions ignore case
    assert policies.decides("R", "appsync:GraphQL", arn.replace("getNote", "deleteNote")) is False
    assert policies.decides("R", "appsync:GraphQL", arn.replace("apis/a", "apis/b")) is False
    assert policies.decides("None", "appsync:GraphQL", arn) is False
    assert policies.decides("Unknown", "appsync:GraphQL", arn) is None


@pytest.mark.parametrize(
    ("user_arn", "name"),
    [
        ("arn:aws:sts::123456789012:assumed-role/Admin/session", "Admin"),
        ("arn:aws-cn:sts::123456789012:assumed-role/Admin/session", "Admin"),
        # AppSync gives a role's caller as its session: a role ARN is no caller
        ("arn:aws:iam::123456789012:role/Admin", None),
        # an IAM user is never governed by the policies of a role it is named like
        ("arn:aws:iam::123456789012:user/Admin", None),
        ("arn:aws:iam::123456789012:user/path/Admin", None),
        ("arn:aws:iam::123456789012:user/ci", None),
        ("arn:aws:sts::123456789012:federated-user/Admin", None),
        ("arn:aws:sts::123456789012:assumed-role/Admin", None),
        ("arn:aws:sts::123456789012:assumed-role/Admin/s/x", None),
        # another account's role of the same name is not the template's
        ("arn:aws:sts::999999999999:assumed-role/Admin/session", None),
        (None, None),
    ],
)
def test_role_names(user_arn, name):
    assert role_name_of(user_arn, "123456789012") == name
