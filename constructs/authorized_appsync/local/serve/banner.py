"""What ``serve`` prints once it listens: where everything is, the keys it accepts, and how to
get a token (the ``token`` command, curl, and boto3 against the Cognito endpoint)."""

from __future__ import annotations

import shlex
import time
from typing import TYPE_CHECKING

from .cognito import DEFAULT_PASSWORD
from .state import ServeState, default_state_file

if TYPE_CHECKING:
    from .auth import ServeAuth
    from .run import ServeOptions

__all__ = ["banner"]


def _when(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(epoch))


def _token_command(options: ServeOptions, extra: str = "") -> str:
    command = "authorized-appsync token"
    if options.state_path.resolve() != default_state_file().resolve():
        command += f" --state-file {shlex.quote(str(options.state_path))}"
    return f"{command}{extra}"


def _boto3_lines(state: ServeState) -> list[str]:
    pool = state.cognito
    if pool is None:
        return []
    return [
        "With boto3 (or any AWS SDK) against the Cognito endpoint (client actions need no "
        "credentials; any code confirms):",
        f'  idp = boto3.client("cognito-idp", endpoint_url="{pool.endpoint}", '
        f'region_name="{state.region}")',
        f'  idp.sign_up(ClientId="{pool.client_id}", Username="bob", '
        f'Password="{DEFAULT_PASSWORD}")',
        f'  idp.confirm_sign_up(ClientId="{pool.client_id}", Username="bob", '
        'ConfirmationCode="000000")',
        f'  token = idp.initiate_auth(ClientId="{pool.client_id}", '
        'AuthFlow="USER_PASSWORD_AUTH",',
        f'      AuthParameters={{"USERNAME": "bob", "PASSWORD": "{DEFAULT_PASSWORD}"}}'
        ')["AuthenticationResult"]["IdToken"]',
        "With Amplify JS (signIn with its default SRP flow):",
        f'  Amplify.configure({{ Auth: {{ Cognito: {{ userPoolId: "{pool.user_pool_id}", '
        f'userPoolClientId: "{pool.client_id}",',
        f'      userPoolEndpoint: "{pool.endpoint}" }} }} }})',
    ]


def banner(api: str, options: ServeOptions, state: ServeState, auth: ServeAuth) -> str:
    url = state.graphql_url
    lines = [f"authorized-appsync serve: the API {api} of {options.assembly}", ""]
    lines.append(f"  GraphQL    {url}")
    if state.realtime_url:
        lines.append(f"  Realtime   {state.realtime_url} (subscriptions, AppSync's protocol)")
    if state.realtime_certificate:
        secure = url.replace("http://", "wss://", 1) + "/realtime"
        lines.append(
            f"             and {secure} (Amplify JS), TLS with the certificate "
            f"{state.realtime_certificate} (node: NODE_EXTRA_CA_CERTS)"
        )
    for key in state.api_keys:
        lines.append(f"  API key    {key.value} (expires {_when(key.expires)})")
    if state.cognito is not None:
        groups = ", ".join(state.cognito.groups) or "none"
        lines.append(
            f"  User pool  {state.cognito.user_pool_id}, app client {state.cognito.client_id}, "
            f"groups: {groups}"
        )
        lines.append(
            f"  Cognito    {state.cognito.endpoint} (region {state.region}; user-pool client "
            f"actions; tokens signed by a key made for this run)"
        )
        lines.append(
            f"             admin actions signed with AWS_ACCESS_KEY_ID="
            f"{state.cognito.admin_access_key_id} "
            f"AWS_SECRET_ACCESS_KEY={state.cognito.admin_secret_access_key}"
        )
    tables = state.dynamodb_endpoint or (
        "embedded moto, private to this process (--dynamodb-endpoint for tables you can inspect)"
    )
    lines.append(f"  DynamoDB   {tables}")
    if state.oidc is not None:
        lines.append(f"  OIDC       issuer {state.oidc.issuer} (tokens signed by a local key)")
    lines.append("")
    query = shlex.quote('{"query": "{ __typename }"}')
    curl = f"curl -s {url} -H 'Content-Type: application/json'"
    if state.api_keys:
        lines += ["With the API key:", f"  {curl} -H 'x-api-key: {state.api_keys[0].value}' \\"]
        lines += [f"    -d {query}", ""]
    if state.cognito is not None:
        lines += [
            "A user-pool ID token (the user is created if needed; --groups Admins,... to join):",
            f"  {_token_command(options, ' --user alice')}",
            f'  {curl} -H "Authorization: $({_token_command(options, " --user alice")})" \\',
            f"    -d {query}",
        ]
        lines += _boto3_lines(state)
        lines.append("")
    if state.oidc is not None:
        claims = shlex.quote('{"groups": ["Editors"]}')
        lines += [
            "An OIDC token (claims as JSON are added):",
            f"  {_token_command(options, f' --oidc --user alice --claims {claims}')}",
            "",
        ]
    if state.iam_keys:
        lines.append(f"IAM credentials it accepts (SigV4, service appsync, region {state.region}):")
        for iam in state.iam_keys:
            lines.append(f"  {iam.label}: {iam.arn}")
            lines.append(
                f"    AWS_ACCESS_KEY_ID={iam.access_key_id} "
                f"AWS_SECRET_ACCESS_KEY={iam.secret_access_key}"
            )
        lines.append("")
    lines += [f"Note: {note}" for note in auth.notes]
    lines.append(
        f"Amplify front ends: Amplify.configure() with {options.outputs_path} "
        f"(amplify_outputs.json; Cognito's endpoint is in its custom section)."
    )
    lines.append(f"State: {options.state_path}. Ctrl-C stops.")
    return "\n".join(lines)
