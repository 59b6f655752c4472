"""Schemas written for Amplify: transformer v1 directives are answered with their v2 form
(Amplify docs, "GraphQL Transformer v1 to v2 migration"), and Amplify directives this
project does not implement are named as such. Table-driven through validation_harness.py
(beside this module).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from authorized_appsync.cli import main
from validation_harness import Expected, assert_errors, assert_valid, prepare


def _case(case_id: str, sdl: str, expected: list[Expected]) -> object:
    return pytest.param(sdl, expected, id=case_id)


V1 = "GraphQL transformer v1 syntax"

TRANSFORMER_V1 = [
    _case(
        "key-primary",
        """
        type Customer @model @key(fields: ["email"]) {
          email: String!
        }
        """,
        [
            (
                1,
                22,
                "remove @key from type 'Customer' and write @primaryKey on field 'Customer.email'.",
            )
        ],
    ),
    _case(
        "key-primary-with-sort-keys",
        """
        type Order @model @key(fields: ["customerId", "createdAt", "status"]) {
          customerId: ID!
          createdAt: AWSDateTime!
          status: String!
        }
        """,
        [
            (
                1,
                19,
                'write @primaryKey(sortKeyFields: ["createdAt", "status"]) on field '
                "'Order.customerId'.",
            )
        ],
    ),
    _case(
        "key-secondary",
        """
        type Post @model
          @key(name: "byBlog", fields: ["blogID", "title"], queryField: "postsByBlog") {
          blogID: ID!
          title: String!
        }
        """,
        [
            (
                2,
                3,
                'write @index(name: "byBlog", sortKeyFields: ["title"], queryField: "postsByBlog") '
                "on field 'Post.blogID'.",
            )
        ],
    ),
    _case(
        "key-secondary-single-field-as-string",
        """
        type Post @model @key(name: "byBlog", fields: "blogID") {
          blogID: ID!
        }
        """,
        [(1, 18, "write @index(name: \"byBlog\") on field 'Post.blogID'.")],
    ),
    _case(
        "key-without-fields",
        """
        type Post @model @key(name: "byBlog") {
          blogID: ID!
        }
        """,
        [(1, 18, f"@key is {V1} (v2 writes a key on its first field: @primaryKey, or @index")],
    ),
    _case(
        "connection-has-many",
        """
        type Blog @model {
          posts: [Post] @connection(keyName: "byBlog", fields: ["id"], limit: 50)
        }
        type Post @model {
          blogID: ID!
        }
        """,
        [
            (
                2,
                17,
                "field 'Blog.posts' lists 'Post', so write "
                '@hasMany(indexName: "byBlog", fields: ["id"], limit: 50) instead.',
            )
        ],
    ),
    _case(
        "connection-belongs-to-a-list",
        """
        type Blog @model {
          posts: [Post] @hasMany
        }
        type Post @model {
          blogID: ID!
          blog: Blog @connection(fields: ["blogID"])
        }
        """,
        [
            (
                6,
                14,
                "field 'Post.blog' is the way back from the list 'Blog.posts', so write "
                '@belongsTo(fields: ["blogID"]) instead.',
            )
        ],
    ),
    _case(
        "connection-has-one",
        """
        type Project @model {
          teamID: ID
          team: Team @connection(fields: ["teamID"])
        }
        type Team @model {
          name: String
        }
        """,
        [
            (
                3,
                14,
                "field 'Project.team' holds one 'Team', so write @hasOne(fields: [\"teamID\"]) "
                "instead.",
            )
        ],
    ),
    _case(
        "connection-one-to-one-both-ways",
        """
        type Project @model {
          team: Team @connection
        }
        type Team @model {
          project: Project @connection
        }
        """,
        [
            (
                2,
                14,
                "field 'Project.team' and 'Team.project' point at each other, so write @hasOne "
                "on one side and @belongsTo on the other.",
            ),
            (
                5,
                20,
                "field 'Team.project' and 'Project.team' point at each other",
            ),
        ],
    ),
    _case(
        "connection-by-name",
        """
        type Post @model {
          comments: [Comment] @connection(name: "PostComments", sortField: "createdAt")
        }
        type Comment @model {
          post: Post @connection(name: "PostComments")
        }
        """,
        [
            (2, 23, "so write @hasMany instead. v1's 'name' and 'sortField' pairing has no v2"),
            (5, 14, "so write @belongsTo instead. v1's 'name' and 'sortField' pairing"),
        ],
    ),
    _case(
        "versioned",
        """
        type Note @model @versioned(versionField: "version") {
          content: String
        }
        """,
        [(1, 18, "@versioned on type 'Note' is GraphQL transformer v1 syntax with no v2")],
    ),
    _case(
        "key-on-a-field",
        """
        type Note @model {
          content: String @key(fields: ["content"])
        }
        """,
        [(2, 19, "remove @key from field 'Note.content'.")],
    ),
    _case(
        "connection-on-a-type",
        """
        type Note @model @connection {
          content: String
        }
        """,
        [(1, 18, "remove @connection from type 'Note'.")],
    ),
]

UNSUPPORTED_AMPLIFY = [
    _case(
        "searchable",
        """
        type Note @model @searchable {
          content: String
        }
        """,
        [
            (
                1,
                18,
                "@searchable on type 'Note' is Amplify's directive for search queries backed by "
                "an OpenSearch domain, which authorized-appsync does not support yet; remove it",
            )
        ],
    ),
    _case(
        "function",
        """
        type Query {
          echo(msg: String): String @function(name: "echo-${env}")
        }
        """,
        [(2, 29, "Amplify's directive for a Lambda function as a field's resolver")],
    ),
    _case(
        "http",
        """
        type Query {
          weather: String @http(url: "https://example.com/weather")
        }
        """,
        [(2, 19, "Amplify's directive for an HTTP endpoint as a field's resolver")],
    ),
    _case(
        "predictions",
        """
        type Query {
          speak: String @predictions(actions: [convertTextToSpeech])
        }
        """,
        [(2, 17, "@predictions on field 'Query.speak' is Amplify's directive for AI/ML")],
    ),
    _case(
        "sql",
        """
        type Query {
          top: [String] @sql(statement: "SELECT name FROM t")
        }
        """,
        [(2, 17, "Amplify's directive for SQL statements as queries")],
    ),
]


@pytest.mark.parametrize(("sdl", "expected"), TRANSFORMER_V1 + UNSUPPORTED_AMPLIFY)
def test_amplify_directive_is_answered(sdl: str, expected: list[Expected]) -> None:
    found = assert_errors(sdl, expected)
    assert not any("Unknown directive" in d.message for d in found)


V1_SCHEMA = """
type Blog @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  posts: [Post] @connection(keyName: "byBlog", fields: ["id"])
}
type Post @model @key(name: "byBlog", fields: ["blogID", "title"], queryField: "postsByBlog")
  @auth(rules: [{ allow: owner }]) {
  id: ID!
  title: String!
  blogID: ID!
  blog: Blog @connection(fields: ["blogID"])
}
"""

# What the messages for V1_SCHEMA say to write, written.
V2_SCHEMA = """
type Blog @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  posts: [Post] @hasMany(indexName: "byBlog", fields: ["id"])
}
type Post @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  title: String!
  blogID: ID! @index(name: "byBlog", sortKeyFields: ["title"], queryField: "postsByBlog")
  blog: Blog @belongsTo(fields: ["blogID"])
}
"""


def test_the_answers_rewrite_a_v1_schema_into_a_valid_one() -> None:
    found = assert_errors(
        V1_SCHEMA,
        [
            (3, 17, '@hasMany(indexName: "byBlog", fields: ["id"])'),
            (
                5,
                18,
                'write @index(name: "byBlog", sortKeyFields: ["title"], queryField: '
                "\"postsByBlog\") on field 'Post.blogID'",
            ),
            (10, 14, '@belongsTo(fields: ["blogID"])'),
        ],
    )
    assert all(d.message.startswith(("@connection is", "@key is")) for d in found)
    assert_valid(V2_SCHEMA)


def test_check_prints_the_v2_form_with_its_location(tmp_path: Path, capsys) -> None:
    path = tmp_path / "schema.graphql"
    path.write_text(prepare(V1_SCHEMA), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{path}:3:17: @connection is GraphQL transformer v1 syntax")
    assert err[-1] == "3 problems found."
