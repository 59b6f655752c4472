"""The seed examples of ``test_local_seed_*.py`` over HTTP: each schema synthesized (one
assembly, one stack each), run by ``authorized-appsync serve`` as a subprocess, and called
with gql's AppSync auth headers: user-pool tokens from the moto Cognito endpoint, OIDC tokens
from ``token --oidc``, SigV4 with the keys ``serve`` printed, a Lambda authorizer's token.
One test per schema, each with allowed and denied callers (the in-process tests hold the
full detail of every rule)."""

from __future__ import annotations

import json

import pytest
import test_local_seed_delete_all_fields as delete_all
import test_local_seed_deny_default as deny_default
import test_local_seed_field_rules as field_rules
import test_local_seed_groups as groups
import test_local_seed_iam_custom as iam_custom
import test_local_seed_iam_mode as iam_mode
import test_local_seed_owners as owners
import test_local_seed_sandbox as sandbox
from aws_cdk import App
from serve_harness import serving, synth
from stacks import assert_denied, ok

SEEDS = (groups, owners, field_rules, sandbox, deny_default, iam_custom, iam_mode, delete_all)


def build(app: App) -> None:
    """Each seed module's own stack, in one assembly."""
    for seed in SEEDS:
        seed.build(app)


@pytest.fixture(scope="module")
def assembly(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("seeds") / "cdk.out", build)


def test_groups_static_and_oidc_group_claim(assembly):
    salary, post = groups.SALARY, groups.POST
    with serving(assembly, "Groups") as served:
        admin, eve = served.user("root", "Admin"), served.user("eve", "Staff")
        created = ok(served.run(admin, salary["create"], {"i": {"wage": 10}}), "createSalary")
        got = served.run(admin, salary["get"], {"id": created["id"]})
        assert ok(got, "getSalary") == created
        assert_denied(served.run(eve, salary["list"]), "listSalaries")
        assert_denied(served.run(eve, salary["delete"], {"id": created["id"]}), "deleteSalary")
        moderator = served.oidc("m1", {"user_groups": json.dumps(["Moderator"])})
        made = served.run(moderator, post["create"], {"i": {"postname": "p", "content": "c"}})
        assert ok(made, "createPost")["postname"] == "p"
        other = served.oidc("d1", {"user_groups": json.dumps(["Other"])})
        assert_denied(served.run(other, post["list"]), "listPosts")
        # The Salary rule is for user pools: an OIDC token with the group is not it.
        assert_denied(
            served.run(served.oidc("o1", {"cognito:groups": ["Admin"]}), salary["list"]),
            "listSalaries",
        )


def test_owners_multi_owner_list_and_oidc_identity_claim(assembly):
    with serving(assembly, "Owners") as served:
        alice, bob, carol = served.user("alice"), served.user("bob"), served.user("carol")
        todo = ok(served.run(alice, owners.CREATE_TODO, {"c": "v1"}), "createTodo")
        # The mutation's response holds the creator as stored, "<sub>::alice".
        (creator,) = todo["authors"]
        assert creator.endswith("::alice")
        update = {"id": todo["id"], "c": "x"}
        assert_denied(served.run(bob, owners.UPDATE_TODO, update), "updateTodo")
        authors = {"id": todo["id"], "a": ["alice", "bob"]}
        ok(served.run(alice, owners.SET_AUTHORS, authors), "updateTodo")
        assert ok(served.run(bob, owners.UPDATE_TODO, update), "updateTodo")["content"] == "x"
        assert_denied(served.run(carol, owners.DELETE_TODO, {"id": todo["id"]}), "deleteTodo")
        writer = served.oidc("w", {"user_id": "u-1"})
        task = ok(served.run(writer, owners.CREATE_TASK, {"c": "t"}), "createTask")
        assert task["owner"] == "u-1"
        reader = served.oidc("r", {"user_id": "u-2"})
        assert ok(served.run(reader, owners.GET_TASK, {"id": task["id"]}), "getTask") == task
        changed = served.run(reader, owners.UPDATE_TASK, {"id": task["id"], "c": "mine"})
        assert_denied(changed, "updateTask")


def test_field_rules_protect_ssn(assembly):
    with serving(assembly, "FieldRules") as served:
        ann, bob = served.user("ann"), served.user("bob")
        person = {"n": "Ann", "e": "ann@example.com", "s": "999-00-1111"}
        employee = ok(served.run(ann, field_rules.CREATE_EMPLOYEE, person), "createEmployee")
        got = ok(served.run(ann, field_rules.GET_EMPLOYEE, {"id": employee["id"]}), "getEmployee")
        assert got["ssn"] == "999-00-1111"
        seen = served.run(bob, field_rules.GET_EMPLOYEE, {"id": employee["id"]})
        assert seen["data"]["getEmployee"]["name"] == "Ann"
        assert seen["data"]["getEmployee"]["ssn"] is None
        (error,) = seen["errors"]
        assert (error["path"], error["errorInfo"], error["message"]) == (
            ["getEmployee"],
            {"path": ["ssn"]},
            "Not Authorized to access ssn on type Employee",
        )


