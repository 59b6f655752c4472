"""The DynamoDB data source of the local runtime: executes the request objects APPSYNC_JS
request handlers return, through a boto3 DynamoDB client (moto, DynamoDB Local or AWS),
and hands back what the response handler sees as ``ctx.result`` / ``ctx.error``.

    source = DynamoDataSource(client, "Todo-abc123", table_names={"Todo": "Todo-abc123"})
    source.execute({"operation": "GetItem", "key": {"id": {"S": "1"}}})
    # DataSourceResult(result={"id": "1", ...}, error=None)

Behaviour copied from AppSync (``APPSYNC.md`` §4, §6):

- Request objects carry typed values (``{"S": ...}``); results are plain JSON values
  (numbers as int/float, sets as lists, binary as base64 strings, ``NULL`` as null).
- GetItem -> the item or null; PutItem -> the item written; UpdateItem -> the item after
  the update (ALL_NEW); DeleteItem -> the deleted item (ALL_OLD) or null; Query/Scan ->
  ``{items, nextToken, scannedCount}``, ``nextToken`` null on the last page. ``limit`` caps
  the items DynamoDB *evaluates*, so a filtered page may hold fewer items than ``limit``
  (even none) and still carry a ``nextToken``.
- A failed ``condition``: the current item is read (strongly consistent unless the
  condition says ``consistentRead: false``). If it equals what the write would have left,
  apart from the ``equalsIgnore`` attributes, the write counts as done and the current item
  is the result. Otherwise ``ctx.error`` is ``DynamoDB:ConditionalCheckFailedException`` and
  ``ctx.result`` the current item (null when there is none). A DeleteItem is never rescued
  that way: a delete whose condition failed on a missing item is reported, as AppSync does
  for Amplify's ``attribute_exists`` delete guard.
- DynamoDB errors: ``DynamoDB:<Exception>`` with the SDK's message (``errors.py``);
  a nextToken not issued here for this table and index: ``DynamoDB:UserIllegalArgumentException``;
  a request object that cannot be executed: ``MappingTemplate``, and nothing is sent.
- Batch and transaction operations: ``multi.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from botocore.exceptions import (
    ClientError,
    ParamValidationError,
)

from .errors import (
    CONDITION_FAILED,
    CONDITION_FAILED_CODE,
    INVALID_TOKEN,
    INVALID_TOKEN_MESSAGE,
    MAPPING_TEMPLATE,
    SDK_BASE_EXCEPTION,
    DataSourceError,
    DataSourceResult,
    DynamoDBServiceError,
    MappingTemplateError,
    dynamodb_error,
    new_request_id,
    service_message,
)
from .multi import MULTI_OPERATIONS, TableNames, execute_multi
from .requests import (
    ReadCall,
    Reader,
    WriteCall,
    fields_of,
    read_call,
    write_call,
)
from .tokens import PROCESS_KEY, InvalidPageTokenError, PageTokens
from .update import apply_update
from .values import WireItem, item_to_plain, same_item

__all__ = ["OPERATIONS", "DataSourceError", "DataSourceResult", "DynamoDataSource"]

_WRITES = ("PutItem", "UpdateItem", "DeleteItem")
_READS = ("GetItem", "Query", "Scan")
OPERATIONS = (*_READS, *_WRITES, *MULTI_OPERATIONS)
_METHODS = {
    "GetItem": "get_item",
    "PutItem": "put_item",
    "UpdateItem": "update_item",
    "DeleteItem": "delete_item",
    "Query": "query",
    "Scan": "scan",
}
_UNSUPPORTED = {
    "Sync": "Sync needs a versioned data source (conflict detection), which the local runtime "
    "does not support.",
}


def _modelled_errors(client: Any) -> frozenset[str]:
    """The exception names DynamoDB's API model declares (SDK classes of their own)."""
    try:
        return frozenset(shape.name for shape in client.meta.service_model.error_shapes)
    except AttributeError:  # not a boto3 client: treat every code as modelled
        return frozenset()


