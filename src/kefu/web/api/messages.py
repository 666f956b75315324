"""Inbound messages from channels and integrations."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from kefu.inbox.ingest import ingest_batch
from kefu.inbox.schemas import InboundBatchIn, InboundBatchOut, InboundMessageIn, IngestResult
from kefu.services import Services
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
    result = services.ingest_queue.ingest(
        message_in=message_in, shop_ids=principal.shop_ids, now=services.clock.now()
    )
    if result.duplicate:
        response.status_code = status.HTTP_200_OK
    else:
        _announce(services, result)
    return result


@router.post("/messages/inbound/batch", response_model=InboundBatchOut)
def inbound_batch(
    batch_in: InboundBatchIn, services: ServicesDep, principal: PrincipalDep
) -> InboundBatchOut:
    """Store up to 500 inbound messages in one transaction: all of them or, on an error, none.
    One result per message, in order; repeats (also within the batch) are `duplicate`."""
    results = ingest_batch(
        deps=services.ingest_deps,
        messages=batch_in.messages,
        shop_ids=principal.shop_ids,
        now=services.clock.now(),
    )
    for result in results:
        if not result.duplicate:
            _announce(services, result)
    return InboundBatchOut(results=results)


def _announce(services: Services, result: IngestResult) -> None:
    services.events.publish(
        "inbox",
        {
            "type": "message",
            "conversation_id": result.conversation_id,
            "message_id": result.message_id,
        },
    )
