"""Group commit for single-message ingest: concurrent deliveries share one batch transaction.

When many webhooks arrive at once, each request thread would otherwise pay its own snapshot
queries, inserts and commit (and on SQLite wait for the write lock). Here the first waiting
request leads: it takes every queued message of the same caller, stores them with one
``ingest_batch`` and hands each request its own result; the others only wait. A request still
gets its answer after the commit that holds its message. With one client nothing is queued and
a message is stored alone, exactly as before.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from kefu.inbox.ingest import IngestDeps, ingest_batch
from kefu.inbox.schemas import InboundMessageIn, IngestResult


@dataclass
class _Job:
    message_in: InboundMessageIn
    shop_ids: frozenset[str]
    now: datetime
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    result: IngestResult | None = None
    error: BaseException | None = None


class IngestQueue:
    """Stores single messages, joining concurrent ones into batches of at most ``max_batch``."""

    def __init__(self, deps: IngestDeps, *, max_batch: int = 64) -> None:
        self._deps = deps
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._waiting: list[_Job] = []
        self._leading = False

    def ingest(
        self, *, message_in: InboundMessageIn, shop_ids: Collection[str], now: datetime
    ) -> IngestResult:
        """Store one message (idempotent, like ``ingest_message``) and return its ids."""
        job = _Job(message_in=message_in, shop_ids=frozenset(shop_ids), now=now)
        with self._lock:
            self._waiting.append(job)
            if not self._leading:
                self._leading = job.lead = True
        if not job.lead:
            job.done.wait()
        if job.lead:
            self._lead()
            job.done.wait()
        if job.error is not None:
            raise job.error
        if job.result is None:
            raise RuntimeError("the batch holding this message stopped before storing it")
        return job.result

    def _lead(self) -> None:
        """Store one batch, then pass the lead to a waiting request, or give it up."""
        batch = self._take()
        try:
            _store(self._deps, batch)
        finally:
            with self._lock:
                if self._waiting:
                    successor = self._waiting[0]
                    successor.lead = True
                    successor.done.set()
                else:
                    self._leading = False
            for job in batch:
                job.done.set()

    def _take(self) -> list[_Job]:
        with self._lock:
            first = self._waiting[0]
            batch = [j for j in self._waiting if j.shop_ids == first.shop_ids]
            batch = batch[: self._max_batch]
            taken = {id(j) for j in batch}
            self._waiting = [j for j in self._waiting if id(j) not in taken]
        for job in batch:
            job.lead = False
        return batch


def _store(deps: IngestDeps, batch: list[_Job]) -> None:
    """Store the batch together; if that fails, each message alone, so one bad message (an
    unknown shop, an oversized text) fails only its own request."""
    if len(batch) == 1:
        _store_alone(deps, batch[0])
        return
    try:
        results = ingest_batch(
            deps=deps,
            messages=[j.message_in for j in batch],
            shop_ids=batch[0].shop_ids,
            now=batch[0].now,
        )
    except Exception:
        for job in batch:
            _store_alone(deps, job)
        return
    for job, result in zip(batch, results, strict=True):
        job.result = result


def _store_alone(deps: IngestDeps, job: _Job) -> None:
    try:
        [job.result] = ingest_batch(
            deps=deps, messages=[job.message_in], shop_ids=job.shop_ids, now=job.now
        )
    except Exception as error:
        job.error = error
