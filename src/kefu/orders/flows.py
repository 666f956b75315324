"""Importing an orders file in batches, each batch its own transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from kefu.core.collector import collector_paused
from kefu.core.pipeline import ceding, write_behind
from kefu.core.tabular import ImportReport, RowProblem, csv_key_counts, read_rows
from kefu.orders.bulk import KnownIdentities, fingerprint, plan_orders, upsert_orders
from kefu.orders.importer import ORDER_KEY_COLUMNS, REQUIRED_COLUMNS, parse_orders
from kefu.orders.schemas import OrderIn
from kefu.storage.bulk import BulkResult, copy_payload, threads_may_share, write_or_split
from kefu.storage.copy_writer import CopyWriter, Planned, write_through, writer_process_fits
from kefu.storage.engine import libpq_conninfo

BATCH_SIZE = 1000
CEDE_EVERY = 10  # orders parsed between hand-overs to the writer thread (see ceding)


@dataclass
class _Outcome:
    """What one batch did; merged into the report in file order."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True)
class _Parsed:
    """A valid order with its row number and content fingerprint."""

    row: int
    order: OrderIn
    fingerprint: str


def _apply_batch(
    factory: sessionmaker[Session],
    shop_id: str,
    batch: list[_Parsed],
    outcome: _Outcome,
) -> _Outcome:
    def write(db: Session, parsed: list[_Parsed]) -> BulkResult:
        return upsert_orders(
            db=db,
            shop_id=shop_id,
            orders=[p.order for p in parsed],
            fingerprints=[p.fingerprint for p in parsed],
        )

    def refused(parsed: _Parsed) -> None:
        outcome.problems.append(RowProblem(parsed.row, "", "the database refused this order"))

    result = write_or_split(factory, batch, write, refused)
    outcome.created += result.created
    outcome.updated += result.updated
    outcome.unchanged += result.unchanged
    return outcome


def _merge(report: ImportReport, outcome: _Outcome) -> None:
    assert report.problems is not None
    report.created += outcome.created
    report.updated += outcome.updated
    report.unchanged += outcome.unchanged
    report.problems.extend(outcome.problems)


_Row = tuple[int, dict[str, Any] | RowProblem]


class _RowsRead:
    """Counts the file's records (rows, or rows that could not be read) as they are read: an
    order of several CSV lines is one parsed item, but the progress bar counts rows."""

    def __init__(self) -> None:
        self.count = 0

    def through(self, rows: Iterable[_Row]) -> Iterator[_Row]:
        for row in rows:
            self.count += 1
            yield row


def _parsed(path: Path, read: _RowsRead) -> Iterator[_Parsed | RowProblem]:
    content = path.read_bytes()
    rows = read.through(read_rows(path, expected=REQUIRED_COLUMNS, content=content))
    csv_layout = path.suffix.lower() == ".csv"
    # A first quick pass counts each order's lines, so the second can let go of each order
    # once its last line is read.
    lines = csv_key_counts(path, ORDER_KEY_COLUMNS, content=content) if csv_layout else None
    for item in parse_orders(rows, csv_layout=csv_layout, lines_per_order=lines):
        yield item if isinstance(item, RowProblem) else _Parsed(*item, fingerprint(item[1]))


_Chunk = tuple[int, list[RowProblem], list[_Parsed]]


def _chunks(path: Path, *, cede: bool = True) -> Iterator[_Chunk]:
    """(file rows read since the chunk before, their problems, their valid orders) per
    ``BATCH_SIZE`` parsed items; ``cede``: let a writer thread in every ``CEDE_EVERY`` orders."""
    read = _RowsRead()
    parsed = ceding(_parsed(path, read), CEDE_EVERY) if cede else _parsed(path, read)
    reported = 0
    while chunk := list(islice(parsed, BATCH_SIZE)):
        problems = [item for item in chunk if isinstance(item, RowProblem)]
        # An order leaves the parser once its last line is read: the rows read up to there.
        rows, reported = read.count - reported, read.count
        yield rows, problems, [item for item in chunk if isinstance(item, _Parsed)]


def _through_writer(
    factory: sessionmaker[Session],
    shop_id: str,
    chunks: Iterator[_Chunk],
    finish: Callable[[_Chunk, _Outcome], None],
) -> None:
    """Batch n+1 is parsed and planned here (look-ups on a connection of its own) while a
    writer process writes batch n. The look-ups for n+1 cannot see batch n, which is not
    committed yet: orders are distinct across a file's batches, and its customers are in
    ``known``. A batch that rewrites changed orders is written here, after the batch in flight.
    """
    known: KnownIdentities = {}

    def plan(chunk: _Chunk) -> Planned[_Outcome] | None:
        _, problems, batch = chunk
        if not batch:
            return None
        with factory() as db:
            writes = plan_orders(
                db=db,
                shop_id=shop_id,
                orders=[p.order for p in batch],
                fingerprints=[p.fingerprint for p in batch],
                known=known,
            )
            if not writes.only_inserts:
                return None
            payloads = [copy_payload(db, table, rows) for table, rows in writes.inserts]
            db.rollback()  # reads only: no transaction held open while the writer works
        result = writes.result
        outcome = _Outcome(result.created, result.updated, result.unchanged, problems)
        return Planned([(p.statement, p.data) for p in payloads], outcome)

    def write_here(chunk: _Chunk) -> _Outcome:
        _, problems, batch = chunk
        outcome = _Outcome(problems=problems)
        return _apply_batch(factory, shop_id, batch, outcome) if batch else outcome

    with CopyWriter(libpq_conninfo(factory.kw["bind"])) as writer:
        write_through(
            writer,
            chunks,
            plan=plan,
            write_here=write_here,
            finish=finish,
            forget=known.clear,
            after_loss=_after_lost_writer,
        )


def _after_lost_writer(planned: _Outcome, rewritten: _Outcome) -> _Outcome:
    """A rewrite that created, changed and refused nothing found the batch stored as planned:
    the lost writer had committed it, so the plan's counts say what this import did."""
    if rewritten.created or rewritten.updated or len(rewritten.problems) > len(planned.problems):
        return rewritten
    return planned


def import_orders_file(
    *,
    session_factory: sessionmaker[Session],
    shop_id: str,
    path: Path,
    on_progress: Callable[[int], None] | None = None,
    writer_process: bool | None = None,
) -> ImportReport:
    """Upsert every valid order of a CSV/JSONL file; report each bad row with its reason.

    ``writer_process``: see ``kefu.storage.copy_writer.writer_process_fits``."""
    report = ImportReport()

    def write(chunk: _Chunk) -> _Outcome:
        _, problems, batch = chunk
        outcome = _Outcome(problems=problems)
        return _apply_batch(session_factory, shop_id, batch, outcome) if batch else outcome

    def finish(chunk: _Chunk, outcome: _Outcome) -> None:
        _merge(report, outcome)
        if on_progress:
            on_progress(chunk[0])

    with collector_paused():
        if writer_process_fits(session_factory, path, writer_process):
            _through_writer(session_factory, shop_id, _chunks(path, cede=False), finish)
        else:
            threaded = threads_may_share(session_factory)
            write_behind(_chunks(path), write, finish, threaded=threaded)
    assert report.problems is not None
    report.problems.sort(key=lambda p: p.row)  # CSV read problems come before order problems
    return report
