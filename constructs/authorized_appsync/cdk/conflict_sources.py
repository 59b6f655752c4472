"""The CloudFormation resources of a LAMBDA conflict handler: its Lambda data source and the
role AppSync assumes to call it, which may invoke that function (and its versions) only."""

from __future__ import annotations

from typing import Any

__all__ = ["handler_source_resources"]


def handler_source_resources(
    prefix: str, api_id: Any, name: str, arn: Any, trust: Any
) -> tuple[str, dict[str, Any]]:
    """The data source named ``name`` for the function ``arn`` (a template value), and its
    role trusting AppSync (``trust``): the data source's logical id, and the resources by
    logical id."""
    role_id = f"{prefix}{name}Role"
    source_id = f"{prefix}{name}DataSource"
    invoke = {
        "Effect": "Allow",
        "Action": "lambda:InvokeFunction",
        "Resource": [arn, {"Fn::Join": ["", [arn, ":*"]]}],
    }
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": trust,
            "Policies": [
                {
                    "PolicyName": "InvokeConflictHandler",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": [invoke]},
                }
            ],
        },
    }
    source = {
        "Type": "AWS::AppSync::DataSource",
        "Properties": {
            "ApiId": api_id,
            "Name": name,
            "Type": "AWS_LAMBDA",
            "LambdaConfig": {"LambdaFunctionArn": arn},
            "ServiceRoleArn": {"Fn::GetAtt": [role_id, "Arn"]},
        },
    }
    return source_id, {role_id: role, source_id: source}
