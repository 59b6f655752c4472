"""Identity-pool grants at scale: managed policies, each under IAM's 6,144-character limit
(inline policies would share one 10,240-character budget per role, which a large schema
exceeds and CloudFormation would then fail to deploy), within the per-role quota."""

from __future__ import annotations

import json
import re

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match, Template

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    ConfigurationError,
    IdentityPoolConfig,
)

# A deployed ARN: arn:aws:appsync:<region>:<account>:apis/<26-character id>/types/T/fields/F
DEPLOYED_PREFIX = len("arn:aws:appsync:ap-southeast-2:123456789012:apis/abcdefghijklmnopqrstuvwxyz")
IAM_LIMIT = 6_144


def schema(models: int) -> str:
    # `secret` may be written, never read: the role's grant on each type is the type's ARN
    # and a deny of `secret` (IAM's explicit deny wins), the largest policies a rule set makes.
    return "\n".join(
        f"""type Doc{i} @model @auth(rules: [{{ allow: private, provider: identityPool }}]) {{
  title: String
  body: String
  secret: String @auth(rules: [{{ allow: private, provider: identityPool, operations: [create] }}])
}}"""
        for i in range(models)
    )


def build(models: int) -> tuple[Stack, AuthorizedGraphqlApi]:
    stack = Stack(App(), f"Pool{models}")
    signed_in = iam.Role(stack, "SignedIn", assumed_by=iam.AccountRootPrincipal())
    api = AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(schema(models)),
        authorization_modes=AuthorizationModes(
            default_authorization_mode="AWS_IAM",
            api_key_config=ApiKeyConfig(),
            identity_pool_config=IdentityPoolConfig(
                identity_pool_id="us-east-1:11111111-2222-3333-4444-555555555555",
                authenticated_user_role=signed_in,
            ),
        ),
    )
    return stack, api


_JOIN = re.compile(r'\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["\w+","Arn"\]\},"([^"]*)"\]\]\}')


def deployed_size(document: dict) -> int:
    """Characters of the policy as IAM counts them (no whitespace), ARNs as deployed."""
    text = json.dumps(document, separators=(",", ":"))
    return len(_JOIN.sub(lambda m: '"' + "x" * DEPLOYED_PREFIX + m.group(1) + '"', text))


@pytest.fixture(scope="module")
def large():
    return build(50)


def _effects(managed: list[dict]) -> dict[str, list[str]]:
    """Each effect -> the resource texts of its statements, over every policy."""
    found: dict[str, list[str]] = {"Allow": [], "Deny": []}
    for policy in managed:
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            assert statement["Action"] == "appsync:GraphQL"
            resources = statement["Resource"]
            found[statement["Effect"]] += [json.dumps(r) for r in resources]
    return found


def test_grants_are_managed_policies_each_within_iams_limit(large):
    stack, api = large
    template = Template.from_stack(stack)
    resources = template.to_json()["Resources"]
    template.resource_count_is("AWS::IAM::Policy", 0)  # nothing shares the inline budget
    managed = [r for r in resources.values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    assert len(managed) == len(api.resources.policies) > 1
    sizes = [deployed_size(p["Properties"]["PolicyDocument"]) for p in managed]
    assert max(sizes) < IAM_LIMIT
    assert sum(sizes) > 10_240  # more than one role's whole inline budget
    for policy in managed:
        (role,) = policy["Properties"]["Roles"]
        assert "SignedIn" in json.dumps(role)
    # Every root field of every model is granted, to the authenticated role only; a
    # model's fields all but `secret`, which is denied by name.
    effects = _effects(managed)
    allowed, denied = " ".join(effects["Allow"]), " ".join(effects["Deny"])
    for i in (0, 49):
        for field in (f"getDoc{i}", f"listDoc{i}s", f"createDoc{i}", f"onDeleteDoc{i}"):
            assert f'/fields/{field}"' in allowed, field
        assert f'/types/Doc{i}/fields/*"' in allowed
        assert f'/types/Doc{i}/fields/secret"' in denied
        assert f"/types/Doc{i}/fields/secret" not in allowed
        assert f"/types/Doc{i}/fields/title" not in denied
    assert len(effects["Deny"]) == 50


def test_more_policies_than_the_default_quota_is_a_warning(large):
    stack, api = large
    if len(api.resources.policies) <= 10:
        pytest.fail(
            f"the fixture should need more than 10 policies, not {len(api.resources.policies)}"
        )
    Annotations.from_stack(stack).has_warning(
        "/Pool50/Api", Match.string_like_regexp("default quota is 10 per role")
    )


def test_more_than_iam_allows_fails_at_synth():
    with pytest.raises(ConfigurationError) as failure:
        build(110)
    message = str(failure.value)
    assert "AuthorizedGraphqlApi 'Pool110/Api' cannot be synthesized" in message
    assert "IAM allows at most 20 per role" in message
