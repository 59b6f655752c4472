"""Batch and transaction operations: BatchGetItem, BatchPutItem, BatchDeleteItem,
TransactGetItems and TransactWriteItems.

These name their tables. A name is looked up in the data source's table mapping (logical
name -> physical name) and used as given otherwise; results are keyed by the name the
request used. Every item of a request is read and checked before the one call is sent.
Unprocessed items are reported, not retried (DynamoDB Local and moto never leave any).

Result shapes (``APPSYNC.md`` §6): batch reads keep the order of the request keys with
``null`` for keys not found; batch writes list what was written in request order, with
``null`` where DynamoDB left the item unprocessed [unverified: AppSync's placement of
unprocessed entries]; a cancelled transaction reports ``DynamoDB:TransactionCanceledException``
with ``cancellationReasons`` in request order, ``{type, message}`` plus ``item`` (the
current item, plain) when DynamoDB returned it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import cast

from ...errors import JsonValue
from .errors import (
    TRANSACTION_CANCELED_CODE,
    DataSourceResult,
    DynamoDBServiceError,
    MappingTemplateError,
    describe,
)
from .requests import (
    Condition,
    Params,
    Reader,
    condition_kwargs,
)
from .values import (
    WireItem,
    canonical_item,
    item_to_plain,
    item_to_wire,
)

__all__ = ["MULTI_OPERATIONS", "Send", "TableNames", "execute_multi"]

# Sends one boto3 call ("batch_get_item", kwargs) and returns its response, or raises
# DynamoDBServiceError.
Send = Callable[[str, dict[str, object]], Mapping[str, object]]

_KEY_PLACEHOLDER = "#__key"
_FIRST_PATH_NAME = re.compile(r"\s*([^.\[\s]+)")
_TRANSACT_WRITE = {
    "PutItem": ("Put", frozenset({"table", "operation", "key", "attributeValues", "condition"})),
    "UpdateItem": ("Update", frozenset({"table", "operation", "key", "update", "condition"})),
    "DeleteItem": ("Delete", frozenset({"table", "operation", "key", "condition"})),
    "ConditionCheck": ("ConditionCheck", frozenset({"table", "operation", "key", "condition"})),
}


class TableNames:
    """Physical table names for the names requests use."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._mapping = dict(mapping)

    def physical(self, name: str) -> str:
        return self._mapping.get(name, name)


def _signature(item: Mapping[str, Mapping[str, object]], names: frozenset[str]) -> object:
    return canonical_item({n: v for n, v in item.items() if n in names})


def _tables(reader: Reader, tables: TableNames) -> list[tuple[str, str, object]]:
    """``(name, physical name, spec)`` of each entry of ``tables``, each table once."""
    raw = reader.required("tables")
    if not isinstance(raw, Mapping) or not raw:
        raise MappingTemplateError(
            f"{reader.where}: 'tables' must be an object of table names, got {describe(raw)}."
        )
    seen: dict[str, str] = {}
    entries = []
    for name, spec in raw.items():
        physical = tables.physical(str(name))
        if physical in seen:
            raise MappingTemplateError(
                f"{reader.where}: tables {seen[physical]!r} and {name!r} are the same table."
            )
        seen[physical] = str(name)
        entries.append((str(name), physical, spec))
    return entries


def _list_of_maps(raw: object, where: str) -> list[WireItem]:
    if not isinstance(raw, list):
        raise MappingTemplateError(f"{where}: expected a list, got {describe(raw)}.")
    return [item_to_wire(entry, f"{where}[{i}]") for i, entry in enumerate(raw)]


def _projection_with_keys(
    reader: Reader, keys: list[WireItem], params: Params
) -> tuple[dict[str, object], frozenset[str]]:
    """ProjectionExpression that also reads the key attributes (to place the items), and
    the key attributes added that way (removed again from the results)."""
    projection = reader.expression("projection", values=False)
    if projection is None:
        return {}, frozenset()
    text = params.add(projection, "projection")
    projected = set()
    for path in text.split(","):
        match = _FIRST_PATH_NAME.match(path)
        if match:
            projected.add(params.names.get(match.group(1), match.group(1)))
    added = sorted({name for key in keys for name in key} - projected)
    for i, name in enumerate(added):
        params.names[f"{_KEY_PLACEHOLDER}{i}"] = name
        text += f", {_KEY_PLACEHOLDER}{i}"
    return {"ProjectionExpression": text}, frozenset(added)


