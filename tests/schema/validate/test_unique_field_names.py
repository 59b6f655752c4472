"""Rule ``unique_field_names``: each field and enum value name once per type."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "duplicate-field",
        """
        type Todo @model {
          content: String
          content: String
        }
        """,
        [(3, 3, "more than one field named 'content'")],
    ),
    case(
        "duplicate-field-across-extension",
        """
        type Todo @model {
          content: String
        }
        extend type Todo {
          content: String
        }
        """,
        [(5, 3, "more than one field named 'content'")],
    ),
    case(
        "duplicate-enum-value",
        """
        enum Status {
          OPEN
          DONE
          OPEN
        }
        """,
        [(1, 1, "lists the value 'OPEN' more than once")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
