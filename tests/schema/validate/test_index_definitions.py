"""Rule ``index_definitions``: ``@index`` names, fields and sort keys."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "index-sort-key-object",
        """
        type Todo @model {
          category: String @index(name: "byCategory", sortKeyFields: ["kind"])
          kind: Kind
        }
        type Kind {
          name: String
        }
        """,
        [(2, 63, "Sort key field 'kind' of the @index on field 'Todo.category' has type 'Kind'")],
    ),
    case(
        "index-duplicate-name",
        """
        type Todo @model {
          category: String @index(name: "byCategory")
          status: String @index(name: "byCategory")
        }
        """,
        [(3, 31, "already has an index named 'byCategory'")],
    ),
    case(
        "index-on-boolean",
        """
        type Todo @model {
          done: Boolean @index(name: "byDone")
        }
        """,
        [(2, 17, "has type 'Boolean'")],
    ),
    case(
        "index-sort-key-missing",
        """
        type Todo @model {
          category: String @index(name: "byCategory", sortKeyFields: ["createdOn"])
        }
        """,
        [(2, 63, "Sort key field 'createdOn'")],
    ),
    case(
        "index-name-too-short",
        """
        type Todo @model {
          category: String @index(name: "by")
        }
        """,
        [(2, 33, "not a valid DynamoDB index name")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
