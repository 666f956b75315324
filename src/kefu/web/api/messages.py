"""Inbound messages from channels and integrations."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from kefu.inbox.ingest import ingest_message
from kefu.inbox.schemas import InboundMessageIn, IngestResult
from kefu.web.deps import PrincipalDep, ServicesDep

router = APIRouter(tags=["messages"])


@router.post(
    "/messages/inbound",
    response_model=IngestResult,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "duplicate: the message was already stored"}},
)
def inbound(
    message_in: InboundMessageIn,
    response: Response,
    services: ServicesDep,
    principal: PrincipalDep,
) -> IngestResult:
    """Store one inbound message (idempotent on shop + channel + external_id)."""
    result = ingest_message(
        deps=services.ingest_deps,
        message_in=message_in,
        shop_ids=principal.shop_ids,
        now=services.clock.now(),
    )
    if result.duplicate:
        response.status_code = status.HTTP_200_OK
    else:
        services.events.publish(
            "inbox",
            {
                "type": "message",
                "conversation_id": result.conversation_id,
                "message_id": result.message_id,
            },
        )
    return result
