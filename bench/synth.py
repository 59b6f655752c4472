"""Synthesis benchmark: generated schemas of 1, 10, 50 and 100 models (mixed rules, all
five authorization modes) through AuthorizedGraphqlApi, each size in a fresh process.

Prints synth seconds, CloudFormation resources (total, per model), nested stacks,
resolvers, pipeline functions, bytes of resolver code and the largest single resolver
(AppSync's limit: 32,768 characters). Targets (issue 3): <= 12 resources per model,
<= 1 function per operation, 100 models at least 5x faster than Amplify's construct
(25.6 s measured for 100 models on this machine class with CDK validation off).

Run: ``make bench`` or ``.venv/bin/python bench/synth.py [--sizes 1,10,50,100]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AMPLIFY_100_MODELS_S = 25.6

_CHILD = r"""
import json, sys, time
sys.path.insert(0, {here!r})
from schemas import generated_schema
start = time.perf_counter()
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_cognito as cognito, aws_iam as iam, aws_lambda as lambda_
from authorized_appsync import (ApiDefinition, ApiKeyConfig, AuthorizationModes,
    AuthorizedGraphqlApi, IdentityPoolConfig, LambdaConfig, OidcConfig, UserPoolConfig)
imported = time.perf_counter()
app = App(outdir={outdir!r})
stack = Stack(app, "Bench")
principal = iam.AccountRootPrincipal()
fn = lambda_.Function(stack, "Authorizer", runtime=lambda_.Runtime.PYTHON_3_14,
    handler="index.handler", code=lambda_.Code.from_inline("def handler(e, c): pass"))
AuthorizedGraphqlApi(stack, "Api",
    definition=ApiDefinition.from_string(generated_schema({models}, relations=False)),
    authorization_modes=AuthorizationModes(
        default_authorization_mode="AMAZON_COGNITO_USER_POOLS",
        user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users")),
        api_key_config=ApiKeyConfig(expires=Duration.days(30)),
        oidc_config=OidcConfig(oidc_provider_name="idp", oidc_issuer_url="https://idp.example.com/"),
        lambda_config=LambdaConfig(function=fn),
        identity_pool_config=IdentityPoolConfig(identity_pool_id="us-east-1:pool",
            authenticated_user_role=iam.Role(stack, "AuthRole", assumed_by=principal),
            unauthenticated_user_role=iam.Role(stack, "UnauthRole", assumed_by=principal)),
        admin_roles=["Moderator"]))
app.synth()
done = time.perf_counter()
print(json.dumps({{"import_s": imported - start, "synth_s": done - imported}}))
"""


def _count(outdir: Path) -> dict[str, int]:
    counts = {"resources": 0, "nested": 0, "resolvers": 0, "functions": 0, "code": 0, "max": 0}
    for template in outdir.glob("*.template.json"):
        for resource in json.loads(template.read_text())["Resources"].values():
            kind = resource["Type"]
            if kind == "AWS::CDK::Metadata":
                continue
            counts["resources"] += 1
            counts["nested"] += kind == "AWS::CloudFormation::Stack"
            counts["resolvers"] += kind == "AWS::AppSync::Resolver"
            counts["functions"] += kind == "AWS::AppSync::FunctionConfiguration"
            if kind in ("AWS::AppSync::Resolver", "AWS::AppSync::FunctionConfiguration"):
                size = len(json.dumps(resource["Properties"]["Code"]))
                counts["code"] += size
                counts["max"] = max(counts["max"], size)
    return counts


def measure(models: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as outdir:
        env = {
            **os.environ,
            "CDK_VALIDATION": "false",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
            "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
        }
        code = _CHILD.format(here=str(HERE), outdir=outdir, models=models)
        wall = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
        )
        wall = time.perf_counter() - wall
        if done.returncode != 0:
            raise SystemExit(f"synth of {models} models failed:\n{done.stderr[-3000:]}")
        timing = json.loads(done.stdout.strip().splitlines()[-1])
        return {**timing, "wall_s": wall, **_count(Path(outdir))}


def per_mix() -> None:
    """Each model's own resources by rule mix: its table, data-source role and data source,
    plus one resolver per generated field that needs one (what the mix makes necessary)."""
    sys.path.insert(0, str(HERE))
    from authorized_appsync import ApiDefinition
    from authorized_appsync.authz.plan import plan_schema
    from authorized_appsync.codegen.resolver_plan import SecuritySettings
    from authorized_appsync.codegen.resolver_specs import resolver_specs
    from schemas import RULE_MIXES, generated_schema

    definition = ApiDefinition.from_string(generated_schema(len(RULE_MIXES), relations=False))
    specs = resolver_specs(plan_schema(definition.schema), SecuritySettings(admin_roles=("M",)))
    print(f"\n{'own resources':>13}  rule mix (+ a field rule and an @index on every model)")
    for i, mix in enumerate(RULE_MIXES):
        own = [s for s in specs if s.plan.model == f"Model{i}"]
        kinds: dict[str, int] = {}
        for spec in own:
            kind = {"Query": "query", "Mutation": "mutation", "Subscription": "subscription"}
            label = kind.get(spec.type_name, "field guard")
            kinds[label] = kinds.get(label, 0) + 1
        detail = ", ".join(f"{n} {k}" for k, n in kinds.items())
        print(f"{3 + len(own):>13}  {mix}  [3 table/role/data source, {detail}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50,100")
    args = parser.parse_args()
    header = (
        f"{'models':>6} {'synth s':>8} {'wall s':>7} {'resources':>9} {'per model':>9} "
        f"{'nested':>6} {'resolvers':>9} {'functions':>9} {'code KB':>8} {'max code':>8}"
    )
    print(header)
    print("-" * len(header))
    rows = {}
    for size in (int(s) for s in args.sizes.split(",")):
        m = measure(size)
        rows[size] = m
        print(
            f"{size:>6} {m['synth_s']:>8.2f} {m['wall_s']:>7.2f} {m['resources']:>9} "
            f"{m['resources'] / size:>9.1f} {m['nested']:>6} {m['resolvers']:>9} "
            f"{m['functions']:>9} {m['code'] / 1024:>8.0f} {m['max']:>8}"
        )
    per_mix()
    if 100 in rows:
        big = rows[100]
        speedup = AMPLIFY_100_MODELS_S / big["wall_s"]
        per_model = big["resources"] / 100
        print(
            f"\n100 models: {big['wall_s']:.1f} s wall (import + synth) vs Amplify's "
            f"{AMPLIFY_100_MODELS_S} s: {speedup:.1f}x (target >= 5x)\n"
            f"100 models: {per_model:.1f} resources per model, all included (target <= 12; "
            "the API's own and the bench app's fixed resources weigh on small sizes)\n"
            f"100 models: {big['functions']} pipeline functions (target <= 1 per operation)"
        )


if __name__ == "__main__":
    main()
