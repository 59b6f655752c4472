"""A local Lambda function sees its own environment variables, not another function's:
each runs as in its own process (one authorizer's AUTH_* settings once leaked into the
next test's authorizer and made it deny every token)."""

from __future__ import annotations

import os

from authorized_appsync.local.assembly.lambdas import LambdaFunctionDef
from authorized_appsync.local.lambdas.run import load_function

READ = "import os\ndef handler(event, context):\n    return os.environ.get(event['name'])\n"


def function(logical_id: str, **environment: str) -> LambdaFunctionDef:
    return LambdaFunctionDef(
        logical_id=logical_id,
        runtime="python3.12",
        handler="index.handler",
        inline_code=READ,
        folder=None,
        environment=environment,
    )


def test_a_functions_variables_stay_its_own() -> None:
    first = load_function(function("First", AUTH_ONLY_FIRST="1", SHARED="first"))
    second = load_function(function("Second", SHARED="second"))
    assert first({"name": "AUTH_ONLY_FIRST"}) == "1"
    assert second({"name": "AUTH_ONLY_FIRST"}) is None
    assert second({"name": "SHARED"}) == "second"
    assert first({"name": "SHARED"}) == "first"
    assert "AUTH_ONLY_FIRST" not in os.environ
    assert "SHARED" not in os.environ