def _batch_get(reader: Reader, tables: TableNames, send: Send) -> DataSourceResult:
    requests: dict[str, dict[str, object]] = {}
    plan: list[tuple[str, str, list[WireItem], frozenset[str]]] = []
    for name, physical, spec in _tables(reader, tables):
        allowed = {"keys", "consistentRead", "projection"}
        part = Reader(spec, f"{reader.where}.tables.{name}", allowed)
        keys = _list_of_maps(part.required("keys"), f"{part.where}.keys")
        params = Params(part.where)
        entry: dict[str, object] = {"Keys": keys}
        projection, added = _projection_with_keys(part, keys, params)
        entry.update(projection)
        consistent = part.boolean("consistentRead")
        if consistent is not None:
            entry["ConsistentRead"] = consistent
        requests[physical] = params.into(entry)
        plan.append((name, physical, keys, added))
    response = send("batch_get_item", {"RequestItems": requests})
    found = cast(Mapping[str, list[WireItem]], response.get("Responses") or {})
    unprocessed = cast(Mapping[str, Mapping[str, object]], response.get("UnprocessedKeys") or {})
    data: dict[str, JsonValue] = {}
    left: dict[str, JsonValue] = {}
    for name, physical, keys, added in plan:
        key_names = frozenset(n for key in keys for n in key)
        by_key = {_signature(item, key_names): item for item in found.get(physical, [])}
        items: list[JsonValue] = []
        for key in keys:
            item = by_key.get(_signature(key, key_names))
            kept = None if item is None else {n: v for n, v in item.items() if n not in added}
            items.append(None if kept is None else item_to_plain(kept))
        data[name] = items
        pending = cast(list[WireItem], unprocessed.get(physical, {}).get("Keys") or [])
        left[name] = [item_to_plain(key) for key in pending]
    return DataSourceResult({"data": data, "unprocessedKeys": left})


def _batch_write(
    reader: Reader, operation: str, tables: TableNames, send: Send
) -> DataSourceResult:
    put = operation == "BatchPutItem"
    requests: dict[str, list[dict[str, object]]] = {}
    plan: list[tuple[str, str, list[WireItem]]] = []
    for name, physical, spec in _tables(reader, tables):
        entries = _list_of_maps(spec, f"{reader.where}.tables.{name}")
        requests[physical] = [
            {"PutRequest": {"Item": e}} if put else {"DeleteRequest": {"Key": e}} for e in entries
        ]
        plan.append((name, physical, entries))
    response = send("batch_write_item", {"RequestItems": requests})
    unprocessed = cast(
        Mapping[str, list[Mapping[str, Mapping[str, WireItem]]]],
        response.get("UnprocessedItems") or {},
    )
    data: dict[str, JsonValue] = {}
    left: dict[str, JsonValue] = {}
    for name, physical, entries in plan:
        pending = [
            r["PutRequest"]["Item"] if put else r["DeleteRequest"]["Key"]
            for r in unprocessed.get(physical, [])
        ]
        skipped = {canonical_item(e) for e in pending}
        data[name] = [None if canonical_item(e) in skipped else item_to_plain(e) for e in entries]
        left[name] = [item_to_plain(e) for e in pending]
    return DataSourceResult(
        {"data": data, ("unprocessedItems" if put else "unprocessedKeys"): left}
    )


def _transact_items(reader: Reader) -> list[object]:
    raw = reader.required("transactItems")
    if not isinstance(raw, list) or not raw:
        raise MappingTemplateError(
            f"{reader.where}: 'transactItems' must be a non-empty list, got {describe(raw)}."
        )
    return raw


def _cancellation_reasons(failure: DynamoDBServiceError) -> list[JsonValue]:
    reasons: list[JsonValue] = []
    for raw in cast(list[Mapping[str, object]], failure.response.get("CancellationReasons") or []):
        reason: dict[str, JsonValue] = {
            "type": cast(str, raw.get("Code")),
            "message": cast(str | None, raw.get("Message")),
        }
        if raw.get("Item"):
            reason["item"] = item_to_plain(cast(WireItem, raw["Item"]))
        reasons.append(reason)
    return reasons


