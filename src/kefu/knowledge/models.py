"""ORM models: stored articles with every version, solved cases, and weak-search records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.storage.base import Base, id_column

GLOBAL_SCOPE = ""  # ``scope`` of a global article: NULLs are never equal in a unique key


class KbArticle(Base):
    """The current version of a knowledge article; ``shop_id`` None means global."""

    __tablename__ = "kb_articles"
    __table_args__ = (
        UniqueConstraint("scope", "slug"),
        Index("ix_kb_articles_list", "scope", "language", "kind"),
    )

    id: Mapped[str] = id_column()
    shop_id: Mapped[str | None] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), default=None
    )
    # shop_id or "" for global, so the (scope, slug) key holds for global articles too.
    scope: Mapped[str] = mapped_column(String(32), default=GLOBAL_SCOPE)
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), default="published")
    tags: Mapped[list[str]] = mapped_column(default=list)
    platform: Mapped[str | None] = mapped_column(String(20), default=None)
    effective_date: Mapped[date | None] = mapped_column(Date, default=None)
    source: Mapped[str | None] = mapped_column(String(500), default=None)
    version: Mapped[int] = mapped_column(default=1)
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(254), default="")
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class KbArticleVersion(Base):
    """One saved state of an article; never changed after it is written."""

    __tablename__ = "kb_article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[str] = id_column()
    article_id: Mapped[str] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)  # language, kind, tags, ...
    author: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime]


class KbCase(Base):
    """A solved conversation, kept so agents can see how a similar problem was handled."""

    __tablename__ = "kb_cases"
    __table_args__ = (UniqueConstraint("conversation_id"),)

    id: Mapped[str] = id_column()
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    language: Mapped[str | None] = mapped_column(String(12), default=None)
    intent: Mapped[str | None] = mapped_column(String(40), default=None)
    problem: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    final_reply: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(40), default="resolved")
    csat: Mapped[int | None] = mapped_column(default=None)
    products: Mapped[list[str]] = mapped_column(default=list)
    resolved_at: Mapped[datetime]
    created_at: Mapped[datetime]


class KbGap(Base):
    """A search or draft whose best knowledge hit was weak or missing."""

    __tablename__ = "kb_gaps"
    __table_args__ = (Index("ix_kb_gaps_report", "shop_id", "at"),)

    id: Mapped[str] = id_column()
    shop_id: Mapped[str | None] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), default=None
    )
    source: Mapped[str] = mapped_column(String(12))  # search | draft
    query: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(12), default="und")
    intent: Mapped[str] = mapped_column(String(40), default="other")
    best_score: Mapped[float | None] = mapped_column(Float, default=None)
    best_article_id: Mapped[str | None] = mapped_column(String(32), default=None)
    at: Mapped[datetime]
