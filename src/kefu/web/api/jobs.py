"""The jobs queue and its dead letters (supervisors and admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from kefu.accounts.enums import Role
from kefu.errors import NotFound, PermissionDenied
from kefu.jobs.retry import retry_dead
from kefu.storage import jobs
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep, write

router = APIRouter(tags=["jobs"])


class JobPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    payload: dict[str, Any]
    status: str
    attempts: int
    max_attempts: int
    run_at: datetime
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None


def _supervised(principal: PrincipalDep) -> frozenset[str]:
    shops = frozenset(s for s, r in principal.shop_roles.items() if r.rank >= Role.SUPERVISOR.rank)
    if not shops:
        raise PermissionDenied("supervisors and admins only")
    return shops


@router.get("/jobs", response_model=list[JobPublic])
def list_jobs(
    db: DbDep,
    principal: PrincipalDep,
    status: Annotated[str | None, Query(pattern="^(queued|running|done|dead)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[JobPublic]:
    """Jobs, newest first; ``status=dead`` is the dead-letter queue."""
    return [
        JobPublic.model_validate(j)
        for j in jobs.list_jobs(db=db, shop_ids=_supervised(principal), status=status, limit=limit)
    ]


@router.post("/jobs/{job_id}/retry", response_model=JobPublic)
def retry_job(job_id: str, services: ServicesDep, principal: PrincipalDep) -> JobPublic:
    """Send a dead-lettered job back to the queue."""
    with write(services) as db:
        job = retry_dead(
            db=db, job_id=job_id, shop_ids=_supervised(principal), now=services.clock.now()
        )
        if job is None:
            raise NotFound(f"no dead job {job_id!r}")
        return JobPublic.model_validate(job)
