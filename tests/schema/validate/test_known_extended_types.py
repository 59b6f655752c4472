"""Rule ``known_extended_types``: ``extend`` extends a type of the same kind."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "extend-unknown-type",
        """
        type Todo @model {
          content: String
        }
        extend type Todos {
          title: String
        }
        """,
        [(4, 1, "'extend type Todos' extends a type that is not defined")],
    ),
    case(
        "extension-of-another-kind",
        """
        enum Status {
          OPEN
        }
        extend type Status {
          label: String
        }
        """,
        [(4, 1, "'extend type Status' does not match the definition 'enum Status'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
