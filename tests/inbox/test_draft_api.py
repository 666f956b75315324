"""Drafts and the lint gate on replies, through the live API."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from kefu.services import Services
from kefu.storage.audit import AuditEvent
from tests.conftest import Tenant, client_for

ORDER = {
    "shop": "shop-a",
    "external_id": "113-7654321-7654321",
    "currency": "USD",
    "placed_at": "2026-11-10T10:00:00Z",
    "status": "delivered",
    "delivered_at": "2026-11-18T15:00:00Z",
    "customer_external_id": "BUYER7",
    "items": [
        {"sku": "BLEND-1", "title": "Glass Blender 1.5 L", "quantity": 1, "unit_price": "59.99"}
    ],
    "shipments": [
        {
            "carrier": "UPS",
            "tracking_number": "1Z999AA10123456784",
            "status": "delivered",
            "shipped_at": "2026-11-12T09:00:00Z",
            "events": [
                {
                    "at": "2026-11-18T15:00:00Z",
                    "status": "delivered",
                    "description": "Delivered, front door",
                }
            ],
        }
    ],
}


def _conversation(api: httpx.Client, text: str, **extra: Any) -> str:
    assert api.post("/api/v1/orders", json=ORDER).status_code == 201
    body = {
        "shop": "shop-a",
        "channel": "amazon",
        "external_id": "in-1",
        "customer": {"external_id": "BUYER7", "name": "Dana Cole"},
        "text": text,
        **extra,
    }
    response = api.post("/api/v1/messages/inbound", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["conversation_id"])


def test_draft_quotes_the_order_and_offers_only_allowed_remedies(api: httpx.Client) -> None:
    cid = _conversation(
        api, "My blender from order 113-7654321-7654321 arrived cracked. I want a refund."
    )
    draft = api.get(f"/api/v1/conversations/{cid}/draft").json()
    assert draft["language"] == "en"
    assert "113-7654321-7654321" in draft["text"] and "Dana" in draft["text"]
    assert draft["remedies"] and all(r["verdict"] != "denied" for r in draft["remedies"])
    assert not [f for f in draft["lint"] if f["severity"] == "blocking"]
    assert {"text", "language", "facts", "remedies", "citations", "lint"} <= set(draft)
    assert "http" not in draft["text"]  # Amazon: no external links


def test_draft_asks_for_the_order_when_none_is_known(api: httpx.Client) -> None:
    body = {
        "shop": "shop-a",
        "channel": "amazon",
        "external_id": "in-9",
        "customer": {"external_id": "NEW1"},
        "text": "Where is my package??",
    }
    cid = api.post("/api/v1/messages/inbound", json=body).json()["conversation_id"]
    draft = api.get(f"/api/v1/conversations/{cid}/draft").json()
    assert draft["remedies"] == [] and "order" in draft["text"].lower() and "?" in draft["text"]


def test_blocking_lint_stops_the_send_unless_a_supervisor_overrides(
    base_url: str, api: httpx.Client, tenant: Tenant, services: Services
) -> None:
    cid = _conversation(api, "where is my blender")
    bad = {"text": "Hi {customer.first_name}, your refund is on its way."}
    blocked = api.post(f"/api/v1/conversations/{cid}/replies", json=bad)
    assert blocked.status_code == 422
    assert any(f["code"] for f in blocked.json()["findings"])
    assert (
        api.post(
            f"/api/v1/conversations/{cid}/replies", json={**bad, "override_lint": True}
        ).status_code
        == 422
    )
    with client_for(base_url, tenant.supervisor_a) as sup:
        sent = sup.post(f"/api/v1/conversations/{cid}/replies", json={**bad, "override_lint": True})
    assert sent.status_code == 201
    with services.sessions() as db:
        actions = db.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == cid)).all()
    assert "lint_overridden" in actions


def test_lint_endpoint_reports_spans(api: httpx.Client) -> None:
    text = "PLEASE WAIT!!! u will get it asap"
    result = api.post("/api/v1/lint", json={"text": text, "platform": "amazon"}).json()
    codes = {f["code"] for f in result["findings"]}
    assert codes
    for finding in result["findings"]:
        assert 0 <= finding["start"] <= finding["end"] <= len(text)


def test_triage_endpoint_matches_ingest_shape(api: httpx.Client) -> None:
    result = api.post(
        "/api/v1/triage", json={"text": "亲 我的订单怎么还没发货 急用", "shop": "shop-a"}
    )
    assert result.status_code == 200
    body = result.json()
    assert {
        "language",
        "intent",
        "intents",
        "entities",
        "sentiment",
        "emotions",
        "urgency",
        "abusive",
        "risks",
        "priority",
    } <= set(body)
    assert api.post("/api/v1/triage", json={"text": "x" * 70_000}).status_code == 413
