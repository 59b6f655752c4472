"""Codegen without CDK: table specs (owner indexes), which resolvers exist with which
plans, and the identity-pool roles' grants."""

from __future__ import annotations

from authorized_appsync import ApiDefinition
from authorized_appsync.authz import plan_schema
from authorized_appsync.authz.api_plan import ApiPlan, plan_api
from authorized_appsync.authz.grants import FieldRef, PoolRole, pool_role_grants
from authorized_appsync.authz.settings import ApiSettings
from authorized_appsync.codegen.resolvers.plan import OperationKind, SecuritySettings, security_js
from authorized_appsync.codegen.resolvers.specs import resolver_specs
from authorized_appsync.codegen.tables import AttributeType, KeyAttribute, OwnerIndex, table_spec


def plan(sdl: str):
    return plan_schema(ApiDefinition.from_string(sdl, "schema.graphql").schema)


def api(sdl: str, security: SecuritySettings | None = None) -> ApiPlan:
    settings = ApiSettings(security=security or SecuritySettings())
    return plan_api(ApiDefinition.from_string(sdl, "schema.graphql").schema, settings)


def specs(sdl: str, security: SecuritySettings | None = None):
    found = resolver_specs(api(sdl, security))
    return {f"{s.type_name}.{s.field_name}": s for s in found}


def guarded(sdl: str, security: SecuritySettings | None = None) -> set[str]:
    """ "<Model>.<field>" for each field whose read rules something applies: the resolvers
    returning the record (``guarded_fields``) or a ``<Model>.<field>`` resolver."""
    found = set()
    for name, spec in specs(sdl, security).items():
        if spec.plan.kind is OperationKind.FIELD_READ:
            found.add(name)
        found |= {f"{spec.plan.model}.{field}" for field, _ in spec.plan.guarded_fields}
    return found


OWNER_TODO = "type Todo @model @auth(rules: [{ allow: owner }]) { content: String }"


def test_owner_list_gets_an_owner_index_on_the_owner_key_and_one_unit_resolver():
    table = table_spec(api(OWNER_TODO).model("Todo"))
    key = "__ownerKey_owner"
    assert [(g.name, g.partition_key.name) for g in table.indexes] == [("ownerOwnerIndex", key)]
    found = specs(OWNER_TODO)
    owner_index = (OwnerIndex("owner", "ownerOwnerIndex", key),)
    assert found["Query.listTodos"].plan.kind is OperationKind.LIST
    assert found["Query.listTodos"].data_source == "Todo"
    # create and update keep the key attribute the list queries.
    for name in ("Query.listTodos", "Mutation.createTodo", "Mutation.updateTodo"):
        assert found[name].plan.owner_indexes == owner_index, name
    assert "ownerIndexes" not in found["Mutation.deleteTodo"].plan.to_json()


def test_enum_key_fields_are_string_attributes():
    sdl = """type Ticket @model @auth(rules: [{ allow: public }]) {
      status: Status! @index(name: "byStatus", sortKeyFields: ["priority"], queryField: "q")
      priority: Priority!
    }
    type Setting @model @auth(rules: [{ allow: public }]) {
      scope: Status! @primaryKey(sortKeyFields: ["level"])
      level: Priority!
    }
    enum Status { OPEN CLOSED }
    enum Priority { P1 P2 }"""
    planned = api(sdl)
    (index,) = table_spec(planned.model("Ticket")).indexes
    string = AttributeType.STRING
    assert (index.partition_key, index.sort_key) == (
        KeyAttribute("status", string),
        KeyAttribute("priority", string),
    )
    setting = table_spec(planned.model("Setting"))
    assert (setting.partition_key, setting.sort_key) == (
        KeyAttribute("scope", string),
        KeyAttribute("level", string),
    )
    query = specs(sdl)["Query.q"].plan
    assert (query.index_name, query.index_partition_key, query.index_sort_key) == (
        "byStatus",
        "status",
        "priority",
    )


