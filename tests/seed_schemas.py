"""Schemas the Amplify documentation gives, shared by the tests that run them."""

from __future__ import annotations

# "Customize authorization rules", "Authorizing @manyToMany relationships" (seed 003,
# 003_75a29147d71750f3.txt lines 638-660): "the owner of a Post (protected by an owner
# rule) can apply Tags that are created by a system admin (protected by a groups rule)".
POST_TAGS = """
type Post @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  title: String!
  content: String
  tags: [Tag] @manyToMany(relationName: "PostTags")
}

type Tag @model @auth(rules: [{ allow: groups, groups: ["admins"] }]) {
  id: ID!
  label: String!
  posts: [Post] @manyToMany(relationName: "PostTags")
}
"""
