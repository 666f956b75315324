"""Read helpers for the inbox: queues, filters and rows, built on the conversation tables."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from kefu.accounts.models import User
from kefu.conversations.enums import Direction, Status
from kefu.conversations.models import Conversation, Message
from kefu.customers.models import Customer
from kefu.inbox.turn import turn_feelings
from kefu.shops.models import Shop

QUEUES = ("open", "mine", "unassigned", "urgent", "sla", "pending", "resolved")
URGENT_PRIORITY = 70
SLA_RISK = timedelta(hours=2)
PAGE_SIZE = 50
_WAITING_ON_US = (Status.NEW.value, Status.OPEN.value)
_ACTIVE = (Status.NEW.value, Status.OPEN.value, Status.PENDING.value, Status.SNOOZED.value)
_DONE = (Status.RESOLVED.value, Status.CLOSED.value)


@dataclass(frozen=True)
class InboxQuery:
    queue: str = "open"
    shop: str = ""
    channel: str = ""
    language: str = ""
    intent: str = ""
    tag: str = ""
    q: str = ""
    page: int = 1

    @property
    def filtered(self) -> bool:
        """True when anything beyond the queue narrows the list."""
        return any((self.shop, self.channel, self.language, self.intent, self.tag, self.q.strip()))


@dataclass(frozen=True)
class InboxRow:
    id: str
    subject: str
    customer_name: str
    platform: str
    shop_name: str
    channel: str
    status: str
    language: str | None
    intent: str | None
    emotion: str | None
    priority: int
    sla_due_at: datetime | None
    assignee_name: str | None
    last_message_at: datetime | None


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    page: int
    pages: int
    counts: dict[str, int]


def _queue_condition(queue: str, *, user_id: str, now: datetime) -> ColumnElement[bool]:
    waiting = Conversation.status.in_(_WAITING_ON_US)
    conditions: dict[str, ColumnElement[bool]] = {
        "open": waiting,
        "mine": and_(Conversation.assignee_id == user_id, Conversation.status.in_(_ACTIVE)),
        "unassigned": and_(Conversation.assignee_id.is_(None), waiting),
        "urgent": and_(Conversation.priority >= URGENT_PRIORITY, waiting),
        "sla": and_(
            Conversation.sla_due_at.is_not(None), Conversation.sla_due_at <= now + SLA_RISK, waiting
        ),
        "pending": Conversation.status == Status.PENDING.value,
        "resolved": Conversation.status.in_(_DONE),
    }
    return conditions.get(queue, waiting)


def queue_counts(
    *, db: Session, shop_ids: Collection[str], user_id: str, now: datetime
) -> dict[str, int]:
    """How many conversations each queue holds, in one aggregate query."""
    columns = [
        func.coalesce(
            func.sum(case((_queue_condition(q, user_id=user_id, now=now), 1), else_=0)), 0
        )
        for q in QUEUES
    ]
    row = db.execute(select(*columns).where(Conversation.shop_id.in_(list(shop_ids)))).one()
    return {q: int(n) for q, n in zip(QUEUES, row, strict=True)}


_RowSelect = Select[Conversation, str, str, str, str, str]


def _has_tag(tag: str, dialect: str) -> ColumnElement[bool]:
    # Tags are a JSON list; matching the quoted element in its text form works on SQLite and
    # PostgreSQL alike (SQLite stores ASCII-escaped JSON, PostgreSQL's jsonb prints UTF-8).
    needle = json.dumps(tag.strip().lower(), ensure_ascii=dialect != "postgresql")
    return cast(Conversation.tags, String).contains(needle, autoescape=True)


def _filtered(
    query: InboxQuery, shop_ids: Collection[str], user_id: str, now: datetime, dialect: str
) -> _RowSelect:
    stmt: _RowSelect = (
        select(Conversation, Customer.name, Shop.platform, Shop.name, User.name, User.email)
        .join(Customer, Customer.id == Conversation.customer_id)
        .join(Shop, Shop.id == Conversation.shop_id)
        .outerjoin(User, User.id == Conversation.assignee_id)
        .where(Conversation.shop_id.in_(list(shop_ids)))
        .where(_queue_condition(query.queue, user_id=user_id, now=now))
    )
    if query.shop:
        stmt = stmt.where(or_(Shop.slug == query.shop, Shop.id == query.shop))
    for column, value in (
        (Conversation.channel, query.channel),
        (Conversation.language, query.language),
        (Conversation.intent, query.intent),
    ):
        if value:
            stmt = stmt.where(column == value)
    if query.tag.strip():
        stmt = stmt.where(_has_tag(query.tag, dialect))
    text = query.q.strip().lower()[:200]
    if text:
        stmt = stmt.where(
            or_(
                func.lower(Conversation.subject).contains(text, autoescape=True),
                func.lower(Customer.name).contains(text, autoescape=True),
                func.lower(func.coalesce(Customer.email, "")).contains(text, autoescape=True),
            )
        )
    return stmt


def _ordered(stmt: _RowSelect, queue: str) -> _RowSelect:
    if queue == "resolved":
        return stmt.order_by(Conversation.resolved_at.desc(), Conversation.id)
    if queue == "sla":
        # Here the clock decides: priority is scored at ingest and weighs a reply deadline only
        # as a tie-breaker, but in this queue every conversation is about to breach, and a
        # "thanks, got it" with 20 minutes left on Amazon's clock goes before a question with
        # 100 minutes (an overdue one first of all).
        return stmt.order_by(Conversation.sla_due_at, Conversation.priority.desc(), Conversation.id)
    return stmt.order_by(
        Conversation.priority.desc(),
        Conversation.sla_due_at.is_(None),
        Conversation.sla_due_at,
        Conversation.id,
    )


def inbox_page(
    *, db: Session, shop_ids: Collection[str], user_id: str, query: InboxQuery, now: datetime
) -> InboxPage:
    """One page of a queue, most urgent first (priority, then SLA due time)."""
    stmt = _filtered(query, shop_ids, user_id, now, db.get_bind().dialect.name)
    counts = queue_counts(db=db, shop_ids=shop_ids, user_id=user_id, now=now)
    # Without filters the queue's size is already in the sidebar counts: no second count query.
    total = (
        counts.get(query.queue, 0)
        if not query.filtered and query.queue in counts
        else db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, query.page), pages)
    found = db.execute(_ordered(stmt, query.queue).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    raw = list(found.all())
    emotions = _latest_emotions(db, [r[0].id for r in raw])
    rows = [
        InboxRow(
            id=c.id,
            subject=c.subject,
            customer_name=customer or "—",
            platform=platform,
            shop_name=shop_name,
            channel=c.channel,
            status=c.status,
            language=c.language,
            intent=c.intent,
            emotion=emotions.get(c.id),
            priority=c.priority,
            sla_due_at=c.sla_due_at if c.status in _WAITING_ON_US else None,
            assignee_name=(assignee_name or assignee_email) if c.assignee_id else None,
            last_message_at=c.last_message_at,
        )
        for c, customer, platform, shop_name, assignee_name, assignee_email in raw
    ]
    return InboxPage(rows=rows, total=total, page=page, pages=pages, counts=counts)


def _latest_emotions(db: Session, conversation_ids: list[str]) -> dict[str, str]:
    """Per conversation, the strongest emotion of the customer's unanswered turn
    (:mod:`kefu.inbox.turn`)."""
    if not conversation_ids:
        return {}
    stmt = (
        select(Message.conversation_id, Message.direction, Message.triage)
        .where(Message.conversation_id.in_(conversation_ids))
        .where(Message.direction != Direction.NOTE.value)
        .order_by(Message.sent_at)
    )
    turns: dict[str, list[dict[str, Any] | None]] = {}
    for conversation_id, direction, triage in db.execute(stmt):
        if direction == Direction.OUTBOUND.value:
            turns.pop(conversation_id, None)
        else:
            turns.setdefault(conversation_id, []).append(triage)
    heard = {cid: turn_feelings(triages).emotions for cid, triages in turns.items()}
    return {cid: emotions[0] for cid, emotions in heard.items() if emotions}


@dataclass(frozen=True)
class FilterOptions:
    shops: list[tuple[str, str]]
    channels: list[str]
    languages: list[str]
    intents: list[str]


def filter_options(*, db: Session, shop_ids: Collection[str]) -> FilterOptions:
    """The values the filter menus offer: only those present in the caller's shops."""
    ids = list(shop_ids)
    shops = db.execute(select(Shop.slug, Shop.name).where(Shop.id.in_(ids)).order_by(Shop.name))

    def distinct(column: Any) -> list[str]:
        stmt = select(column).where(Conversation.shop_id.in_(ids), column.is_not(None)).distinct()
        return sorted(str(v) for v in db.scalars(stmt) if v)

    return FilterOptions(
        shops=[(slug, name) for slug, name in shops],
        channels=distinct(Conversation.channel),
        languages=distinct(Conversation.language),
        intents=distinct(Conversation.intent),
    )
