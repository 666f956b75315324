"""Write a placed batch with bulk statements, parents before children."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Connection, bindparam, insert, update

from kefu.conversations.models import Conversation, Message
from kefu.customers.models import Customer, CustomerIdentity
from kefu.inbox.ingest_place import Writes
from kefu.inbox.ingest_snapshot import (
    CONVERSATION_STATE,
    CUSTOMER_FIELDS,
    ConversationRow,
    CustomerRow,
    Snapshot,
)
from kefu.storage.audit import AuditEvent
from kefu.storage.engine import cache_write_plans


def write(conn: Connection, snapshot: Snapshot, writes: Writes) -> None:
    """Insert and update everything the batch placed, in one transaction (the caller's)."""
    cache_write_plans(conn)  # the look-ups are done: only inserts and updates follow
    customers = list(snapshot.customers.values())
    _insert(conn, Customer, [_customer(c) for c in customers if c.is_new])
    changed = [_customer(c) for c in customers if c.dirty and not c.is_new]
    _update(conn, Customer, CUSTOMER_FIELDS, changed)
    _insert(conn, CustomerIdentity, writes.identities)
    conversations = list(snapshot.conversations.values())
    _insert(conn, Conversation, [_conversation(c) for c in conversations if c.is_new])
    touched = [_conversation(c) for c in conversations if c.dirty and not c.is_new]
    _update(conn, Conversation, CONVERSATION_STATE, touched)
    _insert(conn, Message, writes.messages)
    _insert(conn, AuditEvent, writes.audits)


def _insert(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(_insert_statement(model), rows)


def _update(
    conn: Connection, model: Any, columns: tuple[str, ...], rows: list[dict[str, Any]]
) -> None:
    if rows:
        conn.execute(
            _update_statement(model, columns),
            [{"row_id": row["id"]} | {f"new_{n}": row[n] for n in columns} for row in rows],
        )


# Statements are built once per table: composing one costs more than running it on SQLite.
@functools.cache
def _insert_statement(model: Any) -> Any:
    return insert(model)


@functools.cache
def _update_statement(model: Any, columns: tuple[str, ...]) -> Any:
    # Bound names must differ from column names in an executemany UPDATE.
    return (
        update(model)
        .where(model.id == bindparam("row_id"))
        .values({name: bindparam(f"new_{name}") for name in columns})
    )


def _customer(row: CustomerRow) -> dict[str, Any]:
    return {"id": row.id, "shop_id": row.shop_id} | {n: getattr(row, n) for n in CUSTOMER_FIELDS}


def _conversation(row: ConversationRow) -> dict[str, Any]:
    fixed = ("id", "shop_id", "customer_id", "channel", "external_thread_id", "subject")
    return {n: getattr(row, n) for n in (*fixed, *CONVERSATION_STATE)}
