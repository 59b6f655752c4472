"""The client configuration a deployed API leaves in its stack, and `authorized-appsync
outputs` turning it into amplify_outputs.json: the example app is synthesized, its output's
intrinsic functions are resolved as CloudFormation would (with made-up ids), the stack and
the introspection asset are put into moto's CloudFormation and S3, and the command reads
them back through boto3."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_cdk import App
from aws_cdk.assertions import Template
from moto import mock_aws

from authorized_appsync import ApiDefinition
from authorized_appsync.amplify_outputs import (
    CLIENT_CONFIG_OUTPUT,
    MODEL_INTROSPECTION_METADATA,
    OUTPUTS_VERSION,
)
from authorized_appsync.cli import main
from authorized_appsync.codegen.clients.introspection import model_introspection

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import app as blog  # noqa: E402 - the example app at the repository root

pytestmark = pytest.mark.filterwarnings(
    "ignore:Tried to parse AWS..CloudFormation..WaitConditionHandle"
)

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's account
URL = "https://abcdefghijklmnopqrstuvwxyz.appsync-api.eu-west-1.amazonaws.com/graphql"
# What CloudFormation would give for each reference of the output, by logical id prefix.
DEPLOYED = {
    ("BlogApiA21AF5A8", "GraphQLUrl"): URL,
    ("BlogApiApiKey73974FC2", "ApiKey"): "da2-abcdefghijklmnopqrstuvwxyz",
    "Users0A0EEA89": "eu-west-1_AbCdEfGhI",
    "UsersWebClient8EE36D42": "1example23456789abcdefghij",
    "Identities1D2FC062": "eu-west-1:01234567-89ab-cdef-0123-456789abcdef",
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
}


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    outdir = tmp_path_factory.mktemp("cdk.out")
    application = App(outdir=str(outdir))
    stack = blog.BlogApiStack(application, "BlogApiStack")
    return outdir, Template.from_stack(stack).to_json()


def _resolve(value: Any) -> Any:
    """The few intrinsic functions the output uses, as CloudFormation resolves them."""
    if isinstance(value, str):
        return value
    ((function, argument),) = value.items()
    if function == "Fn::Join":
        return argument[0].join(_resolve(v) for v in argument[1])
    if function == "Fn::GetAtt":
        return DEPLOYED[tuple(argument)]
    if function == "Ref":
        return DEPLOYED[argument]
    if function == "Fn::Sub":
        for name in ("AWS::Region", "AWS::AccountId"):
            argument = argument.replace("${" + name + "}", DEPLOYED[name])
        return argument
    raise AssertionError(f"unexpected {function}")


def _deployed_output(template: dict[str, Any]) -> tuple[str, str]:
    (key,) = [k for k in template["Outputs"] if k.endswith(CLIENT_CONFIG_OUTPUT)]
    return key, _resolve(template["Outputs"][key]["Value"])


def _deploy(outdir: Path, template: dict[str, Any], *, with_asset: bool = True) -> str:
    """The stack as deployed, in moto: its outputs and the published introspection asset."""
    key, value = _deployed_output(template)
    url = json.loads(value)["introspection"]
    bucket, _, asset_key = url.removeprefix("s3://").partition("/")
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    if with_asset:
        (api,) = [
            r for r in template["Resources"].values() if r["Type"] == "AWS::AppSync::GraphQLApi"
        ]
        file = outdir / api["Metadata"][MODEL_INTROSPECTION_METADATA]
        s3.put_object(Bucket=bucket, Key=asset_key, Body=file.read_bytes())
    body = {
        "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
        "Outputs": {key: {"Value": value}, "Other": {"Value": "not ours"}},
    }
    boto3.client("cloudformation", region_name=REGION).create_stack(
        StackName="Blog", TemplateBody=json.dumps(body)
    )
    return value


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def aws(monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


def test_the_output_fits_cloudformations_limit(synthesized):
    _, template = synthesized
    _, value = _deployed_output(template)
    assert len(value) <= 1024


def test_outputs_writes_amplify_outputs_of_the_deployed_stack(synthesized, aws, tmp_path):
    outdir, template = synthesized
    _deploy(outdir, template)
    target = tmp_path / "web" / "amplify_outputs.json"

    status, out, err = _run("outputs", "--stack", "Blog", "--region", REGION, "--out", str(target))

    assert (status, err) == (0, "")
    assert str(target) in out
    written = json.loads(target.read_text())
    schema = ApiDefinition.from_files(ROOT / "examples" / "blog.graphql").schema
    assert written == {
        "version": OUTPUTS_VERSION,
        "auth": {
            "aws_region": REGION,
            "user_pool_id": DEPLOYED["Users0A0EEA89"],
            "user_pool_client_id": DEPLOYED["UsersWebClient8EE36D42"],
            "identity_pool_id": DEPLOYED["Identities1D2FC062"],
            "unauthenticated_identities_enabled": True,
        },
        "data": {
            "url": URL,
            "aws_region": REGION,
            "default_authorization_type": "AMAZON_COGNITO_USER_POOLS",
            "authorization_types": ["API_KEY", "OPENID_CONNECT", "AWS_LAMBDA", "AWS_IAM"],
            "api_key": DEPLOYED[("BlogApiApiKey73974FC2", "ApiKey")],
            "model_introspection": model_introspection(schema).to_json(),
        },
    }


def test_without_the_asset_the_schema_files_give_the_introspection(synthesized, aws, tmp_path):
    outdir, template = synthesized
    _deploy(outdir, template, with_asset=False)
    target = tmp_path / "amplify_outputs.json"

    status, _, err = _run("outputs", "--stack", "Blog", "--region", REGION, "--out", str(target))
    assert status == 1
    assert "cannot read the model introspection at s3://" in err
    assert "--schema" in err
    assert not target.exists()

    schema_file = str(ROOT / "examples" / "blog.graphql")
    argv = ("outputs", "--stack", "Blog", "--region", REGION, "--out", str(target))
    status, _, err = _run(*argv, "--schema", schema_file)
    assert (status, err) == (0, "")
    introspection = json.loads(target.read_text())["data"]["model_introspection"]
    assert sorted(introspection["models"]) == ["Comment", "Post", "PostTags", "Report", "Tag"]


def test_a_stack_without_an_api_is_named(aws, tmp_path):
    body = {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}}
    boto3.client("cloudformation", region_name=REGION).create_stack(
        StackName="Plain", TemplateBody=json.dumps(body)
    )
    target = str(tmp_path / "o.json")
    status, _, err = _run("outputs", "--stack", "Plain", "--region", REGION, "--out", target)
    assert status == 1
    assert "the stack 'Plain' has no output named *AmplifyClientConfig" in err

    status, _, err = _run("outputs", "--stack", "Missing", "--region", REGION, "--out", target)
    assert status == 1
    assert "cannot read the stack 'Missing'" in err


def test_several_apis_in_one_stack_are_chosen_by_path(synthesized, aws, tmp_path):
    _, template = synthesized
    key, value = _deployed_output(template)
    second = {**json.loads(value), "api": "BlogApiStack/Admin/Api"}
    second.pop("introspection")
    body = {
        "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
        "Outputs": {
            key: {"Value": value},
            "AdminApi12345678" + CLIENT_CONFIG_OUTPUT: {"Value": json.dumps(second)},
        },
    }
    boto3.client("cloudformation", region_name=REGION).create_stack(
        StackName="Two", TemplateBody=json.dumps(body)
    )
    target = tmp_path / "amplify_outputs.json"
    argv = ("outputs", "--stack", "Two", "--region", REGION, "--out", str(target))

    status, _, err = _run(*argv)
    assert status == 1
    assert "several APIs (BlogApiStack/Admin/Api, BlogApiStack/BlogApi): give --api PATH" in err

    status, _, err = _run(*argv, "--api", "Nope")
    assert status == 1
    assert "has no API 'Nope'; its APIs are BlogApiStack/Admin/Api, BlogApiStack/BlogApi" in err

    status, out, err = _run(*argv, "--api", "Admin/Api")
    assert (status, err) == (0, "")
    assert "for the API BlogApiStack/Admin/Api" in out
    assert "model_introspection" not in json.loads(target.read_text())["data"]