class DynamoDataSource:
    """One AppSync DynamoDB data source: its table, and the tables batch and transaction
    requests may name (``table_names``: name in the request -> physical table name).

    ``client`` is a boto3 DynamoDB client. ``token_key`` encrypts page tokens (default:
    a random key per process, so tokens do not outlive the process)."""

    def __init__(
        self,
        client: Any,
        table_name: str,
        *,
        table_names: Mapping[str, str] | None = None,
        token_key: bytes = PROCESS_KEY,
    ) -> None:
        self._client = client
        self.table_name = table_name
        self._tables = TableNames(table_names or {})
        self._tokens = PageTokens(token_key)
        self._modelled = _modelled_errors(client)

    def execute(self, request: Mapping[str, object]) -> DataSourceResult:
        """Run one request object; never raises for what AppSync reports as an error."""
        try:
            return self._execute(request)
        except MappingTemplateError as e:
            return DataSourceResult(None, DataSourceError(str(e), MAPPING_TEMPLATE))
        except InvalidPageTokenError:
            return DataSourceResult(None, DataSourceError(INVALID_TOKEN_MESSAGE, INVALID_TOKEN))
        except DynamoDBServiceError as failure:
            return DataSourceResult(None, failure.error)

    def _execute(self, request: Mapping[str, object]) -> DataSourceResult:
        operation = Reader(request, "DynamoDB request").required_text("operation")
        if operation in _UNSUPPORTED:
            raise MappingTemplateError(_UNSUPPORTED[operation])
        if operation in MULTI_OPERATIONS:
            allowed = MULTI_OPERATIONS[operation] | {"operation", "version"}
            reader = Reader(request, operation, allowed)
            return execute_multi(reader, operation, self._tables, self._send)
        allowed_fields = fields_of(operation)
        if allowed_fields is None:
            raise MappingTemplateError(
                f"Unsupported operation {operation!r}. A DynamoDB data source runs "
                f"{', '.join(OPERATIONS)}."
            )
        reader = Reader(request, operation, allowed_fields)
        if operation in _WRITES:
            return self._write(write_call(reader, operation, self.table_name))
        return self._read(read_call(reader, operation, self.table_name, self._tokens))

    def _send(self, method: str, kwargs: dict[str, object]) -> Mapping[str, object]:
        call = cast(Callable[..., Mapping[str, object]], getattr(self._client, method))
        try:
            return call(**kwargs)
        except ClientError as e:
            response = cast(Mapping[str, Any], e.response)
            error = response.get("Error", {})
            meta = response.get("ResponseMetadata", {})
            code = str(error.get("Code", "InternalServerError"))
            mapped = dynamodb_error(
                code,
                str(error.get("Message", "")),
                int(meta.get("HTTPStatusCode", 400)),
                str(meta.get("RequestId") or new_request_id()),
                self._modelled or {code},
            )
            raise DynamoDBServiceError(code, mapped, response) from e
        except ParamValidationError as e:  # botocore's client-side checks (e.g. Limit >= 1)
            message = service_message(" ".join(str(e).split()), 400, new_request_id())
            mapped = DataSourceError(message, SDK_BASE_EXCEPTION)
            raise DynamoDBServiceError("ValidationException", mapped, {}) from e

    def _read(self, call: ReadCall) -> DataSourceResult:
        response = self._send(_METHODS[call.operation], call.kwargs)
        if call.operation == "GetItem":
            item = cast(WireItem | None, response.get("Item"))
            return DataSourceResult(item_to_plain(item) if item else None)
        items = cast(list[WireItem], response.get("Items") or [])
        last_key = cast(WireItem | None, response.get("LastEvaluatedKey"))
        return DataSourceResult(
            {
                "items": [item_to_plain(item) for item in items],
                "nextToken": self._tokens.encode(self.table_name, call.index, last_key),
                "scannedCount": cast(int, response.get("ScannedCount", len(items))),
            }
        )

    def _write(self, call: WriteCall) -> DataSourceResult:
        try:
            response = self._send(_METHODS[call.operation], call.kwargs)
        except DynamoDBServiceError as failure:
            if failure.code == CONDITION_FAILED_CODE and call.condition is not None:
                return self._condition_failed(call, failure)
            raise
        if call.operation == "PutItem":
            return DataSourceResult(item_to_plain(cast(WireItem, call.item)))
        attributes = cast(WireItem | None, response.get("Attributes"))
        return DataSourceResult(item_to_plain(attributes) if attributes else None)

    def _condition_failed(self, call: WriteCall, failure: DynamoDBServiceError) -> DataSourceResult:
        condition = call.condition
        assert condition is not None
        read = {
            "TableName": self.table_name,
            "Key": call.key,
            "ConsistentRead": condition.consistent_read,
        }
        current = cast(WireItem | None, self._send("get_item", read).get("Item"))
        wanted = self._wanted(call, current)
        if current and wanted is not None and same_item(current, wanted, condition.equals_ignore):
            return DataSourceResult(item_to_plain(current))
        error = DataSourceError(failure.error.message, CONDITION_FAILED)
        return DataSourceResult(item_to_plain(current) if current else None, error)

    @staticmethod
    def _wanted(call: WriteCall, current: WireItem | None) -> WireItem | None:
        """The item the write meant to leave (``None``: nothing to compare with)."""
        if call.operation == "PutItem":
            return call.item
        if call.operation == "UpdateItem" and current and call.update is not None:
            update = call.update
            return apply_update(current, update.text, update.names, update.values)
        return None
