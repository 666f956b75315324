"""The inbound-message contract of ``POST /api/v1/messages/inbound``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kefu.core.schemas import InputModel, StorableDatetime
from kefu.customers.schemas import CustomerIn
from kefu.shops.enums import Platform


class InboundMessageIn(InputModel):
    model_config = ConfigDict(extra="forbid")

    shop: str = Field(min_length=1, max_length=64, description="shop slug or id")
    channel: Platform
    external_id: str = Field(min_length=1, max_length=128)
    thread_id: str | None = Field(default=None, max_length=128)
    customer: CustomerIn
    subject: str | None = Field(default=None, max_length=300)
    # Size is checked in bytes by the ingest flow (413), not here (that would be a 422).
    text: str = ""
    html: str | None = None
    sent_at: StorableDatetime | None = None

    @model_validator(mode="after")
    def _has_content(self) -> InboundMessageIn:
        if not self.text.strip() and not (self.html or "").strip():
            raise ValueError("a message needs text or html")
        return self


class IngestResult(BaseModel):
    message_id: str
    conversation_id: str
    duplicate: bool


class InboundBatchIn(InputModel):
    model_config = ConfigDict(extra="forbid")

    # The request body limit (1 MB) applies as well.
    messages: list[InboundMessageIn] = Field(min_length=1, max_length=500)


class InboundBatchOut(BaseModel):
    results: list[IngestResult]
