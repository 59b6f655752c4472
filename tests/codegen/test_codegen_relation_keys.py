"""Codegen of what a relation field's resolver needs to tell whether its caller may read
the key it takes from the record holding it (resolvers/stages/relation.js): that record's
model, the read rules of its key fields with rules of their own, and the API's security
settings (to know admin roles and identity-pool roles before any read)."""

from __future__ import annotations

from authorized_appsync import ApiDefinition
from authorized_appsync.authz.api_plan import plan_api
from authorized_appsync.authz.settings import ApiSettings, SecuritySettings
from authorized_appsync.codegen.resolvers.pipelines import SharedFunction, Stage, resolver_code
from authorized_appsync.codegen.resolvers.specs import resolver_specs

SCHEMA = """
type Par @model @auth(rules: [{ allow: private }]) {
  title: String
  kids: [Kid] @hasMany
  notes: [Note] @hasMany(references: ["parId"])
}
type Kid @model @auth(rules: [{ allow: owner }]) { par: Par @belongsTo }
type Note @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
  parId: ID @auth(rules: [{ allow: owner }])
  par: Par @belongsTo(references: ["parId"])
}
"""


def _specs():
    schema = ApiDefinition.from_string(SCHEMA, "schema.graphql").schema
    return {
        f"{s.type_name}.{s.field_name}": s for s in resolver_specs(plan_api(schema, ApiSettings()))
    }


def test_a_relation_keyed_by_a_field_with_own_rules_carries_their_read_rules():
    found = _specs()
    wire = found["Note.par"].plan.to_json()
    assert wire["sourceModel"] == "Note"
    # The rules Note's own reads judge a question about parId by.
    assert wire["sourceRules"] == {
        "parId": found["Query.getNote"].plan.to_json()["readRules"]["parId"]
    }


def test_a_relation_keyed_by_fields_the_model_governs_carries_no_rules_of_them():
    found = _specs()
    for name in ("Kid.par", "Par.kids", "Par.notes"):
        wire = found[name].plan.to_json()
        assert "sourceRules" not in wire, name
    assert found["Par.notes"].plan.to_json()["sourceModel"] == "Par"


def test_a_relation_resolvers_own_code_is_its_plan_the_shared_prepare_judges_the_key():
    # The key-field question needs the rules and the API's security settings: the shared
    # prepare function carries them (once per API), not each relation resolver.
    plan = _specs()["Note.par"].plan
    code = resolver_code(plan, where="Note.par")
    assert "admitsRecord" not in code
    assert "SECURITY" not in code
    assert len(code) < 3_000
    prepare = SharedFunction(plan.kind, Stage.PREPARE).code(SecuritySettings(admin_roles=("Ops",)))
    assert "endWhereRelationKeyHidden" in prepare
    assert "skipTo" in prepare
