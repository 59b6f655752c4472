"""The Python DSL: Amplify Gen 2's ``a.schema({...})`` in Python.

    from authorized_appsync import a

    schema = a.schema({
        "Todo": a.model({"content": a.string()})
            .authorization(lambda allow: [allow.owner()]),
    })

``schema.to_document()`` is the :class:`~..raw.RawDocument` the equivalent SDL parses to,
with locations pointing at the Python lines, so validation reports them as it would SDL.
Misuse of a builder raises :class:`DslError` at the call.
"""

from __future__ import annotations

from .allow import Allow
from .errors import DslError
from .fields import FieldBuilder
from .models import ModelBuilder
from .namespace import Namespace, a
from .rules import RuleBuilder
from .schema import DslSchema

__all__ = [
    "Allow",
    "DslError",
    "DslSchema",
    "FieldBuilder",
    "ModelBuilder",
    "Namespace",
    "RuleBuilder",
    "a",
]
