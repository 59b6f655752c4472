"""Rule ``relation_targets``: a relation points at a model, as a list or not."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "relation-to-non-model",
        """
        type Post @model {
          address: Address @hasOne
        }
        type Address {
          street: String
        }
        """,
        [(2, 3, "'Address', which is an object type without @model")],
    ),
    case(
        "relation-to-unknown-type",
        """
        type Comment @model {
          post: Pst @belongsTo
        }
        type Post @model {
          title: String
        }
        """,
        [(2, 3, "'Pst', which is not defined")],
    ),
    case(
        "has-many-not-a-list",
        """
        type Post @model {
          comments: Comment @hasMany
        }
        type Comment @model {
          content: String
        }
        """,
        [(2, 3, "must be a list, e.g. '[Comment]'")],
    ),
    case(
        "has-one-a-list",
        """
        type Project @model {
          team: [Team] @hasOne
        }
        type Team @model {
          name: String
        }
        """,
        [(2, 3, "must not be a list; received '[Team]'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
