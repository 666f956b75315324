"""Values at the edge of what can be stored: far dates, totals that cannot be, blank text,
implausible emails. Each is refused with the field named, through the API and the import."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from kefu.orders.models import Order
from kefu.services import Services
from tests.conftest import Tenant
from tests.inbox.test_ingest_api import inbound
from tests.orders.test_import import HEADER, run_import

FAR = ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "1900-01-01T00:00:00Z"]


def _order(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "shop": "shop-a",
        "external_id": "113-1234567-1234567",
        "currency": "USD",
        "placed_at": "2026-11-01T10:00:00Z",
        "items": [{"sku": "MUG", "title": "Mug", "quantity": 1, "unit_price": "3.00"}],
    }
    body.update(overrides)
    return body


def _fields(response: httpx.Response) -> list[str]:
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


@pytest.mark.parametrize("when", FAR)
def test_far_dates_are_refused_with_their_field(api: httpx.Client, when: str) -> None:
    message = api.post("/api/v1/messages/inbound", json=inbound(sent_at=when))
    assert message.status_code == 422 and _fields(message) == ["sent_at"]
    order = api.post("/api/v1/orders", json=_order(placed_at=when))
    assert order.status_code == 422 and _fields(order) == ["placed_at"]
    cid = api.post("/api/v1/messages/inbound", json=inbound()).json()["conversation_id"]
    snooze = api.patch(f"/api/v1/conversations/{cid}", json={"snoozed_until": when})
    assert snooze.status_code == 422 and _fields(snooze) == ["snoozed_until"]


def test_an_order_total_must_be_one_that_can_be(api: httpx.Client) -> None:
    too_much_off = api.post("/api/v1/orders", json=_order(discount="50"))
    assert too_much_off.status_code == 422
    assert "discount 50 is more than" in too_much_off.text
    huge_line = {"sku": "X", "title": "X", "quantity": 100000, "unit_price": "9999999999.9999"}
    huge = api.post("/api/v1/orders", json=_order(items=[huge_line]))
    assert huge.status_code == 422


def test_blank_replies_notes_and_long_tags_are_refused(api: httpx.Client) -> None:
    cid = api.post("/api/v1/messages/inbound", json=inbound()).json()["conversation_id"]
    for kind in ("replies", "notes"):
        blank = api.post(f"/api/v1/conversations/{cid}/{kind}", json={"text": " \n\t "})
        assert blank.status_code == 422 and _fields(blank) == ["text"]
    long_tag = api.patch(f"/api/v1/conversations/{cid}", json={"tags": ["x" * 65]})
    assert long_tag.status_code == 422


def test_the_order_import_reports_far_dates_bad_totals_and_emails(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    def line(order_id: str, placed: str, email: str, discount: str) -> str:
        return f"{order_id},{placed},paid,USD,B1,{email},Ann,MUG,Mug,1,3.00,0,{discount},,,\n"

    path = tmp_path / "orders.csv"
    path.write_text(
        HEADER
        + line("A-1", "9999-12-31T23:59:59-12:00", "ann@example.org", "0")
        + line("A-2", "2026-11-01T10:00:00Z", "not-an-email", "0")
        + line("A-3", "2026-11-01T10:00:00Z", "ann@example.org", "50")
        + line("A-4", "2026-11-01T10:00:00Z", "Ann@Example.org", "0"),
        encoding="utf-8",
    )
    _code, report = run_import(services, "orders", path)
    problems = report["problems"]
    assert isinstance(problems, list)
    assert [(p["row"], p["field"]) for p in problems][:2] == [
        (2, "placed_at"),
        (3, "customer_email"),
    ]
    assert problems[2]["row"] == 4 and "discount 50" in problems[2]["reason"]
    assert report["created"] == 1
    with services.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Order)) == 1
