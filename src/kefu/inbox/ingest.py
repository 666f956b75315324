"""Ingest: store an inbound message exactly once, triage it, find its customer and thread.

The caller gets its answer only after the commit, so an acknowledged message is never lost; the
unique (shop, channel, external_id) key makes a retried delivery return the first message's ids.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import nh3
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kefu.conversations import sla
from kefu.conversations.enums import ACTIVE_STATUSES, Direction, Status
from kefu.conversations.models import Conversation, Message
from kefu.core.money import quantize
from kefu.core.text import clean_text, html_to_text
from kefu.customers import service as customer_service
from kefu.customers.models import Customer
from kefu.errors import PayloadTooLarge
from kefu.inbox.schemas import InboundMessageIn, IngestResult
from kefu.inbox.threading import find_thread, link_order
from kefu.inbox.triage import Triager, TriageRequest
from kefu.orders.models import Order
from kefu.shops import service as shop_service
from kefu.shops.models import Shop
from kefu.storage import audit

# Remote images would tell the sender when an agent opened the mail; links open safely.
_SAFE_TAGS = nh3.ALLOWED_TAGS - {"img"}


def sanitize_html(html: str) -> str:
    """Customer HTML made safe to render: no scripts, styles, handlers or remote images."""
    return nh3.clean(html, tags=_SAFE_TAGS, link_rel="noopener noreferrer nofollow")


@dataclass(frozen=True)
class IngestDeps:
    session_factory: sessionmaker[Session]
    triager: Triager
    max_message_bytes: int


def ingest_message(
    *, deps: IngestDeps, message_in: InboundMessageIn, shop_ids: Collection[str], now: datetime
) -> IngestResult:
    """Store, triage and thread one inbound message; a repeat returns the first one's ids."""
    if len(message_in.text.encode("utf-8", "surrogatepass")) > deps.max_message_bytes:
        raise PayloadTooLarge(f"text is over {deps.max_message_bytes // 1024} KB", field="text")
    if (
        message_in.html
        and len(message_in.html.encode("utf-8", "surrogatepass")) > 4 * deps.max_message_bytes
    ):
        raise PayloadTooLarge(f"html is over {4 * deps.max_message_bytes // 1024} KB", field="html")
    # Look and triage before the write transaction: triage is CPU work, and on SQLite a write
    # transaction holds the database lock for every other writer while it runs.
    with deps.session_factory() as db:
        shop = shop_service.get(db=db, ref=message_in.shop, shop_ids=shop_ids)
        earlier = _existing(db, shop.id, message_in)
        if earlier is not None:
            return IngestResult(
                message_id=earlier.id, conversation_id=earlier.conversation_id, duplicate=True
            )
        platform, languages = shop.platform, tuple(shop.languages or ())
    raw = message_in.text if message_in.text.strip() else html_to_text(message_in.html or "")
    text = clean_text(raw)
    triage = deps.triager.triage(TriageRequest(text=text, platform=platform, languages=languages))
    try:
        with deps.session_factory() as db, db.begin():
            return _ingest(db, deps, message_in, shop_ids, now, text, triage)
    except IntegrityError:
        # A concurrent copy of the same delivery won the race; answer with its ids.
        with deps.session_factory() as db:
            shop = shop_service.get(db=db, ref=message_in.shop, shop_ids=shop_ids)
            earlier = _existing(db, shop.id, message_in)
            if earlier is None:
                raise
            return IngestResult(
                message_id=earlier.id, conversation_id=earlier.conversation_id, duplicate=True
            )


def _existing(db: Session, shop_id: str, message_in: InboundMessageIn) -> Message | None:
    return db.scalar(
        select(Message).where(
            Message.shop_id == shop_id,
            Message.channel == message_in.channel.value,
            Message.external_id == message_in.external_id,
        )
    )


