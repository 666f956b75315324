"""Everything the conversation page shows: thread, triage, customer, orders, team members."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kefu.accounts.models import Membership, User
from kefu.conversations import service as conversation_service
from kefu.conversations.enums import Direction
from kefu.conversations.models import Conversation, Message
from kefu.customers.models import Customer
from kefu.inbox.turn import TurnFeelings, turn_feelings, unanswered
from kefu.orders.models import Order
from kefu.shops.models import Shop


@dataclass(frozen=True)
class Segment:
    """A run of message text; ``entity`` names the entity type when the run is one."""

    text: str
    entity: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class ThreadItem:
    message: Message
    author: str | None
    segments: list[Segment]


@dataclass(frozen=True)
class TriageView:
    """The latest customer message's triage, in the shapes the panel renders."""

    intent: str | None
    confidence: float | None
    alternatives: list[tuple[str, float]]
    entities: list[dict[str, Any]]
    sentiment: str | None
    emotions: list[str]
    urgency: str | None
    abusive: bool
    risks: list[str]
    priority: int | None
    factors: list[str]
    low_confidence: bool
    awaiting_reply: bool = False  # the customer's turn is unanswered


@dataclass(frozen=True)
class SimilarCase:
    """A solved conversation about the same thing, with the reply that closed it."""

    id: str
    subject: str
    reply: str


def similar_solved(*, db: Session, conversation: Conversation, limit: int = 3) -> list[SimilarCase]:
    """Recently solved conversations of the same shop, intent and language, newest first."""
    if not conversation.intent:
        return []
    query = (
        select(Conversation)
        .where(
            Conversation.shop_id == conversation.shop_id,
            Conversation.intent == conversation.intent,
            Conversation.status.in_(("resolved", "closed")),
            Conversation.id != conversation.id,
        )
        .order_by(Conversation.resolved_at.desc(), Conversation.id)
        .limit(limit * 3)
    )
    same_language = [
        c
        for c in db.scalars(query)
        if not conversation.language or c.language == conversation.language
    ]
    cases = []
    for case in same_language[:limit]:
        last = db.scalars(
            select(Message.text)
            .where(
                Message.conversation_id == case.id, Message.direction == Direction.OUTBOUND.value
            )
            .order_by(Message.sent_at.desc())
            .limit(1)
        ).first()
        if last:
            cases.append(SimilarCase(id=case.id, subject=case.subject, reply=last[:400]))
    return cases


@dataclass(frozen=True)
class ConversationView:
    conversation: Conversation
    shop: Shop
    customer: Customer
    thread: list[ThreadItem]
    triage: TriageView | None
    order: Order | None
    order_is_linked: bool
    orders: list[Order]
    lifetime_value: list[tuple[str, Decimal]]
    other_conversations: list[Conversation]
    members: list[tuple[str, str]]
    assignee_name: str | None
    similar: list[SimilarCase] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def segments(text: str, entities: list[dict[str, Any]] | None) -> list[Segment]:
    """Split ``text`` at entity spans; spans that overlap or fall outside the text are skipped."""
    spans = []
    for entity in entities or []:
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            spans.append((start, end, str(entity.get("type", "")), str(entity.get("value", ""))))
    result: list[Segment] = []
    cursor = 0
    for start, end, kind, value in sorted(spans):
        if start < cursor:
            continue
        if start > cursor:
            result.append(Segment(text[cursor:start]))
        result.append(Segment(text[start:end], kind, value))
        cursor = end
    if cursor < len(text) or not result:
        result.append(Segment(text[cursor:]))
    return result


