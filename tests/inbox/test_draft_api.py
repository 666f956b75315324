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


def test_a_customer_writing_a_language_the_shop_does_not_list_is_answered_in_it(
    api: httpx.Client,
) -> None:
    # Shop A lists English and Spanish; the customer writes Chinese.
    cid = _conversation(api, "你好，订单113-7654321-7654321的搅拌机收到就裂了，我要退款")
    conversation = api.get(f"/api/v1/conversations/{cid}").json()
    assert conversation["language"] == "zh"
    assert conversation["messages"][0]["triage"]["language"] == "zh"
    draft = api.get(f"/api/v1/conversations/{cid}/draft").json()
    assert draft["language"] == "zh" and not draft["fell_back_to_english"]
    assert "113-7654321-7654321" in draft["text"]


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


def _order_and_message(
    api: httpx.Client, order: dict[str, Any], channel: str, text: str, buyer: str
) -> str:
    created = api.post("/api/v1/orders", json={**order, "customer_external_id": buyer})
    assert created.status_code == 201, created.text
    body = {
        "shop": order["shop"],
        "channel": channel,
        "external_id": f"in-{buyer}",
        "customer": {"external_id": buyer, "name": "Dana Cole"},
        "text": text,
    }
    response = api.post("/api/v1/messages/inbound", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["conversation_id"])


def _amazon_order(external_id: str, delivered_at: str, title: str, price: str) -> dict[str, Any]:
    return {
        **ORDER,
        "external_id": external_id,
        "placed_at": "2026-10-01T10:00:00Z",
        "delivered_at": delivered_at,
        "shipping_fee": "0",
        "items": [{"sku": "SKU-1", "title": title, "quantity": 1, "unit_price": price}],
        "shipments": [],
    }


def _pdd_order(external_id: str, delivered_at: str) -> dict[str, Any]:
    return {
        "shop": "shop-b",
        "external_id": external_id,
        "currency": "CNY",
        "placed_at": "2026-11-10T02:00:00Z",
        "status": "delivered",
        "delivered_at": delivered_at,
        "items": [{"sku": "CUP-1", "title": "保温杯 500ml", "quantity": 1, "unit_price": "39.90"}],
    }


def test_a_return_past_the_window_is_answered_with_the_rule_not_a_full_refund(
    api: httpx.Client,
) -> None:
    order = _amazon_order("113-1000001-0000001", "2026-10-19T18:00:00Z", "Desk Lamp", "39.99")
    cid = _order_and_message(
        api,
        order,
        "amazon",
        "Hi, I want to return the desk lamp from order 113-1000001-0000001, I just don't like it.",
        "LAMP1",
    )
    draft = api.get(f"/api/v1/conversations/{cid}/draft").json()
    assert "return window ended" in draft["text"]
    assert "full refund" not in draft["text"].lower() and "$39.99" not in draft["text"]
    assert {r["name"] for r in draft["remedies"]}.isdisjoint({"full_refund", "return_and_refund"})


def test_a_faulty_item_to_return_is_the_sellers_cost_and_the_draft_asks_for_a_photo(
    api: httpx.Client,
) -> None:
    order = _amazon_order("113-4000001-0000001", "2026-11-18T15:00:00Z", "Hand Blender", "34.50")
    cid = _order_and_message(
        api,
        order,
        "amazon",
        "The hand blender from order 113-4000001-0000001 is defective, the motor does not "
        "start. I would like to return it.",
        "BLEND4",
    )
    draft = api.get(f"/api/v1/conversations/{cid}/draft").json()
    text = draft["text"]
    assert "We pay the return shipping." in text and "You pay the return shipping" not in text
    assert "please reply to this message with a photo of the item showing the problem" in text
    returned = next(r for r in draft["remedies"] if r["name"] == "return_and_refund")
    assert returned["evidence_required"] == ["photo_of_item"]
    # Keeping the item with the money back still needs a supervisor.
    assert "full_refund" not in {r["name"] for r in draft["remedies"]}


