"""The ``authorized-appsync`` command line.

``check SCHEMA... [--modes MODE,...]`` runs the compiler up to code generation (the same
passes synthesis runs, ``pipeline.py``) and prints each problem as ``file:line:col:
message`` (with ``--modes``, also rules the modes cannot serve), and warnings on stderr;
``acm SCHEMA...`` prints the access-control matrix. A SCHEMA is a ``.graphql`` file or a
directory of them (every ``*.graphql`` under it, subdirectories included: an Amplify
project's ``schema/`` folder). Exit status: 0 on success, 1 when the
schema has problems, 2 for bad command-line usage (a path that does not exist or holds no
``.graphql`` file).

``serve [ASSEMBLY]`` runs the synthesized API locally until Ctrl-C (``local/serve/``);
``token --user NAME`` prints an ID token from the running server's user pool;
``outputs --stack NAME`` writes ``amplify_outputs.json`` for a deployed API
(``outputs_command.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from .appsync import AuthorizationMode
from .authz import plan_schema, render_tables
from .authz.settings import ApiSettings
from .definition import ApiDefinition
from .outputs_command import add_outputs_command, run_outputs
from .pipeline import compile_api
from .schema.errors import UNKNOWN_LOCATION, Diagnostic, SchemaError, did_you_mean, quote_list
from .schema.files import SchemaFileError
from .schema.model import Provider

__all__ = ["main"]

_SCHEMA_HELP = "GraphQL SDL files, or directories of *.graphql files (searched recursively)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="authorized-appsync",
        description="Compile Amplify-style @model/@auth GraphQL schemas for AWS AppSync.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="report every problem synthesis would refuse the schema for; exit 1 on any",
    )
    check.add_argument("schemas", nargs="+", metavar="SCHEMA", help=_SCHEMA_HELP)
    check.add_argument(
        "--modes",
        metavar="MODE,...",
        help="the API's authorization modes ("
        + ", ".join(m.value for m in AuthorizationMode)
        + "): also check that every rule's provider is one of them",
    )
    check.add_argument(
        "--identity-pool",
        choices=("none", "signed-in", "guests"),
        default="guests",
        help="with --modes: the identity pool's roles (default: a signed-in and a guest role)",
    )
    check.add_argument(
        "--sandbox",
        action="store_true",
        help="apply the global { allow: public } rule to models without rules",
    )
    acm = commands.add_parser("acm", help="print the access-control matrix")
    acm.add_argument("schemas", nargs="+", metavar="SCHEMA", help=_SCHEMA_HELP)
    acm.add_argument("--type", dest="type_name", help="only this model")
    acm.add_argument("--format", choices=("table", "json"), default="table")
    acm.add_argument(
        "--sandbox",
        action="store_true",
        help="apply the global { allow: public } rule to models without rules",
    )
    acm.add_argument(
        "--implicit",
        action="store_true",
        help="include implicit fields (id, owner fields, timestamps)",
    )
    _local_commands(commands)
    add_outputs_command(commands)
    return parser


def _local_commands(commands: Any) -> None:
    serve = commands.add_parser(
        "serve", help="run the synthesized API on this machine (POST /graphql) until Ctrl-C"
    )
    serve.add_argument(
        "assembly", nargs="?", default="cdk.out", metavar="ASSEMBLY", help="default: cdk.out"
    )
    serve.add_argument(
        "--stack",
        metavar="NAME",
        help="look for the API in this stack only (as `cdk ls` names it, e.g. Prod/Backend, "
        "or its stack name); stages' stacks are included",
    )
    serve.add_argument(
        "--api",
        metavar="PATH",
        help="the API to run, when there are several: its construct path, e.g. "
        "Prod/Backend/Api for AuthorizedGraphqlApi(stack, 'Api') (or relative to --stack)",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1; another one is reachable by "
        "other machines, and serve warns)",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        metavar="NAME",
        help="also answer requests whose Host header names NAME (repeatable; IP addresses "
        "and localhost are always answered, other names refused against DNS rebinding)",
    )
    serve.add_argument("--port", type=int, default=4000, help="default: 4000 (0: any free port)")
    serve.add_argument(
        "--realtime-port",
        type=int,
        help="the subscriptions WebSocket port (default: --port + 1; 0: any free port)",
    )
    serve.add_argument(
        "--dynamodb-endpoint", metavar="URL", help="use this DynamoDB instead of the embedded one"
    )
    serve.add_argument(
        "--state-file", help="where to write the connection details (default: in ASSEMBLY)"
    )
    serve.add_argument(
        "--outputs",
        metavar="PATH",
        help="where to write amplify_outputs.json for Amplify front ends "
        "(default: ASSEMBLY/amplify_outputs.json)",
    )
    token = commands.add_parser(
        "token", help="print an ID token of the running server's user pool (creates the user)"
    )
    token.add_argument("--user", required=True, help="user name")
    token.add_argument("--groups", default="", help="comma-separated groups to put the user in")
    token.add_argument("--password", help="the user's password (default: a fixed local one)")
    token.add_argument(
        "--endpoint",
        metavar="URL",
        help="the Cognito endpoint `serve` printed (signs with the AWS environment's "
        "credentials: the Cognito admin credentials `serve` printed)",
    )
    token.add_argument(
        "--state-file",
        help="the state file of `serve` (default: cdk.out/authorized-appsync-serve.json)",
    )
    token.add_argument("--oidc", action="store_true", help="an OIDC token instead")
    token.add_argument("--claims", default="{}", help="OIDC: extra claims as a JSON object")


def _load(command: str, paths: Sequence[str], err: TextIO) -> ApiDefinition | int:
    """The validated definition, or the exit status after printing why there is none."""
    try:
        definition = ApiDefinition.from_files(*paths)
        _ = definition.schema
    except SchemaFileError as error:
        for problem in error.problems:
            print(f"authorized-appsync {command}: {problem}", file=err)
        return 2
    except SchemaError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=err)
        count = len(error.diagnostics)
        print(f"{count} problem{'s' if count != 1 else ''} found.", file=err)
        return 1
    return definition


def _acm(args: argparse.Namespace, definition: ApiDefinition, out: TextIO, err: TextIO) -> int:
    plan = plan_schema(definition.schema, sandbox=args.sandbox)
    matrices = plan.acm.types
    if args.type_name is not None:
        names = [m.type_name for m in matrices]
        if args.type_name not in names:
            print(
                f"authorized-appsync acm: --type '{args.type_name}' is not a model of the "
                f"schema; models are {quote_list(names)}." + did_you_mean(args.type_name, names),
                file=err,
            )
            return 2
        matrices = tuple(m for m in matrices if m.type_name == args.type_name)
    if args.format == "json":
        rows = [r.to_json() for m in matrices for r in m.rows(include_implicit=args.implicit)]
        print(json.dumps(rows, indent=2), file=out)
        return 0
    blocks = []
    for matrix in matrices:
        title = "" if args.type_name else f"== {matrix.type_name} ==\n"
        tables = render_tables(matrix, include_implicit=args.implicit)
        blocks.append(title + (tables or "(no rules: nobody may access this model)"))
    print("\n\n".join(blocks), file=out)
    return 0


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    if args.command in ("serve", "token"):
        try:
            from .local.serve.cli import run_local
        except ImportError as error:
            print(
                f"authorized-appsync {args.command} needs the local runtime's packages "
                f"({error.name} is missing): pip install 'authorized-appsync[local]'.",
                file=err,
            )
            return 1
        return run_local(args, out, err)
    if args.command == "outputs":
        return run_outputs(args, out, err)
    if args.command == "check":
        return _check(args, out, err)
    definition = _load(args.command, args.schemas, err)
    if isinstance(definition, int):
        return definition
    return _acm(args, definition, out, err)


def _settings(args: argparse.Namespace, err: TextIO) -> ApiSettings | None:
    """The settings ``check`` was given (None after printing why they are wrong)."""
    if args.modes is None:
        return ApiSettings(sandbox=args.sandbox)
    names = [m.value for m in AuthorizationMode]
    modes = []
    for raw in (part.strip() for part in args.modes.split(",") if part.strip()):
        if raw not in names:
            print(
                f"authorized-appsync check: --modes names '{raw}', which is not an AppSync "
                f"authorization mode; use {quote_list(names)}.{did_you_mean(raw, names)}",
                file=err,
            )
            return None
        modes.append(AuthorizationMode(raw))
    return ApiSettings(
        modes=frozenset(Provider(m.rule_provider) for m in modes),
        identity_pool=args.identity_pool != "none",
        guest_role=args.identity_pool == "guests",
        sandbox=args.sandbox,
    )


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Every problem synthesis would refuse the schema for, located; warnings on stderr."""
    settings = _settings(args, err)
    if settings is None:
        return 2
    try:
        definition = ApiDefinition.from_files(*args.schemas)
    except SchemaFileError as error:
        for problem in error.problems:
            print(f"authorized-appsync check: {problem}", file=err)
        return 2
    except SchemaError as error:  # the files do not parse
        return _report(error.diagnostics, err)
    compiled = compile_api(definition, settings, render=False)
    for warning in compiled.warnings:
        print(f"warning: {warning.message}", file=err)
    if compiled.problems:
        return _report(compiled.problems, err)
    models = len(compiled.schema.models) if compiled.schema else 0
    count = len(compiled.warnings)
    noted = f" ({count} warning{'s' if count != 1 else ''})" if count else ""
    print(f"ok: {models} model{'s' if models != 1 else ''}, no problems{noted}.", file=out)
    return 0


def _report(problems: Sequence[Diagnostic], err: TextIO) -> int:
    for diagnostic in problems:
        print(diagnostic_line(diagnostic), file=err)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found.", file=err)
    return 1


def diagnostic_line(diagnostic: Diagnostic) -> str:
    """``file:line:col: message``; a problem of the whole schema without the place."""
    return diagnostic.message if diagnostic.location == UNKNOWN_LOCATION else str(diagnostic)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
