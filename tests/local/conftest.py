"""Fixtures several ``tests/local`` modules share."""

from __future__ import annotations

import pytest

from authorized_appsync.local.dynamodb.source import DynamoDataSource

# One read the resolvers made: operation, index (None: the table), the items DynamoDB read
# (its ScannedCount) and the items it returned after the filter.
Read = tuple[str, str | None, int, int]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Read]:
    """Every Query and Scan the data sources send during the test, in order."""
    seen: list[Read] = []
    original = DynamoDataSource.execute

    def execute(self, request):  # type: ignore[no-untyped-def]
        outcome = original(self, request)
        result = outcome.result
        if isinstance(result, dict) and "scannedCount" in result:
            scanned, returned = result["scannedCount"], len(result["items"])
            seen.append((request["operation"], request.get("index"), scanned, returned))
        return outcome

    monkeypatch.setattr(DynamoDataSource, "execute", execute)
    return seen
