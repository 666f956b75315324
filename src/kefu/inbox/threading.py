"""Which conversation a new inbound message belongs to, decided on the batch's snapshot.

In order: the channel's own thread id; else an order id (or tracking number) the text mentions,
matched to the customer's conversation about that order; else, when the channel gave no thread
id, the customer's open conversation on that channel. None means a new conversation. A closed
conversation found this way is final: ingest starts a follow-up to it instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from kefu.conversations.enums import Status
from kefu.inbox.ingest_snapshot import ACTIVE, ConversationRow, OrderFacts, Snapshot
from kefu.inbox.triage import order_ids_in, tracking_numbers_in

_OLDEST = datetime(1970, 1, 1, tzinfo=UTC)


def order_id_variants(ids: Iterable[str]) -> list[str]:
    """Shopify ids are written with and without their '#': try both, most specific first."""
    out: list[str] = []
    for value in ids:
        for variant in (value, value.lstrip("#"), f"#{value.lstrip('#')}"):
            if variant not in out:
                out.append(variant)
    return out


def mentioned_order(snapshot: Snapshot, shop_id: str, triage: dict[str, Any]) -> OrderFacts | None:
    """The shop's order the message names, by order id first, then by tracking number."""
    for ref in order_id_variants(order_ids_in(triage)):
        if (order := snapshot.orders_by_ref.get((shop_id, ref))) is not None:
            return order
    for number in tracking_numbers_in(triage):
        if (order := snapshot.orders_by_tracking.get((shop_id, number))) is not None:
            return order
    return None


def find_thread(
    *,
    snapshot: Snapshot,
    shop_id: str,
    customer_id: str,
    channel: str,
    thread_id: str | None,
    order: OrderFacts | None,
) -> ConversationRow | None:
    """The conversation this message continues, or None for a new one."""
    rows = snapshot.conversations.values()
    if thread_id:
        found = _newest(
            (
                c
                for c in rows
                if (c.shop_id, c.channel, c.external_thread_id) == (shop_id, channel, thread_id)
            ),
            _created,
        )
        if found is not None:
            return found
    if order is not None:
        found = _newest(
            (c for c in rows if c.customer_id == customer_id and c.order_id == order.id), _created
        )
        if found is not None:
            return found
    if thread_id:
        return None  # the channel says this is a new thread, and no known order ties it to one
    open_one = _newest(
        (
            c
            for c in rows
            if c.customer_id == customer_id and c.channel == channel and c.status in ACTIVE
        ),
        lambda c: (c.last_message_at or _OLDEST, c.created_seq),
    )
    if open_one is not None and order is not None and open_one.order_id not in (None, order.id):
        return None  # a different order deserves its own conversation
    return open_one


def _created(c: ConversationRow) -> tuple[bool, int, datetime]:
    # A closed conversation's follow-up shares its thread: it wins even when the two carry the
    # same creation second (SQLite's clock), else the next message would start another one.
    return (c.status != Status.CLOSED.value, c.created_seq, c.created_at or _OLDEST)


def _newest(
    rows: Iterable[ConversationRow], key: Callable[[ConversationRow], Any]
) -> ConversationRow | None:
    return max(rows, key=key, default=None)
