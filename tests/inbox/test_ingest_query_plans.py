"""Ingest's snapshot queries stay index look-ups on SQLite: a table scan would make every
delivery slower as the message history grows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from kefu.config import Settings
from kefu.inbox import ingest_snapshot as snapshot
from kefu.services import build_services
from kefu.storage.migrate import upgrade

K = snapshot._columns

CASES: dict[str, tuple[Any, dict[str, Any]]] = {
    "stored messages": (snapshot._STORED, K({("s", "amazon", "m1"), ("s", "amazon", "m2")})),
    "identities": (snapshot._CUSTOMERS, K({("s", "email", "a@x"), ("s", "phone", "+1")})),
    "orders by id": (snapshot._ORDERS_BY_REF, K({("s", "113-1"), ("s", "113-2")})),
    "orders by tracking": (snapshot._ORDERS_BY_TRACKING, K({("s", "1Z1"), ("s", "1Z2")})),
    "conversations": (
        snapshot._CONVERSATIONS,
        K({("s", "amazon", "t1"), ("s", "amazon", "t2")}) | {"customers": ["c"], "orders": ["o"]},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_snapshot_query_uses_indexes(name: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    upgrade(url)
    services = build_services(Settings(database_url=url, data_dir=tmp_path))
    seen: dict[str, Any] = {}

    @event.listens_for(services.engine, "before_cursor_execute")
    def capture(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        seen.update(sql=sql, params=params)

    statement, params = CASES[name]
    with services.engine.connect() as conn:
        conn.execute(statement, params).all()
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        plan = [
            row[-1] for row in cursor.execute("EXPLAIN QUERY PLAN " + seen["sql"], seen["params"])
        ]
    scans = [step for step in plan if step.startswith("SCAN ") and "CONSTANT" not in step]
    assert not scans, plan
