"""Rule ``many_to_many_relations``: a relation name joins exactly two fields."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "many-to-many-used-once",
        """
        type Post @model {
          tags: [Tag] @manyToMany(relationName: "PostTags")
        }
        type Tag @model {
          label: String
        }
        """,
        [(2, 41, "is used only once")],
    ),
    case(
        "many-to-many-name-clash",
        """
        type Post @model {
          tags: [Tag] @manyToMany(relationName: "Tag")
        }
        type Tag @model {
          posts: [Post] @manyToMany(relationName: "Tag")
        }
        """,
        [(2, 41, "'type Tag' already exists"), (5, 43, "'type Tag' already exists")],
    ),
    case(
        "many-to-many-not-pointing-back",
        """
        type Post @model {
          tags: [Tag] @manyToMany(relationName: "PostTags")
        }
        type Tag @model {
          label: String
        }
        type Author @model {
          posts: [Post] @manyToMany(relationName: "PostTags")
        }
        """,
        [(8, 43, "do not point at each other's model")],
    ),
    case(
        "many-to-many-used-three-times",
        """
        type Post @model {
          tags: [Tag] @manyToMany(relationName: "PostTags")
        }
        type Tag @model {
          posts: [Post] @manyToMany(relationName: "PostTags")
          more: [Post] @manyToMany(relationName: "PostTags")
        }
        """,
        [(6, 42, "'Tag.more' needs its own relationName")],
    ),
    case(
        "many-to-many-invalid-name",
        """
        type Post @model {
          tags: [Tag] @manyToMany(relationName: "Post-Tags")
        }
        type Tag @model {
          posts: [Post] @manyToMany(relationName: "Post-Tags")
        }
        """,
        [(2, 41, "must be a valid type name"), (5, 43, "must be a valid type name")],
    ),
    case(
        "many-to-many-join-model-types-are-taken",
        """
        type Post @model {
          tags: [Tag] @manyToMany(relationName: "PostTags")
        }
        type Tag @model {
          posts: [Post] @manyToMany(relationName: "PostTags")
        }
        type ModelPostTagsConnection { items: [Post] }
        """,
        [(7, 1, "the join model 'PostTags' of @manyToMany")],
    ),
    case(
        "many-to-many-join-model-operations-are-taken",
        """
        type Post @model {
          tags: [Tag] @manyToMany(relationName: "PostTags")
        }
        type Tag @model {
          posts: [Post] @manyToMany(relationName: "PostTags")
        }
        type Query { getPostTags(id: ID!): Post }
        """,
        [(7, 14, "an operation generated for the join model 'PostTags'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