def test_owner_rule_without_list_gets_no_owner_index():
    sdl = (
        "type Todo @model @auth(rules: [{ allow: owner, operations: [create, get] }]) { c: String }"
    )
    assert table_spec(api(sdl).model("Todo")).indexes == ()
    # Nobody may list: the operation is not generated at all, so it has no resolver.
    assert "Query.listTodos" not in specs(sdl)
    assert "Query.getTodo" in specs(sdl)


def test_multi_owner_list_field_cannot_be_indexed():
    sdl = """type Todo @model @auth(rules: [{ allow: owner, ownerField: "authors" }]) {
      content: String
      authors: [String]
    }"""
    assert table_spec(api(sdl).model("Todo")).owner_indexes == ()
    listing = specs(sdl)["Query.listTodos"]
    assert listing.plan.kind is OperationKind.LIST
    assert listing.plan.rules[0].owner_is_list is True


def test_keys_and_index_types():
    sdl = """type Score @model @auth(rules: [{ allow: public }]) {
      game: String! @primaryKey(sortKeyFields: ["points"])
      points: Int!
      player: String!
        @index(name: "byPlayer", sortKeyFields: ["points"], queryField: "scoresByPlayer")
    }"""
    table = table_spec(api(sdl).model("Score"))
    assert (table.partition_key.name, table.partition_key.type) == ("game", AttributeType.STRING)
    assert table.sort_key is not None
    assert (table.sort_key.name, table.sort_key.type) == ("points", AttributeType.NUMBER)
    found = specs(sdl)["Query.scoresByPlayer"]
    assert found.plan.kind is OperationKind.QUERY_INDEX
    assert (found.plan.index_name, found.plan.index_partition_key, found.plan.index_sort_key) == (
        "byPlayer",
        "player",
        "points",
    )


def test_plans_carry_only_the_rules_allowing_their_operation():
    # seed 004: public read, owner create/update/delete, Admins delete.
    sdl = """type Post @model @auth(rules: [
      { allow: public, operations: [read] }
      { allow: owner, operations: [create, update, delete] }
      { allow: groups, groups: ["Admins"], operations: [delete] }]) { content: String }"""
    found = specs(sdl)
    strategies = {k: [r.strategy.value for r in s.plan.rules] for k, s in found.items()}
    assert strategies["Query.getPost"] == ["public"]
    assert strategies["Mutation.createPost"] == ["owner"]
    assert strategies["Mutation.updatePost"] == ["owner"]
    assert strategies["Mutation.deletePost"] == ["owner", "groups"]
    # Owner rules do not allow list here, so the list is a plain unit resolver.
    assert found["Query.listPosts"].plan.kind is OperationKind.LIST


EMPLOYEE = """type Employee @model
  @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
  name: String
  ssn: String @auth(rules: [{ allow: owner }])
}"""


def test_field_rules_are_applied_by_every_resolver_returning_the_record():
    # seed 003: "ssn: String @auth(rules: [{ allow: owner }])"; no other field returns an
    # Employee, so the resolvers that do apply ssn's read rules and no Employee.ssn exists.
    found = specs(EMPLOYEE)
    assert "Employee.ssn" not in found
    returning = [name for name in found if not name.startswith("Subscription.")]
    assert sorted(returning) == sorted(
        ["Query.getEmployee", "Query.listEmployees"]
        + [f"Mutation.{op}Employee" for op in ("create", "update", "delete")]
    )
    for name in returning:
        ((field, rules),) = found[name].plan.guarded_fields
        assert (field, [r.strategy.value for r in rules]) == ("ssn", ["owner"]), name


def test_a_model_another_field_returns_guards_with_field_resolvers():
    # A custom query's resolver is the user's code: Employee.ssn must guard every path.
    for other in (
        "type Query { best: Employee @auth(rules: [{ allow: private }]) }",
        "type Team { lead: Employee }\n"
        "type Query { team: Team @auth(rules: [{ allow: private }]) }",
    ):
        found = specs(EMPLOYEE + "\n" + other)
        guard = found["Employee.ssn"]
        assert guard.plan.kind is OperationKind.FIELD_READ
        assert guard.data_source is None
        assert [r.strategy.value for r in guard.plan.rules] == ["owner"]
        assert found["Query.getEmployee"].plan.guarded_fields == (), other


