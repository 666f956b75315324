"""Scale-out row for ``kefu bench ingest`` on PostgreSQL: several processes ingest at once.

PostgreSQL is Kefu's multi-process database: webhook receivers and workers on any number of
machines write to it together. Each process here runs the same service-layer ingest (batches
of 100, 10 % repeats) on its own customers and threads; the clock starts when all of them have
loaded their models, and the rate is all messages over the slowest process's time.
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.synchronize import Event
from typing import Any

from bench._common import Result

BATCH = 100


def _bodies(part: int, count: int) -> list[dict[str, Any]]:
    from bench.bench_ingest import _messages

    return [
        {
            **body,
            "external_id": f"p{part}-{body['external_id']}",
            "thread_id": f"p{part}-{body['thread_id']}",
            "customer": {"external_id": f"P{part}-{body['customer']['external_id']}"},
        }
        for body in _messages(count, 0.10, seed=100 + part)
    ]


def _worker(url: str, part: int, count: int, ready: Any, go: Event, done: Any) -> None:
    from sqlalchemy import text

    from bench.bench_ingest import warm_up
    from kefu.config import Settings
    from kefu.inbox.ingest import ingest_batch
    from kefu.inbox.schemas import InboundMessageIn
    from kefu.services import build_services

    services = build_services(Settings(database_url=url))
    warm_up(services)
    messages = [InboundMessageIn.model_validate(b) for b in _bodies(part, count)]
    with services.sessions() as db:
        shop_ids = {db.execute(text("SELECT id FROM shops")).scalar_one()}
    ready.put(part)
    go.wait()
    start, cpu = time.perf_counter(), time.process_time()
    for at in range(0, len(messages), BATCH):
        ingest_batch(
            deps=services.ingest_deps,
            shop_ids=shop_ids,
            now=services.clock.now(),
            messages=messages[at : at + BATCH],
        )
    done.put((time.perf_counter() - start, time.process_time() - cpu, len(messages)))
    services.engine.dispose()


def parallel_ingest(name: str, url: str, count: int, processes: int = 2) -> list[Result]:
    """Messages/s of ``processes`` ingest processes writing to one PostgreSQL database."""
    context = multiprocessing.get_context("spawn")
    ready, done, go = context.Queue(), context.Queue(), context.Event()
    share = count // processes
    workers = [
        context.Process(target=_worker, args=(url, part, share, ready, go, done))
        for part in range(processes)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=300)
    go.set()
    outcomes = [done.get(timeout=1800) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    slowest = max(elapsed for elapsed, _, _ in outcomes)
    total = sum(n for _, _, n in outcomes)
    cpu = sum(c for _, c, _ in outcomes) * 1000 / total
    system = f"kefu-service-batch-{BATCH}-{processes}-processes"
    return [
        Result(name, system, "messages_per_s", total / slowest, "msg/s"),
        Result(name, system, "cpu_ms_per_message", cpu, "ms"),
    ]
