"""The ``serve`` and ``token`` commands: arguments in, exit status out (the package's
``cli.py`` parses)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from .cognito import DEFAULT_PASSWORD, CognitoError
from .run import ServeOptions, serve
from .state import ServeState, TokenRequest, default_state_file, make_token

__all__ = ["run_local"]


def run_local(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "serve":
        options = ServeOptions(
            assembly=Path(args.assembly),
            stack=args.stack,
            api=args.api,
            host=args.host,
            port=args.port,
            realtime_port=args.realtime_port,
            dynamodb_endpoint=args.dynamodb_endpoint,
            state_file=Path(args.state_file) if args.state_file else None,
            outputs_file=Path(args.outputs) if args.outputs else None,
            allow_hosts=tuple(args.allow_host or ()),
        )
        return serve(options, out, err)
    return _token(args, out, err)


def _fail(message: str, err: TextIO) -> int:
    print(f"authorized-appsync token: {message}", file=err)
    return 1


def _request(args: argparse.Namespace) -> TokenRequest:
    claims = json.loads(args.claims)
    if not isinstance(claims, dict):
        raise ValueError('--claims must be a JSON object, for example \'{"groups": ["A"]}\'.')
    return TokenRequest(
        user=args.user,
        groups=tuple(g.strip() for g in args.groups.split(",") if g.strip()),
        password=args.password or DEFAULT_PASSWORD,
        oidc=args.oidc,
        claims=claims,
    )


def _state(args: argparse.Namespace) -> ServeState | None | str:
    """The running server's state, ``None`` when only --endpoint is given, or why not."""
    if args.endpoint is not None and args.state_file is None and not args.oidc:
        return None
    path = Path(args.state_file) if args.state_file else default_state_file()
    try:
        state = ServeState.read(path)
    except (FileNotFoundError, ValueError) as error:
        return str(error)
    if not state.alive():
        return (
            f"No server is running: {path} names process {state.pid}, which has stopped. "
            f"Start one with `authorized-appsync serve`."
        )
    return state


def _token(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

    try:
        request = _request(args)
    except ValueError as error:
        return _fail(f"--claims is not usable: {error}", err)
    state = _state(args)
    if isinstance(state, str):
        return _fail(state, err)
    try:
        token = make_token(request, state, args.endpoint)
    except EndpointConnectionError as error:
        endpoint = error.kwargs.get("endpoint_url", args.endpoint)
        return _fail(
            f"No server answers at {endpoint}: is `authorized-appsync serve` running? "
            f"Give its Cognito endpoint with --endpoint.",
            err,
        )
    except CognitoError as error:
        return _fail(str(error), err)
    except (ClientError, BotoCoreError) as error:
        return _fail(f"the Cognito endpoint refused: {error}.", err)
    print(token, file=out)
    return 0
