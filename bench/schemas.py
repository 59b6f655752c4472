"""Generated schemas for benchmarks: N models with a realistic mix of rules."""

from __future__ import annotations

RULE_MIXES = (
    "{ allow: owner }",
    "{ allow: public, operations: [read] }, { allow: owner }",
    '{ allow: groups, groups: ["Admins"] }, { allow: private, operations: [read] }',
    '{ allow: owner, ownerField: "editors" }, { allow: groups, groupsField: "teams" }',
    "{ allow: public, provider: identityPool, operations: [read] }, "
    "{ allow: private, provider: iam }",
    '{ allow: custom }, { allow: owner, provider: oidc, identityClaim: "user_id" }',
)
# The field rule of each mix's `secret`: one of the mix's own rules, so that it narrows who
# reads the field (a guard) without letting in a reader the model keeps out (a rule naming
# someone else would make them a partial reader, and the required fields refuse that).
FIELD_RULES = (
    "{ allow: owner, operations: [read, update] }",
    "{ allow: owner, operations: [read, update] }",
    '{ allow: groups, groups: ["Admins"] }',
    '{ allow: owner, ownerField: "editors", operations: [read, update] }',
    "{ allow: private, provider: iam }",
    "{ allow: custom }",
)


def generated_schema(models: int, *, relations: bool = True) -> str:
    """SDL of ``models`` models: mixed rules, a field-level rule, an index, and (with
    ``relations``) a hasMany to the next model every fifth model."""
    parts = ["enum Level { LOW MEDIUM HIGH }"]
    for i in range(models):
        rules = RULE_MIXES[i % len(RULE_MIXES)]
        field_rule = FIELD_RULES[i % len(FIELD_RULES)]
        relation = ""
        if relations and i % 5 == 0 and i + 1 < models:
            relation = f"\n  children: [Model{i + 1}] @hasMany"
        parts.append(
            f"""type Model{i} @model @auth(rules: [{rules}]) {{
  title: String!
  body: String
  level: Level @default(value: "LOW")
  score: Int
  category: String! @index(name: "byCategory{i}", queryField: "model{i}ByCategory")
  editors: [String]
  teams: [String]
  secret: String @auth(rules: [{field_rule}]){relation}
}}"""
        )
    return "\n\n".join(parts) + "\n"