def triage_view(raw: dict[str, Any] | None, turn: TurnFeelings | None = None) -> TriageView | None:
    """The panel's view of one stored triage result (missing keys read as empty); with
    ``turn``, the emotions and risks are those of the customer's whole unanswered turn."""
    if not raw:
        return None
    intents = [
        (str(i.get("name")), float(i.get("confidence", 0.0)))
        for i in raw.get("intents") or []
        if isinstance(i, dict)
    ]
    intent = raw.get("intent")
    confidence = next((c for name, c in intents if name == intent), None)
    sentiment = raw.get("sentiment") or {}
    priority = raw.get("priority") or {}
    return TriageView(
        intent=intent,
        confidence=confidence,
        alternatives=[(n, c) for n, c in intents if n != intent][:2],
        entities=[e for e in raw.get("entities") or [] if isinstance(e, dict)],
        sentiment=sentiment.get("label") if isinstance(sentiment, dict) else None,
        emotions=turn.emotions if turn else [str(e) for e in raw.get("emotions") or []],
        urgency=raw.get("urgency"),
        abusive=bool(raw.get("abusive")),
        risks=turn.risks if turn else [str(r) for r in raw.get("risks") or []],
        priority=priority.get("score") if isinstance(priority, dict) else None,
        factors=[str(f) for f in (priority.get("factors") or [])]
        if isinstance(priority, dict)
        else [],
        low_confidence=bool(raw.get("low_confidence")),
        awaiting_reply=turn is not None,
    )


def _thread(db: Session, conversation_id: str) -> list[ThreadItem]:
    messages = conversation_service.messages_of(db=db, conversation_id=conversation_id)
    author_ids = {m.author_id for m in messages if m.author_id}
    names = (
        {
            uid: name or email
            for uid, name, email in db.execute(
                select(User.id, User.name, User.email).where(User.id.in_(author_ids))
            )
        }
        if author_ids
        else {}
    )
    return [
        ThreadItem(
            message=m,
            author=names.get(m.author_id) if m.author_id else None,
            segments=segments(m.text, (m.triage or {}).get("entities"))
            if m.direction == Direction.INBOUND.value
            else [Segment(m.text)],
        )
        for m in messages
    ]


def _lifetime_value(db: Session, customer_id: str) -> list[tuple[str, Decimal]]:
    stmt = (
        select(Order.currency, func.sum(Order.total - Order.amount_refunded))
        .where(Order.customer_id == customer_id)
        .group_by(Order.currency)
        .order_by(Order.currency)
    )
    return [(currency, Decimal(total or 0)) for currency, total in db.execute(stmt)]


def members_of(*, db: Session, shop_id: str) -> list[tuple[str, str]]:
    """(user id, display name) of everyone who may be assigned in a shop."""
    stmt = (
        select(User.id, User.name, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.shop_id == shop_id, User.is_active.is_(True))
        .order_by(User.name, User.email)
    )
    return [(uid, name or email) for uid, name, email in db.execute(stmt)]


def _history(
    db: Session, customer_id: str, conversation_id: str
) -> tuple[list[Order], list[Conversation]]:
    orders = select(Order).where(Order.customer_id == customer_id)
    others = select(Conversation).where(
        Conversation.customer_id == customer_id, Conversation.id != conversation_id
    )
    return (
        list(db.scalars(orders.order_by(Order.placed_at.desc()).limit(20))),
        list(db.scalars(others.order_by(Conversation.last_message_at.desc()).limit(10))),
    )


def conversation_view(
    *, db: Session, conversation_id: str, shop_ids: Collection[str]
) -> ConversationView:
    """The whole page's data; NotFound for a conversation outside ``shop_ids``."""
    conversation = conversation_service.get(
        db=db, conversation_id=conversation_id, shop_ids=shop_ids
    )
    shop = db.get(Shop, conversation.shop_id)
    customer = db.get(Customer, conversation.customer_id)
    assert shop is not None and customer is not None  # foreign keys guarantee both
    thread = _thread(db, conversation.id)
    latest = next(
        (
            i.message.triage
            for i in reversed(thread)
            if i.message.direction == Direction.INBOUND.value and i.message.triage
        ),
        None,
    )
    pending = unanswered([i.message for i in thread])
    orders, others = _history(db, customer.id, conversation.id)
    linked = db.get(Order, conversation.order_id) if conversation.order_id else None
    members = members_of(db=db, shop_id=shop.id)
    return ConversationView(
        conversation=conversation,
        shop=shop,
        customer=customer,
        thread=thread,
        triage=triage_view(latest, turn_feelings(m.triage for m in pending) if pending else None),
        order=linked or (orders[0] if orders else None),
        order_is_linked=linked is not None,
        orders=orders,
        lifetime_value=_lifetime_value(db, customer.id),
        other_conversations=others,
        members=members,
        similar=similar_solved(db=db, conversation=conversation),
        assignee_name=dict(members).get(conversation.assignee_id or "")
        if conversation.assignee_id
        else None,
    )
