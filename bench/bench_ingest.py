"""Ingest throughput: the service layer and HTTP against a live server, SQLite and PostgreSQL.

10,000 inbound messages (10% are repeats of earlier deliveries, as webhook retries are) go
through the full ingest: dedupe, customer match, triage, threading, commit. The baseline in the
same run is the floor any durable ingest pays: one INSERT and COMMIT per message, nothing else.
PostgreSQL rows appear when KEFU_BENCH_POSTGRES_URL or KEFU_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from bench._common import Result, latency_results, machine_speed, percentile
from bench.http_load import get_all, post_all
from bench.ingest_import import customer_import_rates, import_rates
from bench.ingest_processes import parallel_ingest

PHRASES = [
    "Where is my order {order}? It has been two weeks.",
    "The blender arrived broken, I want a refund please",
    "亲，我的订单{order}怎么还没发货啊",
    "在吗 东西收到了但是少了一个 怎么处理",
    "¿Dónde está mi pedido? Lo necesito para el viernes",
    "Bonjour, je voudrais retourner l'article, il ne me va pas",
    "Hallo, die Lieferung ist beschädigt angekommen. Was nun?",
    "Здравствуйте, когда придет мой заказ?",
    "Can I change the shipping address on {order}?",
    "THIS IS UNACCEPTABLE. I will open an A-to-z claim today",
]


def _messages(count: int, duplicates: float, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    unique = int(count * (1 - duplicates))
    bodies = []
    for n in range(unique):
        order = f"113-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
        bodies.append(
            {
                "shop": "bench-shop",
                "channel": "amazon",
                "external_id": f"m-{n}",
                "thread_id": f"t-{n // 3}",
                "customer": {"external_id": f"BUYER{n // 3}", "name": f"Buyer {n // 3}"},
                "text": rng.choice(PHRASES).format(order=order),
            }
        )
    bodies += [dict(rng.choice(bodies)) for _ in range(count - unique)]
    rng.shuffle(bodies)
    return bodies


def _database_urls(tmp: Path) -> list[tuple[str, str]]:
    urls = [("sqlite", f"sqlite:///{tmp / 'bench.db'}")]
    pg = os.environ.get("KEFU_BENCH_POSTGRES_URL") or os.environ.get("KEFU_TEST_POSTGRES_URL")
    if pg:
        urls.append(("postgresql", _fresh_postgres(pg)))
    return urls


def _fresh_postgres(base: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    name = f"kefu_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(
        url.set(drivername="postgresql").render_as_string(False), autocommit=True
    ) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return url.set(drivername="postgresql+psycopg", database=name).render_as_string(False)


def _drop_postgres(url_str: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(url_str)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def _settle(services: Any) -> None:
    """On PostgreSQL, vacuum, analyze and checkpoint before each timed bulk or HTTP phase, as
    pgbench vacuums before each run, so that a phase does not pay for the maintenance the one
    before set off: the HTTP run after 40,000 imported rows read a p99 of 81 ms once, against
    22-37 ms for the same HTTP run on a fresh database in ``kefu bench api``. SQLite has no
    background work."""
    if services.engine.dialect.name != "postgresql":
        return
    with services.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("VACUUM ANALYZE")
        conn.exec_driver_sql("CHECKPOINT")


def _prepare(url: str) -> tuple[Any, str]:
    from kefu.accounts import service as accounts
    from kefu.accounts.schemas import MembershipIn, UserCreate
    from kefu.config import Settings
    from kefu.services import build_services
    from kefu.shops import service as shops
    from kefu.shops.schemas import ShopCreate
    from kefu.storage.migrate import upgrade

    upgrade(url)
    services = build_services(Settings(database_url=url))
    with services.sessions() as db, db.begin():
        shops.create(
            db=db,
            shop_in=ShopCreate(
                slug="bench-shop",
                name="Bench",
                platform="amazon",
                languages=["en", "zh", "es", "fr", "de", "ru"],
            ),
        )
        user = accounts.create(
            db=db,
            user_in=UserCreate(
                email="bench@example.com", memberships=[MembershipIn(shop="bench-shop")]
            ),
        )
        token = accounts.create_token(db=db, user=user)
    return services, token


def warm_up(services: Any) -> None:
    """Load the analyzer and its dictionaries before any clock starts."""
    from kefu.inbox.triage import TriageRequest

    for phrase in PHRASES:
        services.triager.triage(TriageRequest(text=phrase, platform="amazon", languages=("zh",)))


def seed_history(services: Any, count: int) -> None:
    """Give the shop ``count`` earlier messages (other customers, other threads), then ANALYZE,
    as autovacuum keeps a live database analyzed. Timed from an empty, never-analyzed database,
    PostgreSQL planned the dedupe look-up with no statistics: it filtered every stored message
    of the shop instead of using the whole unique key, a cost no running desk sees."""
    from kefu.inbox.ingest import ingest_batch
    from kefu.inbox.schemas import InboundMessageIn

    with services.sessions() as db:
        shop_ids = {db.execute(text("SELECT id FROM shops")).scalar_one()}
    history = [
        InboundMessageIn.model_validate(
            {
                **body,
                "external_id": f"hist-{n}",
                "thread_id": f"hist-t-{n // 3}",
                "customer": {"external_id": f"HBUYER{n // 3}"},
            }
        )
        for n, body in enumerate(_messages(count, 0.0, seed=29))
    ]
    for at in range(0, len(history), 500):
        ingest_batch(
            deps=services.ingest_deps,
            messages=history[at : at + 500],
            shop_ids=shop_ids,
            now=services.clock.now(),
        )
    with services.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def _service_layer(name: str, services: Any, bodies: list[dict[str, Any]]) -> list[Result]:
    """One message per call (a webhook per message), then the same stream in batches of 100
    (a webhook that delivers many), each batch its own database; duplicates included."""
    from kefu.inbox.ingest import ingest_batch
    from kefu.inbox.schemas import InboundMessageIn

    with services.sessions() as db:
        shop_ids = {db.execute(text("SELECT id FROM shops")).scalar_one()}
    warm_up(services)
    messages = [InboundMessageIn.model_validate(b) for b in bodies]
    rows: list[Result] = []
    bases = _baselines(services, len(bodies))
    for system, size, prefix in (("kefu-service", 1, "s"), ("kefu-service-batch-100", 100, "b")):
        stream = [m.model_copy(update={"external_id": prefix + m.external_id}) for m in messages]
        latencies = []
        cpu, start = time.process_time(), time.perf_counter()
        for at in range(0, len(stream), size):
            t0 = time.perf_counter()
            ingest_batch(
                deps=services.ingest_deps,
                shop_ids=shop_ids,
                now=services.clock.now(),
                messages=stream[at : at + size],
            )
            latencies.append((time.perf_counter() - t0) * 1000)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        rate = len(stream) / elapsed
        rows += [
            Result(name, system, "messages_per_s", rate, "msg/s"),
            Result(name, system, "cpu_ms_per_message", cpu * 1000 / len(stream), "ms"),
            Result(name, system, f"ratio_to_baseline_commit_every_{size}", rate / bases[size], "x"),
        ]
        rows += latency_results(name, system + ("-per-call" if size > 1 else ""), latencies)
    for size, rate in bases.items():
        system = f"baseline-insert-commit-every-{size}"
        rows.append(Result(name, system, "messages_per_s", rate, "msg/s"))
    return rows


def _baselines(services: Any, count: int) -> dict[int, float]:
    """Rows/s of the floor: a bare INSERT per row, committed per row and per 100 rows."""
    with services.engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_floor (id VARCHAR(40) PRIMARY KEY, body TEXT)"))
    rates = {}
    for size in (1, 100):
        start = time.perf_counter()
        for at in range(0, count, size):
            with services.engine.begin() as conn:
                conn.execute(
                    text("INSERT INTO bench_floor VALUES (:i, :b)"),
                    [{"i": f"r{size}-{n}", "b": "Where?"} for n in range(at, at + size)],
                )
        rates[size] = count / (time.perf_counter() - start)
    return rates


def _start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KEFU_DATABASE_URL": url, "KEFU_LOG_LEVEL": "warning"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kefu.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("kefu serve did not start")


def http_rates(dialect: str, url: str, token: str, count: int) -> list[Result]:
    """Requests/s and latency of POST /messages/inbound against a live ``kefu serve``."""
    bodies = [
        {**b, "external_id": f"h{n}-{b['external_id']}"}
        for n, b in enumerate(_messages(count, 0.0, seed=5))
    ]
    return _http(f"ingest-http-{count}-{dialect}", url, token, bodies)


def _http(name: str, url: str, token: str, bodies: list[dict[str, Any]]) -> list[Result]:
    port = random.randrange(20000, 40000)
    proc = _start_server(url, port)
    rows: list[Result] = []
    try:
        warm_up = [{**b, "external_id": f"warm-{n}"} for n, b in enumerate(bodies[:30])]
        _http_run(name, port, token, warm_up, 1)  # the server's first requests are not timed
        for clients in (1, 16):
            batch = [{**b, "external_id": f"{b['external_id']}-c{clients}"} for b in bodies]
            rows += _http_run(name, port, token, batch, clients)
        rows += _http_batches(name, port, token, bodies)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return rows


def _http_run(
    name: str, port: int, token: str, bodies: list[dict[str, Any]], clients: int
) -> list[Result]:
    # Baseline, same server and clients: GET /health, one database read and no triage.
    floor = get_all(port, "/api/v1/health", len(bodies), clients)
    run = post_all(port, "/api/v1/messages/inbound", token, bodies, clients)
    system = f"kefu-http-{clients}-clients"
    baseline = f"baseline-get-health-{clients}-clients"
    return [
        Result(name, baseline, "requests_per_s", floor.requests_per_s, "req/s"),
        Result(name, system, "ratio_to_baseline", run.requests_per_s / floor.requests_per_s, "x"),
        Result(name, system, "requests_per_s", run.requests_per_s, "req/s"),
        Result(name, system, "latency_p50", percentile(run.latencies_ms, 50), "ms"),
        Result(name, system, "latency_p99", percentile(run.latencies_ms, 99), "ms"),
    ]


def _http_batches(
    name: str, port: int, token: str, bodies: list[dict[str, Any]], size: int = 100
) -> list[Result]:
    """The same messages through POST /messages/inbound/batch, 100 per request, one client."""
    stream = [{**b, "external_id": f"{b['external_id']}-batch"} for b in bodies]
    batches = [{"messages": stream[at : at + size]} for at in range(0, len(stream), size)]
    run = post_all(port, "/api/v1/messages/inbound/batch", token, batches, 1)
    system = f"kefu-http-batch-{size}-1-client"
    return [
        Result(name, system, "messages_per_s", len(stream) / run.elapsed_s, "msg/s"),
        Result(name, system, "request_latency_p50", percentile(run.latencies_ms, 50), "ms"),
        Result(name, system, "request_latency_p99", percentile(run.latencies_ms, 99), "ms"),
    ]


@contextmanager
def prepared_databases(count: int) -> Iterator[Iterator[tuple[str, str, Any, str]]]:
    """(dialect, url, services, token) for each configured database, its shop holding
    ``count`` earlier messages; each PostgreSQL database is dropped after its turn."""
    with tempfile.TemporaryDirectory() as tmp:

        def each() -> Iterator[tuple[str, str, Any, str]]:
            for dialect, url in _database_urls(Path(tmp)):
                try:
                    services, token = _prepare(url)
                    seed_history(services, count)
                    yield dialect, url, services, token
                finally:
                    if dialect == "postgresql":
                        _drop_postgres(url)

        yield each()


def run(*, quick: bool = False) -> list[Result]:
    """Service-layer and HTTP ingest rates on each configured database."""
    count = 1_000 if quick else 10_000
    http_count = 300 if quick else 2_000
    orders = 2_000 if quick else 20_000
    rows: list[Result] = [machine_speed()]
    with prepared_databases(count) as databases, tempfile.TemporaryDirectory() as tmp:
        for dialect, url, services, token in databases:
            bodies = _messages(count, 0.10)
            rows += _service_layer(f"ingest-{count}-{dialect}", services, bodies)
            if dialect == "postgresql":
                rows += parallel_ingest(f"ingest-{count}-{dialect}", url, count)
            _settle(services)
            rows += import_rates(f"import-{orders}-orders-{dialect}", services, Path(tmp), orders)
            _settle(services)
            rows += customer_import_rates(
                f"import-{orders}-customers-{dialect}", services, Path(tmp), orders
            )
            _settle(services)
            services.engine.dispose()
            rows += http_rates(dialect, url, token, http_count)
    return rows
