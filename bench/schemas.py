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


def generated_schema(models: int, *, relations: bool = True) -> str:
    """SDL of ``models`` models: mixed rules, a field-level rule, an index, and (with
    ``relations``) a hasMany to the next model every fifth model."""
    parts = ["enum Level { LOW MEDIUM HIGH }"]
    for i in range(models):
        rules = RULE_MIXES[i % len(RULE_MIXES)]
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
  secret: String @auth(rules: [{{ allow: owner, operations: [read, update] }}]){relation}
}}"""
        )
    return "\n\n".join(parts) + "\n"
