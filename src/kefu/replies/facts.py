"""The order-facts paragraph of a draft: what was ordered, where it is, what was promised."""

from __future__ import annotations

import re

from kefu.replies.builder import DraftBuilder
from kefu.replies.types import DraftContext, OrderFacts

# Order states from every platform folded into the few the templates describe.
_STATUS = {
    "unpaid": "pending_payment",
    "pending": "pending_payment",
    "pending_payment": "pending_payment",
    "awaiting_payment": "pending_payment",
    "paid": "processing",
    "processing": "processing",
    "unshipped": "processing",
    "awaiting_shipment": "processing",
    "wait_seller_send_goods": "processing",
    "shipped": "shipped",
    "in_transit": "shipped",
    "out_for_delivery": "shipped",
    "partially_shipped": "shipped",
    "wait_buyer_accept_goods": "shipped",
    "exception": "shipped",
    "delivered": "delivered",
    "completed": "delivered",
    "finish": "delivered",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "returned": "returned",
    "refunded": "refunded",
}
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def order_state(order: OrderFacts) -> str:
    """The normalised state of an order (processing, shipped, delivered, ...).

    A status that says nothing of the parcel ("partially_refunded", a platform's own word) is
    read from the shipment facts: a delivered order partly refunded was described as "not
    shipped yet"."""
    known = _STATUS.get(order.status.strip().lower().replace("-", "_").replace(" ", "_"))
    if known is not None:
        return known
    if order.delivered_date is not None:
        return "delivered"
    return "shipped" if order.tracking_number else "processing"


def add_order_facts(b: DraftBuilder, ctx: DraftContext, *, links_allowed: bool) -> None:
    """Order id, items, status, shipment, tracking and promise sentences."""
    order = ctx.order
    if order is None:
        return
    t = b.templates
    b.paragraph()
    b.fact("order_id", order.order_id, "order")
    items = _items_text(b, order)
    if items and order.placed_date:
        placed = t.date(order.placed_date)
        b.fact("placed_date", order.placed_date.isoformat(), "order")
        b.say(
            "fact", "facts.order_placed", order_id=order.order_id, items=items, placed_date=placed
        )
    elif items:
        b.say("fact", "facts.order", order_id=order.order_id, items=items)
    else:
        b.say("fact", "facts.order_no_items", order_id=order.order_id)
    state = order_state(order)
    b.fact("status", state, "order")
    _status_sentence(b, order, state)
    if state in ("shipped", "delivered"):
        _shipment(b, order, state, links_allowed=links_allowed)
    if state in ("processing", "shipped") and order.promised_date:
        b.fact("promised_date", order.promised_date.isoformat(), "order")
        b.say("fact", "facts.promised", promised_date=t.date(order.promised_date))
        if order.days_late and order.days_late > 0:
            b.fact("days_late", order.days_late, "order")
            b.say("fact", "facts.late", count=order.days_late, days_late=order.days_late)


def _items_text(b: DraftBuilder, order: OrderFacts) -> str:
    t = b.templates
    parts = []
    for item in order.items[:5]:
        title = " ".join(item.title.split())[:80]
        parts.append(title if item.qty == 1 else t.text("item", title=title, qty=item.qty))
        b.fact("item", f"{item.qty} x {title}", "order")
    if len(order.items) > 5:
        parts.append("…")
    return str(t.raw("list_separator") or ", ").join(parts)


def _status_sentence(b: DraftBuilder, order: OrderFacts, state: str) -> None:
    if state == "delivered" and order.delivered_date:
        b.fact("delivered_date", order.delivered_date.isoformat(), "shipment")
        b.say(
            "fact", "facts.status.delivered", delivered_date=b.templates.date(order.delivered_date)
        )
    elif state == "delivered":
        b.say("fact", "facts.status.delivered_nodate")
    else:
        b.say("fact", f"facts.status.{state}")


def _shipment(b: DraftBuilder, order: OrderFacts, state: str, *, links_allowed: bool) -> None:
    t = b.templates
    if order.carrier and order.tracking_number:
        b.fact("carrier", order.carrier, "shipment")
        b.fact("tracking_number", order.tracking_number, "shipment")
        b.say(
            "fact", "facts.shipment", carrier=order.carrier, tracking_number=order.tracking_number
        )
    elif order.carrier:
        b.fact("carrier", order.carrier, "shipment")
        b.say("fact", "facts.shipment_no_number", carrier=order.carrier)
    if state == "shipped" and order.last_tracking_status and order.last_tracking_date:
        status = _URL.sub("", " ".join(order.last_tracking_status.split()))[:120]
        b.fact("last_tracking_status", status, "tracking")
        b.fact("last_tracking_date", order.last_tracking_date.isoformat(), "tracking")
        b.say(
            "fact",
            "facts.tracking_last",
            tracking_date=t.date(order.last_tracking_date),
            tracking_status=status,
        )
    if state == "shipped" and order.tracking_url and links_allowed:
        b.fact("tracking_url", order.tracking_url, "shipment")
        # A link on its own line: in Chinese and Japanese the next sentence would glue onto it.
        b.say("link", "facts.tracking_url", tracking_url=order.tracking_url)
