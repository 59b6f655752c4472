"""Synthesis benchmark: generated schemas of 1, 10, 50, 100 and 300 models (mixed rules,
all five authorization modes) through AuthorizedGraphqlApi, each size in a fresh process.

Prints, per size: synth seconds, the largest template of the assembly in bytes, the most
resources in one stack, resources in all (per model), nested stacks, resolvers, functions
(distinct code: the shared ones and one data function per model), resolver and function
code in all and per model. Targets: every template <= 900,000 bytes and <= 450 resources at
every size; resolver code <= 5 KB per model; <= 12 resources of each model's own (its
table, data source, data function and one resolver per field that needs one: the fixed
resources of the API and of the bench app are printed apart); 100 models at least 5x
faster than Amplify's construct (25.6 s measured for 100 models on this machine class with
CDK validation off).

Run: ``make bench`` or ``.venv/bin/python bench/synth.py [--sizes 1,10,50,100,300]``;
``--conflicts AUTOMERGE`` (or ``OPTIMISTIC_CONCURRENCY``, ``LAMBDA``) versions every model
(conflict resolution: tombstones, ``sync<Plural>``, the delta-sync index on each table).
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
    AuthorizedGraphqlApi, ConflictResolutionConfig, IdentityPoolConfig, LambdaConfig,
    LambdaConflictHandler, OidcConfig, UserPoolConfig)
imported = time.perf_counter()
app = App(outdir={outdir!r})
stack = Stack(app, "Bench")
principal = iam.AccountRootPrincipal()
fn = lambda_.Function(stack, "Authorizer", runtime=lambda_.Runtime.PYTHON_3_14,
    handler="index.handler", code=lambda_.Code.from_inline("def handler(e, c): pass"))
conflicts = {conflicts!r}
if conflicts == "LAMBDA":
    resolver = lambda_.Function(stack, "Resolver", runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler", code=lambda_.Code.from_inline("def handler(e, c): pass"))
    conflicts = LambdaConflictHandler(function=resolver)
AuthorizedGraphqlApi(stack, "Api",
    conflict_resolution=ConflictResolutionConfig(project=conflicts) if conflicts else None,
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
    counts = {
        "resources": 0,
        "nested": 0,
        "resolvers": 0,
        "functions": 0,
        "codes": 0,
        "code": 0,
        "max": 0,
        "bytes": 0,
        "stack_resources": 0,
        "templates": 0,
    }
    distinct: set[str] = set()
    for template in outdir.glob("*.template.json"):
        counts["templates"] += 1
        counts["bytes"] = max(counts["bytes"], template.stat().st_size)
        resources = json.loads(template.read_text())["Resources"]
        counts["stack_resources"] = max(counts["stack_resources"], len(resources))
        for resource in resources.values():
            kind = resource["Type"]
            if kind == "AWS::CDK::Metadata":
                continue
            counts["resources"] += 1
            counts["nested"] += kind == "AWS::CloudFormation::Stack"
            counts["resolvers"] += kind == "AWS::AppSync::Resolver"
            counts["functions"] += kind == "AWS::AppSync::FunctionConfiguration"
            if kind in ("AWS::AppSync::Resolver", "AWS::AppSync::FunctionConfiguration"):
                code = json.dumps(resource["Properties"]["Code"])
                distinct.add(code)
                counts["code"] += len(code)
                counts["max"] = max(counts["max"], len(code))
    counts["codes"] = len(distinct)
    return counts


def measure(models: int, conflicts: str | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as outdir:
        env = {
            **os.environ,
            "CDK_VALIDATION": "false",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
            "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
        }
        code = _CHILD.format(here=str(HERE), outdir=outdir, models=models, conflicts=conflicts)
        wall = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
        )
        wall = time.perf_counter() - wall
        if done.returncode != 0:
            raise SystemExit(f"synth of {models} models failed:\n{done.stderr[-3000:]}")
        timing = json.loads(done.stdout.strip().splitlines()[-1])
        return {**timing, "wall_s": wall, **_count(Path(outdir))}


def per_mix() -> int:
    """Each model's own resources by rule mix: its table, data source and data function,
    plus one resolver per generated field that needs one (what the mix makes necessary).
    Returns the most any mix needs."""
    sys.path.insert(0, str(HERE))
    from authorized_appsync import ApiDefinition
    from authorized_appsync.authz.settings import ApiSettings, SecuritySettings
    from authorized_appsync.pipeline import compile_api
    from authorized_appsync.schema.model import Provider
    from schemas import RULE_MIXES, generated_schema

    definition = ApiDefinition.from_string(generated_schema(len(RULE_MIXES), relations=False))
    settings = ApiSettings(
        modes=frozenset(Provider),
        default_mode=Provider.USER_POOLS,
        security=SecuritySettings(admin_roles=("M",)),
        identity_pool=True,
        guest_role=True,
    )
    compiled = compile_api(definition, settings)
    assert compiled.artifacts is not None, compiled.problems
    artifacts = compiled.artifacts
    specs = artifacts.resolvers
    print(f"\n{'own resources':>13}  rule mix (+ a field rule and an @index on every model)")
    most = 0
    for i, mix in enumerate(RULE_MIXES):
        own = [s for s in specs if s.plan.model == f"Model{i}"]
        kinds: dict[str, int] = {}
        for spec in own:
            kind = {"Query": "query", "Mutation": "mutation", "Subscription": "subscription"}
            label = kind.get(spec.type_name, "field guard")
            kinds[label] = kinds.get(label, 0) + 1
        detail = ", ".join(f"{n} {k}" for k, n in kinds.items())
        print(f"{3 + len(own):>13}  {mix}  [3 table/data source/data function, {detail}]")
        most = max(most, 3 + len(own))
    return most


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50,100,300")
    parser.add_argument(
        "--conflicts",
        choices=("AUTOMERGE", "OPTIMISTIC_CONCURRENCY", "LAMBDA"),
        help="version every model with this conflict handler (as DataStore needs)",
    )
    args = parser.parse_args()
    if args.conflicts:
        print(f"every model versioned, conflict handler {args.conflicts}")
    header = (
        f"{'models':>6} {'synth s':>7} {'wall s':>6} {'max bytes':>9} {'max res':>7} "
        f"{'resources':>9} {'per model':>9} {'nested':>6} {'resolvers':>9} {'functions':>9} "
        f"{'code KB':>7} {'KB/model':>8} {'max code':>8}"
    )
    print(header)
    print("-" * len(header))
    rows = {}
    for size in (int(s) for s in args.sizes.split(",")):
        m = measure(size, args.conflicts)
        rows[size] = m
        print(
            f"{size:>6} {m['synth_s']:>7.2f} {m['wall_s']:>6.2f} {m['bytes']:>9,} "
            f"{m['stack_resources']:>7} {m['resources']:>9} {m['resources'] / size:>9.1f} "
            f"{m['nested']:>6} {m['resolvers']:>9} {m['functions']:>9} "
            f"{m['code'] / 1000:>7.0f} {m['code'] / 1000 / size:>8.1f} {m['max']:>8,}"
        )
    own = per_mix()
    worst_bytes = max(m["bytes"] for m in rows.values())
    worst_resources = max(m["stack_resources"] for m in rows.values())
    print(
        f"\nlargest template at any size: {worst_bytes:,} bytes (target <= 900,000); most "
        f"resources in one stack: {worst_resources} (target <= 450)"
    )
    if len(rows) > 1:
        small, large = min(rows), max(rows)
        growth = (rows[large]["code"] - rows[small]["code"]) / (large - small) / 1000
        print(
            f"resolver code grows by {growth:.1f} KB per model from {small} to {large} models "
            f"(target <= 5 KB; the shared functions are a fixed part)"
        )
    if 100 in rows:
        big = rows[100]
        speedup = AMPLIFY_100_MODELS_S / big["wall_s"]
        fixed = big["resources"] - own * 100
        print(
            f"100 models: {big['wall_s']:.1f} s wall (import + synth) vs Amplify's "
            f"{AMPLIFY_100_MODELS_S} s: {speedup:.1f}x (target >= 5x)\n"
            f"resources per model: at most {own} of the model's own for any rule mix "
            f"(target <= 12); at 100 models {big['resources'] / 100:.2f} with the "
            f"{fixed} the API and the bench app add once (nested stacks, shared functions, "
            "identity-pool policies, the app's pool, Lambda and roles)"
        )


if __name__ == "__main__":
    main()
