"""``authorized-appsync outputs --stack NAME``: ``amplify_outputs.json`` for a deployed API.

It reads the stack's outputs through boto3 (CloudFormation ``DescribeStacks``): each API of
the stack left one, ``<api id>AmplifyClientConfig`` (``cdk/client_config.py``), with its
URL, region, modes, API key and Cognito ids. The model introspection is too large for an
output: it is read from the file asset the output names (``s3://`` in the CDK bootstrap
bucket, published by ``cdk deploy``), or made from the schema files given with ``--schema``
(the same introspection, for callers who may not read that bucket).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from .amplify_outputs import CLIENT_CONFIG_OUTPUT, JsonObject, StackClientConfig
from .codegen.clients.introspection import model_introspection
from .definition import ApiDefinition
from .schema.errors import SchemaError
from .schema.files import SchemaFileError

__all__ = ["add_outputs_command", "run_outputs"]

_PREFIX = "authorized-appsync outputs"


class OutputsError(Exception):
    """A sentence for the user: what is missing and what to give."""


def add_outputs_command(commands: Any) -> None:
    outputs = commands.add_parser(
        "outputs",
        help="write amplify_outputs.json for an API of a deployed stack (reads its outputs)",
    )
    outputs.add_argument("--stack", required=True, help="the CloudFormation stack's name")
    outputs.add_argument("--region", help="its region (default: the AWS environment's)")
    outputs.add_argument(
        "--out", default="amplify_outputs.json", help="where to write (default: %(default)s)"
    )
    outputs.add_argument(
        "--api",
        metavar="PATH",
        help="the API's construct path, when the stack holds several (e.g. Backend/Api)",
    )
    outputs.add_argument(
        "--schema",
        nargs="+",
        metavar="SCHEMA",
        help="make the model introspection from these schema files instead of reading it "
        "from the stack's asset in S3",
    )
    outputs.add_argument(
        "--user-pool-client-id",
        metavar="ID",
        help="the app client front ends sign in with, when the construct was given none "
        "(UserPoolConfig(user_pool_client=...))",
    )


def run_outputs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the file; 0, or 1 after printing why it cannot."""
    try:
        import boto3  # the AWS SDK, an optional dependency
    except ImportError:
        print(
            f"{_PREFIX} reads the stack through boto3, which is missing: pip install boto3 "
            f"(or 'authorized-appsync[local]').",
            file=err,
        )
        return 1

    try:
        session = boto3.session.Session(region_name=args.region)
        if session.region_name is None:
            raise OutputsError("no AWS region is configured: give --region.")
        config = _config(session.client("cloudformation"), args.stack, args.api)
        introspection = _introspection(session, config, args.schema)
    except OutputsError as error:
        print(f"{_PREFIX}: {error}", file=err)
        return 1
    outputs = config.outputs(introspection, user_pool_client_id=args.user_pool_client_id)
    if outputs.auth is not None and config.user_pool_id and not outputs.auth.user_pool_client_id:
        print(
            f"{_PREFIX}: warning: the API {config.api} has a user pool but the stack names no "
            f"app client; Amplify's sign-in needs one: give --user-pool-client-id, or "
            f"UserPoolConfig(user_pool_client=...) to the construct.",
            file=err,
        )
    path = outputs.write(Path(args.out))
    print(f"Wrote {path} for the API {config.api} of stack {args.stack}.", file=out)
    return 0


def _config(cloudformation: Any, stack: str, api: str | None) -> StackClientConfig:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        found = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    except (ClientError, BotoCoreError) as error:
        raise OutputsError(f"cannot read the stack '{stack}': {error}") from None
    outputs = [
        o for o in found[0].get("Outputs") or () if o["OutputKey"].endswith(CLIENT_CONFIG_OUTPUT)
    ]
    if not outputs:
        raise OutputsError(
            f"the stack '{stack}' has no output named *{CLIENT_CONFIG_OUTPUT}: it holds no "
            f"AuthorizedGraphqlApi of this version (an API inside a nested stack leaves it in "
            f"that stack: give the nested stack's name)."
        )
    configs = [
        StackClientConfig.parse(o["OutputValue"], f"The output {o['OutputKey']} of '{stack}'")
        for o in outputs
    ]
    if api is not None:
        configs = [c for c in configs if c.api == api or c.api.endswith(f"/{api}")]
    if len(configs) == 1:
        return configs[0]
    paths = ", ".join(sorted(c.api for c in (configs or _all(outputs, stack))))
    if not configs:
        raise OutputsError(f"the stack '{stack}' has no API '{api}'; its APIs are {paths}.")
    raise OutputsError(f"the stack '{stack}' has several APIs ({paths}): give --api PATH.")


def _all(outputs: list[Any], stack: str) -> list[StackClientConfig]:
    return [StackClientConfig.parse(o["OutputValue"], f"'{stack}'") for o in outputs]


def _introspection(
    session: Any, config: StackClientConfig, schema: list[str] | None
) -> JsonObject | None:
    if schema is not None:
        try:
            return model_introspection(ApiDefinition.from_files(*schema).schema).to_json()
        except SchemaFileError as error:
            raise OutputsError(" ".join(error.problems)) from None
        except SchemaError as error:
            raise OutputsError(
                "the schema has problems: " + "; ".join(str(d) for d in error.diagnostics)
            ) from None
    if config.introspection is None:
        return None
    return _read_s3(session, config.introspection)


def _read_s3(session: Any, url: str) -> JsonObject:
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, _, key = url.removeprefix("s3://").partition("/")
    try:
        body = session.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        document: JsonObject = json.loads(body)
    except (ClientError, BotoCoreError, ValueError) as error:
        raise OutputsError(
            f"cannot read the model introspection at {url} ({error}); give the schema "
            f"files with --schema to make it here instead."
        ) from None
    return document
