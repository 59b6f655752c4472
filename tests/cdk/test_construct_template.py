"""The synthesized template of the example app (app.py + examples/blog.graphql): one synth
for the whole module; fragment assertions in given/when/then form, cdk-nag's AwsSolutions
pack, cfn-lint, and a whole-template snapshot for review."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import cdk_nag
import pytest
from aws_cdk import App
from aws_cdk.assertions import Match, Template

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import app as blog  # noqa: E402 - the example app at the repository root


@pytest.fixture(scope="module")
def synthesized() -> tuple[App, Any, Template]:
    application = App()
    stack = blog.BlogApiStack(application, "BlogApiStack")
    return application, stack, Template.from_stack(stack)


@pytest.fixture(scope="module")
def template(synthesized) -> Template:
    return synthesized[2]


@pytest.fixture(scope="module")
def resources(template) -> dict[str, dict[str, Any]]:
    return template.to_json()["Resources"]


def of_type(resources, kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in resources.items() if v["Type"] == kind}


def test_one_table_per_model_on_demand_with_pitr_and_encryption(template):
    template.resource_count_is("AWS::DynamoDB::Table", 5)  # Post, Comment, Tag, PostTags, Report
    template.all_resources_properties(
        "AWS::DynamoDB::Table",
        {
            "BillingMode": "PAY_PER_REQUEST",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True},
        },
    )
    for table in of_type(template.to_json()["Resources"], "AWS::DynamoDB::Table").values():
        assert table["DeletionPolicy"] == "Retain"


def test_owner_index_and_at_index_are_gsis(template):
    # Post: an owner rule allows list -> a Query on the owner index (keyed by the owner key
    # attribute create and update write), never a Scan.
    template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "GlobalSecondaryIndexes": [
                Match.object_like(
                    {
                        "IndexName": "ownerOwnerIndex",
                        "KeySchema": [{"AttributeName": "__ownerKey_owner", "KeyType": "HASH"}],
                    }
                )
            ],
            "AttributeDefinitions": Match.array_with(
                [{"AttributeName": "__ownerKey_owner", "AttributeType": "S"}]
            ),
        },
    )
    # Comment: @index(name: "byPost") and the owner index.
    template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {"GlobalSecondaryIndexes": Match.array_with([Match.object_like({"IndexName": "byPost"})])},
    )


def test_one_data_source_role_reaches_only_this_apis_tables(resources):
    roles = {
        k: r
        for k, r in of_type(resources, "AWS::IAM::Role").items()
        if r["Properties"].get("Policies", [{}])[0].get("PolicyName") == "TableAccess"
    }
    assert len(roles) == 1
    ((role_id, role),) = roles.items()
    (statement,) = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    text = json.dumps(statement["Resource"])
    # The tables are named <Model>-<ApiId>; the pattern ends with this API's id.
    assert text.count('":table/*-", {"Fn::GetAtt": ["BlogApiA21AF5A8", "ApiId"]}') == 2
    assert text.count('"/index/*"') == 1
    assert "dynamodb:*" not in statement["Action"]
    assert "dynamodb:BatchWriteItem" not in statement["Action"]
    tables = of_type(resources, "AWS::DynamoDB::Table")
    assert len(tables) == 5
    for table in tables.values():
        name = table["Properties"]["TableName"]["Fn::Join"][1]
        assert name[1] == {"Fn::GetAtt": ["BlogApiA21AF5A8", "ApiId"]}
        assert name[0].endswith("-")
    for source in of_type(resources, "AWS::AppSync::DataSource").values():
        if source["Properties"]["Type"] == "AMAZON_DYNAMODB":
            assert source["Properties"]["ServiceRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}


def test_identity_pool_roles_get_scoped_policies(resources):
    policies = of_type(resources, "AWS::IAM::ManagedPolicy")
    documents = {key: json.dumps(p["Properties"]["PolicyDocument"]) for key, p in policies.items()}
    unauth = next(d for k, d in documents.items() if "Unauthenticated" in k)
    auth = next(d for k, d in documents.items() if k.startswith("BlogApiAuthenticated"))
    # Guests (public identityPool rule, read) may read posts, not write them.
    assert "/types/Query/fields/getPost" in unauth
    assert "/types/Mutation/fields/createPost" not in unauth
    assert "/types/Report/" not in unauth
    # Signed-in identities (private identityPool rule on Report, read).
    assert "/types/Query/fields/listReports" in auth
    assert "/types/Mutation/" not in auth


def test_schema_carries_auth_directives(resources):
    (schema,) = of_type(resources, "AWS::AppSync::GraphQLSchema").values()
    sdl = schema["Properties"]["Definition"]
    post = re.search(r"type Post [^{]*\{", sdl).group(0)
    for directive in ("@aws_api_key", "@aws_cognito_user_pools", "@aws_iam"):
        assert directive in post
    assert "@aws_lambda" not in post  # no custom rule on Post
    report = re.search(r"type Report [^{]*\{", sdl).group(0)
    assert "@aws_lambda" in report
    assert "@aws_api_key" not in report


def test_api_has_five_modes(template):
    template.has_resource_properties(
        "AWS::AppSync::GraphQLApi",
        {
            "AuthenticationType": "AMAZON_COGNITO_USER_POOLS",
            "AdditionalAuthenticationProviders": Match.array_with(
                [
                    Match.object_like({"AuthenticationType": "API_KEY"}),
                    Match.object_like({"AuthenticationType": "OPENID_CONNECT"}),
                    Match.object_like({"AuthenticationType": "AWS_LAMBDA"}),
                    Match.object_like({"AuthenticationType": "AWS_IAM"}),
                ]
            ),
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::Permission",
        {"Action": "lambda:InvokeFunction", "Principal": "appsync.amazonaws.com"},
    )


def test_admin_role_name_reaches_every_shared_function_not_each_resolver(resources):
    functions = of_type(resources, "AWS::AppSync::FunctionConfiguration")
    shared = [f for f in functions.values() if "NoneDataSource" in json.dumps(f["Properties"])]
    assert len(shared) >= 10
    for function in shared:
        code = json.dumps(function["Properties"]["Code"])
        assert "adminRoles" in code
        assert "ModeratorRole" in code  # the role's logical id, resolved to its name
    for resolver in of_type(resources, "AWS::AppSync::Resolver").values():
        assert "adminRoles" not in json.dumps(resolver["Properties"]["Code"])
    # Where the local runtime reads them.
    (api,) = of_type(resources, "AWS::AppSync::GraphQLApi").values()
    recorded = json.dumps(api["Metadata"]["authorized-appsync:security"])
    assert "ModeratorRole" in recorded


def test_every_resolver_is_a_pipeline_of_shared_functions(resources):
    functions = of_type(resources, "AWS::AppSync::FunctionConfiguration")
    for resolver in of_type(resources, "AWS::AppSync::Resolver").values():
        props = resolver["Properties"]
        assert props["Kind"] == "PIPELINE"
        steps = [f["Fn::GetAtt"][0] for f in props["PipelineConfig"]["Functions"]]
        assert all(step in functions for step in steps)
        assert len(steps) in (1, 3)
        assert len(json.dumps(props["Code"])) < 2_000


def test_resolvers_are_appsync_js_and_within_limits(resources):
    for kind in ("AWS::AppSync::Resolver", "AWS::AppSync::FunctionConfiguration"):
        for resource in of_type(resources, kind).values():
            props = resource["Properties"]
            assert props["Runtime"] == {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"}
            assert len(json.dumps(props["Code"])) < 32_768


def test_aws_solutions_checks_pass(synthesized):
    application, stack, _ = synthesized
    report = cdk_nag.AwsSolutionsChecks(application).validate_scope(stack)
    found = [
        (v.rule_name, [r.construct_path for r in v.violating_resources]) for v in report.violations
    ]
    assert report.success, found


def test_cfn_lint_reports_no_errors(template, tmp_path):
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template.to_json()))
    exe = Path(sys.executable).parent / "cfn-lint"
    done = subprocess.run(
        [str(exe), "--format", "parseable", str(path)], capture_output=True, text=True, check=False
    )
    errors = [line for line in done.stdout.splitlines() if re.search(r":E\d{4}:", line)]
    assert errors == [], done.stdout


def _normalized(template: Template) -> dict[str, Any]:
    """The template with what changes on every synth or every resolver edit replaced:
    the API key's expiry (time-based), asset hashes, resolver and function code (named
    instead: the code itself is covered by the resolver tests)."""
    data = template.to_json()
    for resource in data["Resources"].values():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::AppSync::ApiKey":
            props["Expires"] = "<epoch seconds, 30 days after synth>"
        if "Code" in props and resource["Type"] == "AWS::AppSync::Resolver":
            kind = re.search(r'kind:\\?"(\w+)', json.dumps(props["Code"]))
            props["Code"] = f"<APPSYNC_JS: the {kind.group(1) if kind else '?'} plan>"
        if "Code" in props and resource["Type"] == "AWS::AppSync::FunctionConfiguration":
            props["Code"] = f"<APPSYNC_JS: function {props['Name']}>"
        if resource["Type"] == "AWS::Lambda::Function":
            props["Code"] = "<asset>"
    data.get("Parameters", {}).pop("BootstrapVersion", None)
    return data


def test_template_snapshot(template, snapshot):
    assert _normalized(template) == snapshot
