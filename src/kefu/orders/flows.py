"""Importing an orders file in batches, each batch its own transaction."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from kefu.core.tabular import ImportReport, RowProblem, read_rows
from kefu.orders.bulk import upsert_orders
from kefu.orders.importer import parse_orders
from kefu.orders.schemas import OrderIn

BATCH_SIZE = 1000


def _apply_batch(
    factory: sessionmaker[Session],
    shop_id: str,
    batch: list[tuple[int, OrderIn]],
    report: ImportReport,
) -> None:
    try:
        with factory() as db, db.begin():
            result = upsert_orders(db=db, shop_id=shop_id, orders=[o for _, o in batch])
    except SQLAlchemyError:
        if len(batch) == 1:
            number = batch[0][0]
            assert report.problems is not None
            report.problems.append(RowProblem(number, "", "the database refused this order"))
            return
        # One bad order must not sink its neighbours: retry the halves.
        middle = len(batch) // 2
        _apply_batch(factory, shop_id, batch[:middle], report)
        _apply_batch(factory, shop_id, batch[middle:], report)
        return
    report.created += result.created
    report.updated += result.updated
    report.unchanged += result.unchanged


def import_orders_file(
    *,
    session_factory: sessionmaker[Session],
    shop_id: str,
    path: Path,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert every valid order of a CSV/JSONL file; report each bad row with its reason."""
    report = ImportReport()
    parsed = parse_orders(read_rows(path), csv_layout=path.suffix.lower() == ".csv")
    assert report.problems is not None
    while True:
        chunk = list(islice(parsed, BATCH_SIZE))
        if not chunk:
            return report
        batch = [item for item in chunk if not isinstance(item, RowProblem)]
        report.problems.extend(item for item in chunk if isinstance(item, RowProblem))
        if batch:
            _apply_batch(session_factory, shop_id, batch, report)
        if on_progress:
            on_progress(len(chunk))
