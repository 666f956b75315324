"""Macros through the live API: saved per shop, checked at save time, filled per conversation."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select

from kefu.services import Services
from kefu.storage.audit import AuditEvent
from tests.conftest import Tenant, client_for
from tests.inbox.test_draft_api import _conversation

WISMO = (
    "Hi {customer.first_name}, your order {order.id} left with {shipment.carrier}; "
    "the tracking number is {shipment.tracking_number}. I will check it again tomorrow "
    "and write to you."
)


def _macro(api: httpx.Client, **overrides: Any) -> dict[str, Any]:
    body = {
        "shop": "shop-a",
        "name": "Where is my order",
        "intent": "order_status",
        "language": "en",
        "body": WISMO,
        **overrides,
    }
    response = api.post("/api/v1/macros", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_agents_save_and_filter_macros_by_shop_intent_and_language(api: httpx.Client) -> None:
    en = _macro(api)
    zh = _macro(
        api,
        name="查物流",
        language="zh-CN",
        body="亲，您的订单 {order.id} 已由 {shipment.carrier} 发出，单号 {shipment.tracking_number}。",
    )
    general = _macro(api, name="Thanks", intent=None, body="Thank you, {customer.first_name}.")
    assert en["created_by"] == "agent@a.test" and zh["language"] == "zh"
    names = [m["name"] for m in api.get("/api/v1/macros").json()]
    assert sorted(names) == sorted(["Where is my order", "查物流", "Thanks"])
    assert [m["id"] for m in api.get("/api/v1/macros", params={"language": "zh"}).json()] == [
        zh["id"]
    ]
    by_intent = api.get("/api/v1/macros", params={"intent": "order_status"}).json()
    assert {m["id"] for m in by_intent} == {en["id"], zh["id"]}
    assert general["intent"] is None
    assert len(api.get("/api/v1/macros", params={"shop": "shop-a"}).json()) == 3
    assert api.get("/api/v1/macros", params={"shop": "shop-b"}).status_code == 404
    assert "order.id" in api.get("/api/v1/macros/variables").json()["variables"]


def test_an_unknown_variable_is_refused_at_save_time_and_named(api: httpx.Client) -> None:
    bad = {"shop": "shop-a", "name": "typo", "language": "en", "body": "Hi {customer.frist_name}"}
    response = api.post("/api/v1/macros", json=bad)
    assert response.status_code == 422
    body = response.json()
    assert "{customer.frist_name}" in body["detail"] and "{customer.first_name}" in body["detail"]
    assert body["field"] == "body" and body["problems"][0]["code"] == "unknown-variable"
    stray = api.post("/api/v1/macros", json={**bad, "body": "Your code is {ABC"})
    assert stray.status_code == 422 and stray.json()["problems"][0]["code"] == "stray-brace"
    for body_text in ("", "   ", "x" * 10_001):
        assert api.post("/api/v1/macros", json={**bad, "body": body_text}).status_code == 422
    assert api.post("/api/v1/macros", json={**bad, "language": "english!"}).status_code == 422
    typo = api.post("/api/v1/macros", json={**bad, "body": "Hi", "intent": "order_statsu"})
    assert typo.status_code == 422 and typo.json()["field"] == "intent"
    assert "'order_status'" in typo.json()["detail"]
    macro = _macro(api)
    patched = api.patch(f"/api/v1/macros/{macro['id']}", json={"body": "Order {order.idd}"})
    assert patched.status_code == 422 and "{order.idd}" in patched.json()["detail"]
    assert api.get(f"/api/v1/macros/{macro['id']}").json()["body"] == WISMO
    # A broken surrogate from a client (valid JSON escape) is cleaned, never a crash.
    raw = json.dumps({**bad, "name": "odd", "body": "Thanks \ud83d {customer.first_name} 🙏"})
    odd = api.post("/api/v1/macros", content=raw, headers={"Content-Type": "application/json"})
    assert odd.status_code == 201 and "{customer.first_name}" in odd.json()["body"]


def test_names_are_unique_per_shop_and_language(api: httpx.Client) -> None:
    _macro(api)
    assert (
        api.post(
            "/api/v1/macros",
            json={"shop": "shop-a", "name": "Where is my order", "language": "en", "body": "Hi"},
        ).status_code
        == 409
    )
    _macro(
        api, language="es", body="Hola {customer.first_name}, su pedido {order.id} va en camino."
    )


def test_another_shops_macros_are_invisible(
    base_url: str, api: httpx.Client, tenant: Tenant
) -> None:
    macro = _macro(api)
    cid = _conversation(api, "Where is my blender? Order 113-7654321-7654321")
    with client_for(base_url, tenant.agent_b) as other:
        assert other.get("/api/v1/macros").json() == []
        assert other.get(f"/api/v1/macros/{macro['id']}").status_code == 404
        assert other.patch(f"/api/v1/macros/{macro['id']}", json={"name": "x"}).status_code == 404
        assert other.delete(f"/api/v1/macros/{macro['id']}").status_code == 404
        render = other.post(f"/api/v1/conversations/{cid}/macros/{macro['id']}/render")
        assert render.status_code == 404
        shop_b = other.post(
            "/api/v1/macros",
            json={"shop": "shop-b", "name": "在的", "language": "zh", "body": "亲，在的~"},
        ).json()
        sneaky = other.post(
            "/api/v1/macros", json={"shop": "shop-a", "name": "x", "language": "en", "body": "Hi"}
        )
        assert sneaky.status_code == 404
    # A's conversation with B's macro: 404, even though both ids exist.
    assert api.post(f"/api/v1/conversations/{cid}/macros/{shop_b['id']}/render").status_code == 404


def test_render_fills_the_conversations_facts_and_lints_the_result(api: httpx.Client) -> None:
    cid = _conversation(api, "Where is my blender? Order 113-7654321-7654321")
    macro = _macro(api)
    rendered = api.post(f"/api/v1/conversations/{cid}/macros/{macro['id']}/render").json()
    text = rendered["text"]
    assert text.startswith("Hi Dana, your order 113-7654321-7654321 left with UPS")
    assert "1Z999AA10123456784" in text and "{" not in text
    assert rendered["language"] == "en" and rendered["conversation_id"] == cid
    assert not rendered["blocking"]
    shouty = _macro(api, name="shouty", body="SORRY {customer.first_name}!!! we will fix it asap")
    result = api.post(f"/api/v1/conversations/{cid}/macros/{shouty['id']}/render").json()
    codes = {f["code"] for f in result["findings"]}
    assert len(codes) >= 2
    for finding in result["findings"]:
        assert 0 <= finding["start"] <= finding["end"] <= len(result["text"])
    spanish = _macro(
        api, name="es", language="es", intent="refund_request", body="Hola {customer.first_name}."
    )
    notes = api.post(f"/api/v1/conversations/{cid}/macros/{spanish['id']}/render").json()["notes"]
    assert any("'es'" in n for n in notes)


def test_a_known_variable_without_a_value_blocks_the_send(api: httpx.Client) -> None:
    body = {
        "shop": "shop-a",
        "channel": "amazon",
        "external_id": "in-2",
        "customer": {"external_id": "NEW2", "name": "Sam"},
        "text": "Hello, where is my parcel?",
    }
    cid = api.post("/api/v1/messages/inbound", json=body).json()["conversation_id"]
    macro = _macro(api)
    rendered = api.post(f"/api/v1/conversations/{cid}/macros/{macro['id']}/render").json()
    assert "{order.id}" in rendered["text"] and rendered["blocking"]


def test_changes_need_the_author_or_a_supervisor_and_are_audited(
    base_url: str, api: httpx.Client, tenant: Tenant, services: Services
) -> None:
    own = _macro(api)
    renamed = api.patch(f"/api/v1/macros/{own['id']}", json={"name": "WISMO", "intent": None})
    assert renamed.status_code == 200 and renamed.json()["name"] == "WISMO"
    assert renamed.json()["intent"] is None
    with client_for(base_url, tenant.supervisor_a) as sup:
        theirs = _macro(sup, name="Delay apology")
        edited = sup.patch(f"/api/v1/macros/{own['id']}", json={"body": "Hi {customer.name}."})
        assert edited.status_code == 200 and edited.json()["updated_by"] == "sup@a.test"
    assert api.patch(f"/api/v1/macros/{theirs['id']}", json={"name": "mine"}).status_code == 403
    assert api.delete(f"/api/v1/macros/{theirs['id']}").status_code == 403
    assert api.delete(f"/api/v1/macros/{own['id']}").status_code == 204
    assert api.get(f"/api/v1/macros/{own['id']}").status_code == 404
    with services.sessions() as db:
        rows = db.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == own["id"]).order_by(AuditEvent.id)
        ).all()
    actions = sorted((e.action, e.actor) for e in rows)
    assert actions == [
        ("created", "agent@a.test"),
        ("deleted", "agent@a.test"),
        ("updated", "agent@a.test"),
        ("updated", "sup@a.test"),
    ]
    deleted = next(e for e in rows if e.action == "deleted")
    assert deleted.changes["body"] == "Hi {customer.name}." and deleted.shop_id == tenant.shop_a