def test_without_subscriptions_nothing_is_protected_in_mutation_responses():
    # No subscriber can receive the response: the owner sees the ssn they just wrote.
    sdl = EMPLOYEE.replace("@model", "@model(subscriptions: null)")
    for name, spec in specs(sdl).items():
        assert spec.plan.protected_fields == (), name


def test_field_rules_make_protected_fields():
    found = specs(EMPLOYEE)
    update = found["Mutation.updateEmployee"].plan
    assert update.protected_fields == ("ssn",)
    assert dict(update.field_rules)["ssn"][0].strategy.value == "owner"
    # Setting a field to null needs delete on it: the model's rules, and for a field with
    # its own rules, those.
    assert [name for name, _ in update.null_rules] == ["ssn"]
    assert [r.strategy.value for r in update.delete_rules] == ["owner"]


def test_subscription_resolvers_only_where_claims_are_needed():
    assert "Subscription.onCreateTodo" in specs(OWNER_TODO)
    public = "type Todo @model @auth(rules: [{ allow: public }]) { content: String }"
    assert not [k for k in specs(public) if k.startswith("Subscription.")]
    groups = 'type Todo @model @auth(rules: [{ allow: groups, groups: ["A"] }]) { c: String }'
    assert "Subscription.onDeleteTodo" in specs(groups)


def test_resolvers_only_on_generated_fields():
    # seed 003: "The "owner" of a Todo record is denied to delete it."
    sdl = """type Todo @model
      @auth(rules: [{ allow: owner, operations: [create, read, update] }]) { c: String }"""
    assert "Mutation.deleteTodo" not in specs(sdl)
    assert "Subscription.onDeleteTodo" not in specs(sdl)
    assert "Mutation.updateTodo" in specs(sdl)


def test_model_options_drop_operations():
    sdl = """type Log @model(mutations: null, subscriptions: null)
      @auth(rules: [{ allow: owner }]) { line: String }"""
    assert sorted(specs(sdl)) == ["Query.getLog", "Query.listLogs"]


def test_security_settings_reach_every_shared_function_not_the_plans():
    from authorized_appsync.codegen.artifacts import build_artifacts
    from authorized_appsync.schema.model import Provider

    security = SecuritySettings(admin_roles=("Moderator",), iam_authorization_mode=True)
    artifacts = build_artifacts(
        api(OWNER_TODO, security),
        modes=frozenset({Provider.USER_POOLS, Provider.IAM}),
        default_mode=Provider.USER_POOLS,
    )
    for spec in artifacts.resolvers:
        assert "security" not in spec.plan.to_json()
        assert "Moderator" not in artifacts.code(spec)
    assert artifacts.functions
    for function in artifacts.functions:
        assert security_js(security) in function.code


def test_pool_grants_follow_public_and_private_iam_rules():
    # seed 003: "any user (signed in or not, verified by IAM) is allowed to read all posts"
    sdl = """type Post @model @auth(rules: [
      { allow: public, provider: iam, operations: [read] }
      { allow: private, provider: iam }]) { title: String }"""
    grants = pool_role_grants(plan(sdl))
    assert grants[PoolRole.UNAUTHENTICATED] == (
        FieldRef("ModelPostConnection", "*"),
        FieldRef("Post", "*"),
        FieldRef("Query", "getPost"),
        FieldRef("Query", "listPosts"),
        FieldRef("Subscription", "onCreatePost"),
        FieldRef("Subscription", "onDeletePost"),
        FieldRef("Subscription", "onUpdatePost"),
    )
    assert FieldRef("Mutation", "deletePost") in grants[PoolRole.AUTHENTICATED]
    assert FieldRef("Mutation", "deletePost") not in grants[PoolRole.UNAUTHENTICATED]


def test_pool_grants_list_fields_when_only_some_are_readable():
    sdl = """type Post @model @auth(rules: [{ allow: private, provider: iam }]) {
      title: String
      notes: String @auth(rules: [{ allow: owner }])
    }"""
    refs = pool_role_grants(plan(sdl))[PoolRole.AUTHENTICATED]
    assert FieldRef("Post", "title") in refs
    assert FieldRef("Post", "notes") not in refs
    assert FieldRef("Post", "*") not in refs


