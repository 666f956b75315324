"""Which conversation a new inbound message belongs to.

In order: the channel's own thread id; else an order id (or tracking number) the text mentions,
matched to the customer's conversation about that order; else, when the channel gave no thread
id, the customer's open conversation on that channel. None means a new conversation.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.conversations.enums import ACTIVE_STATUSES
from kefu.conversations.models import Conversation
from kefu.customers.models import Customer
from kefu.inbox.triage import order_ids_in, tracking_numbers_in
from kefu.orders import service as order_service
from kefu.orders.models import Order
from kefu.shops.models import Shop

_ACTIVE = [s.value for s in ACTIVE_STATUSES]


def find_thread(
    *,
    db: Session,
    shop: Shop,
    customer: Customer,
    channel: str,
    thread_id: str | None,
    triage: dict[str, Any],
) -> Conversation | None:
    """The conversation this message continues, or None for a new one."""
    if thread_id:
        found = db.scalar(
            select(Conversation)
            .where(
                Conversation.shop_id == shop.id,
                Conversation.channel == channel,
                Conversation.external_thread_id == thread_id,
            )
            .order_by(Conversation.created_at.desc())
        )
        if found is not None:
            return found
    order = _mentioned_order(db, shop, triage)
    if order is not None:
        found = db.scalar(
            select(Conversation)
            .where(Conversation.customer_id == customer.id, Conversation.order_id == order.id)
            .order_by(Conversation.created_at.desc())
        )
        if found is not None:
            return found
    if thread_id:
        return None  # the channel says this is a new thread, and no known order ties it to one
    open_one = db.scalar(
        select(Conversation)
        .where(
            Conversation.customer_id == customer.id,
            Conversation.channel == channel,
            Conversation.status.in_(_ACTIVE),
        )
        .order_by(Conversation.last_message_at.desc())
    )
    if open_one is not None and order is not None and open_one.order_id not in (None, order.id):
        return None  # a different order deserves its own conversation
    if open_one is not None and order is not None and open_one.order_id is None:
        open_one.order_id = order.id
    return open_one


def _mentioned_order(db: Session, shop: Shop, triage: dict[str, Any]) -> Order | None:
    ids = order_ids_in(triage)
    if ids:
        variants = set(ids) | {i.lstrip("#") for i in ids} | {f"#{i.lstrip('#')}" for i in ids}
        orders = order_service.find_by_external_ids(
            db=db, shop_id=shop.id, external_ids=sorted(variants)
        )
        if orders:
            return orders[0]
    for number in tracking_numbers_in(triage):
        order = order_service.find_by_tracking_number(
            db=db, shop_id=shop.id, tracking_number=number
        )
        if order is not None:
            return order
    return None


def link_order(
    *, db: Session, conversation: Conversation, shop: Shop, triage: dict[str, Any]
) -> None:
    """Attach the order the message mentions to a conversation that has none yet."""
    if conversation.order_id is None:
        order = _mentioned_order(db, shop, triage)
        if order is not None:
            conversation.order_id = order.id
