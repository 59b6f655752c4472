"""Rule ``unique_type_names``: each type name is defined once, and none is reserved."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "duplicate-type",
        """
        type Todo @model {
          content: String
        }
        type Todo {
          title: String
        }
        """,
        [(4, 1, "only one type named 'Todo'")],
    ),
    case(
        "type-named-like-a-scalar",
        """
        type AWSDateTime {
          value: String
        }
        """,
        [(1, 1, "'AWSDateTime' is the name of a built-in scalar")],
    ),
    case(
        "reserved-type-name",
        """
        type __Todo {
          content: String
        }
        """,
        [(1, 1, "'__Todo' is reserved")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
