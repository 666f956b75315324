"""Conversation queries and simple writes; every change leaves an audit row."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kefu.accounts.models import Membership
from kefu.conversations import snooze
from kefu.conversations.enums import Status
from kefu.conversations.models import Conversation, Message
from kefu.conversations.schemas import ConversationFilters, ConversationPatch
from kefu.errors import InvalidInput, NotFound
from kefu.shops import service as shop_service
from kefu.storage import audit


def get(*, db: Session, conversation_id: str, shop_ids: Collection[str]) -> Conversation:
    """A conversation visible to the caller; NotFound for another shop's."""
    conversation = db.get(Conversation, conversation_id)
    if conversation is None or conversation.shop_id not in shop_ids:
        raise NotFound(f"conversation {conversation_id!r} not found")
    return conversation


def messages_of(*, db: Session, conversation_id: str) -> list[Message]:
    """A conversation's messages, oldest first."""
    query = (
        select(Message)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.sent_at, Message.created_at)
    )
    return list(db.scalars(query))


def _filtered(db: Session, filters: ConversationFilters, shop_ids: Collection[str]) -> Select[Any]:
    query = select(Conversation).where(Conversation.shop_id.in_(list(shop_ids)))
    if filters.shop:
        shop = shop_service.get(db=db, ref=filters.shop, shop_ids=shop_ids)
        query = query.where(Conversation.shop_id == shop.id)
    if filters.status:
        query = query.where(Conversation.status.in_([s.value for s in filters.status]))
    if filters.assignee_id == "none":
        query = query.where(Conversation.assignee_id.is_(None))
    elif filters.assignee_id:
        query = query.where(Conversation.assignee_id == filters.assignee_id)
    for column, value in (
        (Conversation.channel, filters.channel),
        (Conversation.language, filters.language),
        (Conversation.intent, filters.intent),
    ):
        if value:
            query = query.where(column == value)
    if filters.min_priority is not None:
        query = query.where(Conversation.priority >= filters.min_priority)
    return query


def list_conversations(
    *, db: Session, filters: ConversationFilters, shop_ids: Collection[str]
) -> tuple[list[Conversation], int]:
    """A page of conversations, most urgent first (priority, then SLA due time)."""
    query = _filtered(db, filters, shop_ids)
    if filters.tag:
        # JSON containment differs per database; tags are few, so filter after loading ids.
        tag = normal_tag(filters.tag)
        rows = [c for c in db.scalars(query) if tag in (c.tags or [])]
        rows.sort(key=_queue_key)
        return rows[filters.offset : filters.offset + filters.limit], len(rows)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    ordered = query.order_by(
        Conversation.priority.desc(),
        Conversation.sla_due_at.is_(None),
        Conversation.sla_due_at,
        Conversation.id,
    )
    return list(db.scalars(ordered.limit(filters.limit).offset(filters.offset))), total


def _queue_key(c: Conversation) -> tuple[int, bool, float, str]:
    due = c.sla_due_at.timestamp() if c.sla_due_at else 0.0
    return (-c.priority, c.sla_due_at is None, due, c.id)


def _check_assignee(db: Session, conversation: Conversation, user_id: str) -> None:
    member = db.scalar(
        select(Membership.id).where(
            Membership.user_id == user_id, Membership.shop_id == conversation.shop_id
        )
    )
    if member is None:
        raise InvalidInput("assignee is not a member of this shop", field="assignee_id")


def apply_patch(
    *, db: Session, conversation: Conversation, patch: ConversationPatch, actor: str, now: datetime
) -> Conversation:
    """Change status, assignee, tags, priority or snooze, recording each change."""
    changes: dict[str, Any] = {}
    given = patch.model_dump(exclude_unset=True)
    if "assignee_id" in given:
        if patch.assignee_id:
            _check_assignee(db, conversation, patch.assignee_id)
        given["assignee_id"] = patch.assignee_id or None
    if "tags" in given and patch.tags is not None:
        given["tags"] = sorted({normal_tag(t) for t in patch.tags if t.strip()})
    _check_snooze(conversation, patch, given, now)
    for field, value in given.items():
        value = value.value if isinstance(value, Status) else value
        old = getattr(conversation, field)
        if old != value:
            changes[field] = {"from": _plain(old), "to": _plain(value)}
            setattr(conversation, field, value)
    if "status" in changes:
        set_status_effects(conversation=conversation, now=now)
    if "status" in changes or "snoozed_until" in changes:
        snooze.schedule_wake(db=db, conversation=conversation, now=now)
    if changes:
        audit.record(
            db=db,
            at=now,
            entity_type="conversation",
            entity_id=conversation.id,
            action="updated",
            actor=actor,
            shop_id=conversation.shop_id,
            changes=changes,
        )
    db.flush()
    return conversation


def normal_tag(tag: str) -> str:
    """Tags are stored and looked up trimmed and in lower case ("VIP " is "vip")."""
    return tag.strip().lower()


def _check_snooze(
    conversation: Conversation, patch: ConversationPatch, given: dict[str, Any], now: datetime
) -> None:
    """A snooze time goes with status snoozed, and a snoozed conversation needs one ahead."""
    status = patch.status.value if patch.status else conversation.status
    until = given.get("snoozed_until", conversation.snoozed_until)
    if status != Status.SNOOZED:
        if given.get("snoozed_until") is not None:
            raise InvalidInput("snoozed_until goes with status snoozed", field="snoozed_until")
        return
    if until is None or until <= now:
        raise InvalidInput(
            "a snoozed conversation needs snoozed_until in the future", field="snoozed_until"
        )


def set_status_effects(*, conversation: Conversation, now: datetime) -> None:
    """Keep timestamps consistent with the status."""
    if conversation.status in (Status.RESOLVED, Status.CLOSED):
        conversation.resolved_at = conversation.resolved_at or now
        conversation.sla_due_at = None  # nobody owes a reply any more
    else:
        conversation.resolved_at = None
    if conversation.status != Status.SNOOZED:
        conversation.snoozed_until = None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
