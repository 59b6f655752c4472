"""A Lambda function of a synthesized template, run in this process: the Python handler from
its inline code (``Code.ZipFile``) or from its asset folder in the cloud assembly.

Used by ``serve`` for the API's Lambda authorizer; the function's literal environment
variables are set in this process before its code loads. Other runtimes cannot run here; for them
(and for code that cannot be found) :func:`load_lambda` answers why, in a sentence.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["load_lambda"]

Handler = Callable[[dict[str, object]], object]


class _Context:
    """The few attributes of Lambda's context object a handler commonly reads."""

    def __init__(self, name: str) -> None:
        self.function_name = name
        self.aws_request_id = "local"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{name}"

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


def _load_module(
    logical_id: str, resource: Mapping[str, Any], module_path: str, assembly: Path | None
) -> types.ModuleType:
    code = resource.get("Properties", {}).get("Code", {})
    name = f"_authorized_appsync_lambda_{logical_id}"
    asset = resource.get("Metadata", {}).get("aws:asset:path")
    if isinstance(code.get("ZipFile"), str):
        return _module_from_source(name, code["ZipFile"], f"<{logical_id} inline code>")
    if isinstance(asset, str) and assembly is not None:
        return _module_from_folder(name, assembly / asset, module_path)
    raise FileNotFoundError("its code is neither inline nor an asset of the assembly")


def load_lambda(
    template: Mapping[str, Any], logical_id: str, assembly: Path | None
) -> Handler | str:
    """The handler of function ``logical_id`` as ``event -> answer``, or why it cannot run.
    ``assembly`` is the cloud assembly folder holding the function's asset, if any."""
    resource = template.get("Resources", {}).get(logical_id)
    if not resource or resource.get("Type") != "AWS::Lambda::Function":
        return f"the template has no Lambda function {logical_id!r}"
    props = resource.get("Properties", {})
    runtime = str(props.get("Runtime", "")) or "an unknown runtime"
    handler = str(props.get("Handler", ""))
    module_path, _, function_name = handler.rpartition(".")
    if not runtime.startswith("python") or not module_path or not function_name:
        return (
            f"function {logical_id} runs {handler!r} on {runtime}; only Python handlers "
            f"(<module>.<function>) run locally"
        )
    # Its environment (the literal values; one function per process, so os.environ will do).
    variables = props.get("Environment", {}).get("Variables", {})
    os.environ.update({k: v for k, v in variables.items() if isinstance(v, str)})
    try:
        module = _load_module(logical_id, resource, module_path, assembly)
    except Exception as error:  # the function's own import-time failure, reported
        return f"function {logical_id} failed to load: {type(error).__name__}: {error}"
    function = getattr(module, function_name, None)
    if not callable(function):
        return f"function {logical_id}: {module_path} has no callable {function_name!r}"
    context = _Context(logical_id)

    def run(event: dict[str, object]) -> object:
        return function(event, context)

    return run
