"""Snoozes end on their own: snoozing schedules a durable job for the time it runs out, and
the job opens the conversation again if it is still snoozed until then (a later snooze, a
reply or the customer writing may have changed it meanwhile)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kefu.conversations.enums import Status
from kefu.conversations.models import Conversation
from kefu.core.clock import ensure_utc
from kefu.storage import audit, jobs

WAKE_JOB = "wake_conversation"


def schedule_wake(*, db: Session, conversation: Conversation, now: datetime) -> None:
    """Queue the end of ``conversation``'s snooze (one job per snooze time)."""
    until = conversation.snoozed_until
    if conversation.status != Status.SNOOZED or until is None:
        return
    jobs.enqueue(
        db=db,
        kind=WAKE_JOB,
        payload={"conversation_id": conversation.id},
        dedupe_key=f"wake:{conversation.id}:{ensure_utc(until).isoformat()}",
        now=now,
        run_at=until,
        shop_id=conversation.shop_id,
    )


def wake_if_due(*, db: Session, payload: dict[str, Any], now: datetime) -> None:
    """Open the conversation again if its snooze has run out; otherwise leave it."""
    conversation = db.get(Conversation, payload["conversation_id"], with_for_update=True)
    if conversation is None or conversation.status != Status.SNOOZED:
        return
    until = conversation.snoozed_until
    if until is not None and ensure_utc(until) > now:
        return  # snoozed again for longer: that snooze has its own job
    conversation.status, conversation.snoozed_until = Status.OPEN.value, None
    audit.record(
        db=db,
        at=now,
        entity_type="conversation",
        entity_id=conversation.id,
        action="updated",
        shop_id=conversation.shop_id,
        changes={"status": {"from": Status.SNOOZED.value, "to": Status.OPEN.value}},
        reason="the snooze ran out",
    )
