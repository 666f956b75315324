"""Pydantic shapes of the knowledge API, and the caller's access as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Far above MAX_ARTICLE_BYTES on purpose: the parser answers an oversized body with a clear
# 413 naming the limit instead of a generic length error.
_BODY_CHARS = 6 * 1024 * 1024
Status = Literal["draft", "published"]


@dataclass(frozen=True)
class Access:
    """What the caller may read and change (domains cannot see ``accounts.Principal``)."""

    actor: str
    readable: frozenset[str]  # shop ids whose articles the caller sees (plus global ones)
    writable: frozenset[str]  # shop ids whose articles the caller may change
    # Global articles are read by every shop, so only an admin of every shop changes them.
    global_writer: bool = False


class ArticleIn(BaseModel):
    shop: str | None = Field(default=None, max_length=64, description="id or slug; none = global")
    slug: str = Field(max_length=200)
    title: str = Field(max_length=400)
    body: str = Field(max_length=_BODY_CHARS)
    language: str = Field(max_length=16)
    kind: str = Field(default="faq", max_length=20)
    status: Status = "published"
    tags: list[str] = Field(default_factory=list, max_length=50)
    platform: str | None = Field(default=None, max_length=40)
    effective_date: date | None = None
    source: str | None = Field(default=None, max_length=1000)


class ArticlePatch(BaseModel):
    slug: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=400)
    body: str | None = Field(default=None, max_length=_BODY_CHARS)
    language: str | None = Field(default=None, max_length=16)
    kind: str | None = Field(default=None, max_length=20)
    status: Status | None = None
    tags: list[str] | None = Field(default=None, max_length=50)
    platform: str | None = Field(default=None, max_length=40)
    effective_date: date | None = None
    source: str | None = Field(default=None, max_length=1000)


class ArticlePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    shop_id: str | None
    slug: str
    title: str
    body: str
    language: str
    kind: str
    status: str
    tags: list[str]
    platform: str | None
    effective_date: date | None
    source: str | None
    version: int
    created_by: str
    updated_by: str
    created_at: datetime
    updated_at: datetime


class VersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    title: str
    body: str
    fields: dict[str, Any]
    author: str
    created_at: datetime
