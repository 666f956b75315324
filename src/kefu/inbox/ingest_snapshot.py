"""What a batch of inbound messages needs to know from the database, read in a few set queries.

Ingest decides everything else (customer, thread, reopen, priority) in memory on this snapshot
and writes the outcome with a handful of bulk statements: a handful of round trips per batch
instead of a dozen per message. The snapshot is read inside the write transaction, and on
PostgreSQL the candidate conversations are locked, so no concurrent writer can change them
between this read and the write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BindParameter, Connection, and_, bindparam, func, or_, select

from kefu.conversations.enums import ACTIVE_STATUSES, Direction
from kefu.conversations.models import Conversation, Message
from kefu.customers.models import Customer, CustomerIdentity
from kefu.orders.models import Order, Shipment

ACTIVE = frozenset(s.value for s in ACTIVE_STATUSES)
CUSTOMER_FIELDS = ("external_id", "name", "email", "phone", "country", "language")
CONVERSATION_STATE = (
    "order_id",
    "status",
    "priority",
    "language",
    "intent",
    "tags",
    "sla_due_at",
    "snoozed_until",
    "last_message_at",
    "resolved_at",
)


@dataclass
class CustomerRow:
    id: str
    shop_id: str
    external_id: str | None = None
    name: str = ""
    email: str | None = None
    phone: str | None = None
    country: str | None = None
    language: str | None = None
    is_new: bool = False
    dirty: bool = False


@dataclass
class ConversationRow:
    id: str
    shop_id: str
    customer_id: str
    channel: str
    external_thread_id: str | None
    subject: str = ""
    order_id: str | None = None
    status: str = "new"
    priority: int = 0
    language: str | None = None
    intent: str | None = None
    tags: list[str] = field(default_factory=list)
    sla_due_at: datetime | None = None
    snoozed_until: datetime | None = None
    last_message_at: datetime | None = None
    resolved_at: datetime | None = None
    created_at: datetime | None = None
    inbound_count: int = 0
    # Rows created in this batch sort after every stored row: they are the newest.
    created_seq: int = 0
    is_new: bool = False
    dirty: bool = False


@dataclass(frozen=True)
class OrderFacts:
    id: str
    shop_id: str
    external_id: str
    total: Decimal
    currency: str
    promised_delivery_at: datetime | None
    delivered_at: datetime | None
    customer_id: str | None


@dataclass(frozen=True)
class Lookups:
    """The keys a batch will ask about, gathered before the snapshot is read."""

    identity_keys: set[tuple[str, str, str]]  # (shop_id, kind, value)
    thread_keys: set[tuple[str, str, str]]  # (shop_id, channel, external_thread_id)
    order_refs: set[tuple[str, str]]  # (shop_id, external order id)
    tracking_refs: set[tuple[str, str]]  # (shop_id, tracking number)


@dataclass
class Snapshot:
    # Deliveries placed earlier in this batch: key -> (message id, conversation id).
    placed: dict[tuple[str, str, str], tuple[str, str]]
    identities: dict[tuple[str, str, str], str]  # (shop_id, kind, value) -> customer id
    customers: dict[str, CustomerRow]
    orders_by_ref: dict[tuple[str, str], OrderFacts]
    orders_by_tracking: dict[tuple[str, str], OrderFacts]
    orders_by_id: dict[str, OrderFacts]
    conversations: dict[str, ConversationRow]


def _keys(name: str) -> BindParameter[Any]:
    return bindparam(name, expanding=True)


# Built once: composing a statement costs more Python time than SQLite takes to run it.
# Keys are matched column by column (and the exact tuples picked in Python): SQLite plans a
# row-value IN list as a full table scan, but each column's IN list as index look-ups.
_STORED = select(
    Message.shop_id, Message.channel, Message.external_id, Message.id, Message.conversation_id
).where(
    Message.shop_id.in_(_keys("k0")),
    Message.channel.in_(_keys("k1")),
    Message.external_id.in_(_keys("k2")),
)
# Identities with their customers, in one round trip.
_CUSTOMERS = (
    select(
        CustomerIdentity.shop_id,
        CustomerIdentity.kind,
        CustomerIdentity.value,
        Customer.id,
        *(getattr(Customer, n) for n in CUSTOMER_FIELDS),
    )
    .join(Customer, Customer.id == CustomerIdentity.customer_id)
    .where(
        CustomerIdentity.shop_id.in_(_keys("k0")),
        CustomerIdentity.kind.in_(_keys("k1")),
        CustomerIdentity.value.in_(_keys("k2")),
    )
)
_ORDER_COLUMNS = (
    Order.id,
    Order.shop_id,
    Order.external_id,
    Order.total,
    Order.currency,
    Order.promised_delivery_at,
    Order.delivered_at,
    Order.customer_id,
)
_ORDERS_BY_REF = select(*_ORDER_COLUMNS).where(
    Order.shop_id.in_(_keys("k0")), Order.external_id.in_(_keys("k1"))
)
_ORDERS_BY_ID = select(*_ORDER_COLUMNS).where(Order.id.in_(_keys("ids")))
_ORDERS_BY_TRACKING = (
    select(*_ORDER_COLUMNS, Shipment.tracking_number)
    .join(Shipment, Shipment.order_id == Order.id)
    .where(Order.shop_id.in_(_keys("k0")), Shipment.tracking_number.in_(_keys("k1")))
)
_CONVERSATION_FIELDS = (
    "shop_id",
    "customer_id",
    "channel",
    "external_thread_id",
    "subject",
    *CONVERSATION_STATE,
    "created_at",
)
# The conversations a message could continue: by thread id, or the customers' conversations
# about a mentioned order, or their active ones. Locked (PostgreSQL) in id order, so two batches
# touching the same rows queue instead of deadlocking.
_INBOUND_COUNT = (
    select(func.count())
    .where(
        Message.conversation_id == Conversation.id,
        Message.direction == Direction.INBOUND.value,
    )
    .scalar_subquery()
)
_CONVERSATIONS = (
    select(
        Conversation.id,
        *(getattr(Conversation, n) for n in _CONVERSATION_FIELDS),
        _INBOUND_COUNT,
    )
    .where(
        or_(
            and_(
                Conversation.shop_id.in_(_keys("k0")),
                Conversation.channel.in_(_keys("k1")),
                Conversation.external_thread_id.in_(_keys("k2")),
            ),
            and_(
                Conversation.customer_id.in_(_keys("customers")),
                or_(
                    Conversation.status.in_(sorted(ACTIVE)),
                    Conversation.order_id.in_(_keys("orders")),
                ),
            ),
        )
    )
    .order_by(Conversation.id)
    .with_for_update()
)


def stored_messages(
    conn: Connection, keys: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str, str], tuple[str, str]]:
    """Already stored deliveries among ``keys``: key -> (message id, conversation id)."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = conn.execute(_STORED, _columns(wanted))
    found = {(r[0], r[1], r[2] or ""): (r[3], r[4]) for r in rows}
    return {key: ids for key, ids in found.items() if key in wanted}