def test_a_size_the_customer_picked_wrong_is_a_change_of_mind_not_the_sellers_fault(
    api: httpx.Client,
) -> None:
    order = _amazon_order("113-4000002-0000002", "2026-11-18T15:00:00Z", "Trail Sneakers", "64.00")
    cid = _order_and_message(
        api,
        order,
        "amazon",
        "I ordered the wrong size by mistake on order 113-4000002-0000002, can I send the "
        "sneakers back?",
        "SNEAK2",
    )
    draft = api.get(f"/api/v1/conversations/{cid}/draft").json()
    assert "You pay the return shipping" in draft["text"]
    assert "We pay the return shipping." not in draft["text"]
    assert "photo of the item showing the problem" not in draft["text"]


def test_pinduoduo_past_seven_days_says_the_return_period_ended_in_the_shop_voice(
    base_url: str, tenant: Tenant
) -> None:
    with client_for(base_url, tenant.agent_b) as pdd:
        cid = _order_and_message(
            pdd,
            _pdd_order("261110-100000000000008", "2026-11-15T02:00:00Z"),
            "pinduoduo",
            "你好，订单261110-100000000000008的保温杯我不想要了，可以七天无理由退货吗？",
            "PDD8",
        )
        draft = pdd.get(f"/api/v1/conversations/{cid}/draft").json()
    assert "退货期已于" in draft["text"] and "全额退款" not in draft["text"]
    assert not [f for f in draft["lint"] if f["code"] == "question-unanswered"]


def test_pinduoduo_broken_item_draft_asks_for_the_photo_like_shop_staff(
    base_url: str, tenant: Tenant
) -> None:
    with client_for(base_url, tenant.agent_b) as pdd:
        cid = _order_and_message(
            pdd,
            _pdd_order("261110-100000000000009", "2026-11-21T02:00:00Z"),
            "pinduoduo",
            "订单261110-100000000000009的保温杯收到就裂了，一直漏水，我要退货",
            "PDD9",
        )
        draft = pdd.get(f"/api/v1/conversations/{cid}/draft").json()
    assert "亲，麻烦拍一下商品问题的照片发给我们哦" in draft["text"]
    assert "退回的运费由我们承担。" in draft["text"] and "需要您承担" not in draft["text"]


def test_draft_dates_are_the_shops_calendar_days(api: httpx.Client) -> None:
    # Shop A is in New York: 03:00 UTC on 20 November is the evening of 19 November there;
    # Amazon's 30 days run out at the end of 19 December on its own (Pacific) clock.
    order = {
        **_amazon_order("113-6000001-0000001", "2026-11-20T03:00:00Z", "Hand Blender", "49.99"),
        "placed_at": "2026-11-16T02:30:00Z",
    }
    cid = _order_and_message(
        api,
        order,
        "amazon",
        "I'd like to return the hand blender from order 113-6000001-0000001, please.",
        "BLEND6",
    )
    draft = api.get(f"/api/v1/conversations/{cid}/draft").json()
    assert "November 19" in draft["text"] and "November 20" not in draft["text"], draft["text"]
    [window] = [r for r in draft["remedies"] if r["name"] == "return_and_refund"]
    assert window["deadline"] == "2026-12-19", window
    assert "December 19, 2026" in draft["text"] and "December 20" not in draft["text"]


def test_the_draft_answers_the_feeling_of_the_whole_unanswered_turn(api: httpx.Client) -> None:
    # Angry first, then a plain follow-up: the reply still owes the customer the apology.
    cid = _conversation(api, "Three messages and nobody answers. This is ridiculous!!")
    follow_up = {
        "shop": "shop-a",
        "channel": "amazon",
        "external_id": "in-2",
        "customer": {"external_id": "BUYER7", "name": "Dana Cole"},
        "text": "It's order 113-7654321-7654321",
    }
    assert api.post("/api/v1/messages/inbound", json=follow_up).status_code == 201
    messages = api.get(f"/api/v1/conversations/{cid}").json()["messages"]
    assert [m["triage"]["emotions"] for m in messages] == [["anger"], []]
    draft = api.get(f"/api/v1/conversations/{cid}/draft").json()
    assert "I understand why you are upset" in draft["text"]
