"""The batched import path: values written by COPY/INSERT, batches failing on the database,
tenancy, and the exact problems reported for bad rows."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from kefu.customers.models import Customer, CustomerIdentity
from kefu.orders import bulk, flows
from kefu.orders import service as orders
from kefu.orders.models import Order, OrderItem, Shipment, TrackingEvent
from kefu.orders.schemas import OrderIn
from kefu.services import Services
from tests.conftest import Tenant

HEADER = "order_id,placed_at,status,currency,customer_external_id,customer_email,sku,title,quantity,unit_price,shipping_fee\n"


def order_line(n: int, **overrides: str) -> str:
    cells = {
        "order_id": f"113-{n:07d}-0000000",
        "placed_at": "2026-11-01T10:00:00+08:00",
        "status": "shipped",
        "currency": "USD",
        "customer_external_id": f"B{n % 3}",
        "customer_email": f"b{n % 3}@example.org",
        "sku": "SKU-1",
        "title": "Item",
        "quantity": "2",
        "unit_price": "9.99",
        "shipping_fee": "4.99",
    }
    cells.update(overrides)
    return ",".join(cells.values()) + "\n"


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def count(services: Services, model: type) -> int:
    with services.sessions() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def run(services: Services, shop_id: str, path: Path) -> Any:
    return flows.import_orders_file(session_factory=services.sessions, shop_id=shop_id, path=path)


def test_written_values_round_trip(services: Services, tenant: Tenant, tmp_path: Path) -> None:
    order = {
        "external_id": "#1001",
        "currency": "EUR",
        "placed_at": "2026-11-01T10:00:00+01:00",
        "customer_email": "Ana@Example.org",
        "customer_name": "Ana",
        "items": [
            {"sku": "A", "title": "Tasse", "quantity": 3, "unit_price": "8.5"},
            {"sku": "B", "asin": "B00TEST123", "title": "Teller", "unit_price": "1.25"},
        ],
        "shipping_fee": "4.90",
        "shipments": [
            {
                "carrier": "DHL",
                "tracking_number": "JD0140000001",
                "shipped_at": "2026-11-02T08:00:00Z",
                "events": [{"at": "2026-11-03T09:30:00-05:00", "status": "in_transit"}],
            }
        ],
    }
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(order) + "\n", encoding="utf-8")
    report = run(services, tenant.shop_a, path)
    assert report.created == 1 and report.problems == []
    with services.sessions() as db:
        got = orders.get(db=db, order_id="#1001", shop_ids=[tenant.shop_a])
        assert got.shop_id == tenant.shop_a and got.status == "pending"
        assert (got.subtotal, got.total) == (Decimal("26.75"), Decimal("31.65"))
        assert got.amount_refunded == 0 and got.created_at is not None
        assert got.placed_at == datetime(2026, 11, 1, 9, tzinfo=UTC)
        assert [(i.sku, i.quantity, i.refunded_quantity) for i in got.items] == [
            ("A", 3, 0),
            ("B", 1, 0),
        ]
        assert got.items[1].asin == "B00TEST123"
        [shipment] = got.shipments
        assert shipment.shipped_at == datetime(2026, 11, 2, 8, tzinfo=UTC)
        assert [e.at for e in shipment.events] == [datetime(2026, 11, 3, 14, 30, tzinfo=UTC)]
        customer = db.get(Customer, got.customer_id)
        assert customer is not None and customer.email == "ana@example.org"
        assert customer.shop_id == tenant.shop_a


def test_changed_order_replaces_its_shipments_and_events(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    order: dict[str, Any] = {
        "external_id": "#7",
        "currency": "USD",
        "placed_at": "2026-11-01T10:00:00Z",
        "items": [{"sku": "A", "title": "Cup", "unit_price": "3"}],
        "shipments": [
            {
                "carrier": "UPS",
                "tracking_number": "1Z0001",
                "events": [{"at": "2026-11-02T10:00:00Z", "status": "in_transit"}],
            }
        ],
    }
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(order) + "\n", encoding="utf-8")
    run(services, tenant.shop_a, path)
    order["shipments"][0]["events"].append({"at": "2026-11-04T10:00:00Z", "status": "delivered"})
    path.write_text(json.dumps(order) + "\n", encoding="utf-8")
    report = run(services, tenant.shop_a, path)
    assert (report.created, report.updated) == (0, 1)
    assert count(services, Shipment) == 1 and count(services, TrackingEvent) == 2
    assert count(services, OrderItem) == 1 and count(services, Order) == 1


def store_then_hide(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n: int
) -> None:
    """Store order ``n``, then let imports not see it: as if another import inserted it after
    this one looked, so writing it again is refused by the database."""
    run(services, tenant.shop_a, write_csv(tmp_path / "one.csv", [order_line(n)]))
    real_existing = bulk._existing

    def blind(db: Session, shop_id: str, external_ids: list[str]) -> dict[str, Any]:
        found = real_existing(db, shop_id, external_ids)
        found.pop(f"113-{n:07d}-0000000", None)
        return found

    monkeypatch.setattr(bulk, "_existing", blind)


def test_batch_refused_by_the_database_keeps_the_other_batches(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_then_hide(services, tenant, tmp_path, monkeypatch, 5)
    monkeypatch.setattr(flows, "BATCH_SIZE", 4)
    lines = [order_line(n) for n in range(12)]
    report = run(services, tenant.shop_a, write_csv(tmp_path / "all.csv", lines))
    assert report.created == 11
    assert [(p.row, p.reason) for p in report.problems] == [(7, "the database refused this order")]
    assert count(services, Order) == 12 and count(services, OrderItem) == 12
    # Each buyer is known by its buyer id and by the email its orders give.
    assert count(services, Customer) == 3 and count(services, CustomerIdentity) == 6


def test_orders_and_customers_stay_in_their_shop(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "orders.csv", [order_line(1), order_line(2)])
    run(services, tenant.shop_a, path)
    report = run(services, tenant.shop_b, path)
    assert report.created == 2  # same marketplace ids, another shop: new orders
    with services.sessions() as db:
        for shop_id in (tenant.shop_a, tenant.shop_b):
            owners = db.scalars(
                select(Customer.shop_id)
                .join(Order, Order.customer_id == Customer.id)
                .where(Order.shop_id == shop_id)
            ).all()
            assert owners == [shop_id, shop_id]


def test_bad_rows_get_their_reasons_and_good_neighbours_land(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    lines = [order_line(n) for n in range(6)]
    lines[1] = order_line(1, placed_at="2026-11-01T10:00:00")  # no timezone
    lines[3] = order_line(3, currency="usd", quantity="0")
    lines[4] = order_line(4, unit_price="1.23456")
    report = run(services, tenant.shop_a, write_csv(tmp_path / "orders.csv", lines))
    assert report.created == 3
    assert [(p.row, p.field, p.reason) for p in report.problems] == [
        (3, "placed_at", "Input should have timezone info"),
        (5, "currency", "String should match pattern '^[A-Z]{3}$'"),
        (5, "quantity", "Input should be greater than or equal to 1"),
        (6, "unit_price", "Decimal input should have no more than 4 decimal places"),
    ]
    assert count(services, Order) == 3 and count(services, OrderItem) == 3


def test_order_whose_total_does_not_add_up_is_rejected_as_a_whole(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    order = {
        "external_id": "#9",
        "currency": "USD",
        "placed_at": "2026-11-01T10:00:00Z",
        "items": [{"sku": "A", "title": "Cup", "unit_price": "3"}],
        "total": "5.00",
    }
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(order) + "\n", encoding="utf-8")
    report = run(services, tenant.shop_a, path)
    [problem] = report.problems
    assert (problem.row, problem.field) == (1, "")
    assert "does not equal items + shipping - discount (3)" in problem.reason
    assert count(services, Order) == 0


def test_writes_reuse_plans_only_until_commit(services: Services, tenant: Tenant) -> None:
    if services.engine.dialect.name != "postgresql":
        pytest.skip("plan caching is a PostgreSQL setting")
    order = OrderIn.model_validate(
        {
            "external_id": "#3",
            "currency": "USD",
            "placed_at": "2026-11-01T10:00:00Z",
            "items": [{"sku": "A", "title": "Cup", "unit_price": "3"}],
        }
    )
    with services.sessions() as db, db.begin():
        connection = db.connection()
        bulk.upsert_orders(db=db, shop_id=tenant.shop_a, orders=[order])
        during = connection.exec_driver_sql("SHOW plan_cache_mode").scalar()
    with services.sessions() as db:
        after = db.connection().exec_driver_sql("SHOW plan_cache_mode").scalar()
    # Foreign-key checks of the writes use cached plans; look-ups after commit plan afresh.
    assert (during, after) == ("auto", "force_custom_plan")


def test_batches_written_while_the_next_is_parsed_report_in_file_order(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_then_hide(services, tenant, tmp_path, monkeypatch, 4)
    monkeypatch.setattr(flows, "BATCH_SIZE", 3)
    lines = [order_line(n) for n in range(12)]
    lines[2] = order_line(2, currency="usd")
    lines[10] = order_line(10, quantity="0")
    progress: list[int] = []
    report = flows.import_orders_file(
        session_factory=services.sessions,
        shop_id=tenant.shop_a,
        path=write_csv(tmp_path / "all.csv", lines),
        on_progress=progress.append,
    )
    assert [(p.row, p.field) for p in report.problems] == [
        (4, "currency"),
        (6, ""),
        (12, "quantity"),
    ]
    assert (report.created, sum(progress)) == (9, 12)
    assert count(services, Order) == 10


def test_progress_counts_the_rows_of_orders_of_several_lines(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flows, "BATCH_SIZE", 2)
    lines = []
    for n in range(5):
        lines += [order_line(n, sku=f"SKU-{k}") for k in range(n % 3 + 1)]
    lines.append(order_line(9, currency="usd"))  # a rejected row is a row read too
    progress: list[int] = []
    report = flows.import_orders_file(
        session_factory=services.sessions,
        shop_id=tenant.shop_a,
        path=write_csv(tmp_path / "lines.csv", lines),
        on_progress=progress.append,
    )
    assert (report.created, report.rejected_rows) == (5, 1)
    assert sum(progress) == len(lines) == 10 and len(progress) == 3


def test_an_unexpected_error_stops_the_import_after_the_batches_before_it(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def second_batch_breaks(**kwargs: Any) -> bulk.BulkResult:
        calls.append(len(kwargs["orders"]))
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return bulk.upsert_orders(**kwargs)

    monkeypatch.setattr(flows, "upsert_orders", second_batch_breaks)
    monkeypatch.setattr(flows, "BATCH_SIZE", 2)
    path = write_csv(tmp_path / "orders.csv", [order_line(n) for n in range(8)])
    with pytest.raises(RuntimeError, match="disk on fire"):
        run(services, tenant.shop_a, path)
    assert calls == [2, 2]  # no batch was handed to the database after the failing one
    assert count(services, Order) == 2


def test_the_collector_is_off_while_batches_are_written_and_back_on_after(
    services: Services, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def record_collector(**kwargs: Any) -> bulk.BulkResult:
        seen.append(gc.isenabled())
        if len(seen) == 2:
            raise RuntimeError("disk on fire")
        return bulk.upsert_orders(**kwargs)

    monkeypatch.setattr(flows, "upsert_orders", record_collector)
    monkeypatch.setattr(flows, "BATCH_SIZE", 2)
    path = write_csv(tmp_path / "orders.csv", [order_line(n) for n in range(4)])
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        run(services, tenant.shop_a, path)
    assert (seen, gc.isenabled()) == ([False, False], True)
    gc.disable()  # a caller that had it off keeps it off
    try:
        seen.clear()
        run(services, tenant.shop_a, write_csv(tmp_path / "one.csv", [order_line(9)]))
        assert (seen, gc.isenabled()) == ([False], False)
    finally:
        gc.enable()


def test_changed_order_can_move_to_a_new_customer(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    run(services, tenant.shop_a, write_csv(tmp_path / "a.csv", [order_line(1)]))
    moved = order_line(1, customer_external_id="B99", customer_email="new@example.org")
    report = run(services, tenant.shop_a, write_csv(tmp_path / "b.csv", [moved]))
    assert (report.updated, report.problems) == (1, [])
    with services.sessions() as db:
        got = orders.get(db=db, order_id="113-0000001-0000000", shop_ids=[tenant.shop_a])
        customer = db.get(Customer, got.customer_id)
        assert customer is not None and customer.external_id == "B99"


def test_an_order_finds_its_buyer_by_buyer_id_or_by_email(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    from kefu.customers import bulk as customers
    from kefu.customers.schemas import CustomerIn

    with services.sessions() as db, db.begin():
        [(known, _)] = customers.upsert_customers(
            db=db,
            shop_id=tenant.shop_a,
            customers=[CustomerIn(external_id="B7", email="ann@example.org")],
        )
    lines = [
        order_line(1, customer_external_id="B7", customer_email=""),
        order_line(2, customer_external_id="", customer_email="ANN@example.org"),
        # Some marketplaces hand out the buyer's email address as the buyer id.
        order_line(3, customer_external_id="ann@example.org", customer_email=""),
    ]
    report = run(services, tenant.shop_a, write_csv(tmp_path / "orders.csv", lines))
    assert (report.created, report.problems) == (3, [])
    with services.sessions() as db:
        assert set(db.scalars(select(Order.customer_id))) == {known}
        assert db.scalar(select(func.count()).select_from(Customer)) == 1


def test_a_rewritten_order_keeps_what_was_already_refunded(
    services: Services, tenant: Tenant
) -> None:
    def version(status: str, mugs: int) -> OrderIn:
        return OrderIn.model_validate(
            {
                "external_id": "#77",
                "currency": "USD",
                "placed_at": "2026-11-01T10:00:00Z",
                "status": status,
                "items": [
                    {"sku": "MUG", "title": "Mug", "quantity": mugs, "unit_price": "5"},
                    {"sku": "CUP", "title": "Cup", "quantity": 2, "unit_price": "3"},
                    {"sku": "MUG", "title": "Mug, gift box", "quantity": 2, "unit_price": "6"},
                ],
            }
        )

    with services.sessions() as db, db.begin():
        bulk.upsert_orders(db=db, shop_id=tenant.shop_a, orders=[version("delivered", 3)])
    with services.sessions() as db, db.begin():
        items = db.scalars(select(OrderItem).order_by(OrderItem.position)).all()
        items[0].refunded_quantity, items[2].refunded_quantity = 2, 1  # refunds done in Kefu
    # The marketplace's next export changes the order: status, and fewer first-line mugs.
    with services.sessions() as db, db.begin():
        result = bulk.upsert_orders(db=db, shop_id=tenant.shop_a, orders=[version("returned", 1)])
    assert result.updated == 1
    with services.sessions() as db:
        rows = db.execute(
            select(OrderItem.sku, OrderItem.quantity, OrderItem.refunded_quantity).order_by(
                OrderItem.position
            )
        ).all()
    # Matched by sku and line; never more refunded than the line now holds.
    assert [tuple(r) for r in rows] == [("MUG", 1, 1), ("CUP", 2, 0), ("MUG", 2, 1)]


def test_a_currency_code_must_name_a_currency(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    lines = [order_line(1, currency="QQQ"), order_line(2, currency="EUR")]
    report = run(services, tenant.shop_a, write_csv(tmp_path / "orders.csv", lines))
    assert [(p.row, p.field) for p in report.problems] == [(2, "currency")]
    assert "not an ISO 4217 currency code" in report.problems[0].reason
    assert report.created == 1


def _plans_of(services: Services, lookup: Callable[[Session], Any], table: str) -> list[str]:
    """EXPLAIN of each statement on ``table`` that ``lookup`` sends."""
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if f"FROM {table}" in statement:
            statements.append((statement, params))

    event.listen(services.engine, "before_cursor_execute", capture)
    try:
        with services.sessions() as db:
            lookup(db)
    finally:
        event.remove(services.engine, "before_cursor_execute", capture)
    with services.engine.connect() as conn:
        return [
            "\n".join(conn.exec_driver_sql("EXPLAIN " + statement, params).scalars())
            for statement, params in statements
        ]


def _probes(plan: str, column: str) -> bool:
    """Whether ``column`` bounds an index scan (rather than filtering what a scan read)."""
    return any("Index Cond" in line and column in line for line in plan.splitlines())


def test_known_orders_and_buyers_are_probed_by_key_while_statistics_are_stale(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    # Mid-import, the planner's statistics still describe the shop before the import. With
    # "external_id = ANY(...)" it read every order of the shop and filtered them, for each
    # batch: 20 ms per batch of 1,000 at 20,000 orders, growing with the shop (measured).
    if services.engine.dialect.name != "postgresql":
        pytest.skip("query plans are PostgreSQL's")
    with services.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE orders")  # statistics of the shop before the import
        conn.exec_driver_sql("ANALYZE customer_identities")
    lines = [
        order_line(n, customer_external_id=f"B{n}", customer_email=f"b{n}@example.org")
        for n in range(3000)
    ]
    run(services, tenant.shop_a, write_csv(tmp_path / "big.csv", lines))
    wanted = [f"113-{n:07d}-0000000" for n in range(0, 3000, 3)]
    found: dict[str, Any] = {}
    [plan] = _plans_of(
        services, lambda db: found.update(bulk._existing(db, tenant.shop_a, wanted)), "orders"
    )
    assert len(found) == len(wanted)
    assert _probes(plan, "external_id"), plan.splitlines()[:3]
    buyers = [OrderIn.model_validate({
        "external_id": f"X{n}", "currency": "USD", "placed_at": "2026-11-01T10:00:00Z",
        "customer_external_id": f"B{n}", "items": [],
    }) for n in range(3)]  # fmt: skip
    known: list[Any] = []
    [plan] = _plans_of(
        services,
        lambda db: known.extend(bulk._customer_ids(db, tenant.shop_a, buyers, iter(str, None), {})),
        "customer_identities",
    )
    assert len(known[0]) == 3 and known[1] == []  # all three buyers found, none created
    # Every column of the (shop, kind, value) key bounds the scan: with the kind only filtered,
    # each probe read the shop's identities from the first (6.3 s of server time on a first
    # import of 20,000 orders, against 1.2 s).
    assert _probes(plan, "value") and _probes(plan, "kind"), plan.splitlines()[:6]


def test_an_email_shared_by_buyers_in_one_file_is_given_to_one_of_them(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    lines = [
        order_line(1, customer_external_id="B1", customer_email="home@example.org"),
        order_line(2, customer_external_id="", customer_email="home@example.org"),
        order_line(3, customer_external_id="B2", customer_email="HOME@example.org"),
    ]
    report = run(services, tenant.shop_a, write_csv(tmp_path / "family.csv", lines))
    assert (report.created, report.problems) == (3, [])
    with services.sessions() as db:
        kinds = sorted(db.execute(select(CustomerIdentity.kind, CustomerIdentity.value)).all())
    assert [tuple(k) for k in kinds] == [
        ("email", "home@example.org"),
        ("external_id", "B1"),
        ("external_id", "B2"),
    ]
    again = run(services, tenant.shop_a, write_csv(tmp_path / "family.csv", lines))
    assert (again.created, again.unchanged, again.problems) == (0, 3, [])


def test_fingerprint_is_the_hash_stored_by_earlier_versions() -> None:
    # Orders imported before keep their stored source_hash: re-importing them must find them
    # unchanged, so the fingerprint stays the SHA-256 of the order's pydantic JSON.
    import hashlib

    order = OrderIn.model_validate(
        {"external_id": "113-0000001-1234567", "currency": "USD", "placed_at": "2026-11-03T10:00:00Z",
         "customer_email": "B1@Example.org", "shipping_fee": "4.99",
         "items": [{"sku": "S-1", "title": "Mug 杯子", "quantity": 2, "unit_price": "12.50"}],
         "shipments": [{"carrier": "UPS", "tracking_number": "1Z999AA10000000001"}]}
    )  # fmt: skip
    assert bulk.fingerprint(order) == hashlib.sha256(order.model_dump_json().encode()).hexdigest()
