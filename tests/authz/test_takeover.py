"""authz/takeover.py: rules that may update an owner (or dynamic groups) field they are not a
rule of, and would gain operations by writing their own identity into it.

Security finding 8: in the shipped blog example, Comment editors (`{allow: owner, ownerField:
"editors", operations: [read, update]}`) could set `owner` to themselves and then delete the
comment; the access-control matrix shows it only with `--implicit`. The construct warns at
synth (``authorized-appsync:owner-field-writable``), ``check`` on stderr.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Annotations, Match

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    UserPoolConfig,
)
from authorized_appsync.authz.acm import AcmOperation
from authorized_appsync.authz.plan import plan_schema
from authorized_appsync.authz.takeover import Takeover, takeovers
from authorized_appsync.cli import main

BLOG = Path(__file__).resolve().parents[2] / "examples" / "blog.graphql"
OWNER_WARNING = "authorized-appsync:owner-field-writable"

# Amplify's multi-user example as the blog shipped it: editors may update every field. The
# owner field is declared: one an owner rule adds is in no input, so nobody can write it
# (issue 13, as in Amplify).
EDITORS = """type Comment @model @auth(rules: [
  { allow: owner }
  { allow: owner, ownerField: "editors", operations: [read, update] }
]) { content: String  editors: [String]  owner: String }"""


def found(sdl: str) -> list[Takeover]:
    return takeovers(plan_schema(ApiDefinition.from_string(sdl, "schema.graphql").schema).models)


@dataclass(frozen=True)
class Case:
    id: str
    sdl: str
    expected: list[tuple[str, str, str]]  # (field, writer as written, first gained operation)


CASES = [
    Case("editors may update the owner", EDITORS, [("owner", "editors", "delete")]),
    Case(
        "nobody may update an owner field the type does not declare",
        EDITORS.replace("  owner: String", ""),
        [],
    ),
    Case(
        "a field rule leaves the owner to the owner",
        """type Comment @model @auth(rules: [
          { allow: owner }
          { allow: owner, ownerField: "editors", operations: [read, update] }
        ]) {
          content: String
          editors: [String]
          owner: String @auth(rules: [
            { allow: owner }
            { allow: owner, ownerField: "editors", operations: [read] }
          ])
        }""",
        [],
    ),
    Case(
        "the owner adding editors gains nothing",
        """type Doc @model @auth(rules: [
          { allow: owner }
          { allow: owner, ownerField: "editors", operations: [read] }
        ]) { editors: [String] }""",
        [],
    ),
    Case(
        "the owner reassigning",
        "type Todo @model @auth(rules: [{ allow: owner }]) { content: String  owner: String }",
        [],
    ),
    Case(
        "a moderator who may do everything",
        """type Todo @model @auth(rules: [{ allow: owner }, { allow: groups, groups: ["Admins"] }])
        { content: String  owner: String }""",
        [],
    ),
    Case(
        "a moderator who may only update",
        """type Todo @model @auth(rules: [
          { allow: owner }
          { allow: groups, groups: ["Mods"], operations: [read, update] }
        ]) { content: String  owner: String }""",
        [("owner", "Mods", "delete")],
    ),
    Case(
        "any signed-in user may update",
        """type Todo @model @auth(rules: [
          { allow: owner }
          { allow: private, operations: [read, update] }
        ]) { content: String  owner: String }""",
        [("owner", "private", "delete")],
    ),
    Case(
        "the API key may update (ownership handed to a user-pool identity)",
        """type Todo @model @auth(rules: [
          { allow: owner }
          { allow: public, operations: [read, update] }
        ]) { content: String  owner: String }""",
        [("owner", "public", "delete")],
    ),
    Case(
        "an owner-only field is gained",
        """type Profile @model @auth(rules: [
          { allow: owner }
          { allow: private }
        ]) { name: String  ssn: String @auth(rules: [{ allow: owner }])  owner: String }""",
        [("owner", "private", "read")],
    ),
    Case(
        "a dynamic groups field anyone signed in may update",
        """type Doc @model @auth(rules: [
          { allow: groups, groupsField: "groups" }
          { allow: private, operations: [read, update] }
        ]) { text: String  groups: [String] }""",
        [("groups", "private", "delete")],
    ),
]


def summary(takeover: Takeover) -> tuple[str, str, str]:
    """(field, the writer by its owner field, group or strategy, its first gain)."""
    writer = takeover.writer
    name = writer.owner_field or (writer.groups[0] if writer.groups else writer.strategy.value)
    first = min(takeover.gained, key=lambda g: list(AcmOperation).index(g[1]))[1]
    return takeover.field, name, first.value


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_takeovers(case: Case) -> None:
    assert [summary(t) for t in found(case.sdl)] == case.expected


def test_the_message_names_the_rules_the_gain_and_the_remedy() -> None:
    (takeover,) = found(EDITORS)
    assert takeover.warning_id == OWNER_WARNING
    assert takeover.message() == (
        "type 'Comment': the rule {allow: owner, ownerField: \"editors\", operations: "
        "[update, read]} (schema.graphql:3:3) may update the owner field 'Comment.owner', so "
        "a caller it admits can write their own identity into it and gain what {allow: owner} "
        "(schema.graphql:2:3) grants: delete on every field. Give 'owner' field-level rules "
        "that leave update to the owner (Amplify, "
        '"Customize authorization rules": a field-level rule on the owner field controls who '
        "may change it), or drop update from that rule if the takeover is not meant."
    )


def test_a_groups_field_has_its_own_warning_id() -> None:
    (takeover,) = found(CASES[-1].sdl)
    assert takeover.warning_id == "authorized-appsync:groups-field-writable"
    assert "the groups field 'Doc.groups'" in takeover.message()
    assert "Give 'groups' field-level rules that leave update to the group members" in (
        takeover.message()
    )


def test_the_blog_example_has_none() -> None:
    definition = ApiDefinition.from_files(str(BLOG))
    assert takeovers(plan_schema(definition.schema).models) == []


# ---- where users see it ----------------------------------------------------------------------


def synth(sdl: str) -> Stack:
    stack = Stack(App(), "Test")
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(sdl, "schema.graphql"),
        authorization_modes=AuthorizationModes(
            default_authorization_mode="AMAZON_COGNITO_USER_POOLS",
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users")),
            api_key_config=ApiKeyConfig(),
        ),
    )
    return stack


def test_finding_8_synth_warns_when_a_rule_may_take_over_an_owner_field() -> None:
    Annotations.from_stack(synth(EDITORS)).has_warning(
        "/Test/Api",
        Match.string_like_regexp(
            r"may update the owner field 'Comment\.owner'.*\[ack: "
            + OWNER_WARNING.replace(":", r"\:")
        ),
    )


def test_no_warning_for_a_safe_schema() -> None:
    safe = CASES[1].sdl
    assert Annotations.from_stack(synth(safe)).find_warning("*", Match.any_value()) == []


def test_check_prints_the_warning_on_stderr(tmp_path: Path) -> None:
    schema = tmp_path / "schema.graphql"
    schema.write_text(EDITORS)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(schema)], out=out, err=err) == 0
    assert out.getvalue() == "ok: 1 model, no problems (1 warning).\n"
    assert err.getvalue().startswith("warning: type 'Comment': the rule {allow: owner, ")
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(BLOG)], out=out, err=err) == 0
    assert err.getvalue() == ""
