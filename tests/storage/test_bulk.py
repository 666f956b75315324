"""Bulk-writing tools."""

from __future__ import annotations

import uuid

from kefu.storage.bulk import BulkResult, id_stream


def test_generated_ids_are_distinct_uuid4_hex() -> None:
    ids = id_stream()
    batch = [next(ids) for _ in range(3000)]  # crosses the 1,024-id refills
    assert len(set(batch)) == 3000
    assert all(uuid.UUID(i).version == 4 and uuid.UUID(i).hex == i for i in batch)


def test_results_add_up() -> None:
    assert BulkResult(1, 2, 3) + BulkResult(10, 20, 30) == BulkResult(11, 22, 33)
