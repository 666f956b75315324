"""Server-Sent Events: the inbox bus, filtered to the viewer's shops, streamed to the browser."""

from __future__ import annotations

import asyncio
import json
import queue
import time
from collections.abc import AsyncIterator, Collection
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from kefu.conversations.models import Conversation
from kefu.services import Services
from kefu.web.deps import ServicesDep
from kefu.web.ui.auth import ViewerDep

router = APIRouter(prefix="/ui", include_in_schema=False)

POLL_SECONDS = 0.25
KEEPALIVE_SECONDS = 15.0
# Browsers reconnect on their own; a bounded stream frees server resources from idle tabs.
MAX_STREAM_SECONDS = 600.0


def _visible(services: Services, conversation_id: str, shop_ids: Collection[str]) -> bool:
    with services.reading() as db:
        conversation = db.get(Conversation, conversation_id)
        return conversation is not None and conversation.shop_id in shop_ids


async def _stream(
    request: Request, services: Services, shop_ids: frozenset[str]
) -> AsyncIterator[str]:
    started = last_sent = time.monotonic()
    with services.events.subscribe("inbox") as inbox:
        yield "retry: 3000\n\n"
        while time.monotonic() - started < MAX_STREAM_SECONDS:
            if await request.is_disconnected():
                return
            try:
                # Non-blocking read plus a short sleep: no thread is parked per open stream.
                event: dict[str, Any] = inbox.get_nowait()
            except queue.Empty:
                await asyncio.sleep(POLL_SECONDS)
                if time.monotonic() - last_sent > KEEPALIVE_SECONDS:
                    last_sent = time.monotonic()
                    yield ": keepalive\n\n"
                continue
            conversation_id = str(event.get("conversation_id", ""))
            if not await asyncio.to_thread(_visible, services, conversation_id, shop_ids):
                continue  # another tenant's conversation: not even its id leaves the server
            last_sent = time.monotonic()
            payload = {"type": str(event.get("type", "")), "conversation_id": conversation_id}
            if payload["type"] == "presence":
                for key in ("user_id", "user", "state"):
                    payload[key] = str(event.get(key, ""))[:200]
            yield f"event: inbox\ndata: {json.dumps(payload)}\n\n"


@router.get("/events")
def events(request: Request, viewer: ViewerDep, services: ServicesDep) -> StreamingResponse:
    """A text/event-stream of inbox changes the viewer may see."""
    return StreamingResponse(
        _stream(request, services, viewer.principal.shop_ids),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
