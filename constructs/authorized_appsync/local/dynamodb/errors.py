"""What the DynamoDB data source hands the response handler, and AppSync's error texts.

``DataSourceResult(result, error)`` is exactly ``ctx.result`` / ``ctx.error``. The error
types and messages below are AppSync's (see ``APPSYNC.md`` §4 and §6), kept as constants
the way moto keeps DynamoDB's (``moto/dynamodb/exceptions.py``):

- A DynamoDB error becomes ``DynamoDB:<Exception>`` with the message AppSync's Java SDK
  (v2) prints: ``<AWS message> (Service: DynamoDb, Status Code: 400, Request ID: <id>)``.
  Exceptions DynamoDB's API model does not declare (``ValidationException``,
  ``AccessDeniedException``, ...) surface as the SDK's base class,
  ``DynamoDB:DynamoDbException`` - observed in AppSync responses, e.g.
  "One or more parameter values are not valid ... (Service: DynamoDb, Status Code: 400,
  Request ID: ...)" with errorType ``DynamoDB:DynamoDbException``.
- A nextToken AppSync did not issue: errorType ``DynamoDB:UserIllegalArgumentException``,
  message ``com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException:
  Invalid pagination token given.`` (observed, aws-amplify/amplify-cli#3411,
  aws-amplify/amplify-js#4880).
- A request object AppSync cannot read: errorType ``MappingTemplate`` (observed for VTL
  request templates; the exact wording of each message here is ours [unverified]).
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ...errors import AuthorizedAppSyncError, JsonValue

__all__ = [
    "CONDITION_FAILED",
    "CONDITION_FAILED_MESSAGE",
    "INVALID_TOKEN",
    "INVALID_TOKEN_MESSAGE",
    "MAPPING_TEMPLATE",
    "SDK_BASE_EXCEPTION",
    "TRANSACTION_CANCELED",
    "DataSourceError",
    "DataSourceResult",
    "DynamoDBServiceError",
    "MappingTemplateError",
    "dynamodb_error",
    "new_request_id",
    "service_message",
]

SERVICE_PREFIX = "DynamoDB:"
CONDITION_FAILED_CODE = "ConditionalCheckFailedException"
CONDITION_FAILED = SERVICE_PREFIX + CONDITION_FAILED_CODE
CONDITION_FAILED_MESSAGE = "The conditional request failed"
TRANSACTION_CANCELED_CODE = "TransactionCanceledException"
TRANSACTION_CANCELED = SERVICE_PREFIX + TRANSACTION_CANCELED_CODE
SDK_BASE_EXCEPTION = SERVICE_PREFIX + "DynamoDbException"
INVALID_TOKEN = SERVICE_PREFIX + "UserIllegalArgumentException"
INVALID_TOKEN_MESSAGE = (
    "com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: "
    "Invalid pagination token given."
)
MAPPING_TEMPLATE = "MappingTemplate"

# DynamoDB request ids: 52 characters of upper-case letters and digits.
_REQUEST_ID_ALPHABET = string.ascii_uppercase + string.digits
_REQUEST_ID_LENGTH = 52


@dataclass(frozen=True)
class DataSourceError:
    """``ctx.error`` of the response handler."""

    message: str
    type: str

    def to_json(self) -> dict[str, JsonValue]:
        return {"message": self.message, "type": self.type}


@dataclass(frozen=True)
class DataSourceResult:
    """What the response handler sees: ``ctx.result`` (plain JSON values) and ``ctx.error``
    (``None`` on success). On some errors ``result`` still holds data - the current item
    of a failed condition, the cancellation reasons of a transaction."""

    result: JsonValue
    error: DataSourceError | None = None


class MappingTemplateError(AuthorizedAppSyncError, ValueError):
    """A request object the DynamoDB data source cannot execute (reported as
    ``MappingTemplate``): nothing was sent to DynamoDB."""


class DynamoDBServiceError(AuthorizedAppSyncError):
    """DynamoDB refused a call: its error ``code``, the ``error`` AppSync reports for it,
    and the raw error ``response`` (e.g. a transaction's ``CancellationReasons``)."""

    def __init__(self, code: str, error: DataSourceError, response: Mapping[str, object]) -> None:
        super().__init__(error.message)
        self.code = code
        self.error = error
        self.response = response


def new_request_id() -> str:
    return "".join(secrets.choice(_REQUEST_ID_ALPHABET) for _ in range(_REQUEST_ID_LENGTH))


def service_message(message: str, status: int, request_id: str) -> str:
    """The AWS SDK's rendering of a service error, as AppSync passes it on."""
    return f"{message} (Service: DynamoDb, Status Code: {status}, Request ID: {request_id})"


def dynamodb_error(
    code: str, message: str, status: int, request_id: str, modelled: Collection[str]
) -> DataSourceError:
    """``ctx.error`` for a DynamoDB error ``code``; codes outside the API model's
    ``modelled`` exceptions are the SDK's base ``DynamoDbException``."""
    error_type = SERVICE_PREFIX + code if code in modelled else SDK_BASE_EXCEPTION
    return DataSourceError(service_message(message, status, request_id), error_type)


def describe(value: object) -> str:
    """A short name of a JSON value's kind, for messages."""
    kinds: Mapping[type, str] = {
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }
    if value is None:
        return "null"
    return kinds.get(type(value), type(value).__name__)
