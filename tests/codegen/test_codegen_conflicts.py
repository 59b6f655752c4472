"""Conflict resolution in codegen: a versioned model's SDL (version fields, inputs,
``sync<Plural>`` and ``startedAt``), its table's TTL attribute, its resolver plans and the
identity-pool grants; models without conflict resolution are unchanged (issue 13). A LAMBDA
model's update and delete name its handler's data source, with one conflict function per
kind and handler."""

from __future__ import annotations

import graphql
from test_appsync_sdl import Doc, assert_valid

from authorized_appsync import ApiDefinition
from authorized_appsync.authz.api_plan import ApiPlan, plan_api
from authorized_appsync.authz.grants import FieldRef, PoolRole
from authorized_appsync.authz.settings import ApiSettings, ConflictHandler, ConflictResolution
from authorized_appsync.codegen.artifacts import build_artifacts
from authorized_appsync.codegen.resolvers.bundle import MAX_CODE_LENGTH
from authorized_appsync.codegen.resolvers.plan import OperationKind
from authorized_appsync.codegen.resolvers.specs import resolver_specs
from authorized_appsync.codegen.sdl.generator import generate_sdl
from authorized_appsync.codegen.tables import table_spec
from authorized_appsync.schema.model import Provider

OPTIMISTIC = ConflictHandler.OPTIMISTIC_CONCURRENCY
MODES = frozenset({Provider.USER_POOLS, Provider.API_KEY, Provider.IAM})

SCHEMA = """
type Post @model @auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]) {
  id: ID!
  title: String!
}
type Person @model @auth(rules: [
  { allow: private, operations: [create, update, delete, get, list, listen] }
  { allow: groups, groups: ["Sync"], operations: [sync] }
]) {
  id: ID!
  name: String
}
"""


def plan(sdl: str = SCHEMA, conflict: ConflictResolution | None = None) -> ApiPlan:
    settings = ApiSettings(conflict_resolution=conflict or ConflictResolution())
    return plan_api(ApiDefinition.from_string(sdl, "schema.graphql").schema, settings)


def sdl_of(conflict: ConflictResolution | None = None, sdl: str = SCHEMA) -> str:
    out = generate_sdl(plan(sdl, conflict), MODES, default_mode=Provider.USER_POOLS)
    assert_valid(out)
    return out


def project(handler: ConflictHandler = OPTIMISTIC) -> ConflictResolution:
    return ConflictResolution(project=handler)


def test_without_conflict_resolution_nothing_is_versioned():
    doc = Doc(sdl_of())
    assert "_version" not in doc.text
    assert "sync" not in doc.text.replace("@aws_subscribe", "")
    assert "startedAt" not in doc.text
    assert all(table_spec(m).ttl_attribute is None for m in plan().models)
    assert all(s.plan.conflict is None for s in resolver_specs(plan()))


def test_a_versioned_type_gains_amplifys_version_fields_and_its_connection_started_at():
    doc = Doc(sdl_of(project()))
    assert doc.fields("Post")[-3:] == [
        "_version: Int!",
        "_deleted: Boolean",
        "_lastChangedAt: AWSTimestamp!",
    ]
    assert doc.fields("ModelPostConnection") == [
        "items: [Post]!",
        "nextToken: String",
        "startedAt: AWSTimestamp",
    ]


def test_the_inputs_take_the_version_and_the_filters_the_tombstone_flag():
    doc = Doc(sdl_of(project()))
    for name in ("CreatePostInput", "UpdatePostInput", "DeletePostInput"):
        assert "_version: Int" in doc.fields(name), name
    assert doc.fields("DeletePostInput") == ["id: ID!", "_version: Int"]
    for name in ("ModelPostFilterInput", "ModelPostConditionInput"):
        assert doc.fields(name)[-2:] == [f"not: {name}", "_deleted: ModelBooleanInput"], name


def test_sync_is_named_from_the_plural_takes_last_sync_and_is_authorized_like_list():
    doc = Doc(sdl_of(project()))
    assert doc.args("Query", "syncPosts") == [
        "filter: ModelPostFilterInput",
        "limit: Int",
        "nextToken: String",
        "lastSync: AWSTimestamp",
    ]
    assert graphql.print_ast(doc.field("Query", "syncPeople").type) == "ModelPersonConnection"
    assert doc.modes("Query", "syncPosts") == doc.modes("Query", "listPosts")


def test_sync_follows_the_sync_operation_of_the_rules_not_list():
    specs = {s.field_name: s.plan for s in resolver_specs(plan(conflict=project()))}
    # Person: `private` reads but may not sync; only the Sync group may.
    people = specs["syncPeople"]
    assert people.kind is OperationKind.LIST
    assert people.to_json()["sync"] is True
    assert [r.groups for r in people.rules] == [("Sync",)]
    assert [r.strategy.value for r in specs["listPeople"].rules] == ["private"]
    # Post: owner and public read (read includes sync): the owner rule filters sync as list.
    assert specs["syncPosts"].rules == specs["listPosts"].rules


