"""``kefu bench api``: the HTTP part of ``kefu bench ingest`` on its own (a live ``kefu serve``
on loopback, 1 and 16 concurrent clients, and the batch endpoint), on SQLite and, when
``KEFU_BENCH_POSTGRES_URL`` or ``KEFU_TEST_POSTGRES_URL`` is set, PostgreSQL."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench._common import Result
from bench.bench_ingest import _database_urls, _drop_postgres, _prepare, http_rates, seed_history


def run(*, quick: bool = False) -> list[Result]:
    count = 1_000 if quick else 10_000
    http_count = 300 if quick else 2_000
    rows: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        for dialect, url in _database_urls(Path(tmp)):
            try:
                services, token = _prepare(url)
                # The same history as the ingest benchmark has by the time it serves HTTP.
                seed_history(services, count)
                services.engine.dispose()
                rows += http_rates(dialect, url, token, http_count)
            finally:
                if dialect == "postgresql":
                    _drop_postgres(url)
    return rows
