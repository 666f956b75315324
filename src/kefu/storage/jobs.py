"""The durable jobs/outbox table and the operations on it.

A job is enqueued in the same transaction as the change that needs it (a reply and its send job
commit together). Workers claim due jobs with a lease: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so
many workers never take the same row, ``BEGIN IMMEDIATE`` serialisation on SQLite. A job whose
worker died is claimed again once its lease runs out, so handlers must be idempotent.

``attempts`` counts the runs a job was claimed for. A run that raises is a failed attempt: the
job is retried with backoff until ``max_attempts`` runs have been made, then dead-lettered. A
run whose worker was lost (killed, out of memory, its machine gone) may have done its work and
died before recording it, so it never dead-letters the job by itself: when the *last* allowed
attempt is lost, the job gets ``LOST_LAST_ATTEMPT_RERUNS`` more run(s). Only when that run's
worker is lost too is the job dead-lettered as lost (``lost_for_good``). The bound: a job that
kills every worker that runs it (a poison job) is run at most ``max_attempts +
LOST_LAST_ATTEMPT_RERUNS`` times, and the claim after that dead-letters it without running it.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kefu.storage.base import Base, id_column

DEFAULT_MAX_ATTEMPTS = 6
# Runs granted beyond ``max_attempts`` when the last attempt's worker was lost (see above).
LOST_LAST_ATTEMPT_RERUNS = 1


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    DEAD = "dead"


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_due", "status", "run_at"),)

    id: Mapped[str] = id_column()
    kind: Mapped[str] = mapped_column(String(60))
    shop_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=DEFAULT_MAX_ATTEMPTS)
    run_at: Mapped[datetime]
    locked_by: Mapped[str | None] = mapped_column(String(100), default=None)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


def enqueue(
    *,
    db: Session,
    kind: str,
    payload: dict[str, Any],
    dedupe_key: str,
    now: datetime,
    run_at: datetime | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    shop_id: str | None = None,
) -> Job:
    """Add a job to the current transaction unless one with the same dedupe key exists."""
    existing = db.scalar(select(Job).where(Job.dedupe_key == dedupe_key))
    if existing is not None:
        return existing
    job = Job(
        kind=kind,
        shop_id=shop_id,
        payload=payload,
        dedupe_key=dedupe_key,
        run_at=run_at or now,
        created_at=now,
        max_attempts=max_attempts,
        status=JobStatus.QUEUED,
        attempts=0,
    )
    db.add(job)
    db.flush()
    return job


def claim(
    *, db: Session, worker_id: str, now: datetime, lease_seconds: int, limit: int = 1
) -> list[Job]:
    """Lease up to ``limit`` due jobs (queued and due, or running with an expired lease)."""
    due = or_(
        (Job.status == JobStatus.QUEUED) & (Job.run_at <= now),
        (Job.status == JobStatus.RUNNING) & (Job.locked_until < now),
    )
    query = select(Job).where(due).order_by(Job.run_at).limit(limit)
    if db.bind is not None and db.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    jobs = list(db.scalars(query))
    for job in jobs:
        job.status = JobStatus.RUNNING
        job.locked_by = worker_id
        job.locked_until = now + timedelta(seconds=lease_seconds)
        job.attempts += 1
    db.flush()
    return jobs


def lost_for_good(job: Job) -> bool:
    """True for a job just claimed again although its last attempt and the extra run(s) after
    it all lost their workers: dead-letter it unrun, it is probably what kills them."""
    return job.attempts > job.max_attempts + LOST_LAST_ATTEMPT_RERUNS


def _still_ours(job: Job | None, worker_id: str) -> bool:
    return job is not None and job.status == JobStatus.RUNNING and job.locked_by == worker_id


def complete(*, db: Session, job_id: str, worker_id: str, now: datetime) -> bool:
    """Mark a job done; False when the lease was lost to another worker meanwhile."""
    job = db.get(Job, job_id, with_for_update=True)
    if job is None or not _still_ours(job, worker_id):
        return False
    job.status = JobStatus.DONE
    job.finished_at = now
    job.locked_by = None
    job.locked_until = None
    return True


def backoff_seconds(attempts: int, *, base: float = 2.0, cap: float = 3600.0) -> float:
    """Exponential backoff with full jitter: retries spread out instead of stampeding."""
    ceiling = min(cap, base * (2 ** max(0, attempts - 1)))
    return random.uniform(ceiling / 2, ceiling)


def fail(
    *, db: Session, job_id: str, worker_id: str, now: datetime, error: str, give_up: bool = False
) -> Job | None:
    """Record a failed attempt: retry later with backoff, or dead-letter after the last one
    (at once with ``give_up``)."""
    job = db.get(Job, job_id, with_for_update=True)
    if job is None or not _still_ours(job, worker_id):
        return None
    job.last_error = error[:4000]
    job.locked_by = None
    job.locked_until = None
    if give_up or job.attempts >= job.max_attempts:
        job.status = JobStatus.DEAD
        job.finished_at = now
    else:
        job.status = JobStatus.QUEUED
        job.run_at = now + timedelta(seconds=backoff_seconds(job.attempts))
    return job


def list_jobs(
    *, db: Session, shop_ids: frozenset[str], status: str | None = None, limit: int = 100
) -> list[Job]:
    """Jobs of the given shops, newest first; ``status="dead"`` is the dead-letter queue."""
    query = (
        select(Job)
        .where(Job.shop_id.in_(list(shop_ids)))
        .order_by(Job.created_at.desc())
        .limit(limit)
    )
    if status:
        query = query.where(Job.status == status)
    return list(db.scalars(query))


def retry_dead(*, db: Session, job_id: str, shop_ids: frozenset[str], now: datetime) -> Job | None:
    """Put a dead-lettered job back in the queue with a fresh attempt budget."""
    job = db.get(Job, job_id)
    if job is None or job.status != JobStatus.DEAD or job.shop_id not in shop_ids:
        return None
    job.status = JobStatus.QUEUED
    job.attempts = 0
    job.run_at = now
    job.finished_at = None
    return job