def _transact_write_item(
    raw: object, where: str, tables: TableNames
) -> tuple[dict[str, object], WireItem]:
    operation = Reader(raw, where).required_text("operation")
    if operation not in _TRANSACT_WRITE:
        raise MappingTemplateError(
            f"{where}: unsupported operation {operation!r}; expected one of "
            f"{', '.join(_TRANSACT_WRITE)}."
        )
    action, allowed = _TRANSACT_WRITE[operation]
    item = Reader(raw, where, allowed)
    key = item.attribute_map("key")
    table = tables.physical(item.required_text("table"))
    params = Params(where)
    call: dict[str, object] = {"TableName": table}
    if operation == "PutItem":
        call["Item"] = {**item.attribute_map("attributeValues", required=False), **key}
    else:
        call["Key"] = key
    if operation == "UpdateItem":
        update = item.expression("update")
        if update is None:
            raise MappingTemplateError(f"{where}: value for field '$[update]' not found.")
        call["UpdateExpression"] = params.add(update, "update")
    condition: Condition | None = item.condition(transaction=True)
    if operation == "ConditionCheck" and condition is None:
        raise MappingTemplateError(f"{where}: value for field '$[condition]' not found.")
    call.update(condition_kwargs(condition, params))
    if condition is not None:
        old = "ALL_OLD" if condition.return_values_on_failure else "NONE"
        call["ReturnValuesOnConditionCheckFailure"] = old
    return {action: params.into(call)}, key


def _transact_write(reader: Reader, tables: TableNames, send: Send) -> DataSourceResult:
    raws = _transact_items(reader)
    parsed = [
        _transact_write_item(raw, f"{reader.where}.transactItems[{i}]", tables)
        for i, raw in enumerate(raws)
    ]
    try:
        send("transact_write_items", {"TransactItems": [call for call, _key in parsed]})
    except DynamoDBServiceError as failure:
        if failure.code != TRANSACTION_CANCELED_CODE:
            raise
        result = {"keys": None, "cancellationReasons": _cancellation_reasons(failure)}
        return DataSourceResult(cast(JsonValue, result), failure.error)
    keys: list[JsonValue] = [item_to_plain(key) for _call, key in parsed]
    return DataSourceResult({"keys": keys, "cancellationReasons": None})


def _transact_get(reader: Reader, tables: TableNames, send: Send) -> DataSourceResult:
    gets: list[dict[str, object]] = []
    for i, raw in enumerate(_transact_items(reader)):
        item = Reader(raw, f"{reader.where}.transactItems[{i}]", {"table", "key", "projection"})
        params = Params(item.where)
        call: dict[str, object] = {
            "TableName": tables.physical(item.required_text("table")),
            "Key": item.attribute_map("key"),
        }
        projection = item.expression("projection", values=False)
        if projection is not None:
            call["ProjectionExpression"] = params.add(projection, "projection")
        gets.append({"Get": params.into(call)})
    try:
        response = send("transact_get_items", {"TransactItems": gets})
    except DynamoDBServiceError as failure:
        if failure.code != TRANSACTION_CANCELED_CODE:
            raise
        result = {"items": None, "cancellationReasons": _cancellation_reasons(failure)}
        return DataSourceResult(cast(JsonValue, result), failure.error)
    answers = cast(list[Mapping[str, WireItem]], response.get("Responses") or [])
    items: list[JsonValue] = [item_to_plain(a["Item"]) if a.get("Item") else None for a in answers]
    return DataSourceResult({"items": items, "cancellationReasons": None})


MULTI_OPERATIONS: Mapping[str, frozenset[str]] = {
    "BatchGetItem": frozenset({"tables"}),
    "BatchPutItem": frozenset({"tables"}),
    "BatchDeleteItem": frozenset({"tables"}),
    "TransactGetItems": frozenset({"transactItems"}),
    "TransactWriteItems": frozenset({"transactItems"}),
}


def execute_multi(
    reader: Reader, operation: str, tables: TableNames, send: Send
) -> DataSourceResult:
    """Runs one of :data:`MULTI_OPERATIONS` (``reader`` already limited to its fields)."""
    if operation == "BatchGetItem":
        return _batch_get(reader, tables, send)
    if operation in ("BatchPutItem", "BatchDeleteItem"):
        return _batch_write(reader, operation, tables, send)
    if operation == "TransactGetItems":
        return _transact_get(reader, tables, send)
    return _transact_write(reader, tables, send)