def test_pool_grants_reach_the_non_model_types_a_granted_field_returns():
    # AppSync checks IAM on every field it resolves: a guest reading Post.address must also
    # be allowed Address's fields (and Geo's, which Address returns), or they come back null.
    sdl = """type Geo { lat: Float lng: Float }
    type Address { street: String geo: Geo }
    type Unrelated { x: Int }
    type Stats { count: Int }
    type Post @model @auth(rules: [{ allow: public, provider: iam, operations: [read] }]) {
      title: String
      address: Address
      hidden: Address @auth(rules: [{ allow: owner }])
    }
    type Query {
      stats: Stats @auth(rules: [{ allow: private, provider: iam }])
    }"""
    grants = pool_role_grants(plan(sdl))
    guest = grants[PoolRole.UNAUTHENTICATED]
    assert FieldRef("Address", "*") in guest
    assert FieldRef("Geo", "*") in guest
    assert not {r.type_name for r in guest} & {"Unrelated", "Stats"}
    signed_in = grants[PoolRole.AUTHENTICATED]
    assert set(signed_in) == {FieldRef("Query", "stats"), FieldRef("Stats", "*")}


def test_a_non_model_type_only_behind_an_unreadable_field_is_not_granted():
    sdl = """type Address { street: String }
    type Post @model @auth(rules: [{ allow: public, provider: iam, operations: [read] }]) {
      title: String
      address: Address @auth(rules: [{ allow: owner }])
    }"""
    guest = pool_role_grants(plan(sdl))[PoolRole.UNAUTHENTICATED]
    assert FieldRef("Post", "title") in guest
    assert not [r for r in guest if r.type_name == "Address"]


def test_no_iam_rules_no_grants():
    assert pool_role_grants(plan(OWNER_TODO)) == {}


def test_only_fields_a_listener_may_not_read_are_nulled_in_mutation_responses():
    # seed 003: "the GraphQL Transformer needs to alter the response of mutations for those
    # fields by setting them to null" -- those a subscriber could not read.
    sdl = """type Todo @model
      @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
      content: String
      owner: String @auth(rules: [{ allow: owner, operations: [read, delete] }
                                  { allow: private, operations: [read] }])
      secret: String @auth(rules: [{ allow: owner }])
    }"""
    assert specs(sdl)["Mutation.createTodo"].plan.protected_fields == ("secret",)


def test_field_guard_only_where_read_rules_differ():
    # seed 000: the owner field protected from reassignment is still read by the owner
    # alone, as the whole record is: no guard needed.
    same = """type Todo @model @auth(rules: [{ allow: owner }]) {
      content: String
      owner: String @auth(rules: [{ allow: owner, operations: [read, delete] }])
    }"""
    assert "Todo.owner" not in guarded(same)
    # ...but a field readable by fewer callers than the record needs its guard.
    narrower = """type Todo @model
      @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
      content: String
      owner: String @auth(rules: [{ allow: owner, operations: [read, delete] }])
    }"""
    assert "Todo.owner" in guarded(narrower)


def test_no_field_guard_where_the_fields_directive_already_refuses_the_other_readers():
    # API-key readers may read the post but not `secret`: `secret` carries only
    # @aws_cognito_user_pools, so AppSync refuses them itself ("Not Authorized to access
    # secret on type Post"); user-pool readers of the post (owners) all read `secret`.
    sdl = """type Post @model
      @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
      content: String
      secret: String @auth(rules: [{ allow: owner, operations: [read, update] }])
    }"""
    assert "Post.secret" not in guarded(sdl)
    # With admin roles, @aws_iam is on every field: identity-pool readers of the record
    # would pass the field's directive, so the guard stays.
    iam = """type Post @model @auth(rules: [
      { allow: public, provider: identityPool, operations: [read] }, { allow: owner }]) {
      secret: String @auth(rules: [{ allow: owner }])
    }"""
    admins = SecuritySettings(admin_roles=("Moderator",))
    assert "Post.secret" in guarded(iam, admins)
    assert "Post.secret" not in guarded(iam)


