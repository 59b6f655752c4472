"""A Lambda function of a synthesized template, run in this process: the Python handler from
its inline code (``Code.ZipFile``) or from its asset folder in the cloud assembly (found by
the asset manifest, or CDK's ``aws:asset:path`` metadata).

Used for the API's Lambda authorizer (``authorizer.py``) and by the engine for ``AWS_LAMBDA`` data
sources (``datasource.py``). The function's environment variables (their evaluated
values; one process, so the variables of the function last loaded or called win) are set in
this process before its code loads and before each call. Other runtimes cannot run here: for
them (and for code that cannot be found) :func:`load_function` raises
:class:`LambdaUnavailableError` with a sentence saying why.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ...errors import AuthorizedAppSyncError
from ..assembly.intrinsics import lambda_arn
from ..assembly.lambdas import LambdaFunctionDef, lambda_function
from ..assembly.nested import AssemblyAssets

__all__ = [
    "LambdaInitError",
    "LambdaUnavailableError",
    "load_function",
    "load_lambda",
]

Handler = Callable[[Any], object]


class LambdaUnavailableError(AuthorizedAppSyncError):
    """The function cannot run in this process (its runtime, or its code is not here)."""


class LambdaInitError(AuthorizedAppSyncError):
    """The function's own code failed while loading (Lambda's init phase). ``error_type`` is
    the ``errorType`` Lambda's Python runtime reports for it: ``Runtime.ImportModuleError``
    (the module cannot be imported), ``Runtime.UserCodeSyntaxError``,
    ``Runtime.HandlerNotFound``, or the class of the exception its module raised."""

    def __init__(self, message: str, error_type: str) -> None:
        super().__init__(message)
        self.error_type = error_type


def _init_error_type(error: BaseException) -> str:
    if isinstance(error, SyntaxError):
        return "Runtime.UserCodeSyntaxError"
    if isinstance(error, ImportError | FileNotFoundError):
        return "Runtime.ImportModuleError"
    return type(error).__name__


class _Context:
    """The few attributes of Lambda's context object a handler commonly reads."""

    def __init__(self, name: str) -> None:
        self.function_name = name
        self.aws_request_id = "local"
        self.invoked_function_arn = lambda_arn(name)
        self.log_group_name = f"/aws/lambda/{name}"
        self.memory_limit_in_mb = "128"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def _module_from_source(name: str, source: str, origin: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = origin
    sys.modules[name] = module  # dataclasses and pickling look the module up by name
    exec(compile(source, origin, "exec"), module.__dict__)  # the template's own code
    return module


def _module_from_folder(name: str, folder: Path, module_path: str) -> types.ModuleType:
    file = folder.joinpath(*module_path.split(".")).with_suffix(".py")
    if not file.is_file():
        raise FileNotFoundError(f"{file} does not exist")
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise ImportError(f"{file} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    if str(folder) not in sys.path:
        sys.path.append(str(folder))  # the handler's own sibling modules
    spec.loader.exec_module(module)
    return module


def load_function(function: LambdaFunctionDef) -> Handler:
    """``function``'s handler as ``event -> answer``. Raises :class:`LambdaUnavailableError`
    when it cannot run here, :class:`LambdaInitError` when its code fails to load."""
    name = function.logical_id
    runtime = function.runtime or "an unknown runtime"
    module_path, _, function_name = function.handler.rpartition(".")
    if not function.runtime.startswith("python") or not module_path or not function_name:
        raise LambdaUnavailableError(
            f"function {name} runs {function.handler!r} on {runtime}; only Python handlers "
            f"(<module>.<function>) run locally"
        )
    if function.inline_code is None and (function.folder is None or not function.folder.is_dir()):
        where = "" if function.folder is None else f" ({function.folder} is not a folder)"
        raise LambdaUnavailableError(
            f"function {name}: its code is neither inline nor an asset folder of the "
            f"assembly{where}"
        )
    module_name = f"_authorized_appsync_lambda_{name}"
    try:
        with _environment(function.environment):
            module = _load(module_name, function, module_path)
    except Exception as error:  # the function's own import-time failure, reported
        raise LambdaInitError(
            f"function {name} failed to load: {type(error).__name__}: {error}",
            _init_error_type(error),
        ) from error
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise LambdaInitError(
            f"function {name}: {module_path} has no callable {function_name!r}",
            "Runtime.HandlerNotFound",
        )
    context = _Context(name)
    environment = dict(function.environment)

    def run(event: Any) -> object:
        with _environment(environment):
            return handler(event, context)

    return run


@contextlib.contextmanager
def _environment(variables: Mapping[str, str]) -> Iterator[None]:
    """The function's environment variables for the duration (as its own process would
    have them), the process's own restored afterwards: one function's settings never reach
    another's."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _load(module_name: str, function: LambdaFunctionDef, module_path: str) -> types.ModuleType:
    if function.inline_code is not None:
        return _module_from_source(
            module_name, function.inline_code, f"<{function.logical_id} inline code>"
        )
    assert function.folder is not None  # checked by the caller
    return _module_from_folder(module_name, function.folder, module_path)


def load_lambda(
    template: Mapping[str, Any], logical_id: str, assembly: Path | None
) -> Handler | str:
    """The handler of function ``logical_id`` as ``event -> answer``, or why it cannot run.
    ``assembly`` is the cloud assembly folder holding the function's asset, if any."""
    resource = template.get("Resources", {}).get(logical_id)
    if not resource or resource.get("Type") != "AWS::Lambda::Function":
        return f"the template has no Lambda function {logical_id!r}"
    function = lambda_function(logical_id, resource, AssemblyAssets.of(assembly))
    try:
        return load_function(function)
    except (LambdaUnavailableError, LambdaInitError) as error:
        return str(error)