def test_a_model_no_rule_lets_sync_has_no_sync_query():
    sdl = """type Note @model @auth(rules: [{ allow: owner, operations: [create, get, list] }]) {
      id: ID!
    }"""
    ops = plan(sdl, project()).model("Note").operations
    assert "syncNotes" in ops.denied
    assert "syncNotes" not in Doc(sdl_of(project(), sdl)).names("Query")


def test_per_model_settings_override_the_project_and_version_only_those_models():
    only_people = ConflictResolution(models=(("Person", OPTIMISTIC),))
    doc = Doc(sdl_of(only_people))
    assert doc.has_field("Query", "syncPeople")
    assert not doc.has_field("Query", "syncPosts")
    assert "_version" not in doc.fields("Post")
    tables = {m.model.name: table_spec(m) for m in plan(conflict=only_people).models}
    assert {name: t.ttl_attribute for name, t in tables.items()} == {"Post": None, "Person": "_ttl"}
    # Only the versioned table has the delta-sync index its syncs query.
    assert {name: t.delta_sync_index for name, t in tables.items()} == {
        "Post": None,
        "Person": "_deltaSync",
    }
    assert "_deltaSync" not in [gsi.name for gsi in tables["Post"].indexes]


def test_every_resolver_of_a_versioned_model_carries_its_handler():
    found = resolver_specs(plan(conflict=project()))
    assert {s.plan.conflict for s in found} == {OPTIMISTIC}
    assert all(s.plan.to_json()["conflict"] == "OPTIMISTIC_CONCURRENCY" for s in found)


def test_identity_pool_roles_reading_a_versioned_model_may_sync_it_and_read_its_versions():
    sdl = """type Doc @model @auth(rules: [{ allow: private, provider: iam }]) {
      id: ID!
      body: String @auth(rules: [{ allow: private, provider: iam, operations: [create] }])
    }"""
    grants = dict(plan(sdl, project()).pool_grants)[PoolRole.AUTHENTICATED]
    assert FieldRef("Query", "syncDocs") in grants
    for field in ("_version", "_deleted", "_lastChangedAt"):
        assert FieldRef("Doc", field) in grants
    unversioned = dict(plan(sdl).pool_grants)[PoolRole.AUTHENTICATED]
    assert FieldRef("Query", "syncDocs") not in unversioned


def lambdas(models: tuple[tuple[str, str], ...] = ()) -> ConflictResolution:
    """Every model resolved by the handler ``Resolve``, those of ``models`` by their own."""
    return ConflictResolution(
        project=ConflictHandler.LAMBDA,
        project_lambda="Resolve",
        models=tuple((m, ConflictHandler.LAMBDA) for m, _ in models),
        lambdas=models,
    )


def test_a_lambda_models_update_and_delete_name_their_handler_and_nothing_else_does():
    found = resolver_specs(plan(conflict=lambdas((("Person", "People"),))))
    named = {
        (s.plan.model, s.plan.kind): s.plan.to_json().get("conflictHandler")
        for s in found
        if s.plan.to_json().get("conflictHandler")
    }
    assert named == {
        ("Post", OperationKind.UPDATE): "Resolve",
        ("Post", OperationKind.DELETE): "Resolve",
        ("Person", OperationKind.UPDATE): "People",
        ("Person", OperationKind.DELETE): "People",
    }


def test_a_model_another_handler_overrides_has_no_lambda():
    conflict = ConflictResolution(
        project=ConflictHandler.LAMBDA,
        project_lambda="Resolve",
        models=(("Person", OPTIMISTIC),),
    )
    assert (conflict.lambda_of("Post"), conflict.lambda_of("Person")) == ("Resolve", None)


def test_each_handler_has_one_conflict_function_and_all_fit_appsyncs_limit():
    artifacts = build_artifacts(
        plan(conflict=lambdas((("Person", "People"),))),
        modes=MODES,
        default_mode=Provider.USER_POOLS,
    )
    # Invoking the handler is the same code for update and delete: one function each; the
    # resolution of its answer is a shared function per kind (NONE data source).
    bound = {f.key: f.handler for f in artifacts.functions if f.handler}
    assert bound == {"updateConflictResolve": "Resolve", "updateConflictPeople": "People"}
    keys = {f.key for f in artifacts.functions}
    assert {"updateResolve", "deleteResolve"} <= keys
    assert artifacts.conflict_handlers == ("Resolve", "People")
    assert max(len(f.code) for f in artifacts.functions) <= MAX_CODE_LENGTH
