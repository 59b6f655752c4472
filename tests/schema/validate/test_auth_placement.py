"""Rule ``auth_placement``: where ``@auth`` may go."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "auth-on-non-model-type",
        """
        type Address @auth(rules: [{ allow: owner }]) {
          street: String
        }
        """,
        [(1, 14, "'Address' is not a @model")],
    ),
    case(
        "auth-on-non-model-field",
        """
        type Address {
          street: String @auth(rules: [{ allow: private }])
        }
        """,
        [(2, 18, "@auth on field 'Address.street' is not allowed")],
    ),
    case(
        "auth-on-root-type",
        """
        type Query @auth(rules: [{ allow: private }]) {
          hello: String
        }
        """,
        [(1, 12, "cannot be used on the root type 'Query'")],
    ),
    case(
        "root-field-with-operations",
        """
        type Query {
          hello: String @auth(rules: [{ allow: private, operations: [read] }])
        }
        """,
        [(2, 61, "field 'Query.hello' cannot have 'operations'")],
    ),
    case(
        "root-field-owner-rule",
        """
        type Query {
          hello: String @auth(rules: [{ allow: owner }])
        }
        """,
        [(2, 40, "An owner rule cannot protect field 'Query.hello'")],
    ),
    case(
        "root-field-dynamic-groups",
        """
        type Query {
          hello: String @auth(rules: [{ allow: groups, groupsField: "groups" }])
        }
        """,
        [(2, 61, "A dynamic groups rule (groupsField) cannot protect field 'Query.hello'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
