"""Large imports into PostgreSQL through the writer process: the same rows as the threaded
import, batches refused or a writer lost mid-import, changed orders between new ones."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kefu.customers.models import Customer, CustomerIdentity
from kefu.orders import flows
from kefu.orders.models import Order, OrderItem, Shipment
from kefu.services import Services
from kefu.storage.copy_writer import CopyWriter, CopyWriterGone, writer_process_fits
from tests.conftest import Tenant
from tests.orders.test_bulk_import import HEADER, count, order_line, store_then_hide, write_csv

# The writer process speaks PostgreSQL's COPY: these tests run on PostgreSQL alone (the
# conftest's database_url skips with its reason where there is none).
pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def run(services: Services, shop_id: str, path: Path, *, writer: bool = True) -> Any:
    return flows.import_orders_file(
        session_factory=services.sessions, shop_id=shop_id, path=path, writer_process=writer
    )


def lines_of_many_buyers() -> list[str]:
    """Orders of buyers who come back in later batches, some sharing an email, one without
    buyer id, some orders with two lines and a second parcel."""
    lines = []
    for n in range(14):
        buyer = {"customer_external_id": f"B{n % 4}", "customer_email": f"b{n % 4}@example.org"}
        if n % 7 == 6:
            buyer = {"customer_external_id": f"X{n}", "customer_email": "b1@example.org"}
        if n == 9:
            buyer = {"customer_external_id": "", "customer_email": "guest@example.org"}
        parcel = f",UPS,1Z999AA1{n:010d}\n"
        lines.append(order_line(n, **buyer).rstrip("\n") + parcel)
        if n % 3 == 0:
            lid = order_line(n, **buyer, sku="SKU-2", title="Lid", unit_price="1.50")
            lines.append(lid.rstrip("\n") + (",DHL,1234567890\n" if n == 3 else parcel))
    return lines


def shop_contents(services: Services, shop_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """Everything an import wrote for a shop, by content (ids differ between imports)."""
    with services.sessions() as db:
        buyer = {c.id: (c.external_id, c.email, c.name) for c in db.scalars(select(Customer))}
        orders = db.scalars(select(Order).where(Order.shop_id == shop_id)).all()
        by_order = {o.id: o.external_id for o in orders}
        return {
            "orders": sorted(
                (o.external_id, buyer.get(o.customer_id or ""), o.status, o.total, o.source_hash)
                for o in orders
            ),
            "items": sorted(
                (by_order[i.order_id], i.position, i.sku, i.quantity, i.unit_price)
                for i in db.scalars(select(OrderItem).where(OrderItem.order_id.in_(by_order)))
            ),
            "shipments": sorted(
                (by_order[s.order_id], s.carrier, s.tracking_number)
                for s in db.scalars(select(Shipment).where(Shipment.order_id.in_(by_order)))
            ),
            "identities": sorted(
                (i.kind, i.value, buyer[i.customer_id])
                for i in db.scalars(
                    select(CustomerIdentity).where(CustomerIdentity.shop_id == shop_id)
                )
            ),
        }


def test_the_writer_process_writes_what_the_threaded_import_writes(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flows, "BATCH_SIZE", 3)  # buyers of a batch in flight come back
    path = tmp_path / "orders.csv"
    path.write_text(HEADER.rstrip("\n") + ",carrier,tracking_number\n" + "".join(
        lines_of_many_buyers()
    ))  # fmt: skip
    written_here: list[int] = []
    real_apply = flows._apply_batch

    def apply_here(*args: Any) -> Any:
        written_here.append(len(args[2]))
        return real_apply(*args)

    monkeypatch.setattr(flows, "_apply_batch", apply_here)
    through_writer = run(services, tenant.shop_a, path)
    # Every batch went to the writer: none was refused for a buyer planned twice.
    assert written_here == []
    threaded = run(services, tenant.shop_b, path, writer=False)
    assert (through_writer.created, through_writer.problems) == (14, [])
    assert (threaded.created, threaded.problems) == (14, [])
    written = shop_contents(services, tenant.shop_a)
    assert written == shop_contents(services, tenant.shop_b)
    assert len(written["items"]) == 19 and len(written["shipments"]) == 15
    again = run(services, tenant.shop_a, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 14)


def test_a_batch_refused_by_the_database_is_written_again_without_the_writer(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_then_hide(services, tenant, tmp_path, monkeypatch, 5)
    monkeypatch.setattr(flows, "BATCH_SIZE", 4)
    report = run(services, tenant.shop_a, write_csv(tmp_path / "all.csv", [
        order_line(n) for n in range(12)
    ]))  # fmt: skip
    assert report.created == 11
    assert [(p.row, p.reason) for p in report.problems] == [(7, "the database refused this order")]
    assert count(services, Order) == 12 and count(services, OrderItem) == 12
    assert count(services, Customer) == 3 and count(services, CustomerIdentity) == 6


def test_changed_orders_are_rewritten_between_new_ones(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flows, "BATCH_SIZE", 2)
    run(services, tenant.shop_a, write_csv(tmp_path / "first.csv", [
        order_line(n) for n in range(4)
    ]))  # fmt: skip
    lines = [order_line(n) for n in range(10)]
    lines[1] = order_line(1, quantity="5")
    lines[3] = order_line(3, customer_external_id="NEW", customer_email="new@example.org")
    report = run(services, tenant.shop_a, write_csv(tmp_path / "second.csv", lines))
    assert (report.created, report.updated, report.unchanged) == (6, 2, 2)
    with services.sessions() as db:
        one = db.scalars(select(Order).where(Order.external_id == "113-0000001-0000000")).one()
        assert one.total == Decimal("54.94")  # 5 x 9.99 + 4.99
        three = db.scalars(select(Order).where(Order.external_id == "113-0000003-0000000")).one()
        assert db.get(Customer, three.customer_id).external_id == "NEW"  # type: ignore[union-attr]
    assert count(services, Order) == 10 and count(services, OrderItem) == 10


def test_a_writer_lost_mid_import_leaves_every_order_stored_once(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flows, "BATCH_SIZE", 2)
    real_submit = CopyWriter.submit
    submitted: list[int] = []

    def submit_then_die(self: CopyWriter, payloads: Any) -> None:
        real_submit(self, payloads)
        submitted.append(len(payloads))
        if len(submitted) == 2:
            assert self._process is not None
            self._process.kill()  # the second batch may or may not have been committed

    monkeypatch.setattr(CopyWriter, "submit", submit_then_die)
    path = write_csv(tmp_path / "orders.csv", [order_line(n) for n in range(9)])
    report = run(services, tenant.shop_a, path)
    # Committed or not, the second batch's orders were created by this import.
    assert (report.created, report.updated, report.unchanged, report.problems) == (9, 0, 0, [])
    assert len(submitted) == 2  # the batches after the loss were written without the writer
    assert count(services, Order) == 9 and count(services, OrderItem) == 9
    assert count(services, Customer) == 3 and count(services, CustomerIdentity) == 6


def test_a_writer_lost_after_its_commit_is_reported_as_having_created_the_batch(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flows, "BATCH_SIZE", 2)
    real_wait = CopyWriter.wait
    answered: list[int] = []

    def commit_then_vanish(self: CopyWriter) -> None:
        real_wait(self)
        answered.append(1)
        if len(answered) == 2:  # committed, but the answer never reached this process
            raise CopyWriterGone("the writer process ended during a batch")

    monkeypatch.setattr(CopyWriter, "wait", commit_then_vanish)
    write_csv(tmp_path / "old.csv", [order_line(0)])
    assert run(services, tenant.shop_a, tmp_path / "old.csv", writer=False).created == 1
    path = write_csv(tmp_path / "orders.csv", [order_line(n) for n in range(7)])
    report = run(services, tenant.shop_a, path)
    assert (report.created, report.updated, report.unchanged, report.problems) == (6, 0, 1, [])
    assert count(services, Order) == 7 and count(services, OrderItem) == 7


def test_a_writer_that_cannot_start_leaves_the_import_to_this_process(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flows, "BATCH_SIZE", 2)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here"))
    report = run(services, tenant.shop_a, write_csv(tmp_path / "orders.csv", [
        order_line(n) for n in range(5)
    ]))  # fmt: skip
    assert (report.created, report.problems) == (5, [])
    assert count(services, Order) == 5 and count(services, Customer) == 3


def test_small_files_and_sqlite_keep_the_writer_thread(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    small = write_csv(tmp_path / "small.csv", [order_line(1)])
    assert not writer_process_fits(services.sessions, small, None)
    assert writer_process_fits(services.sessions, small, True)
