"""Replies and notes: the outbound message and its send job commit in one transaction."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.accounts.schemas import Principal
from kefu.conversations import service as conversation_service
from kefu.conversations.enums import DeliveryState, Direction, Status
from kefu.conversations.models import Conversation, Message
from kefu.conversations.schemas import NoteIn, ReplyIn
from kefu.core.text import clean_text
from kefu.errors import Conflict
from kefu.inbox.review import check_before_send
from kefu.storage import audit, jobs

SEND_JOB = "send_message"


MESSAGE_KEY_MAX = 128  # messages.external_id


def _reply_key(conversation_id: str, request_key: str) -> str:
    """The stored key of a reply: one conversation's keys never answer for another's, and a
    key too long to store with the conversation id is hashed."""
    key = f"reply:{conversation_id}:{request_key}"
    if len(key) > MESSAGE_KEY_MAX:
        key = f"reply:{conversation_id}:#{hashlib.sha256(request_key.encode()).hexdigest()[:40]}"
    return key


def post_reply(
    *,
    db: Session,
    conversation_id: str,
    reply_in: ReplyIn,
    principal: Principal,
    now: datetime,
    max_attempts: int = jobs.DEFAULT_MAX_ATTEMPTS,
) -> Message:
    """Store an outbound reply and queue its delivery (tried at most ``max_attempts`` times);
    a repeated request key is a no-op."""
    conversation = conversation_service.get(
        db=db, conversation_id=conversation_id, shop_ids=principal.shop_ids
    )
    key = _reply_key(conversation.id, reply_in.request_key) if reply_in.request_key else None
    if key:
        earlier = db.scalar(
            select(Message).where(
                Message.shop_id == conversation.shop_id,
                Message.channel == conversation.channel,
                Message.external_id == key,
            )
        )
        if earlier is not None and earlier.text != clean_text(reply_in.text):
            # A retry repeats its request; a new reply under an old key would be lost.
            raise Conflict("this request_key was already used for a different reply")
        if earlier is not None:
            return earlier
    check_before_send(
        db=db,
        conversation=conversation,
        text=reply_in.text,
        principal=principal,
        now=now,
        override=reply_in.override_lint,
    )
    message = Message(
        shop_id=conversation.shop_id,
        conversation_id=conversation.id,
        channel=conversation.channel,
        external_id=key,
        direction=Direction.OUTBOUND,
        author_id=principal.user_id,
        text=clean_text(reply_in.text),
        language=conversation.language,
        delivery_state=DeliveryState.QUEUED,
        sent_at=now,
    )
    db.add(message)
    db.flush()
    jobs.enqueue(
        db=db,
        kind=SEND_JOB,
        payload={"message_id": message.id},
        dedupe_key=f"send:{message.id}",
        now=now,
        shop_id=conversation.shop_id,
        max_attempts=max_attempts,
    )
    _after_reply(db, conversation, reply_in.resolve, principal, now)
    return message


def _after_reply(
    db: Session, conversation: Conversation, resolve: bool, principal: Principal, now: datetime
) -> None:
    old_status = conversation.status
    conversation.first_response_at = conversation.first_response_at or now
    conversation.sla_due_at = None  # the ball is in the customer's court
    conversation.last_message_at = now
    conversation.status = Status.RESOLVED if resolve else Status.PENDING
    conversation_service.set_status_effects(conversation=conversation, now=now)
    audit.record(
        db=db,
        at=now,
        entity_type="conversation",
        entity_id=conversation.id,
        action="replied",
        actor=principal.email,
        shop_id=conversation.shop_id,
        changes={"status": {"from": old_status, "to": conversation.status}},
    )


def add_note(
    *, db: Session, conversation_id: str, note_in: NoteIn, principal: Principal, now: datetime
) -> Message:
    """Store an internal note: visible to the team, never sent to the customer."""
    conversation = conversation_service.get(
        db=db, conversation_id=conversation_id, shop_ids=principal.shop_ids
    )
    note = Message(
        shop_id=conversation.shop_id,
        conversation_id=conversation.id,
        channel=conversation.channel,
        direction=Direction.NOTE,
        author_id=principal.user_id,
        text=clean_text(note_in.text),
        delivery_state=DeliveryState.NONE,
        sent_at=now,
    )
    db.add(note)
    audit.record(
        db=db,
        at=now,
        entity_type="conversation",
        entity_id=conversation.id,
        action="note_added",
        actor=principal.email,
        shop_id=conversation.shop_id,
    )
    db.flush()
    return note
