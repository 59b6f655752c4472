"""Rule ``relation_key_arity``: a relation's key fields match the key, one for one."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "relation-fields-arity",
        """
        type Project @model {
          teamID: ID
          teamName: String
          team: Team @hasOne(fields: ["teamID", "teamName"])
        }
        type Team @model {
          name: String
        }
        """,
        [(4, 30, "names 2 field(s), but the primary key of 'Team' has 1")],
    ),
    case(
        "references-arity",
        """
        type Primary @model {
          tenantId: ID! @primaryKey(sortKeyFields: ["recordId"])
          recordId: ID!
          related: [Related] @hasMany(references: ["primaryTenantId"])
        }
        type Related @model {
          primaryTenantId: ID!
        }
        """,
        [(4, 43, "has 2 ('tenantId', 'recordId')")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
