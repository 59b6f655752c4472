"""Rule ``primary_key_fields``: one ``@primaryKey``, on non-null key fields."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "two-primary-keys",
        """
        type Todo @model {
          email: String! @primaryKey
          slug: String! @primaryKey
        }
        """,
        [(3, 17, "second @primaryKey")],
    ),
    case(
        "primary-key-nullable",
        """
        type Todo @model {
          email: String @primaryKey
        }
        """,
        [(2, 3, "is nullable ('String')")],
    ),
    case(
        "primary-key-object",
        """
        type Todo @model {
          kind: Kind! @primaryKey
        }
        type Kind {
          name: String
        }
        """,
        [(2, 3, "has type 'Kind!'; key fields must be an enum or one of 'ID'")],
    ),
    case(
        "primary-key-list",
        """
        type Todo @model {
          tags: [String]! @primaryKey
        }
        """,
        [(2, 3, "is a list ('[String]!')")],
    ),
    case(
        "sort-key-missing",
        """
        type Todo @model {
          email: String! @primaryKey(sortKeyFields: ["kind"])
          kinds: Int!
        }
        """,
        [(2, 46, "Sort key field 'kind'")],
    ),
    case(
        "sort-key-nullable",
        """
        type Todo @model {
          email: String! @primaryKey(sortKeyFields: "kind")
          kind: Int
        }
        """,
        [(2, 45, "is nullable ('Int')")],
    ),
    case(
        "sort-key-boolean",
        """
        type Todo @model {
          email: String! @primaryKey(sortKeyFields: ["done"])
          done: Boolean!
        }
        """,
        [(2, 46, "has type 'Boolean!'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
