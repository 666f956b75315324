"""The audit trail: one row per change, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from kefu.storage.base import Base, id_column


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id", "at"),)

    id: Mapped[str] = id_column()
    shop_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(254), default="system")
    reason: Mapped[str] = mapped_column(String(500), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime]


def record(
    *,
    db: Session,
    at: datetime,
    entity_type: str,
    entity_id: str,
    action: str,
    actor: str = "system",
    shop_id: str | None = None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit row to the current transaction."""
    event = AuditEvent(
        shop_id=shop_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        actor=actor,
        reason=reason,
        changes=changes or {},
        at=at,
    )
    db.add(event)
    return event
