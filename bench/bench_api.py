"""``kefu bench api``: the HTTP part of ``kefu bench ingest`` on its own (a live ``kefu serve``
on loopback, 1 and 16 concurrent clients, and the batch endpoint), on SQLite and, when
``KEFU_BENCH_POSTGRES_URL`` or ``KEFU_TEST_POSTGRES_URL`` is set, PostgreSQL."""

from __future__ import annotations

from bench._common import Result
from bench.bench_ingest import http_rates, prepared_databases


def run(*, quick: bool = False) -> list[Result]:
    count = 1_000 if quick else 10_000
    http_count = 300 if quick else 2_000
    rows: list[Result] = []
    # The same history as the ingest benchmark has by the time it serves HTTP.
    with prepared_databases(count) as databases:
        for dialect, url, services, token in databases:
            services.engine.dispose()
            rows += http_rates(dialect, url, token, http_count)
    return rows
