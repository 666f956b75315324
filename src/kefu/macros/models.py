"""ORM model: a shop's saved reply for an intent and a language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.storage.base import Base, id_column


class Macro(Base):
    """A saved reply; ``intent`` None means it fits any intent."""

    __tablename__ = "macros"
    __table_args__ = (
        UniqueConstraint("shop_id", "language", "name"),
        Index("ix_macros_lookup", "shop_id", "intent", "language"),
    )

    id: Mapped[str] = id_column()
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    intent: Mapped[str | None] = mapped_column(String(40), default=None)
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(254), default="")
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
