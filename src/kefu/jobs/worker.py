"""``kefu worker``: claim due jobs, run their handlers, retry with backoff, dead-letter."""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
import uuid

from kefu.channels.base import PermanentDeliveryError
from kefu.jobs.handlers import Handler, default_handlers
from kefu.services import Services
from kefu.storage import jobs
from kefu.storage.jobs import Job

log = logging.getLogger("kefu.worker")


class Worker:
    """One worker process; run any number of them against the same database."""

    def __init__(self, services: Services, *, handlers: dict[str, Handler] | None = None) -> None:
        self.services = services
        self.handlers = handlers or default_handlers()
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._stop = threading.Event()

    def stop(self) -> None:
        """Finish the current job, then return from ``run``."""
        self._stop.set()

    def run_once(self, *, limit: int = 10) -> int:
        """Claim and run up to ``limit`` due jobs; returns how many ran."""
        settings = self.services.settings
        with self.services.sessions() as db, db.begin():
            claimed = jobs.claim(
                db=db,
                worker_id=self.worker_id,
                now=self.services.clock.now(),
                lease_seconds=settings.job_lease_seconds,
                limit=limit,
            )
            batch = [(job.id, job.kind, dict(job.payload)) for job in claimed]
        for job_id, kind, payload in batch:
            self._run(job_id, kind, payload)
        return len(batch)

    def run(self) -> None:
        """Poll until stopped."""
        log.info("worker %s started", self.worker_id)
        while not self._stop.is_set():
            if self.run_once() == 0:
                self._stop.wait(self.services.settings.worker_poll_seconds)

    def _run(self, job_id: str, kind: str, payload: dict[str, object]) -> None:
        handler = self.handlers.get(kind)
        try:
            if handler is None:
                raise PermanentDeliveryError(f"no handler for job kind {kind!r}")
            handler(payload, self.services)
        except Exception as exc:
            self._record_failure(job_id, exc)
            return
        with self.services.sessions() as db, db.begin():
            jobs.complete(
                db=db, job_id=job_id, worker_id=self.worker_id, now=self.services.clock.now()
            )

    def _record_failure(self, job_id: str, exc: Exception) -> None:
        error = "".join(traceback.format_exception_only(exc)).strip()
        log.warning("job %s failed: %s", job_id, error)
        with self.services.sessions() as db, db.begin():
            if isinstance(exc, PermanentDeliveryError):
                job = db.get(Job, job_id)
                if job is not None:
                    job.attempts = job.max_attempts
            jobs.fail(
                db=db,
                job_id=job_id,
                worker_id=self.worker_id,
                now=self.services.clock.now(),
                error=error,
            )
