"""The intrinsic functions of a synthesized template, evaluated to local stand-ins: a
resource's physical id (``Ref``) is its logical id, so a table's name and a role's name are
their logical ids; the account is 123456789012, the region us-east-1, the API id
``localapi``. One :class:`Evaluator` per template: a nested stack's template is evaluated
against its own resources and the parameters its parent passes it.

A template may hold several GraphQL APIs; the one being run has the id ``localapi``, and
``other_apis`` (logical ids) evaluate to ids of their own, so the loader can tell which API
a data source, resolver or key belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["ACCOUNT", "API_ID", "REGION", "Evaluator", "lambda_arn", "template_parameters"]

ACCOUNT = "123456789012"
REGION = "us-east-1"
API_ID = "localapi"

_PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "local",
    "AWS::NoValue": None,
}
_ARNS = {  # "Arn" of a resource, by type ({} is its logical id)
    "AWS::IAM::Role": f"arn:aws:iam::{ACCOUNT}:role/{{}}",
    "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{{}}",
    "AWS::Lambda::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{{}}",
}
_SUB = re.compile(r"\$\{(!?)([^}]*)\}")


def lambda_arn(name: str) -> str:
    """The ARN a function named (locally: with logical id) ``name`` has here."""
    return _ARNS["AWS::Lambda::Function"].format(name)


def template_parameters(
    template: Mapping[str, Any], given: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The template's parameter values: ``given`` over each parameter's ``Default``."""
    declared = template.get("Parameters") or {}
    values = {
        name: spec["Default"]
        for name, spec in declared.items()
        if isinstance(spec, Mapping) and "Default" in spec
    }
    values.update(given or {})
    return values


class Evaluator:
    """Evaluates the intrinsic functions the construct (and CDK) emit, to local values."""

    def __init__(
        self,
        resources: Mapping[str, Any],
        parameters: Mapping[str, Any],
        *,
        other_apis: frozenset[str] = frozenset(),
    ) -> None:
        self.resources = resources
        self.parameters = parameters
        self.other_apis = other_apis

    def __call__(self, value: Any) -> Any:  # noqa: PLR0911 - one branch per intrinsic
        if isinstance(value, list):
            return [self(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "Ref" in value:
            return self._ref(value["Ref"])
        if "Fn::GetAtt" in value:
            target, attribute = _get_att_args(value["Fn::GetAtt"])
            return self._get_att(target, attribute)
        if "Fn::Join" in value:
            separator, parts = value["Fn::Join"]
            return str(separator).join(str(self(p)) for p in parts)
        if "Fn::Sub" in value:
            return self._sub(value["Fn::Sub"])
        if "Fn::Select" in value:
            index, items = value["Fn::Select"]
            return self(items)[int(self(index))]
        if "Fn::Split" in value:
            separator, text = value["Fn::Split"]
            return str(self(text)).split(str(separator))
        return {k: self(v) for k, v in value.items()}

    def _ref(self, name: str) -> Any:
        if name in _PSEUDO:
            return _PSEUDO[name]
        if name in self.parameters:
            return self(self.parameters[name])
        return name  # a resource's physical id is its logical id here

    def _sub(self, spec: Any) -> str:
        text, variables = (spec, {}) if isinstance(spec, str) else (spec[0], spec[1])

        def replace(match: re.Match[str]) -> str:
            literal, name = match.group(1), match.group(2)
            if literal:
                return "${" + name + "}"
            if name in variables:
                return str(self(variables[name]))
            target, dot, attribute = name.partition(".")
            return str(self._get_att(target, attribute) if dot else self._ref(name))

        return _SUB.sub(replace, str(text))

    def _get_att(self, target: str, attribute: str) -> Any:
        resource = self.resources.get(target, {})
        kind = resource.get("Type", "")
        props = resource.get("Properties", {})
        if attribute == "Name" and "Name" in props:
            return self(props["Name"])
        if attribute in ("ApiId", "FunctionId"):
            return self._api_id(target) if attribute == "ApiId" else target
        if attribute == "Arn" and kind == "AWS::AppSync::GraphQLApi":
            return f"arn:aws:appsync:{REGION}:{ACCOUNT}:apis/{self._api_id(target)}"
        if attribute == "Arn":
            return _ARNS.get(kind, f"arn:aws:local:{REGION}:{ACCOUNT}:{{}}").format(target)
        return f"{target}.{attribute}"

    def _api_id(self, target: str) -> str:
        return f"{API_ID}-{target}" if target in self.other_apis else API_ID


def _get_att_args(value: Any) -> tuple[str, str]:
    if isinstance(value, str):  # the short form "Resource.Attribute"
        target, _, attribute = value.partition(".")
        return target, attribute
    return str(value[0]), str(value[1])
