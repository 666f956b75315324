"""Inbound messages from channels and integrations."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request, Response, status
from starlette.concurrency import run_in_threadpool

from kefu.inbox.ingest import ingest_batch
from kefu.inbox.schemas import InboundBatchIn, InboundBatchOut, InboundMessageIn, IngestResult
from kefu.services import Services
from kefu.web.deps import PrincipalDep, ServicesDep, bearer_token, get_principal

router = APIRouter(tags=["messages"])


@router.post(
    "/messages/inbound",
    response_model=IngestResult,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "duplicate: the message was already stored"}},
)
async def inbound(
    message_in: InboundMessageIn, request: Request, services: ServicesDep
) -> Response:
    """Store one inbound message (idempotent on shop + channel + external_id)."""
    # Async, and the token checked by the ingest queue in one look-up with the other waiting
    # deliveries': under load a webhook then costs no worker-thread hops and no query of its own.
    now, queue = services.clock.now(), services.ingest_queue
    token = bearer_token(request)
    if token:
        result = await queue.ingest_with_token(message_in=message_in, token=token, now=now)
    else:  # the workbench's signed-in session
        principal = await run_in_threadpool(get_principal, request, services)
        result = await run_in_threadpool(
            partial(queue.ingest, message_in=message_in, shop_ids=principal.shop_ids, now=now)
        )
    if not result.duplicate:
        _announce(services, result)
    return Response(
        result.model_dump_json(),
        status_code=status.HTTP_200_OK if result.duplicate else status.HTTP_201_CREATED,
        media_type="application/json",
    )


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