def test_no_subscription_resolver_when_a_private_rule_admits_every_listener():
    # Admins are signed-in users of the pool, whom `private` already lets listen.
    covered = """type Doc @model @auth(rules: [
      { allow: groups, groups: ["Admins"] }
      { allow: private, operations: [read] }]) { t: String }"""
    assert not [k for k in specs(covered) if k.startswith("Subscription.")]
    # An OIDC private rule does not cover user-pool owners.
    other = """type Doc @model @auth(rules: [
      { allow: owner }, { allow: private, provider: oidc, operations: [read] }]) { t: String }"""
    assert "Subscription.onCreateDoc" in specs(other)


def test_iam_listen_rules_get_a_subscription_resolver():
    # Without one, any IAM principal whose own policy allows the field could subscribe.
    sdl = "type Doc @model @auth(rules: [{ allow: public, provider: iam }]) { t: String }"
    assert "Subscription.onCreateDoc" in specs(sdl)


def test_index_queries_are_granted_without_generated_queries():
    sdl = """type Doc @model(queries: null)
      @auth(rules: [{ allow: public, provider: iam, operations: [read] }]) {
      n: String! @index(name: "byN", queryField: "docsByN")
    }"""
    assert FieldRef("Query", "docsByN") in pool_role_grants(plan(sdl))[PoolRole.UNAUTHENTICATED]


def test_update_of_a_model_with_many_field_rules_still_fits_appsync():
    # Each rule is written once in the code (compact plan) when the plain plan is too long.
    from authorized_appsync.codegen.resolvers.bundle import MAX_CODE_LENGTH
    from authorized_appsync.codegen.resolvers.pipelines import resolver_code

    fields = "\n".join(
        f'  f{i}: String @auth(rules: [{{ allow: owner }}, {{ allow: groups, groups: ["G{i}"] }}])'
        for i in range(40)
    )
    sdl = f"type Big @model @auth(rules: [{{ allow: owner }}]) {{\n{fields}\n}}"
    update = specs(sdl)["Mutation.updateBig"].plan
    assert len(resolver_code(update, where="Mutation.updateBig")) <= MAX_CODE_LENGTH


# ---- partial readers: callers only field rules admit (field_access.py) --------------------

PROFILE = """type Profile @model(timestamps: null) @auth(rules: [{ allow: owner }]) {
  id: ID! @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])
  name: String @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])
  owner: String @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])
  email: String
}"""


def test_partial_readers_pass_the_reads_with_the_fields_views():
    found = specs(PROFILE)
    for name in ("Query.getProfile", "Query.listProfiles"):
        p = found[name].plan
        assert [(r.strategy.value, r.provider.value) for r in p.partial_rules] == [
            ("private", "userPools")
        ]
        assert dict(p.read_rules)["name"][1].strategy.value == "private", name
        assert dict(p.field_modes)["email"] == ("userPools",), name
        assert p.field_resolvers == ()
    # Writes stay the model's and the fields' own: no partial readers there.
    for name in ("Mutation.createProfile", "Mutation.updateProfile", "Mutation.deleteProfile"):
        wire = found[name].plan.to_json()
        assert "partialRules" not in wire, name
        assert "fields" not in wire, name


def test_what_partial_listeners_may_not_read_is_null_in_mutation_responses():
    # seed 003: "the GraphQL Transformer needs to alter the response of mutations for those
    # fields by setting them to null" - email is the owner's alone.
    assert specs(PROFILE)["Mutation.createProfile"].plan.protected_fields == ("email",)


def test_no_partial_readers_no_views():
    p = specs(OWNER_TODO)["Query.getTodo"].plan
    assert (p.partial_rules, p.field_modes, p.read_rules) == ((), (), ())


def test_partial_readers_of_the_identity_pool_are_granted_the_queries():
    guests = (
        "@auth(rules: [{ allow: owner }, { allow: public, provider: iam, operations: [read] }])"
    )
    sdl = f"""type Doc @model(timestamps: null) @auth(rules: [{{ allow: owner }}]) {{
      id: ID! {guests}
      title: String {guests}
      body: String
    }}"""
    refs = pool_role_grants(plan(sdl))[PoolRole.UNAUTHENTICATED]
    assert FieldRef("Query", "getDoc") in refs
    assert FieldRef("Query", "listDocs") in refs
    assert FieldRef("Doc", "title") in refs
    assert FieldRef("Doc", "body") not in refs
    assert FieldRef("Mutation", "createDoc") not in refs


