"""``authorized-appsync check`` refuses every schema the construct refuses for a reason
that needs only the schema (and the modes), with the same sentence at its place
(``file:line:col``): both run the same passes (``pipeline.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    ConfigurationError,
    IdentityPoolConfig,
    UserPoolConfig,
)
from authorized_appsync.cli import main


@dataclass(frozen=True)
class Case:
    id: str
    sdl: str
    modes: str  # check's --modes; the construct gets the same ones
    expected: str  # in the message (after the place)
    guests: bool = True
    sandbox: bool = False
    located: bool = True


EMPLOYEE = """type Employee @model
  @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
  name: String
  ssn: String! @auth(rules: [{ allow: owner }])
}
"""
CASES = [
    Case(
        "relation field not generated yet",
        "type Post @model @auth(rules: [{ allow: owner }]) { t: String\n"
        "  tags: [Tag] @hasMany @auth(rules: [{ allow: owner }]) }\n"
        "type Tag @model @auth(rules: [{ allow: owner }]) { label: String }\n",
        "API_KEY,AMAZON_COGNITO_USER_POOLS",
        "field 'Post.tags' uses @hasMany: @auth on a relation field is not generated yet",
    ),
    Case(
        "required field hidden from subscribers",
        EMPLOYEE,
        "AMAZON_COGNITO_USER_POOLS",
        "field 'Employee.ssn' is required ('String!') but its own @auth rules ({allow: owner})",
    ),
    Case(
        "required implicit field hidden from partial readers",
        "type Card @model @auth(rules: [{ allow: owner }]) {\n"
        "  title: String\n"
        "    @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])\n}\n",
        "AMAZON_COGNITO_USER_POOLS",
        "the implicit field 'Card.id' ('ID!') of type 'Card' follows",
    ),
    Case(
        "user pool rule without the mode",
        "type Todo @model @auth(rules: [{ allow: owner }]) { c: String }\n",
        "API_KEY",
        "the rule { allow: owner, provider: userPools } on type 'Todo' needs the "
        "AMAZON_COGNITO_USER_POOLS authorization mode, which is not configured",
    ),
    Case(
        "field rule without its mode",
        "type Todo @model @auth(rules: [{ allow: public }]) {\n"
        "  secret: String @auth(rules: [{ allow: private }])\n}\n",
        "API_KEY",
        "on field 'Todo.secret' needs the AMAZON_COGNITO_USER_POOLS authorization mode",
    ),
    Case(
        "public IAM rule without a guest role",
        "type Todo @model @auth(rules: [{ allow: public, provider: iam }]) { c: String }\n",
        "AWS_IAM",
        "admits the identity pool's unauthenticated role, but identity_pool_config has no "
        "unauthenticated_user_role",
        guests=False,
    ),
    Case(
        "sandbox without an API key",
        "type Todo @model { c: String }\n",
        "AMAZON_COGNITO_USER_POOLS",
        "sandbox_mode_enabled applies the global { allow: public } rule, which needs an API key",
        sandbox=True,
        located=False,
    ),
]


def _modes(stack: Stack, case: Case) -> AuthorizationModes:
    wanted = case.modes.split(",")
    principal = iam.AccountRootPrincipal()
    pool = None
    if "AWS_IAM" in wanted:
        pool = IdentityPoolConfig(
            identity_pool_id="us-east-1:11111111-2222-3333-4444-555555555555",
            authenticated_user_role=iam.Role(stack, "Auth", assumed_by=principal),
            unauthenticated_user_role=(
                iam.Role(stack, "Guest", assumed_by=principal) if case.guests else None
            ),
        )
    users = "AMAZON_COGNITO_USER_POOLS" in wanted
    return AuthorizationModes(
        default_authorization_mode=wanted[0],
        api_key_config=ApiKeyConfig() if "API_KEY" in wanted else None,
        user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users"))
        if users
        else None,
        identity_pool_config=pool,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_refuses_what_synthesis_refuses(case: Case, tmp_path: Path, capsys) -> None:
    schema = tmp_path / "schema.graphql"
    schema.write_text(case.sdl)
    stack = Stack(App(), "Agree")
    with pytest.raises(ConfigurationError) as refused:
        AuthorizedGraphqlApi(
            stack,
            "Api",
            definition=ApiDefinition.from_files(schema),
            authorization_modes=_modes(stack, case),
            sandbox_mode_enabled=case.sandbox,
        )
    (synth,) = [p for p in refused.value.problems if case.expected in p]
    flags = ["--modes", case.modes, "--identity-pool", "guests" if case.guests else "signed-in"]
    if case.sandbox:
        flags.append("--sandbox")
    assert main(["check", str(schema), *flags]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert synth in lines, "check prints the sentence synthesis refuses with"
    if case.located:
        assert synth.startswith(f"{schema}:")
        line, column = synth[len(str(schema)) + 1 :].split(":")[:2]
        assert line.isdigit()
        assert column.isdigit()
