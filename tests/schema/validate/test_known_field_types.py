"""Rule ``known_field_types``: field types are defined, of a kind that fits."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "unknown-field-type",
        """
        type Todo @model {
          content: Strng
        }
        """,
        [(2, 3, "unknown type 'Strng'")],
    ),
    case(
        "input-field-with-object-type",
        """
        type Address {
          street: String
        }
        input AddressInput {
          address: Address
        }
        """,
        [(5, 3, "which is an object type; input fields take")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
