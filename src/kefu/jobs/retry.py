"""Putting a dead-lettered job back in the queue, and its data back in the waiting state."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from kefu.jobs.handlers import JobHooks, default_hooks
from kefu.storage import jobs
from kefu.storage.jobs import Job


def retry_dead(
    *,
    db: Session,
    job_id: str,
    shop_ids: Collection[str],
    now: datetime,
    hooks: dict[str, JobHooks] | None = None,
) -> Job | None:
    """Queue a dead job again with a fresh attempt budget (a failed reply shows as queued
    again); None when there is no such dead job in the caller's shops."""
    job = jobs.retry_dead(db=db, job_id=job_id, shop_ids=frozenset(shop_ids), now=now)
    found = (default_hooks() if hooks is None else hooks).get(job.kind) if job else None
    if job is not None and found is not None:
        found.on_retry(db, dict(job.payload))
    return job
