"""What the template says of a Lambda function: its runtime, handler, code (inline, or the
asset folder of the cloud assembly) and environment. Running it is ``lambdas/``'s part."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .intrinsics import Evaluator
from .nested import AssemblyAssets

__all__ = ["LambdaFunctionDef", "lambda_function"]


@dataclass(frozen=True)
class LambdaFunctionDef:
    """An ``AWS::Lambda::Function`` of the template, with where its code is."""

    logical_id: str
    runtime: str
    handler: str  # <module>.<function> for Python
    inline_code: str | None = None
    folder: Path | None = None  # the asset: a folder (or file) of the cloud assembly
    environment: Mapping[str, str] = field(default_factory=dict)


def lambda_function(
    logical_id: str,
    resource: Mapping[str, Any],
    assets: AssemblyAssets,
    evaluate: Evaluator | None = None,
) -> LambdaFunctionDef:
    """The function ``resource`` (with logical id ``logical_id``): its code found inline or
    among ``assets``; its environment evaluated by ``evaluate`` (literal values only
    without it)."""
    props = resource.get("Properties") or {}
    code = props.get("Code") or {}
    variables = (props.get("Environment") or {}).get("Variables") or {}
    if evaluate is not None:
        variables = evaluate(variables)
    inline = code.get("ZipFile")
    return LambdaFunctionDef(
        logical_id=logical_id,
        runtime=str(props.get("Runtime", "")),
        handler=str(props.get("Handler", "")),
        inline_code=inline if isinstance(inline, str) else None,
        folder=None if isinstance(inline, str) else assets.find(code, resource),
        environment={k: v for k, v in variables.items() if isinstance(v, str)},
    )
