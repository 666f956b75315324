"""Customers imports into PostgreSQL through the writer process: the same customers as the
threaded import, whatever batch a customer comes back in, and refused rows isolated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from kefu.customers import flows
from kefu.customers.models import Customer
from kefu.services import Services
from kefu.storage.copy_writer import CopyRefused, CopyWriter, CopyWriterGone
from tests.conftest import Tenant
from tests.customers.test_bulk_import import ROWS, _csv, _state

# The writer process speaks PostgreSQL's COPY: these tests run on PostgreSQL alone (the
# conftest's database_url skips with its reason where there is none).
pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def run(services: Services, shop_id: str, path: Path, *, writer: bool = True) -> Any:
    return flows.import_customers_file(
        session_factory=services.sessions, shop_id=shop_id, path=path, writer_process=writer
    )


def as_line(row: dict[str, str]) -> str:
    cells = [row.get(c, "") for c in ("external_id", "name", "email", "phone", "country")]
    return ",".join(cells) + "\n"


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_customers_met_again_in_later_batches_end_as_in_the_threaded_import(
    services: Services,
    tenant: Tenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch_size: int,
) -> None:
    monkeypatch.setattr(flows, "BATCH_SIZE", batch_size)
    strangers = [{"external_id": f"S{n}", "email": f"s{n}@example.org"} for n in range(4)]
    rows = [*strangers[:2], *ROWS, *strangers[2:]]
    path = _csv(tmp_path / "customers.csv", [as_line(r) for r in rows])
    refused: list[str] = []
    real_wait = CopyWriter.wait

    def wait(self: CopyWriter) -> None:
        try:
            real_wait(self)
        except CopyRefused as exc:
            refused.append(str(exc))
            raise

    monkeypatch.setattr(CopyWriter, "wait", wait)
    through_writer = run(services, tenant.shop_a, path)
    assert refused == []  # a customer of the batch in flight was not created twice
    threaded = run(services, tenant.shop_b, path, writer=False)
    counts = (through_writer.created, through_writer.updated, through_writer.unchanged)
    assert counts == (threaded.created, threaded.updated, threaded.unchanged)
    assert _state(services, tenant.shop_a) == _state(services, tenant.shop_b)
    assert len(_state(services, tenant.shop_a)) == 8


def test_a_batch_refused_by_the_database_is_written_again_without_the_writer(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flows, "BATCH_SIZE", 2)
    with services.sessions() as db, db.begin():
        db.execute(insert(Customer).values(id="c" * 32, shop_id=tenant.shop_a, external_id="B3"))
    lines = [f"B{n},Buyer {n},b{n}@example.org,,\n" for n in range(8)]
    report = run(services, tenant.shop_a, _csv(tmp_path / "customers.csv", lines))
    assert [(p.row, p.reason) for p in report.problems or []] == [
        (5, "the database refused this customer")
    ]
    assert report.created == 7 and len(_state(services, tenant.shop_a)) == 8


@pytest.mark.parametrize("answer_lost", [False, True], ids=["killed", "answer-lost"])
def test_a_writer_lost_mid_import_still_reports_each_customer_once(
    services: Services,
    tenant: Tenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer_lost: bool,
) -> None:
    monkeypatch.setattr(flows, "BATCH_SIZE", 2)
    real_submit, real_wait = CopyWriter.submit, CopyWriter.wait
    batches: list[int] = []

    def submit(self: CopyWriter, payloads: Any) -> None:
        real_submit(self, payloads)
        batches.append(1)
        if len(batches) == 2 and not answer_lost:
            assert self._process is not None
            self._process.kill()  # the second batch may or may not have been committed

    def wait(self: CopyWriter) -> None:
        real_wait(self)
        if len(batches) == 2 and answer_lost:  # committed, but the answer never came
            raise CopyWriterGone("the writer process ended during a batch")

    monkeypatch.setattr(CopyWriter, "submit", submit)
    monkeypatch.setattr(CopyWriter, "wait", wait)
    lines = [f"B{n},Buyer {n},b{n}@example.org,,\n" for n in range(7)]
    report = run(services, tenant.shop_a, _csv(tmp_path / "customers.csv", lines))
    assert (report.created, report.updated, report.unchanged, report.problems) == (7, 0, 0, [])
    assert len(batches) == 2 and len(_state(services, tenant.shop_a)) == 7
