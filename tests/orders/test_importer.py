"""Orders files whose rows are malformed or disagree: each bad row is reported on its own row,
with its column, and every order untouched by a problem still lands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kefu.core.tabular import RowProblem, csv_key_counts, read_rows
from kefu.customers.models import Customer
from kefu.orders import flows
from kefu.orders.importer import ORDER_KEY_COLUMNS, parse_orders
from kefu.orders.models import Order, OrderItem, Shipment
from kefu.services import Services
from tests.conftest import Tenant

HEADER = (
    "order_id,placed_at,status,currency,customer_external_id,customer_name,"
    "sku,title,quantity,unit_price,carrier,tracking_number\n"
)
LINE = "{id},2026-01-02T10:00:00Z,paid,USD,c-{id},Ann,SKU1,Widget,1,10.00,,\n"


def run(services: Services, shop_id: str, path: Path, content: str) -> Any:
    path.write_text(content, encoding="utf-8")
    return flows.import_orders_file(session_factory=services.sessions, shop_id=shop_id, path=path)


def found(report: Any) -> list[tuple[int, str]]:
    return [(p.row, p.field) for p in report.problems]


def stored(services: Services) -> dict[str, list[tuple[str, str]]]:
    """Each stored order's items as (sku, title)."""
    with services.sessions() as db:
        rows = db.execute(
            select(Order.external_id, OrderItem.sku, OrderItem.title)
            .join(OrderItem, OrderItem.order_id == Order.id, isouter=True)
            .order_by(Order.external_id, OrderItem.position)
        ).all()
    orders: dict[str, list[tuple[str, str]]] = {}
    for external_id, sku, title in rows:
        orders.setdefault(external_id, []).extend([(sku, title)] if sku else [])
    return orders


