"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from kefu.web.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(services: ServicesDep) -> dict[str, str]:
    """Ok when the database answers."""
    with services.reading() as db:
        db.execute(text("SELECT 1"))
    return {"status": "ok", "database": services.engine.dialect.name}
