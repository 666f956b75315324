"""POST /api/v1/messages/inbound over a live loopback server, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
from sqlalchemy import func, select

from kefu.conversations.models import Conversation, Message
from kefu.customers.models import Customer
from kefu.services import Services
from kefu.storage.audit import AuditEvent
from tests.conftest import Tenant, client_for


def inbound(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "shop": "shop-a",
        "channel": "webchat",
        "external_id": "msg-1",
        "thread_id": "thr-1",
        "customer": {"name": "Ana Ruiz", "email": "ana@example.org", "external_id": "A1B2C3"},
        "text": "Where is my order 113-1234567-1234567?",
        "html": None,
        "sent_at": "2026-11-23T09:00:00Z",
    }
    body.update(overrides)
    return body


def count(services: Services, model: type) -> int:
    with services.sessions() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def test_new_message_opens_a_triaged_conversation(api: httpx.Client, services: Services) -> None:
    response = api.post("/api/v1/messages/inbound", json=inbound())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["duplicate"] is False
    detail = api.get(f"/api/v1/conversations/{body['conversation_id']}").json()
    assert detail["status"] == "new"
    assert detail["sla_due_at"] is not None
    [message] = detail["messages"]
    assert message["id"] == body["message_id"]
    assert message["triage"]["language"] == "en"
    assert any(e["type"] == "order_id" for e in message["triage"]["entities"])


def test_duplicate_delivery_returns_same_ids_and_writes_nothing(
    api: httpx.Client, services: Services
) -> None:
    first = api.post("/api/v1/messages/inbound", json=inbound()).json()
    before = (count(services, Message), count(services, Conversation), count(services, AuditEvent))
    again = api.post("/api/v1/messages/inbound", json=inbound(text="changed text on retry"))
    assert again.status_code == 200
    assert again.json() == {**first, "duplicate": True}
    after = (count(services, Message), count(services, Conversation), count(services, AuditEvent))
    assert after == before


def test_threads_by_thread_id_then_order_id_then_open_conversation(api: httpx.Client) -> None:
    first = api.post("/api/v1/messages/inbound", json=inbound()).json()
    same_thread = api.post(
        "/api/v1/messages/inbound", json=inbound(external_id="msg-2", text="any news?")
    ).json()
    assert same_thread["conversation_id"] == first["conversation_id"]
    no_thread = api.post(
        "/api/v1/messages/inbound",
        json=inbound(external_id="msg-3", thread_id=None, text="hello? still waiting"),
    ).json()
    assert no_thread["conversation_id"] == first["conversation_id"]
    other_customer = api.post(
        "/api/v1/messages/inbound",
        json=inbound(
            external_id="msg-4", thread_id=None, customer={"name": "Bo", "email": "bo@example.org"}
        ),
    ).json()
    assert other_customer["conversation_id"] != first["conversation_id"]


def test_an_order_id_typed_in_full_width_finds_the_order(api: httpx.Client) -> None:
    order = api.post(
        "/api/v1/orders",
        json={
            "shop": "shop-a",
            "external_id": "113-1234567-1234567",
            "currency": "USD",
            "placed_at": "2026-11-01T10:00:00Z",
            "customer_email": "ana@example.org",
            "items": [{"sku": "CASE-1", "title": "Phone case", "unit_price": "9.99"}],
        },
    )
    assert order.status_code == 201, order.text
    message = inbound(thread_id=None, text="亲，订单１１３－１２３４５６７－１２３４５６７到哪了")
    created = api.post("/api/v1/messages/inbound", json=message).json()
    conversation = api.get(f"/api/v1/conversations/{created['conversation_id']}").json()
    assert conversation["order_id"] == order.json()["id"]


def test_new_message_reopens_resolved_conversation_with_audit_reason(
    api: httpx.Client, services: Services
) -> None:
    first = api.post("/api/v1/messages/inbound", json=inbound()).json()
    cid = first["conversation_id"]
    assert api.patch(f"/api/v1/conversations/{cid}", json={"status": "resolved"}).status_code == 200
    api.post("/api/v1/messages/inbound", json=inbound(external_id="msg-9", text="it broke again"))
    assert api.get(f"/api/v1/conversations/{cid}").json()["status"] == "open"
    with services.sessions() as db:
        reopened = db.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == cid, AuditEvent.action == "reopened")
        ).all()
    assert len(reopened) == 1
    assert "resolved" in reopened[0].reason


def test_a_message_wakes_a_snoozed_conversation_and_the_audit_trail_says_why(
    api: httpx.Client, services: Services
) -> None:
    cid = api.post("/api/v1/messages/inbound", json=inbound()).json()["conversation_id"]
    snooze = {"status": "snoozed", "snoozed_until": "2026-12-24T09:00:00+00:00"}
    assert api.patch(f"/api/v1/conversations/{cid}", json=snooze).status_code == 200
    api.post("/api/v1/messages/inbound", json=inbound(external_id="msg-9", text="any news?"))
    assert api.get(f"/api/v1/conversations/{cid}").json()["status"] == "open"
    with services.sessions() as db:
        events = db.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == cid).order_by(AuditEvent.at)
        ).all()
    woke = [e for e in events if "customer wrote while" in (e.reason or "")]
    assert len(woke) == 1
    assert woke[0].changes == {"status": {"from": "snoozed", "to": "open"}}


def test_text_over_64_kb_is_413_and_nothing_is_stored(
    api: httpx.Client, services: Services
) -> None:
    response = api.post("/api/v1/messages/inbound", json=inbound(text="a" * (64 * 1024 + 1)))
    assert response.status_code == 413
    assert "64 KB" in response.json()["detail"]
    assert count(services, Message) == 0


def test_ten_megabyte_body_is_413(api: httpx.Client) -> None:
    response = api.post("/api/v1/messages/inbound", json=inbound(text="x" * 10_000_000))
    assert response.status_code == 413


def test_ten_megabytes_streamed_without_a_length_is_413(
    api: httpx.Client, services: Services
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"shop": "shop-a", "channel": "webchat", "external_id": "big", "text": "'
        for _ in range(160):
            yield b"x" * 65_536
        yield b'"}'

    response = api.post(
        "/api/v1/messages/inbound", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and "KB" in response.json()["detail"]
    assert count(services, Message) == 0


def test_invalid_bodies_get_field_level_422(api: httpx.Client) -> None:
    missing = api.post("/api/v1/messages/inbound", json={"shop": "shop-a"})
    assert missing.status_code == 422
    fields = {tuple(d["loc"]) for d in missing.json()["detail"]}
    assert ("body", "external_id") in fields and ("body", "channel") in fields
    bad_channel = api.post("/api/v1/messages/inbound", json=inbound(channel="fax"))
    assert bad_channel.status_code == 422
    not_json = api.post(
        "/api/v1/messages/inbound",
        content=b"\xff\xfe{not json",
        headers={"content-type": "application/json"},
    )
    assert not_json.status_code == 422
    assert not_json.json()["detail"][0]["loc"] == ["body"]


def test_html_is_kept_raw_and_sanitised_for_display(api: httpx.Client) -> None:
    html = '<p>Hi <b>there</b><script>alert(1)</script><img src="https://t.example/p.gif"></p>'
    created = api.post("/api/v1/messages/inbound", json=inbound(text="", html=html)).json()
    [message] = api.get(f"/api/v1/conversations/{created['conversation_id']}").json()["messages"]
    assert "<script" not in message["html_safe"] and "<img" not in message["html_safe"]
    assert "<b>there</b>" in message["html_safe"]
    assert message["text"].startswith("Hi")


def test_lone_surrogates_and_emoji_do_not_break_ingest(api: httpx.Client) -> None:
    response = api.post(
        "/api/v1/messages/inbound",
        content='{"shop":"shop-a","channel":"webchat","external_id":"u1",'
        '"customer":{"email":"x@example.org"},"text":"\\ud800 bad \\ud83d\\ude21\\ud83d\\ude21"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 201, response.text


def test_other_shops_token_cannot_post_or_read(
    base_url: str, api: httpx.Client, tenant: Tenant
) -> None:
    created = api.post("/api/v1/messages/inbound", json=inbound()).json()
    with client_for(base_url, tenant.agent_b) as shop_b:
        assert shop_b.get(f"/api/v1/conversations/{created['conversation_id']}").status_code == 404
        assert (
            shop_b.post("/api/v1/messages/inbound", json=inbound(external_id="z")).status_code
            == 404
        )
        assert shop_b.get("/api/v1/conversations").json()["total"] == 0
    with client_for(base_url, None) as anonymous:
        assert anonymous.get("/api/v1/conversations").status_code == 401
    with client_for(base_url, "kefu_forged") as forged:
        assert forged.get("/api/v1/conversations").status_code == 401


def test_priority_counts_order_value_lateness_and_repeat_contacts(api: httpx.Client) -> None:
    order = {
        "shop": "shop-a",
        "external_id": "113-1234567-1234567",
        "currency": "USD",
        "placed_at": "2026-11-01T10:00:00Z",
        "status": "shipped",
        "promised_delivery_at": "2026-11-10T10:00:00Z",
        "customer_external_id": "A1B2C3",
        "items": [{"sku": "TV-1", "title": "55in TV", "quantity": 1, "unit_price": "899.00"}],
    }
    assert api.post("/api/v1/orders", json=order).status_code == 201
    first = api.post("/api/v1/messages/inbound", json=inbound()).json()
    api.post(
        "/api/v1/messages/inbound", json=inbound(external_id="msg-2", text="Hello?? any update")
    )
    detail = api.get(f"/api/v1/conversations/{first['conversation_id']}").json()
    assert detail["order_id"] is not None
    factors = " | ".join(detail["messages"][-1]["triage"]["priority"]["factors"])
    assert "order value 899.00 USD" in factors and "late by 12 days" in factors
    assert "written 2 times" in factors
    assert detail["priority"] == detail["messages"][-1]["triage"]["priority"]["score"]


def test_a_second_buyer_id_with_a_known_email_is_another_customer(
    api: httpx.Client, services: Services
) -> None:
    first = api.post("/api/v1/messages/inbound", json=inbound()).json()
    son = inbound(
        external_id="msg-2",
        thread_id="thr-2",
        customer={"name": "Ana's son", "email": "ana@example.org", "external_id": "Z9"},
    )
    second = api.post("/api/v1/messages/inbound", json=son).json()
    one = api.get(f"/api/v1/conversations/{first['conversation_id']}").json()
    two = api.get(f"/api/v1/conversations/{second['conversation_id']}").json()
    assert one["customer_id"] != two["customer_id"]
    assert count(services, Customer) == 2


def test_an_order_of_another_customer_is_not_linked(api: httpx.Client) -> None:
    order = {
        "shop": "shop-a",
        "external_id": "113-2000001-0000001",
        "currency": "USD",
        "placed_at": "2026-11-01T10:00:00Z",
        "customer_external_id": "VICTIM",
        "customer_email": "victim@example.org",
        "items": [{"sku": "W-1", "title": "Gift watch", "quantity": 1, "unit_price": "99.00"}],
    }
    assert api.post("/api/v1/orders", json=order).status_code == 201
    text = "Hi, where is my order 113-2000001-0000001?"
    stranger = inbound(
        external_id="m-x", thread_id=None, text=text, customer={"email": "mallory@example.org"}
    )
    other = api.post("/api/v1/messages/inbound", json=stranger).json()
    assert api.get(f"/api/v1/conversations/{other['conversation_id']}").json()["order_id"] is None
    # The order's buyer, writing by email: the order made them known by it too.
    owner = inbound(
        external_id="m-y", thread_id=None, text=text, customer={"email": "victim@example.org"}
    )
    own = api.post("/api/v1/messages/inbound", json=owner).json()
    linked = api.get(f"/api/v1/conversations/{own['conversation_id']}").json()
    assert linked["order_id"] is not None


def test_a_first_question_without_an_order_counts_the_platform_reply_clock(
    base_url: str, tenant: Tenant
) -> None:
    # Pinduoduo expects an answer within minutes whether or not an order is mentioned.
    body = inbound(shop="shop-b", text="亲 这款有白色的吗", thread_id="thr-pdd")
    with client_for(base_url, tenant.agent_b) as shop_b:
        created = shop_b.post("/api/v1/messages/inbound", json=body).json()
        detail = shop_b.get(f"/api/v1/conversations/{created['conversation_id']}").json()
    assert detail["order_id"] is None
    factors = " | ".join(detail["messages"][0]["triage"]["priority"]["factors"])
    assert "Pinduoduo reply deadline" in factors


def test_a_calm_follow_up_keeps_the_priority_until_we_reply(api: httpx.Client) -> None:
    first = api.post(
        "/api/v1/messages/inbound",
        json=inbound(text="Refund me today or I'm opening an A-to-z claim and a chargeback!!"),
    ).json()
    threat = api.get(f"/api/v1/conversations/{first['conversation_id']}").json()["priority"]
    api.post(
        "/api/v1/messages/inbound",
        json=inbound(
            external_id="msg-2",
            text="the order is 113-1234567-1234567",
            sent_at="2026-11-23T09:01:00Z",
        ),
    )
    detail = api.get(f"/api/v1/conversations/{first['conversation_id']}").json()
    assert detail["messages"][-1]["triage"]["priority"]["score"] < threat
    assert detail["priority"] == threat
    reply = api.post(
        f"/api/v1/conversations/{first['conversation_id']}/replies",
        json={"text": "I'm sorry about this. I'm checking the order with our warehouse now."},
    )
    assert reply.status_code == 201, reply.text
    api.post(
        "/api/v1/messages/inbound",
        json=inbound(external_id="msg-3", text="ok thank you", sent_at="2026-11-23T11:00:00Z"),
    )
    after = api.get(f"/api/v1/conversations/{first['conversation_id']}").json()
    assert after["priority"] == after["messages"][-1]["triage"]["priority"]["score"] < threat
