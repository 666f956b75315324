"""Bulk import rates for ``kefu bench ingest``: the batched order and customer imports against
one order or customer per transaction, on whichever database the caller prepared."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._common import Result

_CSV_HEADER = (
    "order_id,placed_at,status,currency,customer_external_id,customer_email,customer_name,"
    "sku,title,quantity,unit_price,shipping_fee,discount,carrier,tracking_number\n"
)


def _orders_csv(path: Path, orders: int, seed: int = 3) -> int:
    """Write an orders CSV (1-3 lines per order); returns the number of data rows."""
    rng = random.Random(seed)
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(_CSV_HEADER)
        for i in range(orders):
            oid = f"113-{i:07d}-{rng.randrange(10**7):07d}"
            buyer = i % 5000
            day = 0
            for line in range(rng.choice([1, 1, 2, 3])):
                # Every line draws a day, as before, but the lines of one order agree on it.
                drawn = rng.randrange(1, 28)
                day = day or drawn
                price = rng.randrange(100, 9999) / 100
                out.write(
                    f"{oid},2026-11-{day:02d}T10:00:00Z,shipped,USD,B{buyer},"
                    f"b{buyer}@example.org,Buyer {buyer},SKU-{line},Item {line},"
                    f"{rng.randrange(1, 4)},{price:.2f},4.99,0,UPS,1Z999AA1{i:010d}\n"
                )
                rows += 1
    return rows


# First imports are timed this many times, each into a shop of its own, and the median is the
# headline: on this shared 2-core machine one run of the same import took 1.4 to 2.2 s.
RUNS = 3


def _fresh_shop(services: Any, slug: str) -> str:
    """A new, empty shop in the benchmark database: a first import needs one each run."""
    from kefu.shops import service as shops
    from kefu.shops.schemas import ShopCreate

    with services.sessions() as db, db.begin():
        shop = shops.create(db=db, shop_in=ShopCreate(slug=slug, name=slug, platform="amazon"))
    return str(shop.id)


def _settled(services: Any) -> None:
    from bench.bench_ingest import _settle  # the ingest bench's own phase boundary

    _settle(services)


def _first_imports(
    services: Any, name: str, run: Callable[[str], Any], measure_server: bool
) -> tuple[list[tuple[float, float, float | None]], str]:
    """(wall, client CPU, server CPU) of RUNS first imports, each into a fresh shop, in run
    order; and the last shop's id."""
    timings = []
    shop_id = ""
    for n in range(RUNS):
        shop_id = _fresh_shop(services, f"{name}-{n}")
        _settled(services)
        before = _server_cpu(services) if measure_server else None
        report, wall, cpu = _timed(lambda shop=shop_id: run(shop))
        assert not report.problems, report
        timings.append((wall, cpu, _server_cpu_used(services, before)))
    return timings, shop_id


def _median_run(
    name: str, rows: int, timings: list[tuple[float, float, float | None]]
) -> list[Result]:
    """The median run's rates, and the fastest and slowest runs' rows/s."""
    ordered = sorted(timings)
    wall, cpu, server = ordered[len(ordered) // 2]
    system = "kefu-bulk-import"
    out = [
        Result(name, system, "rows_per_s", rows / wall, "rows/s"),
        Result(name, system, "rows_per_s_fastest_run", rows / ordered[0][0], "rows/s"),
        Result(name, system, "rows_per_s_slowest_run", rows / ordered[-1][0], "rows/s"),
        Result(name, system, "rows_per_client_cpu_s", rows / cpu, "rows/s"),
    ]
    if server:
        out.append(Result(name, system, "rows_per_server_cpu_s", rows / server, "rows/s"))
    return out


def _client_cpu() -> float:
    """CPU seconds of this process and of its children that have ended (a large import's
    writer process)."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


def _timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, client CPU seconds: the database server's is not in it)."""
    wall, cpu = time.perf_counter(), _client_cpu()
    result = work()
    return result, time.perf_counter() - wall, _client_cpu() - cpu


def _server_cpu(services: Any) -> dict[int, float] | None:
    """CPU seconds so far of each PostgreSQL backend serving this database, and (under key 0)
    of the backends that have ended, which the postmaster has reaped (a large import's writer
    process connects and leaves within the run), read from /proc; None on SQLite or when the
    server runs elsewhere."""
    if services.engine.dialect.name != "postgresql":
        return None
    with services.engine.connect() as conn:
        pids = conn.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        ).scalars()
        try:
            own = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            cpu = {pid: _process_cpu(pid) for pid in pids}
            cpu[0] = _process_cpu(_stat(own)[0], reaped=True)  # its parent's
            return cpu
        except OSError:
            return None


