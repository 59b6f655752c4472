"""Rule ``relation_fields``: ``fields`` and ``references`` name key fields."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "relation-fields-missing",
        """
        type Project @model {
          teamID: ID
          team: Team @hasOne(fields: ["teamId"])
        }
        type Team @model {
          name: String
        }
        """,
        [(3, 31, "names 'teamId', which is not a field of 'Project'")],
    ),
    case(
        "references-missing-on-related",
        """
        type Primary @model {
          related: [Related] @hasMany(references: "primaryId")
        }
        type Related @model {
          primaryID: ID!
        }
        """,
        [(2, 43, "not a field of 'Related'")],
    ),
    case(
        "belongs-to-references-missing",
        """
        type Primary @model {
          related: [Related] @hasMany(references: "primaryId")
        }
        type Related @model {
          primaryId: ID!
          primary: Primary @belongsTo(references: "primaryID")
        }
        """,
        [(6, 43, "'references' of @belongsTo on field 'Related.primary' names 'primaryID'")],
    ),
    case(
        "fields-and-references",
        """
        type Project @model {
          teamID: ID
          team: Team @hasOne(fields: ["teamID"], references: ["projectID"])
        }
        type Team @model {
          projectID: ID
        }
        """,
        [(3, 42, "both 'fields' and 'references'")],
    ),
    case(
        "relation-field-not-a-key",
        """
        type Project @model {
          tags: [String]
          team: Team @hasOne(fields: ["tags"])
        }
        type Team @model {
          name: String
        }
        """,
        [(3, 31, "names 'Project.tags', which cannot hold a key value")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
