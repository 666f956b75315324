"""Conversations: the queue, one thread, changes, replies and notes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from kefu.conversations import service
from kefu.conversations.enums import Status
from kefu.conversations.schemas import (
    ConversationDetail,
    ConversationFilters,
    ConversationPage,
    ConversationPatch,
    ConversationPublic,
    MessagePublic,
    NoteIn,
    ReplyIn,
)
from kefu.inbox import reply
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep, write

router = APIRouter(tags=["conversations"])


@router.get("/conversations", response_model=ConversationPage)
def list_conversations(
    db: DbDep,
    principal: PrincipalDep,
    status_: Annotated[list[Status] | None, Query(alias="status")] = None,
    assignee: Annotated[str | None, Query(description="user id, or 'none'")] = None,
    shop: str | None = None,
    channel: str | None = None,
    language: str | None = None,
    intent: str | None = None,
    tag: str | None = None,
    min_priority: Annotated[int | None, Query(ge=0, le=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ConversationPage:
    """The caller's queue, most urgent first (priority, then SLA due time)."""
    filters = ConversationFilters(
        status=status_,
        assignee_id=assignee,
        shop=shop,
        channel=channel,
        language=language,
        intent=intent,
        tag=tag,
        min_priority=min_priority,
        limit=limit,
        offset=offset,
    )
    rows, total = service.list_conversations(db=db, filters=filters, shop_ids=principal.shop_ids)
    return ConversationPage(
        items=[ConversationPublic.model_validate(c) for c in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/conversations/{conversation_id}", response_model=ConversationDetail)
def get_conversation(
    conversation_id: str, db: DbDep, principal: PrincipalDep
) -> ConversationDetail:
    """One conversation with all its messages and notes."""
    conversation = service.get(db=db, conversation_id=conversation_id, shop_ids=principal.shop_ids)
    messages = service.messages_of(db=db, conversation_id=conversation.id)
    return ConversationDetail(
        **ConversationPublic.model_validate(conversation).model_dump(),
        messages=[MessagePublic.model_validate(m) for m in messages],
    )


@router.patch("/conversations/{conversation_id}", response_model=ConversationPublic)
def patch_conversation(
    conversation_id: str, patch: ConversationPatch, services: ServicesDep, principal: PrincipalDep
) -> ConversationPublic:
    """Change status, assignee, tags, priority or snooze time."""
    with write(services) as db:
        conversation = service.get(
            db=db, conversation_id=conversation_id, shop_ids=principal.shop_ids
        )
        service.apply_patch(
            db=db,
            conversation=conversation,
            patch=patch,
            actor=principal.email,
            now=services.clock.now(),
        )
        result = ConversationPublic.model_validate(conversation)
    services.events.publish("inbox", {"type": "conversation", "conversation_id": result.id})
    return result


@router.post(
    "/conversations/{conversation_id}/replies",
    response_model=MessagePublic,
    status_code=status.HTTP_201_CREATED,
)
def post_reply(
    conversation_id: str, reply_in: ReplyIn, services: ServicesDep, principal: PrincipalDep
) -> MessagePublic:
    """Store a reply and queue its delivery in the same transaction."""
    with write(services) as db:
        message = reply.post_reply(
            db=db,
            conversation_id=conversation_id,
            reply_in=reply_in,
            principal=principal,
            now=services.clock.now(),
            max_attempts=services.settings.job_max_attempts,
        )
        result = MessagePublic.model_validate(message)
    services.events.publish(
        "inbox", {"type": "reply", "conversation_id": conversation_id, "message_id": result.id}
    )
    return result


@router.post(
    "/conversations/{conversation_id}/notes",
    response_model=MessagePublic,
    status_code=status.HTTP_201_CREATED,
)
def post_note(
    conversation_id: str, note_in: NoteIn, services: ServicesDep, principal: PrincipalDep
) -> MessagePublic:
    """Add an internal note; it is never sent to the customer."""
    with write(services) as db:
        note = reply.add_note(
            db=db,
            conversation_id=conversation_id,
            note_in=note_in,
            principal=principal,
            now=services.clock.now(),
        )
        return MessagePublic.model_validate(note)
