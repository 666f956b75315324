"""``kefu worker``: claim due jobs, run their handlers, retry with backoff, dead-letter."""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
import uuid

from kefu.channels.base import PermanentDeliveryError
from kefu.jobs.handlers import Handler, JobHooks, default_handlers, default_hooks
from kefu.services import Services
from kefu.storage import jobs

log = logging.getLogger("kefu.worker")


class Worker:
    """One worker process; run any number of them against the same database."""

    def __init__(
        self,
        services: Services,
        *,
        handlers: dict[str, Handler] | None = None,
        hooks: dict[str, JobHooks] | None = None,
    ) -> None:
        self.services = services
        self.handlers = handlers or default_handlers()
        self.hooks = default_hooks() if hooks is None else hooks
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._stop = threading.Event()

    def stop(self) -> None:
        """Finish the current job, then return from ``run``."""
        self._stop.set()

    def run_once(self, *, limit: int = 10) -> int:
        """Run up to ``limit`` due jobs; returns how many were taken.

        Each job is claimed just before it runs, so its lease covers that job alone: leasing
        a batch let the lease of the jobs still waiting their turn run out, and another worker
        could then send them too.
        """
        taken = 0
        while taken < limit and not self._stop.is_set():
            claimed = self._claim()
            if claimed is None:
                break
            taken += 1
            job_id, kind, payload, lost = claimed
            if lost is not None:
                self._record_failure(job_id, kind, payload, lost)
            else:
                # Also a lost last attempt's extra run: the worker may have died after the
                # handler's work but before recording it, and the handler is idempotent.
                self._run(job_id, kind, payload)
        return taken

    def _claim(self) -> tuple[str, str, dict[str, object], WorkerLost | None] | None:
        """Lease one due job; with a ``WorkerLost`` when it must be dead-lettered unrun."""
        with self.services.sessions() as db, db.begin():
            claimed = jobs.claim(
                db=db,
                worker_id=self.worker_id,
                now=self.services.clock.now(),
                lease_seconds=self.services.settings.job_lease_seconds,
                limit=1,
            )
            if not claimed:
                return None
            job = claimed[0]
            lost = None
            if jobs.lost_for_good(job):
                job.attempts -= 1  # this claim only buries the job: it is not a run
                lost = WorkerLost(first=job.max_attempts, last=job.attempts)
            return job.id, job.kind, dict(job.payload), lost

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
            self._record_failure(job_id, kind, payload, exc)
            return
        with self.services.sessions() as db, db.begin():
            jobs.complete(
                db=db, job_id=job_id, worker_id=self.worker_id, now=self.services.clock.now()
            )

    def _record_failure(
        self, job_id: str, kind: str, payload: dict[str, object], exc: Exception
    ) -> None:
        error = "".join(traceback.format_exception_only(exc)).strip()
        log.warning("job %s failed: %s", job_id, error)
        with self.services.sessions() as db, db.begin():
            failed = jobs.fail(
                db=db,
                job_id=job_id,
                worker_id=self.worker_id,
                now=self.services.clock.now(),
                error=error,
                give_up=isinstance(exc, PermanentDeliveryError | WorkerLost),
            )
            hooks = self.hooks.get(kind)
            if failed is not None and failed.status == jobs.JobStatus.DEAD and hooks:
                hooks.on_dead(db, dict(payload))


class WorkerLost(Exception):
    """The workers of the job's last attempt and of its extra run(s) all stopped before
    finishing: the job probably kills them, so it is dead-lettered without another run."""

    def __init__(self, *, first: int, last: int) -> None:
        runs = f"attempt {first}" if first == last else f"attempts {first} to {last}"
        super().__init__(f"the workers of {runs} stopped before finishing it")
