"""The case library through the live API: solved conversations, similar cases, save as article."""

from __future__ import annotations

import httpx

from tests.conftest import Tenant, client_for


def _inbound(client: httpx.Client, external_id: str, text: str, shop: str = "shop-a") -> str:
    body = {"shop": shop, "channel": "webchat", "external_id": external_id,
            "customer": {"external_id": f"buyer-{external_id}", "name": "Sam Park"},
            "text": text}  # fmt: skip
    response = client.post("/api/v1/messages/inbound", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["conversation_id"])


def _solve(client: httpx.Client, cid: str, reply: str) -> None:
    response = client.post(f"/api/v1/conversations/{cid}/replies",
                           json={"text": reply, "resolve": True})  # fmt: skip
    assert response.status_code == 201, response.text


def test_similar_solved_cases_come_with_reasons_and_become_draft_articles(
    base_url: str, tenant: Tenant
) -> None:
    with client_for(base_url, tenant.supervisor_a) as sup:
        zipper = _inbound(sup, "c1", "The zipper on my backpack broke after two days of use.")
        _solve(sup, zipper, "Sorry about the zipper, Sam. We are sending a new backpack today "
               "and you can keep the broken one.")  # fmt: skip
        mug = _inbound(sup, "c2", "My coffee mug arrived with a chipped handle.")
        _solve(sup, mug, "Sorry about the chipped mug. A replacement is on its way.")
        open_one = _inbound(sup, "c3", "Hello, the backpack zipper broke on the first day!")
        found = sup.get(f"/api/v1/conversations/{open_one}/similar")
        assert found.status_code == 200, found.text
        cases = found.json()["cases"]
        assert cases[0]["conversation_id"] == zipper
        assert open_one not in {c["conversation_id"] for c in cases}
        assert any(r.startswith("shared terms") for r in cases[0]["reasons"])
        assert "zipper" in [t.lower() for t in cases[0]["shared_terms"]]
        assert "new backpack" in cases[0]["final_reply"]
        assert "zipper" in cases[0]["problem"]
        assert sup.post(f"/api/v1/conversations/{open_one}/save-as-article").status_code == 409
        saved = sup.post(f"/api/v1/conversations/{zipper}/save-as-article")
        assert saved.status_code == 201, saved.text
        article = saved.json()
        assert article["status"] == "draft" and article["kind"] == "procedure"
        assert "zipper" in article["body"] and "new backpack" in article["body"]
        assert sup.post(f"/api/v1/conversations/{zipper}/save-as-article").status_code == 409
        # A draft is not offered to searches until someone publishes it.
        assert all(h["article_id"] != article["id"]
                   for h in sup.get("/api/v1/kb/search", params={"q": "zipper"}).json()["hits"])  # fmt: skip
        url = f"/api/v1/kb/articles/{article['id']}"
        assert sup.patch(url, json={"status": "published"}).json()["version"] == 2
        hits = sup.get("/api/v1/kb/search", params={"q": "zipper backpack"}).json()["hits"]
        assert hits[0]["article_id"] == article["id"]


def test_cases_stay_inside_their_shop(base_url: str, tenant: Tenant) -> None:
    with (
        client_for(base_url, tenant.agent_a) as agent_a,
        client_for(base_url, tenant.agent_b) as agent_b,
    ):
        solved_b = _inbound(agent_b, "b1", "雨伞的伞骨断了，怎么处理", shop="shop-b")
        _solve(agent_b, solved_b, "亲，给您补发一把新伞，麻烦您收到后确认一下哦")
        asking_a = _inbound(agent_a, "a1", "雨伞的伞骨断了")
        assert agent_a.get(f"/api/v1/conversations/{asking_a}/similar").json()["cases"] == []
        assert agent_b.get(f"/api/v1/conversations/{asking_a}/similar").status_code == 404
        assert agent_a.post(f"/api/v1/conversations/{solved_b}/save-as-article").status_code == 404
        asking_b = _inbound(agent_b, "b2", "伞骨断了，能补发吗", shop="shop-b")
        cases = agent_b.get(f"/api/v1/conversations/{asking_b}/similar").json()["cases"]
        assert [c["conversation_id"] for c in cases] == [solved_b]
        assert cases[0]["language"] == "zh"


def _order(client: httpx.Client, number: str, buyer: str) -> None:
    order = {"shop": "shop-a", "external_id": number, "currency": "USD",
             "placed_at": "2026-11-10T10:00:00Z", "status": "delivered",
             "customer_external_id": buyer,
             "items": [{"sku": "TENT-2P", "title": "Two-person tent", "quantity": 1,
                        "unit_price": "129.00"}]}  # fmt: skip
    assert client.post("/api/v1/orders", json=order).status_code == 201


def test_a_shared_product_is_named_as_a_reason(base_url: str, tenant: Tenant) -> None:
    with client_for(base_url, tenant.supervisor_a) as sup:
        _order(sup, "113-1111111-1111111", "buyer-t1")
        _order(sup, "113-2222222-2222222", "buyer-t2")
        first = _inbound(sup, "t1", "Order 113-1111111-1111111: a tent pole snapped in the wind.")
        _solve(sup, first, "Sorry about the pole. We are sending a spare pole set today.")
        second = _inbound(sup, "t2", "Order 113-2222222-2222222: one tent pole is cracked.")
        cases = sup.get(f"/api/v1/conversations/{second}/similar").json()["cases"]
        assert cases[0]["conversation_id"] == first
        assert cases[0]["shared_products"] == ["TENT-2P"]
        assert "same product: TENT-2P" in cases[0]["reasons"]
