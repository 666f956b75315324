"""Importing a customers file in batches, each batch its own transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from kefu.core.collector import collector_paused
from kefu.core.pipeline import ceding, write_behind
from kefu.core.tabular import ImportReport, RowProblem, problems_from, read_rows
from kefu.customers.bulk import Outcome, plan_customers, upsert_customers
from kefu.customers.models import Customer, CustomerIdentity
from kefu.customers.schemas import CustomerIn
from kefu.storage.bulk import (
    BulkResult,
    copy_payload,
    table_of,
    threads_may_share,
    write_or_split,
)
from kefu.storage.copy_writer import CopyWriter, Planned, write_through, writer_process_fits
from kefu.storage.engine import libpq_conninfo

# Each row brings up to three identities, so a batch is four tables' rows per customer; 3,000
# rows a transaction ran 8-12 % faster than 1,000 on PostgreSQL (paired runs: 17.4-18.0k
# against 19.5-19.8k, and 19.3k against 21.0k rows/s); 5,000 was slower again.
BATCH_SIZE = 3000
# A CSV header with none of these holds no customer (a file separated by ';' has one column).
EXPECTED_COLUMNS = ("external_id", "email", "phone", "name")
CEDE_EVERY = 10  # rows parsed between hand-overs to the writer thread (see ceding)


@dataclass(frozen=True)
class _Parsed:
    row: int
    customer: CustomerIn


def _parse(
    chunk: Iterable[tuple[int, dict[str, Any] | RowProblem]], problems: list[RowProblem]
) -> list[_Parsed]:
    valid = []
    for number, record in chunk:
        if isinstance(record, RowProblem):
            problems.append(record)
            continue
        try:
            valid.append(_Parsed(number, CustomerIn.model_validate(record)))
        except ValidationError as exc:
            problems.extend(problems_from(exc, number))
    return valid


def _counted(outcomes: list[tuple[str, Outcome]]) -> BulkResult:
    kinds = [outcome for _, outcome in outcomes]
    return BulkResult(
        created=kinds.count(Outcome.CREATED),
        updated=kinds.count(Outcome.UPDATED),
        unchanged=kinds.count(Outcome.UNCHANGED),
    )


_Chunk = tuple[int, list[RowProblem], list[_Parsed]]


def _chunks(path: Path, *, cede: bool = True) -> Iterator[_Chunk]:
    """(rows read, their problems, their valid customers) per ``BATCH_SIZE`` rows; ``cede``:
    let a writer thread in every ``CEDE_EVERY`` rows."""
    rows = read_rows(path, expected=EXPECTED_COLUMNS)
    while chunk := list(islice(rows, BATCH_SIZE)):
        problems: list[RowProblem] = []
        yield len(chunk), problems, _parse(ceding(chunk, CEDE_EVERY) if cede else chunk, problems)


_Written = tuple[BulkResult, list[RowProblem]]


def _through_writer(
    factory: sessionmaker[Session],
    shop_id: str,
    chunks: Iterator[_Chunk],
    write_here: Callable[[_Chunk], _Written],
    finish: Callable[[_Chunk, _Written], None],
) -> None:
    """Batch n+1 is parsed and planned here while a writer process writes batch n, which the
    look-ups for n+1 cannot see: a batch that touches an identity batch n matched or added
    (a customer met again, to merge) is written here once batch n is committed."""
    in_flight: set[tuple[str, str]] = set()

    def plan(chunk: _Chunk) -> Planned[_Written] | None:
        batch = chunk[2]
        if not batch:
            return None
        with factory() as db:
            writes = plan_customers(db=db, shop_id=shop_id, customers=[p.customer for p in batch])
            clash = not writes.identities.isdisjoint(in_flight)
            in_flight.clear()  # what is planned from here on is written after that batch
            if clash or writes.changed:
                return None
            tables = (
                (table_of(Customer), writes.new),
                (table_of(CustomerIdentity), writes.new_identities),
            )
            payloads = [copy_payload(db, table, rows) for table, rows in tables if rows]
            db.rollback()  # reads only: no transaction held open while the writer works
        in_flight.update(writes.identities)
        done: _Written = (_counted(writes.outcomes), [])
        return Planned([(p.statement, p.data) for p in payloads], done)

    with CopyWriter(libpq_conninfo(factory.kw["bind"])) as writer:
        write_through(
            writer,
            chunks,
            plan=plan,
            write_here=write_here,
            finish=finish,
            forget=in_flight.clear,
            after_loss=_after_lost_writer,
        )


def _after_lost_writer(planned: _Written, rewritten: _Written) -> _Written:
    """A rewrite that created, changed and refused nothing found the batch stored as planned:
    the lost writer had committed it, so the plan's counts say what this import did."""
    result, refused = rewritten
    return rewritten if result.created or result.updated or refused else planned


def import_customers_file(
    *,
    session_factory: sessionmaker[Session],
    shop_id: str,
    path: Path,
    on_progress: Callable[[int], None] | None = None,
    writer_process: bool | None = None,
) -> ImportReport:
    """Upsert every valid customer of a CSV/JSONL file by identity; report bad rows.

    ``writer_process``: see ``kefu.storage.copy_writer.writer_process_fits``."""
    report = ImportReport()
    assert report.problems is not None
    problems = report.problems

    def upsert(db: Session, batch: list[_Parsed]) -> BulkResult:
        customers = [p.customer for p in batch]
        return _counted(upsert_customers(db=db, shop_id=shop_id, customers=customers))

    def write(chunk: _Chunk) -> tuple[BulkResult, list[RowProblem]]:
        refused: list[RowProblem] = []

        def refuse(parsed: _Parsed) -> None:
            refused.append(RowProblem(parsed.row, "", "the database refused this customer"))

        batch = chunk[2]
        result = write_or_split(session_factory, batch, upsert, refuse) if batch else BulkResult()
        return result, refused

    def finish(chunk: _Chunk, written: tuple[BulkResult, list[RowProblem]]) -> None:
        result, refused = written
        report.created += result.created
        report.updated += result.updated
        report.unchanged += result.unchanged
        problems.extend(chunk[1] + refused)
        if on_progress:
            on_progress(chunk[0])

    with collector_paused():
        if writer_process_fits(session_factory, path, writer_process):
            _through_writer(session_factory, shop_id, _chunks(path, cede=False), write, finish)
        else:
            threaded = threads_may_share(session_factory)
            write_behind(_chunks(path), write, finish, threaded=threaded)
    problems.sort(key=lambda p: p.row)
    return report