def _columns(keys: Iterable[tuple[str, ...]]) -> dict[str, list[str]]:
    """Each position's distinct values, as the k0, k1... parameters of a per-column IN."""
    return {f"k{i}": sorted(set(column)) for i, column in enumerate(zip(*keys, strict=True))}


def load(conn: Connection, lookups: Lookups) -> Snapshot:
    """Read everything the batch's decisions depend on."""
    identities, customers = _customers(conn, lookups.identity_keys)
    by_ref = [
        o
        for o in _orders(conn, _ORDERS_BY_REF, _columns(lookups.order_refs))
        if (o.shop_id, o.external_id) in lookups.order_refs
    ]
    by_tracking = _tracking(conn, lookups.tracking_refs)
    orders_by_id = {o.id: o for o in (*by_ref, *by_tracking.values())}
    conversations = _conversations(conn, lookups.thread_keys, set(customers), set(orders_by_id))
    missing = {c.order_id for c in conversations.values() if c.order_id} - set(orders_by_id)
    if missing:
        found = _orders(conn, _ORDERS_BY_ID, {"ids": sorted(missing)})
        orders_by_id.update({o.id: o for o in found})
    return Snapshot(
        placed={},
        identities=identities,
        customers=customers,
        orders_by_ref={(o.shop_id, o.external_id): o for o in by_ref},
        orders_by_tracking=by_tracking,
        orders_by_id=orders_by_id,
        conversations=conversations,
    )


def _customers(
    conn: Connection, keys: set[tuple[str, str, str]]
) -> tuple[dict[tuple[str, str, str], str], dict[str, CustomerRow]]:
    identities: dict[tuple[str, str, str], str] = {}
    customers: dict[str, CustomerRow] = {}
    if keys:
        for row in conn.execute(_CUSTOMERS, _columns(keys)):
            if (row[0], row[1], row[2]) not in keys:
                continue
            shop_id, customer_id = row[0], row[3]
            identities[(shop_id, row[1], row[2])] = customer_id
            fields = dict(zip(CUSTOMER_FIELDS, row[4:], strict=True))
            customers.setdefault(customer_id, CustomerRow(customer_id, shop_id, **fields))
    return identities, customers


def _orders(conn: Connection, statement: Any, params: dict[str, Any]) -> list[OrderFacts]:
    if not any(params.values()):
        return []
    return [OrderFacts(*row) for row in conn.execute(statement, params)]


def _tracking(conn: Connection, refs: set[tuple[str, str]]) -> dict[tuple[str, str], OrderFacts]:
    if not refs:
        return {}
    found: dict[tuple[str, str], OrderFacts] = {}
    for row in conn.execute(_ORDERS_BY_TRACKING, _columns(refs)):
        facts = OrderFacts(*row[:-1])
        if (facts.shop_id, row[-1]) in refs:
            found.setdefault((facts.shop_id, row[-1]), facts)
    return found


def _conversations(
    conn: Connection,
    thread_keys: set[tuple[str, str, str]],
    customer_ids: set[str],
    order_ids: set[str],
) -> dict[str, ConversationRow]:
    if not thread_keys and not customer_ids:
        return {}
    threads = _columns(thread_keys) if thread_keys else {"k0": [], "k1": [], "k2": []}
    params = threads | {"customers": sorted(customer_ids), "orders": sorted(order_ids)}
    found = {}
    for r in conn.execute(_CONVERSATIONS, params):
        row = ConversationRow(r[0], **dict(zip(_CONVERSATION_FIELDS, r[1:-1], strict=True)))
        by_thread = (row.shop_id, row.channel, row.external_thread_id) in thread_keys
        if not by_thread and row.customer_id not in customer_ids:
            continue  # matched the per-column thread look-up, but not one of our threads
        row.tags, row.inbound_count = list(row.tags or []), int(r[-1] or 0)
        found[row.id] = row
    return found
