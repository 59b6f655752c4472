"""Rule ``global_auth_rule``: ``input AMPLIFY`` declares only ``{ allow: public }``."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "global-rule-private",
        """
        input AMPLIFY {
          globalAuthRule: AuthRule = { allow: private }
        }
        """,
        [(2, 3, "Only { allow: public } is supported")],
    ),
    case(
        "global-rule-unknown-field",
        """
        input AMPLIFY {
          globalAuthRule: AuthRule = { allow: public }
          globalRule: AuthRule = { allow: public }
        }
        """,
        [(3, 3, "unknown field 'globalRule'")],
    ),
    case(
        "global-rule-without-default",
        """
        input AMPLIFY {
          globalAuthRule: AuthRule
        }
        """,
        [(2, 3, "received no default")],
    ),
    case(
        "amplify-as-a-type",
        """
        type AMPLIFY {
          globalAuthRule: String
        }
        """,
        [(1, 1, "'AMPLIFY' is reserved")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
