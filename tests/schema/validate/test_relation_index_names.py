"""Rule ``relation_index_names``: ``@hasMany(indexName:)`` names an index."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "has-many-unknown-index",
        """
        type Post @model {
          comments: [Comment] @hasMany(indexName: "byPst", fields: ["id"])
        }
        type Comment @model {
          postID: ID! @index(name: "byPost")
        }
        """,
        [(2, 43, "Did you mean 'byPost'?")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
