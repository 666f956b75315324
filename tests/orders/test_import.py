"""``kefu import orders|customers``: good rows land, bad rows are reported, re-import is a no-op."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from kefu.cli.main import app
from kefu.customers.models import Customer
from kefu.orders.models import Order, OrderItem, Shipment
from kefu.services import Services
from tests.conftest import Tenant

HEADER = (
    "order_id,placed_at,status,currency,customer_external_id,customer_email,customer_name,"
    "sku,title,quantity,unit_price,shipping_fee,discount,total,carrier,tracking_number\n"
)
ROWS = [
    "113-0000001-0000001,2026-11-01T10:00:00Z,shipped,USD,B1,ana@example.org,Ana,CASE-1,Phone case,2,9.99,4.99,0,29.97,UPS,1Z999AA10123456784",
    "113-0000001-0000001,2026-11-01T10:00:00Z,shipped,USD,B1,ana@example.org,Ana,CABLE-2,USB-C cable,1,5.00,4.99,0,29.97,UPS,1Z999AA10123456784",
    "113-0000002-0000002,not-a-date,pending,USD,B2,bo@example.org,Bo,CASE-1,Phone case,1,9.99,0,0,9.99,,",
    "113-0000003-0000003,2026-11-02T10:00:00Z,pending,USD,B3,cy@example.org,Cy,CASE-1,Phone case,-1,9.99,0,0,,,",
    "113-0000004-0000004,2026-11-03T10:00:00Z,delivered,USD,B1,ana@example.org,Ana,MUG-1,Mug,1,12.00,0,2.00,10.00,,",
]


def run_import(services: Services, kind: str, path: Path) -> tuple[int, dict[str, object]]:
    env = {"KEFU_DATABASE_URL": services.settings.database_url}
    result = CliRunner().invoke(
        app, ["import", kind, str(path), "--shop", "shop-a", "--json"], env=env
    )
    return result.exit_code, json.loads(result.stdout.strip().splitlines()[-1])


def count(services: Services, model: type) -> int:
    with services.sessions() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def test_csv_import_reports_bad_rows_and_is_idempotent(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    code, report = run_import(services, "orders", path)
    assert code == 1  # some rows were rejected
    assert report["created"] == 2 and report["rejected_rows"] == 2
    problems = {(p["row"], p["field"]) for p in report["problems"]}  # type: ignore[union-attr]
    assert (4, "placed_at") in problems and (5, "quantity") in problems
    assert count(services, Order) == 2 and count(services, OrderItem) == 3
    assert count(services, Shipment) == 1 and count(services, Customer) == 1
    code, again = run_import(services, "orders", path)
    assert again["created"] == 0 and again["updated"] == 0 and again["unchanged"] == 2
    assert count(services, OrderItem) == 3


def test_changed_row_updates_in_place(services: Services, tenant: Tenant, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + ROWS[4] + "\n", encoding="utf-8")
    run_import(services, "orders", path)
    path.write_text(HEADER + ROWS[4].replace("delivered", "refunded") + "\n", encoding="utf-8")
    _, report = run_import(services, "orders", path)
    assert report["updated"] == 1
    with services.sessions() as db:
        assert db.scalar(select(Order.status)) == "refunded"
        assert db.scalar(select(func.count()).select_from(OrderItem)) == 1


def test_jsonl_with_broken_lines_and_invalid_utf8(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    good = {
        "external_id": "#1001",
        "currency": "EUR",
        "placed_at": "2026-11-01T10:00:00+01:00",
        "items": [{"sku": "A", "title": "Tasse", "quantity": 1, "unit_price": "8.50"}],
    }
    path = tmp_path / "orders.jsonl"
    path.write_bytes(
        json.dumps(good).encode() + b"\n{broken\n" + b'{"external_id": "\xff\xfe"}\n' + b"[1,2]\n"
    )
    _code, report = run_import(services, "orders", path)
    assert report["created"] == 1 and report["rejected_rows"] == 3
    assert count(services, Order) == 1


def test_customers_import_matches_by_identity(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "external_id,name,email,country,language\n"
        "B1,Ana Ruiz,ana@example.org,es,es\n"
        "B2,Bo,not-an-email,US,en\n"
        ",张伟,zhang.wei@example.cn,CN,zh\n",
        encoding="utf-8",
    )
    _code, report = run_import(services, "customers", path)
    assert report["created"] == 2 and report["rejected_rows"] == 1
    _, again = run_import(services, "customers", path)
    assert again["created"] == 0 and again["unchanged"] == 2


def test_unknown_shop_is_a_clear_error(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER, encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["import", "orders", str(path), "--shop", "nope"],
        env={"KEFU_DATABASE_URL": services.settings.database_url},
    )
    assert result.exit_code == 2 and "not found" in result.stderr


@pytest.mark.parametrize("name", ["orders.csv"])
def test_missing_file_is_a_usage_error(name: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import", "orders", str(tmp_path / name), "--shop", "x"])
    assert result.exit_code == 2


@pytest.mark.parametrize("kind", ["orders", "customers"])
def test_a_file_separated_by_semicolons_is_one_clear_problem(
    kind: str, services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    path = tmp_path / f"{kind}.csv"
    header = HEADER.replace(",", ";") if kind == "orders" else "external_id;name;email\n"
    rows = [r.replace(",", ";") for r in ROWS] if kind == "orders" else ["B1;Ana;a@example.org"]
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    code, report = run_import(services, kind, path)
    assert code == 1 and report["created"] == 0 and report["rejected_rows"] == 1
    [problem] = report["problems"]  # type: ignore[misc]
    assert (problem["row"], problem["field"]) == (1, "")
    expected = "order_id, placed_at, currency" if kind == "orders" else "external_id, email"
    assert f"expected columns {expected}" in problem["reason"]
    assert "separated by ';'" in problem["reason"]
    assert count(services, Order) == 0 and count(services, Customer) == 0