def _ingest(
    db: Session,
    deps: IngestDeps,
    message_in: InboundMessageIn,
    shop_ids: Collection[str],
    now: datetime,
    text: str,
    result: dict[str, Any],
) -> IngestResult:
    shop = shop_service.get(db=db, ref=message_in.shop, shop_ids=shop_ids)
    earlier = _existing(db, shop.id, message_in)  # a twin may have landed since the first look
    if earlier is not None:
        return IngestResult(
            message_id=earlier.id, conversation_id=earlier.conversation_id, duplicate=True
        )
    customer, _ = customer_service.upsert(db=db, shop_id=shop.id, customer_in=message_in.customer)
    conversation = find_thread(
        db=db,
        shop=shop,
        customer=customer,
        channel=message_in.channel.value,
        thread_id=message_in.thread_id,
        triage=result,
    )
    if conversation is None:
        conversation = _open_conversation(db, shop, customer, message_in, now)
    link_order(db=db, conversation=conversation, shop=shop, triage=result)
    sent_at = message_in.sent_at or now
    result = _with_context(db, deps.triager, shop, conversation, text, result, sent_at)
    message = Message(
        shop_id=shop.id,
        conversation_id=conversation.id,
        channel=message_in.channel.value,
        external_id=message_in.external_id,
        direction=Direction.INBOUND,
        text=text,
        html_raw=clean_text(message_in.html) if message_in.html else None,
        html_safe=sanitize_html(message_in.html) if message_in.html else None,
        language=result.get("language"),
        triage=result,
        sent_at=sent_at,
    )
    db.add(message)
    _apply_to_conversation(db, shop, conversation, result, sent_at, now)
    db.flush()
    return IngestResult(message_id=message.id, conversation_id=conversation.id, duplicate=False)


def _with_context(
    db: Session,
    triager: Triager,
    shop: Shop,
    conversation: Conversation,
    text: str,
    result: dict[str, Any],
    sent_at: datetime,
) -> dict[str, Any]:
    """Re-score priority once the conversation, its order and its history are known."""
    order = db.get(Order, conversation.order_id) if conversation.order_id else None
    earlier = (
        db.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                Message.conversation_id == conversation.id,
                Message.direction == Direction.INBOUND,
            )
        )
        or 0
    )
    if order is None and not earlier:
        return result
    due = conversation.sla_due_at or sla.reply_due(
        platform=shop.platform, received_at=sent_at, timezone=shop.timezone
    )
    late = None
    if order and order.promised_delivery_at and not order.delivered_at:
        late = max(0, (sent_at - order.promised_delivery_at).days) or None
    request = TriageRequest(
        text=text,
        platform=shop.platform,
        languages=tuple(shop.languages or ()),
        order_value=quantize(order.total, order.currency) if order else None,
        currency=order.currency if order else None,
        repeat_contacts=earlier,
        hours_to_platform_deadline=round((due - sent_at).total_seconds() / 3600, 1),
        promised_delivery_days_late=late,
    )
    return triager.reprioritize(result, request)


def _open_conversation(
    db: Session, shop: Shop, customer: Customer, message_in: InboundMessageIn, now: datetime
) -> Conversation:
    conversation = Conversation(
        shop_id=shop.id,
        customer_id=customer.id,
        channel=message_in.channel.value,
        external_thread_id=message_in.thread_id,
        status=Status.NEW,
        subject=(message_in.subject or message_in.text.strip().split("\n")[0])[:120],
        tags=[],
        priority=0,
    )
    db.add(conversation)
    db.flush()
    audit.record(
        db=db,
        at=now,
        entity_type="conversation",
        entity_id=conversation.id,
        action="created",
        shop_id=shop.id,
        reason=f"first message {message_in.external_id} on {message_in.channel}",
    )
    return conversation


def _apply_to_conversation(
    db: Session,
    shop: Shop,
    conversation: Conversation,
    result: dict[str, Any],
    sent_at: datetime,
    now: datetime,
) -> None:
    if conversation.status not in [s.value for s in ACTIVE_STATUSES]:
        audit.record(
            db=db,
            at=now,
            entity_type="conversation",
            entity_id=conversation.id,
            action="reopened",
            shop_id=shop.id,
            reason=f"the customer wrote again after the conversation was {conversation.status}",
            changes={"status": {"from": conversation.status, "to": Status.OPEN.value}},
        )
        conversation.status = Status.OPEN
        conversation.resolved_at = None
    elif conversation.status in (Status.PENDING, Status.SNOOZED):
        conversation.status = Status.OPEN
        conversation.snoozed_until = None
    if conversation.sla_due_at is None:
        conversation.sla_due_at = sla.reply_due(
            platform=shop.platform, received_at=sent_at, timezone=shop.timezone
        )
    conversation.last_message_at = max(sent_at, conversation.last_message_at or sent_at)
    priority = result.get("priority") or {}
    conversation.priority = int(priority.get("score", conversation.priority))
    conversation.language = result.get("language") or conversation.language
    intent = result.get("intent")
    if intent and intent != "other":
        conversation.intent = intent
        conversation.tags = sorted({*(conversation.tags or []), intent})
