"""Triage one text on demand: the same analysis ingest runs on every inbound message."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from kefu.core.schemas import InputModel
from kefu.errors import PayloadTooLarge
from kefu.inbox.triage import TriageRequest
from kefu.shops import service as shop_service
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep

router = APIRouter(tags=["triage"])


class TriageIn(InputModel):
    text: str
    shop: str | None = Field(
        default=None,
        description="slug or id: sets the platform; its languages settle texts too short to tell",
    )


@router.post("/triage")
def triage(
    body: TriageIn, services: ServicesDep, db: DbDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Language, intents, entities, sentiment, emotions, urgency, abuse, risks and priority."""
    if len(body.text.encode()) > services.settings.max_message_bytes:
        raise PayloadTooLarge(
            f"text is over {services.settings.max_message_bytes // 1024} KB", field="text"
        )
    platform, languages = "webchat", tuple(services.settings.languages)
    if body.shop:
        shop = shop_service.get(db=db, ref=body.shop, shop_ids=principal.shop_ids)
        platform, languages = shop.platform, tuple(shop.languages or languages)
    return services.triager.triage(
        TriageRequest(text=body.text, platform=platform, languages=languages)
    )
