"""``authorized-appsync serve``: the synthesized API on this machine, over HTTP.

:class:`LocalServe` loads the cloud assembly, creates the tables (embedded moto inside this
process, or the DynamoDB endpoint given), serves the Cognito user-pool API with a pool
standing for the template's (``cognito_front.py``: client actions only, tokens signed by a key
made for this run), and serves ``POST /graphql`` with every configured mode verified
(``auth.py``). Every server answers only requests whose ``Host`` is one of its names
(``endpoints/host_check.py``). Its connection details go to a state file for ``token``
(``state.py``). Every server is started through :meth:`LocalServe._start`, which also
registers its stop: starting one more is one line in :meth:`LocalServe._setup`.

:func:`serve` runs it until SIGINT or SIGTERM, then stops everything and returns 0; it warns
when ``--host`` is not a loopback address.
"""

from __future__ import annotations

import errno
import os
import signal
import threading
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Protocol, TextIO, TypeVar

from ..app import LocalAppSync
from ..assembly.template import REGION, Flags, Located, locate_api
from ..endpoints.graphql_server import GraphQLServer
from ..endpoints.host_check import HostCheck, is_loopback
from ..endpoints.realtime import RealtimeServer
from ..endpoints.tls import RunCertificate
from ..identity.authenticator import Authenticator
from .auth import ServeAuth, serve_auth
from .banner import banner
from .cognito import pool_spec
from .cognito_front import CognitoFront
from .cognito_identity import identity_desk
from .outputs import OUTPUTS_NAME, serve_outputs
from .state import OidcState, ServeState, default_state_file

__all__ = ["LocalServe", "ServeOptions", "exposure_warning", "read_template", "serve"]


class _Server(Protocol):
    def start(self) -> object: ...

    def stop(self) -> None: ...


_S = TypeVar("_S", bound=_Server)


@dataclass(frozen=True)
class ServeOptions:
    assembly: Path = Path("cdk.out")
    stack: str | None = None
    api: str | None = None  # the API's construct path, when the assembly holds several
    host: str = "127.0.0.1"
    port: int = 4000
    # The real-time (subscriptions) WebSocket endpoint; default: port + 1 (any free port
    # when port is 0).
    realtime_port: int | None = None
    dynamodb_endpoint: str | None = None
    state_file: Path | None = None  # default: <assembly>/authorized-appsync-serve.json
    outputs_file: Path | None = None  # default: <assembly>/amplify_outputs.json
    allow_hosts: tuple[str, ...] = ()  # more names for the Host header (endpoints/host_check.py)

    @property
    def realtime(self) -> int:
        if self.realtime_port is not None:
            return self.realtime_port
        return self.port + 1 if self.port else 0

    @property
    def state_path(self) -> Path:
        return self.state_file or default_state_file(self.assembly)

    @property
    def certificate_path(self) -> Path:
        """The PEM of the certificate wss:// clients trust: next to the state file."""
        state = self.state_path
        return state.with_name(f"{state.stem}-realtime.pem")

    @property
    def outputs_path(self) -> Path:
        return self.outputs_file or self.assembly / OUTPUTS_NAME

    @property
    def hosts(self) -> HostCheck:
        return HostCheck.for_bind(self.host, self.allow_hosts)


CLI_FLAGS = Flags(stack="--stack NAME", api="--api PATH")


def locate(options: ServeOptions) -> Located:
    """The API to serve: the one ``--api`` names (in the ``--stack`` named), or the only one
    of the assembly, stages and nested stacks included. Raises ``ValueError`` with a
    sentence naming what is wrong and what exists."""
    return locate_api(options.assembly, options.stack, options.api, flags=CLI_FLAGS)


def read_template(assembly: Path, stack: str | None = None) -> tuple[str, Mapping[str, Any]]:
    """The stack name and template of the API in ``assembly`` (a ``cdk.out`` folder or one
    ``*.template.json``); see :func:`locate`."""
    located = locate(ServeOptions(assembly=assembly, stack=stack))
    return located.stack.display, located.template


def _dynamodb_client(endpoint: str | None) -> Any:
    """A client for ``endpoint``, made before moto starts (moto replaces the environment's
    credentials while it runs); ``None`` for the embedded moto."""
    if endpoint is None:
        return None
    import boto3

    session = boto3.session.Session()
    local = {} if session.get_credentials() else {"aws_access_key_id": "local"}
    if local:
        local["aws_secret_access_key"] = "local"
    return session.client(
        "dynamodb", region_name=session.region_name or REGION, endpoint_url=endpoint, **local
    )


