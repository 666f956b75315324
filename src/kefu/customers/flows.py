"""Importing a customers file; each batch is its own transaction."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from kefu.core.tabular import ImportReport, RowProblem, problems_from, read_rows
from kefu.customers import service
from kefu.customers.schemas import CustomerIn

BATCH_SIZE = 500


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
    rows = read_rows(path)
    while chunk := list(islice(rows, BATCH_SIZE)):
        valid: list[CustomerIn] = []
        for number, record in chunk:
            if isinstance(record, RowProblem):
                report.problems.append(record)
                continue
            try:
                valid.append(CustomerIn.model_validate(record))
            except ValidationError as exc:
                report.problems.extend(problems_from(exc, number))
        with session_factory() as db, db.begin():
            for customer_in in valid:
                before = service.match(db=db, shop_id=shop_id, customer_in=customer_in)
                snapshot = _snapshot(before)
                customer, created = service.upsert(db=db, shop_id=shop_id, customer_in=customer_in)
                if created:
                    report.created += 1
                elif _snapshot(customer) == snapshot:
                    report.unchanged += 1
                else:
                    report.updated += 1
        if on_progress:
            on_progress(len(chunk))
    return report


def _snapshot(customer: object | None) -> tuple[object, ...] | None:
    if customer is None:
        return None
    fields = ("external_id", "name", "email", "phone", "country", "language")
    identities = tuple(sorted((i.kind, i.value) for i in getattr(customer, "identities", [])))
    return (*(getattr(customer, f) for f in fields), identities)
