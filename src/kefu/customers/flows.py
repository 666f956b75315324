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
from kefu.core.tabular import ImportReport, RowProblem, problems_from, read_rows
from kefu.customers.bulk import Outcome, upsert_customers
from kefu.customers.schemas import CustomerIn
from kefu.storage.bulk import BulkResult, write_or_split

BATCH_SIZE = 1000


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


def _chunks(path: Path) -> Iterator[list[tuple[int, dict[str, Any] | RowProblem]]]:
    rows = read_rows(path)
    while chunk := list(islice(rows, BATCH_SIZE)):
        yield chunk


def import_customers_file(
    *,
    session_factory: sessionmaker[Session],
    shop_id: str,
    path: Path,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert every valid customer of a CSV/JSONL file by identity; report bad rows."""
    report = ImportReport()
    assert report.problems is not None
    problems = report.problems

    def write(db: Session, batch: list[_Parsed]) -> BulkResult:
        customers = [p.customer for p in batch]
        return _counted(upsert_customers(db=db, shop_id=shop_id, customers=customers))

    def refused(parsed: _Parsed) -> None:
        problems.append(RowProblem(parsed.row, "", "the database refused this customer"))

    with collector_paused():
        for chunk in _chunks(path):
            batch = _parse(chunk, problems)
            if batch:
                result = write_or_split(session_factory, batch, write, refused)
                report.created += result.created
                report.updated += result.updated
                report.unchanged += result.unchanged
            if on_progress:
                on_progress(len(chunk))
    problems.sort(key=lambda p: p.row)
    return report