def test_required_implicit_fields_hidden_from_partial_readers_are_named():
    from authorized_appsync.authz.required_fields import required_field_problems

    sdl = """type Card @model @auth(rules: [{ allow: owner }]) {
      title: String @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])
    }"""
    found = required_field_problems(plan(sdl).models)
    assert [p.message.split(" (")[0] for p in found] == [
        "the implicit field 'Card.id'",
        "the implicit field 'Card.createdAt'",
        "the implicit field 'Card.updatedAt'",
    ]
    # An implicit field is placed at its type (the schema does not write it).
    assert [str(p.location) for p in found] == ["schema.graphql:1:1"] * 3
    assert "Declare it in the type ('id: ID!') with @auth rules admitting them" in found[0].message
    assert required_field_problems(plan(PROFILE).models) == []


TASK = """type Task @model
  @auth(rules: [{allow: owner}, {allow: groups, groups: ["Managers","Admins"]}]) {
  title: String!
  estimate: Int @auth(rules: [{allow: groups, groups: ["Managers"]}])
}"""


def test_a_field_rule_naming_some_of_the_models_groups_brings_no_partial_reader():
    # Managers already read tasks through the model's rule: the field rule only narrows who
    # reads `estimate` (Admins and owners outside Managers are refused it).
    from authorized_appsync.authz.required_fields import required_field_problems

    found = specs(TASK)
    for name in ("Query.getTask", "Query.listTasks", "Subscription.onCreateTask"):
        assert found[name].plan.partial_rules == (), name
    assert guarded(TASK) == {"Task.estimate"}
    assert dict(found["Query.getTask"].plan.guarded_fields)["estimate"][0].groups == ("Managers",)
    assert found["Mutation.createTask"].plan.protected_fields == ("estimate",)
    assert required_field_problems(plan(TASK).models) == []


def test_required_fields_hidden_from_partial_readers_name_them_and_the_hiding_rules():
    # Staff are outside the model's groups: `estimate`'s rule lets them read tasks, and
    # the model's rules hide the other fields from them.
    from authorized_appsync.authz.required_fields import required_field_problems

    sdl = TASK.replace('groups: ["Managers"]}', 'groups: ["Managers", "Staff"]}')
    found = required_field_problems(plan(sdl).models)
    assert [p.message.split(" (")[0] for p in found] == [
        "the implicit field 'Task.id'",
        "field 'Task.title' is required",
        "the implicit field 'Task.createdAt'",
        "the implicit field 'Task.updatedAt'",
    ]
    assert str(found[1]) == (
        "schema.graphql:3:3: field 'Task.title' is required ('String!') but the rules of "
        "type 'Task' (schema.graphql:1:1: {allow: owner}, {allow: groups, groups: "
        '["Managers", "Admins"]}), which it follows, hide it from subscribers admitted by '
        '{allow: groups, groups: ["Staff"]} (schema.graphql:4:31; role '
        "userPools:staticGroup:Staff), a rule of 'Task.estimate' that lets them read Task "
        "records, so every create, update and delete response returns it as null and would "
        "fail. Give it @auth rules admitting them as well as the type's readers, make it "
        "nullable ('String'), or turn subscriptions off with @model(subscriptions: null)."
    )


def test_a_field_rule_whose_callers_a_private_rule_admits_brings_no_partial_reader():
    # Every owner is a signed-in user of the pool, whom `private` already lets read.
    sdl = """type Doc @model @auth(rules: [
      { allow: groups, groups: ["Admins"] }, { allow: private, operations: [read] }]) {
      secret: String @auth(rules: [{ allow: owner, operations: [read, update] }])
    }"""
    found = specs(sdl)
    assert found["Query.getDoc"].plan.partial_rules == ()
    assert "Doc.secret" in guarded(sdl)  # private readers who do not own it are refused
    # An OIDC owner is not a user-pool caller: a partial reader.
    oidc = sdl.replace("allow: owner,", "allow: owner, provider: oidc,")
    assert [r.provider.value for r in specs(oidc)["Query.getDoc"].plan.partial_rules] == ["oidc"]


