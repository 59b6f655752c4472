"""Reading APPSYNC_JS DynamoDB request objects into boto3 calls.

Everything about a request is checked here, before anything is sent (moto's rule:
validate fully before any write): the fields each operation allows (AppSync refuses
unknown ones, e.g. ``scanIndexForward`` on a Scan), required fields, attribute values,
expression objects and their placeholders. A problem raises :class:`MappingTemplateError`.
Placeholders of the parts of one request (update, condition, filter, projection, query)
share DynamoDB's single ``ExpressionAttributeNames``/``Values``; a placeholder given two
different meanings is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TypeVar

from .errors import MappingTemplateError, describe
from .tokens import PageTokens
from .values import Wire, WireItem, canonical, item_to_wire

__all__ = [
    "SELECT",
    "Condition",
    "Expression",
    "Params",
    "ReadCall",
    "Reader",
    "WriteCall",
    "condition_kwargs",
    "fields_of",
    "read_call",
    "write_call",
]

SELECT = ("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES")
_T = TypeVar("_T")
_COMMON = frozenset({"operation", "version"})
_VERSIONED = ("customPartitionKey", "populateIndexFields", "_version")
_FIELDS: Mapping[str, frozenset[str]] = {
    "GetItem": frozenset({"key", "consistentRead", "projection"}),
    "PutItem": frozenset({"key", "attributeValues", "condition", *_VERSIONED}),
    "UpdateItem": frozenset({"key", "update", "condition", *_VERSIONED}),
    "DeleteItem": frozenset({"key", "condition", *_VERSIONED}),
    "Query": frozenset(
        {"query", "index", "nextToken", "limit", "scanIndexForward", "consistentRead", "select"}
        | {"filter", "projection"}
    ),
    "Scan": frozenset(
        {"index", "limit", "consistentRead", "nextToken", "select", "totalSegments", "segment"}
        | {"filter", "projection"}
    ),
}
_TRANSACTION_CONDITION_FIELDS = frozenset(
    {"expression", "expressionNames", "expressionValues", "returnValuesOnConditionCheckFailure"}
)
_CONDITION_FIELDS = frozenset(
    {"expression", "expressionNames", "expressionValues", "equalsIgnore", "consistentRead"}
    | {"conditionalCheckFailedHandler"}
)


@dataclass(frozen=True)
class Expression:
    """``{expression, expressionNames?, expressionValues?}`` of a request object."""

    text: str
    names: Mapping[str, str] = field(default_factory=dict)
    values: WireItem = field(default_factory=dict)


@dataclass(frozen=True)
class Condition:
    expression: Expression
    equals_ignore: frozenset[str] = frozenset()
    consistent_read: bool = True
    return_values_on_failure: bool = True  # transactions: the item in cancellationReasons


class Params:
    """The one ``ExpressionAttributeNames``/``Values`` pair several expressions share."""

    def __init__(self, where: str) -> None:
        self._where = where
        self.names: dict[str, str] = {}
        self.values: dict[str, Wire] = {}

    def add(self, expression: Expression, part: str) -> str:
        for ref, name in expression.names.items():
            if self.names.setdefault(ref, name) != name:
                raise MappingTemplateError(
                    f"{self._where}: expression name {ref!r} of '{part}' stands for {name!r}, "
                    f"but another part of the request uses it for {self.names[ref]!r}."
                )
        for ref, value in expression.values.items():
            if canonical(self.values.setdefault(ref, value)) != canonical(value):
                raise MappingTemplateError(
                    f"{self._where}: expression value {ref!r} of '{part}' differs from the "
                    "value another part of the request gives it."
                )
        return expression.text

    def into(self, kwargs: dict[str, object]) -> dict[str, object]:
        if self.names:
            kwargs["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            kwargs["ExpressionAttributeValues"] = dict(self.values)
        return kwargs


class Reader:
    """Typed access to one request object (or part of one), with AppSync-style errors."""

    def __init__(self, raw: object, where: str, allowed: AbstractSet[str] | None = None) -> None:
        if not isinstance(raw, Mapping):
            raise MappingTemplateError(f"{where}: expected an object, got {describe(raw)}.")
        self.raw: Mapping[str, object] = raw
        self.where = where
        if allowed is not None:
            unknown = sorted(str(k) for k in raw if k not in allowed)
            if unknown:
                raise MappingTemplateError(
                    f"{where}: unknown field {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}."
                )

    def optional(self, name: str) -> object | None:
        return self.raw.get(name)

    def required(self, name: str) -> object:
        value = self.raw.get(name)
        if value is None:
            raise MappingTemplateError(f"{self.where}: value for field '$[{name}]' not found.")
        return value

    def _typed(self, name: str, kind: type[_T], label: str, *, required: bool = False) -> _T | None:
        value = self.required(name) if required else self.raw.get(name)
        if value is None:
            return None
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise MappingTemplateError(
                f"{self.where}: '{name}' must be {label}, got {describe(value)}."
            )
        return value

    def required_text(self, name: str) -> str:
        value = self._typed(name, str, "a string", required=True)
        assert value is not None  # required
        return value

    def boolean(self, name: str) -> bool | None:
        return self._typed(name, bool, "a boolean")

    def text(self, name: str, *, required: bool = False) -> str | None:
        return self._typed(name, str, "a string", required=required)

    def integer(self, name: str) -> int | None:
        value = self.raw.get(name)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return self._typed(name, int, "an integer")

    def attribute_map(self, name: str, *, required: bool = True) -> WireItem:
        value = self.required(name) if required else self.raw.get(name)
        return {} if value is None else item_to_wire(value, f"{self.where}.{name}")

    def expression(self, name: str, *, values: bool = True) -> Expression | None:
        raw = self.raw.get(name)
        if raw is None:
            return None
        allowed = {"expression", "expressionNames"} | ({"expressionValues"} if values else set())
        part = Reader(raw, f"{self.where}.{name}", allowed)
        return part.as_expression()

    def as_expression(self) -> Expression:
        names = self.raw.get("expressionNames") or {}
        if not isinstance(names, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in names.items()
        ):
            raise MappingTemplateError(
                f"{self.where}.expressionNames must map placeholders to attribute names."
            )
        return Expression(
            text=self.required_text("expression"),
            names=dict(names),
            values=self.attribute_map("expressionValues", required=False),
        )

    def condition(self, *, transaction: bool = False) -> Condition | None:
        """``condition``: of a single write, or (``transaction``) of a transaction item."""
        raw = self.raw.get("condition")
        if raw is None:
            return None
        allowed = _TRANSACTION_CONDITION_FIELDS if transaction else _CONDITION_FIELDS
        part = Reader(raw, f"{self.where}.condition", allowed)
        ignore = part.optional("equalsIgnore") or []
        if not isinstance(ignore, list) or not all(isinstance(n, str) for n in ignore):
            raise MappingTemplateError(f"{part.where}.equalsIgnore must be a list of strings.")
        handler = part.optional("conditionalCheckFailedHandler")
        if handler is not None:
            strategy = Reader(handler, f"{part.where}.conditionalCheckFailedHandler").optional(
                "strategy"
            )
            if strategy not in (None, "Reject"):
                raise MappingTemplateError(
                    f"{part.where}.conditionalCheckFailedHandler: strategy {strategy!r} is not "
                    "supported by the local runtime (only 'Reject'; 'Custom' invokes a Lambda)."
                )
        consistent = part.boolean("consistentRead")
        old = part.boolean("returnValuesOnConditionCheckFailure")
        return Condition(
            part.as_expression(),
            frozenset(ignore),
            consistent_read=True if consistent is None else consistent,
            return_values_on_failure=True if old is None else old,
        )


@dataclass(frozen=True)
class WriteCall:
    """A PutItem, UpdateItem or DeleteItem, ready to send."""

    operation: str
    kwargs: dict[str, object]
    key: WireItem
    condition: Condition | None
    item: WireItem | None = None  # PutItem: the item written
    update: Expression | None = None  # UpdateItem: the update, for equalsIgnore


@dataclass(frozen=True)
class ReadCall:
    """A GetItem, Query or Scan, ready to send."""

    operation: str
    kwargs: dict[str, object]
    index: str | None = None


def condition_kwargs(condition: Condition | None, params: Params) -> dict[str, object]:
    if condition is None:
        return {}
    return {"ConditionExpression": params.add(condition.expression, "condition")}


def _refuse_versioning(reader: Reader) -> None:
    for name in _VERSIONED:
        if reader.optional(name) is not None:
            raise MappingTemplateError(
                f"{reader.where}: '{name}' needs a versioned data source (conflict detection), "
                "which the local runtime does not support."
            )


def write_call(reader: Reader, operation: str, table: str) -> WriteCall:
    _refuse_versioning(reader)
    key = reader.attribute_map("key")
    condition = reader.condition()
    params = Params(reader.where)
    kwargs: dict[str, object] = {"TableName": table}
    if operation == "PutItem":
        item = {**reader.attribute_map("attributeValues", required=False), **key}
        kwargs["Item"] = item
        kwargs.update(condition_kwargs(condition, params))
        return WriteCall(operation, params.into(kwargs), key, condition, item=item)
    kwargs["Key"] = key
    if operation == "UpdateItem":
        update = reader.expression("update")
        if update is None:
            raise MappingTemplateError(f"{reader.where}: value for field '$[update]' not found.")
        kwargs["UpdateExpression"] = params.add(update, "update")
        kwargs["ReturnValues"] = "ALL_NEW"
        kwargs.update(condition_kwargs(condition, params))
        return WriteCall(operation, params.into(kwargs), key, condition, update=update)
    kwargs["ReturnValues"] = "ALL_OLD"
    kwargs.update(condition_kwargs(condition, params))
    return WriteCall(operation, params.into(kwargs), key, condition)


def projection_kwargs(reader: Reader, params: Params) -> dict[str, object]:
    projection = reader.expression("projection", values=False)
    if projection is None:
        return {}
    return {"ProjectionExpression": params.add(projection, "projection")}


def _read_options(reader: Reader, operation: str) -> dict[str, object]:
    """The optional Query/Scan parameters the request sets."""
    allowed = _FIELDS[operation]
    options: dict[str, object | None] = {
        "ConsistentRead": reader.boolean("consistentRead"),
        "Limit": reader.integer("limit"),
        "IndexName": reader.text("index"),
    }
    if "scanIndexForward" in allowed:
        options["ScanIndexForward"] = reader.boolean("scanIndexForward")
    if "segment" in allowed:
        options["Segment"] = reader.integer("segment")
        options["TotalSegments"] = reader.integer("totalSegments")
    select = reader.text("select")
    if select is not None and select not in SELECT:
        raise MappingTemplateError(
            f"{reader.where}: 'select' must be one of {', '.join(SELECT)}, got {select!r}."
        )
    options["Select"] = select
    return {name: value for name, value in options.items() if value is not None}


def read_call(reader: Reader, operation: str, table: str, tokens: PageTokens) -> ReadCall:
    """GetItem, Query or Scan. A bad nextToken raises ``InvalidPageTokenError``."""
    params = Params(reader.where)
    kwargs: dict[str, object] = {"TableName": table}
    if operation == "GetItem":
        kwargs["Key"] = reader.attribute_map("key")
        consistent = reader.boolean("consistentRead")
        if consistent is not None:
            kwargs["ConsistentRead"] = consistent
        kwargs.update(projection_kwargs(reader, params))
        return ReadCall(operation, params.into(kwargs))
    if operation == "Query":
        query = reader.expression("query")
        if query is None:
            raise MappingTemplateError(f"{reader.where}: value for field '$[query]' not found.")
        kwargs["KeyConditionExpression"] = params.add(query, "query")
    kwargs.update(_read_options(reader, operation))
    filter_ = reader.expression("filter")
    if filter_ is not None:
        kwargs["FilterExpression"] = params.add(filter_, "filter")
    kwargs.update(projection_kwargs(reader, params))
    index = reader.text("index")
    token = reader.text("nextToken")
    if token is not None:
        kwargs["ExclusiveStartKey"] = tokens.decode(token, table, index)
    return ReadCall(operation, params.into(kwargs), index)


def fields_of(operation: str) -> frozenset[str] | None:
    """The fields a single-item or read operation allows (with ``operation``/``version``)."""
    allowed = _FIELDS.get(operation)
    return None if allowed is None else allowed | _COMMON