class LocalServe:
    """The running API: use as a context manager; everything it started stops on exit."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.stack_name = ""
        self.api_path = ""
        self.state: ServeState | None = None
        self.auth: ServeAuth | None = None
        self._exit = ExitStack()

    def __enter__(self) -> LocalServe:
        try:
            self._setup()
        except BaseException:
            self._exit.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._exit.close()

    def _start(self, server: _S) -> _S:
        server.start()
        self._exit.callback(server.stop)
        return server

    def _setup(self) -> None:
        options = self.options
        located = locate(options)
        self.stack_name, self.api_path = located.stack.display, located.api.path
        template, assembly = located.template, located.stack.folder
        dynamodb = _dynamodb_client(options.dynamodb_endpoint)
        local = self._exit.enter_context(
            LocalAppSync.from_template(
                template, dynamodb, assembly=assembly, name=self.stack_name, api=located.api
            )
        )
        hosts = options.hosts
        api = local.api.api
        pool, jwks, cognito = None, None, None
        if api.user_pool_id is not None:
            cognito = self._start(CognitoFront(options.host, hosts=hosts))
            pool = cognito.create_pool(pool_spec(template, api.user_pool_id))
            jwks = cognito.jwks
        self.auth = auth = serve_auth(template, local.api, pool, assembly, pool_jwks=jwks)
        authenticator = Authenticator(auth.config)
        desk = None
        if cognito is not None and pool is not None:
            desk = identity_desk(auth, api.security, pool, authenticator)
            if desk is not None:
                cognito.serve_identities(desk)
        certificate = RunCertificate([options.host, *hosts.names])
        realtime = self._start(
            RealtimeServer(
                local,
                authenticator,
                host=options.host,
                port=options.realtime,
                hosts=hosts,
                tls=certificate.context,
            )
        )
        graphql = self._start(
            GraphQLServer(
                local,
                authenticator,
                host=options.host,
                port=options.port,
                hosts=hosts,
                tls_handoff=realtime.handle_tls,
            )
        )
        pem = options.certificate_path
        certificate.write(pem)
        self._exit.callback(pem.unlink, missing_ok=True)
        self.state = ServeState(
            pid=os.getpid(),
            graphql_url=graphql.url,
            realtime_url=realtime.url,
            region=REGION,
            api_keys=auth.api_keys,
            cognito=pool,
            iam_keys=auth.iam_keys,
            oidc=(
                None
                if auth.oidc_issuer is None
                else OidcState.of(auth.oidc_issuer, api.oidc_client_id)
            ),
            dynamodb_endpoint=options.dynamodb_endpoint,
            realtime_certificate=str(pem),
        )
        path = options.state_path
        self.state.write(path)
        self._exit.callback(path.unlink, missing_ok=True)
        # Kept when serve stops: a front end's build may read it; the next start rewrites it.
        serve_outputs(api, self.state, assembly, desk).write(options.outputs_path)


def _bind_error(error: OSError, options: ServeOptions) -> str | None:
    if error.errno == errno.EADDRINUSE:
        return (
            f"Port {options.port} or {options.realtime} (subscriptions) on {options.host} is "
            f"in use (another serve?): stop that process, or give other ports with --port "
            f"and --realtime-port."
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{options.host} is not an address of this machine; give --host 127.0.0.1."
    return None


def exposure_warning(host: str) -> str | None:
    """The warning for a ``--host`` other machines can reach; ``None`` for a loopback one."""
    if is_loopback(host):
        return None
    return (
        f"Warning: --host {host} is not a loopback address: anyone who can reach this machine "
        f"can call the API and sign up to its user pool; use --host 127.0.0.1 unless that "
        f"network is yours alone."
    )


def serve(options: ServeOptions, out: TextIO, err: TextIO) -> int:
    """Run until SIGINT or SIGTERM; 0 after a clean stop, 1 when it cannot start."""
    stop = threading.Event()
    warning = exposure_warning(options.host)
    if warning is not None:
        print(warning, file=err, flush=True)

    def on_signal(number: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with LocalServe(options) as running:
            state, auth = running.state, running.auth
            if state is None or auth is None:  # pragma: no cover - set by __enter__
                raise RuntimeError("LocalServe did not start.")
            print(banner(running.api_path, options, state, auth), file=out)
            out.flush()
            while not stop.wait(0.5):
                pass
            print("Stopping...", file=out, flush=True)
    except ValueError as error:
        print(f"authorized-appsync serve: {error}", file=err)
        return 1
    except OSError as error:
        message = _bind_error(error, options)
        if message is None:
            raise
        print(f"authorized-appsync serve: {message}", file=err)
        return 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Stopped.", file=out, flush=True)
    return 0