def test_sandbox_opens_models_without_rules_to_the_api_key_only(assembly):
    with serving(assembly, "Sandbox") as served:
        key, alice = served.api_key(), served.user("alice")
        created = ok(served.run(key, sandbox.OPEN["create"]), "createOpen")
        deleted = served.run(key, sandbox.OPEN["delete"], {"id": created["id"]})
        assert ok(deleted, "deleteOpen") == created
        assert_denied(served.run(alice, sandbox.OPEN["list"]), "listOpens")
        assert_denied(served.run(key, "{ listTodos { items { id } } }"), "listTodos")


def test_deny_by_default_leaves_models_without_rules_out(assembly):
    with serving(assembly, "DenyDefault") as served:
        response = served.run(served.api_key(), sandbox.OPEN["list"])
        assert response["data"] is None
        (error,) = response["errors"]
        assert error["errorType"] == "ValidationError"
        todo = 'mutation { createTodo(input: {content: "c"}) { id owner } }'
        made = ok(served.run(served.user("alice"), todo), "createTodo")
        assert made["owner"].endswith("::alice")  # as stored


def test_iam_roles_admin_role_and_lambda_authorizer(assembly):
    with serving(assembly, "IamCustom") as served:
        signed_in = served.iam("identity pool, authenticated")
        guest = served.iam("identity pool, unauthenticated")
        post = ok(served.run(signed_in, iam_custom.CREATE_POST), "createPost")
        assert ok(served.run(guest, iam_custom.GET_POST, {"id": post["id"]}), "getPost") == post
        assert_denied(served.run(guest, iam_custom.CREATE_POST), "createPost")
        assert_denied(served.run(guest, iam_custom.DELETE_POST, {"id": post["id"]}), "deletePost")
        stranger = served.iam("IAM user outside")
        assert_denied(served.run(stranger, iam_custom.LIST_POSTS), "listPosts")
        admin = served.iam("admin role")
        salary = ok(served.run(admin, iam_custom.CREATE_SALARY), "createSalary")
        assert ok(served.run(admin, iam_custom.DELETE_POST, {"id": post["id"]}), "deletePost")
        # The Lambda authorizer (the template's inline Python) admits any token: custom rules.
        custom = served.jwt("any-opaque-token")
        got = ok(served.run(custom, iam_custom.GET_SALARY, {"id": salary["id"]}), "getSalary")
        assert got == {"id": salary["id"], "wage": 5, "currency": "EUR"}
        assert_denied(served.run(custom, iam_custom.LIST_POSTS), "listPosts")
        assert_denied(served.run(signed_in, iam_custom.LIST_SALARIES), "listSalaries")


def test_iam_authorization_mode_lets_other_principals_in(assembly):
    with serving(assembly, "IamMode") as served:
        signed_in = served.iam("identity pool, authenticated")
        guest = served.iam("identity pool, unauthenticated")
        post_id = ok(served.run(signed_in, iam_mode.CREATE), "createPost")["id"]
        listed = ok(served.run(guest, iam_mode.LIST), "listPosts")["items"]
        assert post_id in [p["id"] for p in listed]
        assert_denied(served.run(guest, iam_mode.CREATE), "createPost")
        assert_denied(served.run(signed_in, iam_mode.DELETE, {"id": post_id}), "deletePost")
        other = served.iam("IAM user outside")
        assert ok(served.run(other, iam_mode.UPDATE, {"id": post_id}), "updatePost")["title"] == "u"
        assert ok(served.run(other, iam_mode.DELETE, {"id": post_id}), "deletePost")


def test_deleting_needs_delete_on_every_field(assembly):
    with serving(assembly, "DeleteAllFields") as served:
        signed_in = served.iam("identity pool, authenticated")
        admin = served.user("root", "Admin")
        todo_id = ok(served.run(signed_in, delete_all.CREATE, {"n": "n", "d": "d"}), "createTodo")[
            "id"
        ]
        assert_denied(
            served.run(admin, delete_all.DELETE, {"id": todo_id}), "deleteTodo", "Mutation"
        )
        renamed = served.run(admin, delete_all.UPDATE, {"id": todo_id, "n": "m"})
        assert ok(renamed, "updateTodo")["name"] == "m"
        deleted = served.run(signed_in, delete_all.DELETE, {"id": todo_id})
        assert ok(deleted, "deleteTodo") == {"id": todo_id}
