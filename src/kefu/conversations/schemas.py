"""Pydantic shapes of conversations and messages at the API edge."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kefu.conversations.enums import Status
from kefu.core.schemas import InputModel, StorableDatetime, VisibleText


class MessagePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    conversation_id: str
    direction: str
    channel: str
    external_id: str | None
    author_id: str | None
    text: str
    html_safe: str | None
    language: str | None
    triage: dict[str, Any] | None
    delivery_state: str
    sent_at: datetime


class ConversationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    shop_id: str
    customer_id: str
    order_id: str | None
    channel: str
    external_thread_id: str | None
    subject: str
    status: str
    priority: int
    language: str | None
    intent: str | None
    tags: list[str]
    assignee_id: str | None
    sla_due_at: datetime | None
    snoozed_until: datetime | None
    first_response_at: datetime | None
    last_message_at: datetime | None
    resolved_at: datetime | None


class ConversationDetail(ConversationPublic):
    messages: list[MessagePublic]


class ConversationPage(BaseModel):
    items: list[ConversationPublic]
    total: int
    limit: int
    offset: int


class ConversationPatch(InputModel):
    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    assignee_id: str | None = Field(
        default=None, description="user id, or empty string to unassign"
    )
    tags: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None, max_length=50)
    priority: int | None = Field(default=None, ge=0, le=100)
    snoozed_until: StorableDatetime | None = Field(
        default=None,
        description="with a time zone, e.g. 2026-12-01T09:00:00+08:00; goes with status "
        "snoozed, which needs a time in the future",
    )

    @model_validator(mode="after")
    def _no_nulls(self) -> ConversationPatch:
        # Left out means unchanged; null would mean "no status", which no conversation has.
        for name in ("status", "priority", "tags"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null: leave it out to keep it")
        return self


class ConversationFilters(BaseModel):
    status: list[Status] | None = None
    assignee_id: str | None = None
    shop: str | None = None
    channel: str | None = None
    language: str | None = None
    intent: str | None = None
    tag: str | None = None
    min_priority: int | None = Field(default=None, ge=0, le=100)
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=1_000_000)


class ReplyIn(InputModel):
    text: VisibleText = Field(min_length=1, max_length=20_000)
    resolve: bool = False
    request_key: str | None = Field(default=None, max_length=128)
    override_lint: bool = Field(
        default=False, description="supervisors only: send despite blocking lint findings"
    )


class NoteIn(InputModel):
    text: VisibleText = Field(min_length=1, max_length=20_000)