def test_writers_who_may_not_read_get_a_view_of_the_update_response():
    sdl = """type Note @model @auth(rules: [{ allow: owner }]) {
      content: String
      likes: Int @auth(rules: [{ allow: owner }, { allow: private, operations: [update] }])
    }"""
    found = specs(sdl)
    update = found["Mutation.updateNote"].plan
    assert update.view_rules is not None
    assert [r.strategy.value for r in update.view_rules] == ["owner"]  # get and update: one rule
    assert dict(update.field_modes)["content"] == ("userPools",)
    # Only owners delete (every field's delete rules): they read what they delete.
    assert found["Mutation.deleteNote"].plan.view_rules is None
    assert specs(OWNER_TODO)["Mutation.updateTodo"].plan.view_rules is None
    # seed 004: owners may update posts only the API key reads; the model's rule lets them.
    seed_004 = """type Post @model @auth(rules: [
      { allow: public, operations: [read] }
      { allow: owner, operations: [create, update, delete] }]) { content: String! }"""
    assert specs(seed_004)["Mutation.updatePost"].plan.view_rules is None


def test_field_rules_grant_the_identity_pool_the_writes_they_allow():
    def rules(op: str) -> str:
        pool = f"{{ allow: private, provider: iam, operations: [{op}] }}"
        return f"@auth(rules: [{{ allow: owner }}, {pool}])"

    sdl = f"""type Doc @model @auth(rules: [{{ allow: owner }}]) {{
      likes: Int {rules("update")}
      note: String {rules("create")}
    }}"""
    refs = pool_role_grants(plan(sdl))[PoolRole.AUTHENTICATED]
    assert FieldRef("Mutation", "updateDoc") in refs
    assert FieldRef("Mutation", "createDoc") in refs
    assert FieldRef("Mutation", "deleteDoc") not in refs  # delete needs the model's rules
    assert FieldRef("Query", "getDoc") not in refs


def test_compacted_pool_grants_allow_exactly_the_granted_fields():
    # A type most of whose fields a role may read: its ARN and a deny of the others, the
    # same fields in fewer ARNs (IAM's explicit deny wins).
    from authorized_appsync.codegen.iam import RoleGrants, compact_grants

    sdl = """type Post @model @auth(rules: [{ allow: public, provider: iam, operations: [read] }]) {
      title: String
      body: String
      tags: [String]
      secret: String @auth(rules: [{ allow: owner }])
    }
    type Pair @model @auth(rules: [{ allow: public, provider: iam, operations: [read] }]) {
      a: String @auth(rules: [{ allow: owner }])
      b: String @auth(rules: [{ allow: owner }])
    }"""
    schema_plan = plan(sdl)
    refs = pool_role_grants(schema_plan)[PoolRole.UNAUTHENTICATED]
    compact = compact_grants(schema_plan.schema, refs)
    assert FieldRef("Post", "*") in compact.allow
    assert set(compact.deny) == {
        FieldRef("Post", "secret"),
        FieldRef("Pair", "a"),
        FieldRef("Pair", "b"),
    }
    assert len(compact.allow) + len(compact.deny) < len(refs)

    def allowed(type_name: str, field: str) -> bool:
        def hit(grants: tuple[FieldRef, ...]) -> bool:
            return any(r.type_name == type_name and r.field in (field, "*") for r in grants)

        return hit(compact.allow) and not hit(compact.deny)

    fields = {(m.name, f.name) for m in schema_plan.schema.models for f in m.fields}
    fields |= {(r.type_name, r.field) for r in refs if r.field != "*"}
    for type_name, field in fields:
        expected = any(r.type_name == type_name and r.field in (field, "*") for r in refs)
        assert allowed(type_name, field) is expected, (type_name, field)
    # A type the role may read every field of needs no deny; one it reads little of is listed.
    few = compact_grants(schema_plan.schema, (FieldRef("Post", "title"), FieldRef("Pair", "*")))
    assert few == RoleGrants((FieldRef("Pair", "*"), FieldRef("Post", "title")), ())
