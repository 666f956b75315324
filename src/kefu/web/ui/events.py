"""Server-Sent Events: the inbox bus, filtered to the viewer's shops, streamed to the browser."""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import time
from collections.abc import AsyncIterator, Collection
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from kefu.conversations.models import Conversation
from kefu.core.events import RESYNC
from kefu.services import Services
from kefu.web.deps import ServicesDep
from kefu.web.ui.auth import ViewerDep

router = APIRouter(prefix="/ui", include_in_schema=False)

POLL_SECONDS = 0.25
KEEPALIVE_SECONDS = 15.0
# Browsers reconnect on their own; a bounded stream frees server resources from idle tabs.
MAX_STREAM_SECONDS = 600.0


# Events taken from the bus per read: under a burst of webhooks one visibility query covers
# them all, instead of one query per event and per open tab.
DRAIN_AT_MOST = 500


def _visible(services: Services, conversation_ids: set[str], shop_ids: Collection[str]) -> set[str]:
    with services.reading() as db:
        found = db.scalars(
            select(Conversation.id).where(
                Conversation.id.in_(sorted(conversation_ids)),
                Conversation.shop_id.in_(sorted(shop_ids)),
            )
        )
        return set(found)


def _drain(inbox: queue.Queue[dict[str, Any]]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    with contextlib.suppress(queue.Empty):
        while len(events) < DRAIN_AT_MOST:
            events.append(inbox.get_nowait())
    return events


def _payload(event: dict[str, Any]) -> dict[str, str]:
    payload = {
        "type": str(event.get("type", "")),
        "conversation_id": str(event.get("conversation_id", "")),
    }
    if payload["type"] == "presence":
        for key in ("user_id", "user", "state"):
            payload[key] = str(event.get(key, ""))[:200]
    return payload


async def _stream(
    request: Request, services: Services, shop_ids: frozenset[str]
) -> AsyncIterator[str]:
    started = last_sent = time.monotonic()
    with services.events.subscribe("inbox") as inbox:
        yield "retry: 3000\n\n"
        while time.monotonic() - started < MAX_STREAM_SECONDS:
            if await request.is_disconnected():
                return
            # A short sleep, then non-blocking reads: no thread is parked per open stream, and
            # a busy shop's events arrive a poll's worth at a time.
            await asyncio.sleep(POLL_SECONDS)
            events = _drain(inbox)
            if not events:
                if time.monotonic() - last_sent > KEEPALIVE_SECONDS:
                    last_sent = time.monotonic()
                    yield ": keepalive\n\n"
                continue
            # A burst repeats itself ("message" on one conversation): each payload once.
            payloads = {tuple(p.items()): p for p in map(_payload, events)}.values()
            ids = {p["conversation_id"] for p in payloads} - {""}
            visible = await asyncio.to_thread(_visible, services, ids, shop_ids) if ids else set()
            for payload in payloads:
                # Another tenant's conversation: not even its id leaves the server.
                if payload["type"] == RESYNC["type"] or payload["conversation_id"] in visible:
                    last_sent = time.monotonic()
                    yield f"event: inbox\ndata: {json.dumps(payload)}\n\n"


@router.get("/events")
def events(request: Request, viewer: ViewerDep, services: ServicesDep) -> StreamingResponse:
    """A text/event-stream of inbox changes the viewer may see."""
    return StreamingResponse(
        _stream(request, services, viewer.principal.shop_ids),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