def _stat(pid: int) -> list[int]:
    """The numeric fields of /proc/PID/stat after the command name (state left out)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1:]
    return [int(field) for field in fields]


def _process_cpu(pid: int, *, reaped: bool = False) -> float:
    """utime + stime of a process, or with ``reaped``, of its children that have ended."""
    fields = _stat(pid)
    at = 12 if reaped else 10  # cutime, cstime; utime, stime
    return (fields[at] + fields[at + 1]) / os.sysconf("SC_CLK_TCK")


def _server_cpu_used(services: Any, before: dict[int, float] | None) -> float | None:
    time.sleep(0.2)  # for the writer process's backend to end and be reaped
    after = _server_cpu(services)
    if before is None or after is None:
        return None
    # Backends the pool opened during the run count from zero.
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def import_rates(name: str, services: Any, tmp: Path, orders: int) -> list[Result]:
    """Rows/s of a first import and a re-import of the same file, and of the unbatched baseline."""
    from kefu.core.tabular import RowProblem, read_rows
    from kefu.orders.bulk import upsert_orders
    from kefu.orders.flows import import_orders_file
    from kefu.orders.importer import parse_orders

    path = tmp / f"orders-{name}.csv"
    rows = _orders_csv(path, orders)

    def run_import(shop_id: str) -> Any:
        return import_orders_file(session_factory=services.sessions, shop_id=shop_id, path=path)

    timings, shop_id = _first_imports(services, name, run_import, measure_server=True)
    again_report, again, again_cpu = _timed(lambda: run_import(shop_id))
    assert again_report.unchanged == orders and not again_report.created, again_report
    # Baseline: the same upsert without batching, one order per transaction, on 1,000 orders
    # parsed beforehand (the baseline is not charged for parsing).
    parsed = parse_orders(read_rows(path), csv_layout=True)
    sample = [item[1] for item in parsed if not isinstance(item, RowProblem)][:1000]
    sample_rows = sum(len(o.items) for o in sample)
    for o in sample:
        o.external_id = "B" + o.external_id

    def unbatched() -> None:
        for o in sample:
            with services.sessions() as db, db.begin():
                upsert_orders(db=db, shop_id=shop_id, orders=[o])

    _, naive_time, _ = _timed(unbatched)
    naive = sample_rows / naive_time
    first = sorted(timings)[len(timings) // 2][0]
    return [
        *_median_run(name, rows, timings),
        Result(name, "kefu-bulk-reimport", "rows_per_s", rows / again, "rows/s"),
        Result(name, "kefu-bulk-reimport", "rows_per_client_cpu_s", rows / again_cpu, "rows/s"),
        Result(name, "baseline-unbatched-per-order", "rows_per_s", naive, "rows/s"),
        Result(name, "kefu-bulk-import", "ratio_to_baseline", rows / first / naive, "x"),
    ]


def _customers_csv(path: Path, customers: int) -> int:
    """A customers CSV, one customer per row, each known by buyer id, email and phone."""
    with path.open("w", encoding="utf-8") as out:
        out.write("external_id,name,email,phone,country,language\n")
        for i in range(customers):
            out.write(f"C{i},Customer {i},c{i}@example.org,+1555{i:07d},US,en\n")
    return customers


def customer_import_rates(name: str, services: Any, tmp: Path, customers: int) -> list[Result]:
    """Rows/s of a first customers import and a re-import, against the per-customer upsert the
    API runs (one customer per transaction) on 1,000 of them."""
    from kefu.customers import service
    from kefu.customers.flows import import_customers_file
    from kefu.customers.schemas import CustomerIn

    path = tmp / f"customers-{name}.csv"
    rows = _customers_csv(path, customers)

    def run_import(shop_id: str) -> Any:
        return import_customers_file(session_factory=services.sessions, shop_id=shop_id, path=path)

    timings, shop_id = _first_imports(services, name, run_import, measure_server=True)
    again_report, again, _ = _timed(lambda: run_import(shop_id))
    assert again_report.unchanged == customers, again_report
    sample = [
        CustomerIn(external_id=f"X{i}", name=f"X {i}", email=f"x{i}@example.org")
        for i in range(1000)
    ]

    def one_by_one() -> None:
        for customer_in in sample:
            with services.sessions() as db, db.begin():
                service.upsert(db=db, shop_id=shop_id, customer_in=customer_in)

    _, naive_time, _ = _timed(one_by_one)
    naive = len(sample) / naive_time
    first = sorted(timings)[len(timings) // 2][0]
    return [
        *_median_run(name, rows, timings),
        Result(name, "kefu-bulk-reimport", "rows_per_s", rows / again, "rows/s"),
        Result(name, "baseline-api-upsert-per-customer", "rows_per_s", naive, "rows/s"),
        Result(name, "kefu-bulk-import", "ratio_to_baseline", rows / first / naive, "x"),
    ]
