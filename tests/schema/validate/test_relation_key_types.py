"""Rule ``relation_key_types``: each key field a relation names has the type of the key
field it matches (``ID`` and ``String`` match each other for ``references`` only)."""

from __future__ import annotations

from validation_harness import assert_valid, case, rule_tests

BAD_INPUTS = [
    case(
        "fields-type",
        """
        type Project @model {
          teamID: Int
          team: Team @hasOne(fields: ["teamID"])
        }
        type Team @model {
          name: String
        }
        """,
        [
            (
                3,
                31,
                "'fields' of @hasOne on field 'Project.team' names 'Project.teamID' of type "
                "'Int', which holds the value of key field 'Team.id' of type 'ID'; name a "
                "field of type 'ID'.",
            )
        ],
    ),
    case(
        "references-type-of-a-sort-key",
        """
        type Team @model {
          org: String! @primaryKey(sortKeyFields: ["code"])
          code: Int!
          players: [Player] @hasMany(references: ["teamOrg", "teamCode"])
        }
        type Player @model {
          teamOrg: ID
          teamCode: String
          team: Team @belongsTo(references: ["teamOrg", "teamCode"])
        }
        """,
        [
            (
                4,
                54,
                "names 'Player.teamCode' of type 'String', which holds the value of key "
                "field 'Team.code' of type 'Int'; name a field of type 'Int'.",
            ),
            (9, 49, "'references' of @belongsTo on field 'Player.team' names 'Player.teamCode'"),
        ],
    ),
    case(
        "has-many-fields-against-the-queried-index",
        """
        type Shelf @model {
          room: String! @primaryKey(sortKeyFields: ["row"])
          row: String!
          books: [Book] @hasMany(indexName: "byShelf", fields: ["room", "row"])
        }
        type Book @model {
          shelfRoom: String @index(name: "byShelf", sortKeyFields: ["shelfRow"])
          shelfRow: Int
        }
        """,
        [
            (
                4,
                65,
                "names 'Shelf.row' of type 'String', which holds the value of key field "
                "'Book.shelfRow' of type 'Int'",
            )
        ],
    ),
    case(
        "fields-id-is-not-string",
        """
        type Post @model {
          blogName: String
          blog: Blog @belongsTo(fields: ["blogName"])
        }
        type Blog @model {
          name: String
        }
        """,
        [(3, 34, "of key field 'Blog.id' of type 'ID'; name a field of type 'ID'.")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)


def test_references_may_hold_an_id_key_in_a_string_field():
    assert_valid(
        """
        type Blog @model {
          posts: [Post] @hasMany(references: ["blogId"])
        }
        type Post @model {
          blogId: String
          blog: Blog @belongsTo(references: ["blogId"])
        }
        """
    )