def test_an_over_long_field_is_one_row_problem(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    huge = LINE.format(id="H-2").replace("Widget", "x" * 200_000)
    content = HEADER + LINE.format(id="H-1") + huge + LINE.format(id="H-3")
    report = run(services, tenant.shop_a, tmp_path / "o.csv", content)
    assert [(p.row, p.field, p.reason) for p in report.problems] == [
        (3, "title", "too long (over 131072 characters)")
    ]
    assert report.created == 2 and sorted(stored(services)) == ["H-1", "H-3"]


def test_an_unclosed_quote_is_reported_and_stores_nothing_garbled(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    broken = LINE.format(id="G-2").replace("Ann", '"Ann')
    content = HEADER + LINE.format(id="G-1") + broken + LINE.format(id="G-3")
    report = run(services, tenant.shop_a, tmp_path / "o.csv", content)
    assert found(report) == [(3, "customer_name")]
    assert "unterminated quote" in report.problems[0].reason
    assert report.created == 2 and sorted(stored(services)) == ["G-1", "G-3"]
    with services.sessions() as db:
        assert set(db.scalars(select(Customer.name))) == {"Ann"}


def test_lines_of_one_order_that_disagree_reject_that_order(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    lines = [
        "C-1,2026-01-02T10:00:00Z,paid,USD,c1,Cee,SKU1,Widget,1,10.00,,\n",
        "C-1,2026-01-02T10:00:00Z,paid,EUR,c1,Cee,SKU2,Gadget,1,5.00,,\n",
        "C-2,2026-01-02T10:00:00Z,paid,USD,c2,Dee,SKU1,Widget,1,10.00,,\n",
        # Order fields left empty on a later line repeat the order's: no conflict.
        "C-2,,,,,,SKU2,Gadget,1,5.00,,\n",
        "C-3,2026-01-02T10:00:00Z,delivered,USD,c3,Eee,SKU1,Widget,1,10.00,,\n",
        "C-3,2026-03-02T10:00:00Z,cancelled,USD,c3,Eee,SKU2,Gadget,1,1.00,,\n",
        "C-3,2026-01-02T10:00:00Z,delivered,USD,other,Eee,SKU3,Gizmo,1,1.00,,\n",
    ]
    report = run(services, tenant.shop_a, tmp_path / "o.csv", HEADER + "".join(lines))
    assert found(report) == [
        (3, "currency"),
        (7, "status"),
        (7, "placed_at"),
        (8, "customer_external_id"),
    ]
    assert report.problems[0].reason == (
        "order C-1 not imported: currency is 'EUR' here but 'USD' on row 2"
    )
    assert report.created == 1
    assert stored(services) == {"C-2": [("SKU1", "Widget"), ("SKU2", "Gadget")]}


def test_an_item_line_without_sku_is_reported_on_its_own_row(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    lines = [
        "L-1,2026-01-02T10:00:00Z,paid,USD,c1,Lee,SKU1,Widget,1,10.00,,\n",
        "L-1,2026-01-02T10:00:00Z,paid,USD,c1,Lee,,Gadget,1,5.00,,\n",
        "L-2,2026-01-02T10:00:00Z,paid,USD,c2,Lo,SKU1,Widget,1,10.00,,\n",
        "L-2,2026-01-02T10:00:00Z,paid,USD,c2,Lo,SKU2,Gadget,-1,5.00,,\n",
        "L-3,2026-01-02T10:00:00Z,paid,USD,c3,Lu,SKU1,Widget,1,10.00,,\n",
        "L-4,2026-01-02T10:00:00Z,paid,USD,c4,La,SKU1,Widget,1,10.00,,\n",
        "L-3,2026-01-02T10:00:00Z,paid,USD,c3,Lu,SKU2,Gadget,1,5.00,,\n",
        # A line with no item cells only carries the order (and here its shipment).
        "L-4,2026-01-02T10:00:00Z,paid,USD,c4,La,,,,,UPS,1Z999\n",
    ]
    report = run(services, tenant.shop_a, tmp_path / "o.csv", HEADER + "".join(lines))
    assert [(p.row, p.field, p.reason) for p in report.problems] == [
        (3, "sku", "Field required"),
        (5, "quantity", "Input should be greater than or equal to 1"),
    ]
    assert stored(services) == {
        "L-3": [("SKU1", "Widget"), ("SKU2", "Gadget")],
        "L-4": [("SKU1", "Widget")],
    }
    with services.sessions() as db:
        assert list(db.scalars(select(Shipment.tracking_number))) == ["1Z999"]


def test_each_tracking_number_of_an_order_is_a_shipment(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    lines = [
        "S-1,2026-01-02T10:00:00Z,paid,USD,c1,Sue,SKU1,Widget,1,10.00,UPS,1Z001\n",
        "S-1,2026-01-02T10:00:00Z,paid,USD,c1,Sue,SKU2,Gadget,1,5.00,DHL,JD0002\n",
        "S-1,2026-01-02T10:00:00Z,paid,USD,c1,Sue,SKU3,Gizmo,1,5.00,,1Z001\n",
        "S-2,2026-01-02T10:00:00Z,paid,USD,c2,Sam,SKU1,Widget,1,10.00,UPS,1Z003\n",
        "S-2,2026-01-02T10:00:00Z,paid,USD,c2,Sam,SKU2,Gadget,1,5.00,FedEx,1Z003\n",
        "S-3,2026-01-02T10:00:00Z,paid,USD,c3,Sid,SKU1,Widget,1,10.00,UPS,x\n",
    ]
    report = run(services, tenant.shop_a, tmp_path / "o.csv", HEADER + "".join(lines))
    assert found(report) == [(6, "carrier"), (7, "tracking_number")]
    with services.sessions() as db:
        shipments = db.execute(select(Shipment.carrier, Shipment.tracking_number)).all()
    assert sorted(tuple(s) for s in shipments) == [("DHL", "JD0002"), ("UPS", "1Z001")]


def test_nul_characters_are_dropped_from_cells(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    content = HEADER + LINE.format(id="N-1").replace("Ann", "An\x00n").replace(
        "Widget", "Wid\x00get"
    )
    report = run(services, tenant.shop_a, tmp_path / "o.csv", content)
    assert (report.created, report.problems) == (1, [])
    assert stored(services) == {"N-1": [("SKU1", "Widget")]}
    with services.sessions() as db:
        assert db.scalar(select(Customer.name)) == "Ann"


def test_a_repeated_order_in_jsonl_is_reported_on_the_later_line(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    orders = [
        {"external_id": "D-1", "currency": "USD", "placed_at": "2026-01-02T10:00:00Z"},
        {"external_id": "D-1 ", "currency": "EUR", "placed_at": "2026-01-02T10:00:00Z"},
        {"external_id": "D-2", "currency": "usd", "placed_at": "2026-01-02T10:00:00Z"},
    ]
    content = "\n".join(json.dumps(o) for o in orders) + "\n"
    report = run(services, tenant.shop_a, tmp_path / "o.jsonl", content)
    assert [(p.row, p.field, p.reason) for p in report.problems] == [
        (2, "external_id", "order D-1 is already on line 1; that one is imported"),
        (3, "currency", "String should match pattern '^[A-Z]{3}$'"),
    ]
    with services.sessions() as db:
        assert db.execute(select(Order.external_id, Order.currency)).all() == [("D-1", "USD")]


def test_problems_are_sorted_by_row(services: Services, tenant: Tenant, tmp_path: Path) -> None:
    lines = [
        LINE.format(id="P-1").replace("USD", "usd"),
        LINE.format(id="P-2").rstrip(",\n") + "\n",  # too few cells: found while reading
        LINE.format(id="P-3"),
    ]
    report = run(services, tenant.shop_a, tmp_path / "o.csv", HEADER + "".join(lines))
    assert found(report) == [(2, "currency"), (3, "")]
    assert report.created == 1


def test_lines_of_one_order_far_apart_in_the_file_still_make_one_order(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    middle = "".join(LINE.format(id=f"M{i}") for i in range(30))
    split = LINE.format(id="S1").replace("SKU1,Widget", "SKU2,Gadget")
    report = run(
        services, tenant.shop_a, tmp_path / "o.csv", HEADER + LINE.format(id="S1") + middle + split
    )
    assert not report.problems and report.created == 31
    assert stored(services)["S1"] == [("SKU1", "Widget"), ("SKU2", "Gadget")]


def test_an_order_is_taken_once_its_last_line_is_read(tmp_path: Path) -> None:
    # Memory for a large export: an order leaves the parser as soon as its lines are all read,
    # so a file is never held whole. Order S has its lines at rows 2 and 41.
    path = tmp_path / "o.csv"
    lines = [LINE.format(id="S")] + [LINE.format(id=f"M{i}") for i in range(60)]
    lines.insert(40, LINE.format(id="S").replace("SKU1", "SKU2"))
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    read: list[int] = []

    def rows() -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
        for number, record in read_rows(path):
            read.append(number)
            yield number, record

    counts = csv_key_counts(path, ORDER_KEY_COLUMNS)
    parsed = parse_orders(rows(), csv_layout=True, lines_per_order=counts)
    first = next(parsed)
    assert isinstance(first, tuple) and first[1].external_id == "M0"
    assert read[-1] < 30  # the first orders went out long before the end of the file (row 62)
    orders = [first[1], *(item[1] for item in parsed if isinstance(item, tuple))]
    assert len(orders) == 61
    assert [i.sku for i in next(o for o in orders if o.external_id == "S").items] == [
        "SKU1",
        "SKU2",
    ]
