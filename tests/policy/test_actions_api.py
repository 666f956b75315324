"""Order actions and approvals through the live API, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from kefu.policy.models import OrderAction
from kefu.services import Services
from kefu.shops.models import Shop
from kefu.storage.audit import AuditEvent
from tests.conftest import Tenant, client_for

ORDER = {
    "shop": "shop-a",
    "external_id": "113-5550001-0000001",
    "customer_email": "ana@example.org",
    "status": "delivered",
    "currency": "USD",
    "placed_at": "2026-11-15T12:00:00Z",
    "delivered_at": "2026-11-19T18:00:00Z",
    "payment_method": "card-1",
    "shipping_fee": "5.00",
    "discount": "5.00",
    "items": [
        {"sku": "MUG-1", "title": "Ceramic mug", "quantity": 2, "unit_price": "10.00"},
        {"sku": "LAMP-1", "title": "Desk lamp", "quantity": 1, "unit_price": "30.00"},
    ],
    "shipments": [
        {"carrier": "UPS", "tracking_number": "1Z9990001", "shipped_at": "2026-11-16T12:00:00Z"}
    ],
}


@pytest.fixture
def order_id(base_url: str, tenant: Tenant) -> str:
    with client_for(base_url, tenant.admin_a) as admin:
        created = admin.post("/api/v1/orders", json=ORDER)
    assert created.status_code == 201, created.text
    order: str = created.json()["id"]
    return order


def refund(amount: str, key: str, currency: str = "USD") -> dict[str, Any]:
    return {
        "remedy": "partial_refund",
        "amount": {"amount": amount, "currency": currency},
        "reason": "scratched lid",
        "request_key": key,
    }


def get_order(client: httpx.Client, order_id: str) -> dict[str, Any]:
    found: dict[str, Any] = client.get(f"/api/v1/orders/{order_id}").json()
    return found


def action_rows(services: Services) -> int:
    with services.sessions() as db:
        return db.scalar(select(func.count()).select_from(OrderAction)) or 0


def test_allowed_refund_runs_once_per_request_key_and_a_reused_key_is_409(
    api: httpx.Client, order_id: str, services: Services
) -> None:
    first = api.post(f"/api/v1/orders/{order_id}/actions", json=refund("10.00", "rf-1"))
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "executed" and body["receipt"]["reference"].startswith("RF-")
    assert body["receipt"]["refund"] == {"amount": "10.00", "currency": "USD"}
    again = api.post(f"/api/v1/orders/{order_id}/actions", json=refund("10.00", "rf-1"))
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["receipt"] == body["receipt"]
    order = get_order(api, order_id)
    # Money back is not a step back in delivery: drafts must still say it was delivered.
    assert (order["amount_refunded"], order["status"]) == ("10.00", "delivered")
    with services.sessions() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.entity_id == order_id)).all()
    assert [(e.action, e.actor) for e in events] == [("remedy.partial_refund", "agent@a.test")]
    assert events[0].changes["request_key"] == "rf-1"
    clash = api.post(f"/api/v1/orders/{order_id}/actions", json=refund("12.00", "rf-1"))
    assert clash.status_code == 409
    assert clash.json()["rule_id"] == "kefu.idempotency.key_reused"
    assert get_order(api, order_id)["amount_refunded"] == "10.00"


REFUSED = [
    (refund("51.00", "big"), 422, "kefu.input.over_total"),
    (refund("-5.00", "neg"), 422, "kefu.input.non_positive_amount"),
    (refund("5.00", "cny", currency="CNY"), 422, "kefu.input.currency_mismatch"),
    (
        {"remedy": "return_and_refund", "lines": [{"sku": "SOCK"}], "request_key": "it"},
        422,
        "kefu.input.unknown_item",
    ),
    ({"remedy": "cancel", "request_key": "cx"}, 409, "amazon.before_shipment"),
    ({**refund("5.00", "gw"), "remedy": "goodwill_credit"}, 409, "amazon.goodwill.no_coupons"),
]


def test_refused_requests_give_a_reason_and_write_nothing(
    base_url: str, tenant: Tenant, api: httpx.Client, order_id: str, services: Services
) -> None:
    for body, status, rule in REFUSED:
        refused = api.post(f"/api/v1/orders/{order_id}/actions", json=body)
        assert refused.status_code == status, refused.text
        detail = refused.json()
        assert detail["rule_id"] == rule and detail["reasons"][0]["zh"] and detail["detail"]
    assert get_order(api, order_id)["amount_refunded"] == "0.00"
    # Another shop's order is as unknown as one that does not exist.
    with client_for(base_url, tenant.agent_b) as other:
        act = other.post(f"/api/v1/orders/{order_id}/actions", json=refund("5.00", "x"))
        assert act.status_code == 404
        evaluated = other.post(
            "/api/v1/policy/evaluate", json={"order_id": order_id, "remedy": "full_refund"}
        )
        assert evaluated.status_code == 404
    assert api.post("/api/v1/orders/nope/actions", json=refund("5", "y")).status_code == 404
    assert (
        api.post(
            "/api/v1/policy/evaluate", json={"order_id": "nope", "remedy": "cancel"}
        ).status_code
        == 404
    )
    assert action_rows(services) == 0
    assert get_order(api, order_id)["status"] == "delivered"


def test_agent_above_goodwill_limit_files_an_approval_a_supervisor_grants(
    base_url: str, tenant: Tenant, api: httpx.Client, order_id: str, services: Services
) -> None:
    # Amazon forbids goodwill coupons outright; a Shopify store grants them within limits.
    with services.sessions() as db, db.begin():
        db.get_one(Shop, tenant.shop_a).platform = "shopify"
    credit = {
        "remedy": "goodwill_credit",
        "amount": {"amount": "30.00", "currency": "USD"},
        "reason": "late delivery",
        "request_key": "gw-1",
    }
    asked = api.post(f"/api/v1/orders/{order_id}/actions", json=credit)
    assert asked.status_code == 202, asked.text
    approval = asked.json()["approval"]
    assert (approval["status"], approval["required_role"]) == ("pending", "supervisor")
    assert api.post(f"/api/v1/orders/{order_id}/actions", json=credit).json()["replayed"]
    listed = api.get("/api/v1/approvals").json()
    assert [a["id"] for a in listed] == [approval["id"]]

    assert api.post(f"/api/v1/approvals/{approval['id']}/approve").status_code == 403
    with client_for(base_url, tenant.agent_b) as other:
        assert other.post(f"/api/v1/approvals/{approval['id']}/approve").status_code == 404
        assert other.get("/api/v1/approvals").json() == []
    with client_for(base_url, tenant.supervisor_a) as sup:
        done = sup.post(f"/api/v1/approvals/{approval['id']}/approve", json={"note": "ok"})
        assert done.status_code == 200, done.text
        assert done.json()["execution"]["status"] == "executed"
        assert done.json()["approval"]["status"] == "approved"
        assert done.json()["approval"]["decided_by"] == "sup@a.test"
        retry = sup.post(f"/api/v1/approvals/{approval['id']}/approve")
        assert retry.status_code == 200 and retry.json()["execution"]["replayed"] is True
    assert api.get("/api/v1/approvals").json() == []
    with services.sessions() as db:
        actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.at)).all()
    assert {"approval.requested", "remedy.goodwill_credit", "approval.approved"} <= set(actions)


RETURNLESS = {
    "remedy": "refund_without_return",
    "reason_category": "damaged",
    "request_key": "z1",
}


def test_approving_a_returnless_refund_runs_it_once_and_records_who_approved(
    base_url: str, tenant: Tenant, api: httpx.Client, order_id: str, services: Services
) -> None:
    # Audit: the approval stayed pending and each approve filed 'z1#approved', '…#approved#approved'.
    with services.sessions() as db, db.begin():
        db.get_one(Shop, tenant.shop_a).platform = "shopify"
    url = f"/api/v1/orders/{order_id}/actions"
    with client_for(base_url, tenant.admin_a) as admin:
        asked = admin.post(url, json=RETURNLESS)
        assert asked.status_code == 202, asked.text
        approval_id = asked.json()["approval"]["id"]
        assert asked.json()["approval"]["required_role"] == "admin"

        assert api.post(f"/api/v1/approvals/{approval_id}/approve").status_code == 403
        with client_for(base_url, tenant.supervisor_a) as sup:  # below the required role
            assert sup.post(f"/api/v1/approvals/{approval_id}/approve").status_code == 403
        with client_for(base_url, tenant.agent_b) as other:
            assert other.post(f"/api/v1/approvals/{approval_id}/approve").status_code == 404
        assert get_order(admin, order_id)["amount_refunded"] == "0.00"

        done = admin.post(f"/api/v1/approvals/{approval_id}/approve", json={"note": "photo ok"})
        assert done.status_code == 200, done.text
        execution, approval = done.json()["execution"], done.json()["approval"]
        assert (execution["status"], execution["request_key"]) == ("executed", "z1")
        assert execution["replayed"] is False
        assert execution["reasons"][0]["rule_id"] == "kefu.approval.approved"
        assert (approval["status"], approval["decided_by"]) == ("approved", "admin@a.test")
        assert approval["decided_at"] and approval["note"] == "photo ok"
        refunded = execution["receipt"]["refund"]["amount"]
        assert Decimal(refunded) > 0 and get_order(admin, order_id)["amount_refunded"] == refunded

        retry = admin.post(f"/api/v1/approvals/{approval_id}/approve")
        assert retry.status_code == 200 and retry.json()["execution"]["replayed"] is True
        assert retry.json()["execution"]["receipt"] == execution["receipt"]
        assert retry.json()["approval"] == approval
        replay = admin.post(url, json=RETURNLESS)
        assert replay.status_code == 200 and replay.json()["status"] == "executed"
        assert replay.json()["receipt"] == execution["receipt"]
        assert admin.post(f"/api/v1/approvals/{approval_id}/reject").status_code == 409
        assert get_order(admin, order_id)["amount_refunded"] == refunded
        assert admin.get("/api/v1/approvals").json() == []
        approved = admin.get("/api/v1/approvals", params={"status": "approved"}).json()
        assert [a["request_key"] for a in approved] == ["z1"]
    with services.sessions() as db:
        keys = db.scalars(select(OrderAction.request_key)).all()
        events = db.scalars(select(AuditEvent.action)).all()
    assert keys == ["z1"]
    assert events.count("approval.approved") == 1
    assert events.count("remedy.refund_without_return") == 1


def test_rejecting_records_the_decision_runs_nothing_and_blocks_a_later_approval(
    base_url: str, tenant: Tenant, api: httpx.Client, order_id: str
) -> None:
    with client_for(base_url, tenant.admin_a) as admin:
        assert admin.put(
            f"/api/v1/shops/{tenant.shop_a}/policy", json={"refund_limits": {"agent": 20}}
        ).is_success
        asked = api.post(f"/api/v1/orders/{order_id}/actions", json=refund("30.00", "rf-no"))
        assert asked.status_code == 202, asked.text
        approval_id = asked.json()["approval"]["id"]
        for _ in range(2):  # a retried rejection is the same rejection
            no = admin.post(f"/api/v1/approvals/{approval_id}/reject", json={"note": "coupon"})
            assert no.status_code == 200, no.text
            assert no.json()["approval"]["status"] == "rejected"
            assert no.json()["approval"]["decided_by"] == "admin@a.test"
            assert no.json()["approval"]["note"] == "coupon"
        assert admin.post(f"/api/v1/approvals/{approval_id}/approve").status_code == 409
    assert get_order(api, order_id)["amount_refunded"] == "0.00"


def test_refund_above_the_shops_own_limit_waits_for_approval_and_rejection_changes_nothing(
    base_url: str, tenant: Tenant, api: httpx.Client, order_id: str
) -> None:
    with client_for(base_url, tenant.admin_a) as admin:
        put = admin.put(
            f"/api/v1/shops/{tenant.shop_a}/policy",
            json={"refund_limits": {"agent": 20, "supervisor": 40}},
        )
        assert put.status_code == 200, put.text
        agent_limit = put.json()["effective"]["refund_limits"][0]
        assert (agent_limit[0], Decimal(agent_limit[1])) == ("agent", Decimal(20))
    asked = api.post(f"/api/v1/orders/{order_id}/actions", json=refund("30.00", "rf-big"))
    assert asked.status_code == 202
    approval_id = asked.json()["approval"]["id"]
    with client_for(base_url, tenant.supervisor_a) as sup:
        no = sup.post(f"/api/v1/approvals/{approval_id}/reject", json={"note": "offer a coupon"})
        assert no.status_code == 200, no.text
        assert no.json()["approval"]["status"] == "rejected"
    assert get_order(api, order_id)["amount_refunded"] == "0.00"
    again = api.post(f"/api/v1/orders/{order_id}/actions", json=refund("30.00", "rf-big-2"))
    with client_for(base_url, tenant.admin_a) as admin:
        ok = admin.post(f"/api/v1/approvals/{again.json()['approval']['id']}/approve")
        assert ok.status_code == 200
    assert get_order(api, order_id)["amount_refunded"] == "30.00"


def test_evaluate_explains_and_shop_policy_is_admin_only_and_validated_with_lines(
    base_url: str, tenant: Tenant, api: httpx.Client, order_id: str
) -> None:
    found = api.post(
        "/api/v1/policy/evaluate",
        json={"order_id": "113-5550001-0000001", "remedy": "return_and_refund"},
    )
    assert found.status_code == 200, found.text
    requested = found.json()["requested"]
    assert requested["verdict"] == "allowed" and requested["deadline"].startswith("2026-12-")
    assert requested["reasons"][0]["en"] and requested["reasons"][0]["zh"]
    assert {d["remedy"] for d in found.json()["remedies"]} >= {"cancel", "full_refund"}
    url = f"/api/v1/shops/{tenant.shop_a}/policy"
    assert api.put(url, json={"return_window_days": 60}).status_code == 403
    with client_for(base_url, tenant.admin_a) as admin:
        bad = admin.put(url, json={"return_window_days": "long", "colour": "red"})
        assert bad.status_code == 422
        keys = {p["key"] for p in bad.json()["problems"]}
        assert keys == {"return_window_days", "colour"}
        yaml_body = b"return_window_days: 60\nfree_return_shipping: maybe\n"
        bad_yaml = admin.put(url, content=yaml_body, headers={"content-type": "application/yaml"})
        assert bad_yaml.status_code == 422
        assert [(p["line"], p["key"]) for p in bad_yaml.json()["problems"]] == [
            (2, "free_return_shipping")
        ]
        good = admin.put(
            url, content=b"return_window_days: 60\n", headers={"content-type": "application/yaml"}
        )
        assert good.status_code == 200, good.text
        assert good.json()["effective"]["return_window_days"] == 60
        assert admin.get(url).json()["overrides"] == {"return_window_days": 60}
        for junk in (b"\xff\xfe", b"[1, 2]", b"1e999", b"{}}"):
            assert (
                admin.put(
                    url, content=junk, headers={"content-type": "application/json"}
                ).status_code
                == 422
            )
    with client_for(base_url, tenant.agent_b) as other:
        assert other.put(url, json={}).status_code == 404
