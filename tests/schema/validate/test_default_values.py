"""Rule ``default_values``: ``@default`` on a fitting field, with a value of its type."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "default-on-list",
        """
        type Todo @model {
          tags: [String] @default(value: "a")
        }
        """,
        [(2, 18, "cannot be used on a list")],
    ),
    case(
        "default-on-key",
        """
        type Todo @model {
          id: ID! @default(value: "x")
        }
        """,
        [(2, 11, "primary key field")],
    ),
    case(
        "default-not-an-int",
        """
        type Todo @model {
          count: Int @default(value: "many")
        }
        """,
        [(2, 30, "not a valid Int")],
    ),
    case(
        "default-not-an-enum-value",
        """
        type Todo @model {
          status: Status @default(value: "DONEE")
        }
        enum Status {
          OPEN
          DONE
        }
        """,
        [(2, 34, "Did you mean 'DONE'?")],
    ),
    case(
        "default-not-a-boolean",
        """
        type Todo @model {
          done: Boolean @default(value: "yes")
        }
        """,
        [(2, 33, "not a valid Boolean")],
    ),
    case(
        "default-on-object-field",
        """
        type Todo @model {
          address: Address @default(value: "{}")
        }
        type Address {
          street: String
        }
        """,
        [(2, 20, "only scalars and enums take defaults")],
    ),
    case(
        "default-invalid-json",
        """
        type Todo @model {
          meta: AWSJSON @default(value: "{oops")
        }
        """,
        [(2, 33, "not a valid AWSJSON")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
