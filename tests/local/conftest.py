"""Fixtures several ``tests/local`` modules share."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from authorized_appsync.local.dynamodb.source import DataSourceResult, DynamoDataSource

# One read the resolvers made: operation, index (None: the table), the items DynamoDB read
# (its ScannedCount) and the items it returned after the filter.
Read = tuple[str, str | None, int, int]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Read]:
    """Every Query and Scan the data sources send during the test, in order."""
    seen: list[Read] = []
    original = DynamoDataSource.execute

    def execute(self: DynamoDataSource, request: Mapping[str, object]) -> DataSourceResult:
        outcome = original(self, request)
        result = outcome.result
        if isinstance(result, dict) and "scannedCount" in result:
            scanned, items = result["scannedCount"], result["items"]
            assert isinstance(scanned, int)
            assert isinstance(items, list)
            operation, index = str(request["operation"]), request.get("index")
            seen.append((operation, None if index is None else str(index), scanned, len(items)))
        return outcome

    monkeypatch.setattr(DynamoDataSource, "execute", execute)
    return seen
