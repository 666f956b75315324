"""The reply editor's macro picker over a live server: ranked by language, filled in, scoped."""

from __future__ import annotations

import httpx

from kefu.web.ui.macros import rank_macros
from tests.conftest import Tenant, client_for
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_ui_routes import ingest


def add_macro(base_url: str, token: str, **fields: str) -> str:
    body = {"shop": "shop-a", "language": "en", **fields}
    with client_for(base_url, token) as api:
        response = api.post("/api/v1/macros", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_picker_lists_the_shops_macros_language_first_and_filters(
    base_url: str, tenant: Tenant
) -> None:
    add_macro(
        base_url,
        tenant.admin_a,
        name="Envío retrasado",
        language="es",
        body="Hola {customer.first_name}",
    )
    add_macro(
        base_url,
        tenant.admin_a,
        name="Tracking update",
        body="Hi {customer.first_name}, tracking {shipment.tracking_number}.",
    )
    add_macro(base_url, tenant.admin_a, name="Refund done", body="Hi, the refund is on its way.")
    add_macro(
        base_url,
        tenant.agent_b,
        shop="shop-b",
        name="Tracking 物流",
        language="zh",
        body="亲，物流在路上啦",
    )
    conversation_id = ingest(base_url, tenant.agent_a)  # English customer
    with sign_in(base_url, "agent@a.test") as client:
        everything = client.get(f"/ui/c/{conversation_id}/macros").json()["macros"]
        tracking = client.get(f"/ui/c/{conversation_id}/macros", params={"q": "track"}).json()
        by_body = client.get(f"/ui/c/{conversation_id}/macros", params={"q": "REFUND IS"}).json()
        nothing = client.get(f"/ui/c/{conversation_id}/macros", params={"q": "zzz"}).json()
    names = [m["name"] for m in everything]
    # English first (by name), then Spanish; shop B's macro never shows in shop A.
    assert names == ["Refund done", "Tracking update", "Envío retrasado"]
    assert [m["name"] for m in tracking["macros"]] == ["Tracking update"]
    assert [m["name"] for m in by_body["macros"]] == ["Refund done"]
    assert nothing["macros"] == []


def test_render_fills_the_macro_for_this_conversation_and_lints_it(
    base_url: str, tenant: Tenant
) -> None:
    macro_id = add_macro(
        base_url,
        tenant.admin_a,
        name="Greeting",
        body="Hi {customer.first_name}, thanks for writing to {shop.name}.",
    )
    conversation_id = ingest(base_url, tenant.agent_a)
    with sign_in(base_url, "agent@a.test") as client:
        token = csrf_of(client.get(f"/ui/c/{conversation_id}").text)
        rendered = client.post(
            f"/ui/c/{conversation_id}/macros/{macro_id}/render", data={"csrf_token": token}
        )
        without_token = client.post(f"/ui/c/{conversation_id}/macros/{macro_id}/render")
        unknown = client.post(
            f"/ui/c/{conversation_id}/macros/nope/render", data={"csrf_token": token}
        )
    assert rendered.status_code == 200, rendered.text
    data = rendered.json()
    assert data["text"] == "Hi Ana, thanks for writing to Shop A."
    assert data["blocking"] is False and isinstance(data["findings"], list)
    # The same service as the REST API gives the same text.
    with client_for(base_url, tenant.agent_a) as api:
        via_api = api.post(f"/api/v1/conversations/{conversation_id}/macros/{macro_id}/render")
    assert via_api.json()["text"] == data["text"]
    assert without_token.status_code == 403
    assert unknown.status_code == 404


def test_another_shops_conversation_and_macro_stay_hidden(base_url: str, tenant: Tenant) -> None:
    theirs = add_macro(
        base_url, tenant.agent_b, shop="shop-b", name="物流", language="zh", body="亲，在的"
    )
    ours = ingest(base_url, tenant.agent_a)
    with sign_in(base_url, "agent@b.test") as client:
        assert client.get(f"/ui/c/{ours}/macros").status_code == 404
    with sign_in(base_url, "agent@a.test") as client:
        token = csrf_of(client.get(f"/ui/c/{ours}").text)
        response = client.post(f"/ui/c/{ours}/macros/{theirs}/render", data={"csrf_token": token})
    assert response.status_code == 404
    with httpx.Client(base_url=base_url) as anonymous:
        assert anonymous.get(f"/ui/c/{ours}/macros").status_code == 303


def test_ranking_puts_name_prefixes_before_body_matches() -> None:
    class M:
        def __init__(self, name: str, language: str, body: str) -> None:
            self.name, self.language, self.body = name, language, body

    macros = [
        M("Late order", "en", "sorry"),
        M("Sorry note", "en", "x"),
        M("抱歉", "zh", "sorry 亲"),
    ]
    ranked = rank_macros(macros, query="sorry", language="zh-CN")  # type: ignore[arg-type]
    assert [m.name for m in ranked] == ["抱歉", "Sorry note", "Late order"]
    assert rank_macros(macros, query="", language=None)[0].name == "Late order"  # type: ignore[arg-type]
