"""Every query is scoped to the caller's shops; roles decide who administers users."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from kefu.accounts.models import ApiToken
from kefu.core.ids import hash_token
from kefu.services import Services
from tests.conftest import Tenant, client_for
from tests.inbox.test_ingest_api import inbound

ORDER = {
    "shop": "shop-a",
    "external_id": "113-1234567-1234567",
    "currency": "USD",
    "placed_at": "2026-11-01T10:00:00Z",
    "status": "shipped",
    "customer_external_id": "BUYER1",
    "customer_email": "ana@example.org",
    "items": [{"sku": "CASE-1", "title": "Phone case", "quantity": 2, "unit_price": "9.99"}],
    "shipping_fee": "4.99",
}


def test_other_shops_orders_and_customers_are_404(base_url: str, tenant: Tenant) -> None:
    with client_for(base_url, tenant.agent_a) as a, client_for(base_url, tenant.agent_b) as b:
        order = a.post("/api/v1/orders", json=ORDER)
        assert order.status_code == 201, order.text
        assert order.json()["total"] == "24.97"
        customer_id = order.json()["customer_id"]
        assert a.get(f"/api/v1/orders/{order.json()['id']}").status_code == 200
        assert a.get("/api/v1/orders/113-1234567-1234567").status_code == 200
        assert b.get(f"/api/v1/orders/{order.json()['id']}").status_code == 404
        assert b.get("/api/v1/orders/113-1234567-1234567").status_code == 404
        assert b.get(f"/api/v1/customers/{customer_id}").status_code == 404
        assert b.get("/api/v1/orders").json() == []
        assert b.post("/api/v1/orders", json=ORDER).status_code == 404
        assert [s["slug"] for s in b.get("/api/v1/shops").json()] == ["shop-b"]
        # The shop filter of listings: another shop's slug is as unknown as a made-up one.
        for listing in ("/api/v1/orders", "/api/v1/customers"):
            assert len(a.get(listing, params={"shop": "shop-a"}).json()) == 1
            assert b.get(listing, params={"shop": "shop-a"}).status_code == 404
            assert a.get(listing, params={"shop": "amazon-us"}).status_code == 404


def test_order_total_must_add_up(base_url: str, tenant: Tenant) -> None:
    with client_for(base_url, tenant.agent_a) as a:
        response = a.post("/api/v1/orders", json={**ORDER, "total": "99.00"})
    assert response.status_code == 422


def test_agents_cannot_administer_users_admins_can(base_url: str, tenant: Tenant) -> None:
    new_user = {"email": "new@a.test", "memberships": [{"shop": "shop-a", "role": "agent"}]}
    with client_for(base_url, tenant.agent_a) as agent:
        assert agent.get("/api/v1/users").status_code == 403
        assert agent.post("/api/v1/users", json=new_user).status_code == 403
    with client_for(base_url, tenant.admin_a) as admin:
        created = admin.post("/api/v1/users", json=new_user)
        assert created.status_code == 201, created.text
        assert admin.post("/api/v1/users", json=new_user).status_code == 409
        grab_b = {"email": "x@a.test", "memberships": [{"shop": "shop-b", "role": "admin"}]}
        assert admin.post("/api/v1/users", json=grab_b).status_code == 403
        emails = {u["email"] for u in admin.get("/api/v1/users").json()}
        assert "agent@b.test" not in emails and "new@a.test" in emails


def test_dead_letters_are_for_supervisors(base_url: str, tenant: Tenant) -> None:
    with client_for(base_url, tenant.agent_a) as agent:
        assert agent.get("/api/v1/jobs", params={"status": "dead"}).status_code == 403
    with client_for(base_url, tenant.supervisor_a) as sup:
        assert sup.get("/api/v1/jobs", params={"status": "dead"}).json() == []


def test_health_and_docs_are_open(base_url: str) -> None:
    with httpx.Client(base_url=base_url) as anonymous:
        assert anonymous.get("/api/v1/health").json()["status"] == "ok"
        assert anonymous.get("/docs").status_code == 200
        paths = anonymous.get("/openapi.json").json()["paths"]
    assert (
        "/api/v1/messages/inbound" in paths and "/api/v1/conversations/{conversation_id}" in paths
    )


def test_webhook_deliveries_need_a_live_token_and_stay_in_its_shops(
    base_url: str, services: Services, tenant: Tenant
) -> None:
    body = inbound(external_id="w-1")  # to shop A
    with client_for(base_url, tenant.agent_b) as b:
        assert b.post("/api/v1/messages/inbound", json=body).status_code == 404
    with client_for(base_url, "kefu_unknown") as stranger:
        assert stranger.post("/api/v1/messages/inbound", json=body).status_code == 401
    with client_for(base_url, tenant.agent_a) as a:
        assert a.post("/api/v1/messages/inbound", json=body).status_code == 201
        with services.sessions() as db, db.begin():
            db.execute(
                update(ApiToken)
                .where(ApiToken.token_hash == hash_token(tenant.agent_a))
                .values(revoked_at=services.clock.now())
            )
        again = a.post("/api/v1/messages/inbound", json={**body, "external_id": "w-2"})
        assert again.status_code == 401


def test_an_admin_sees_only_their_shops_memberships_of_a_shared_user(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    from kefu.accounts import service as accounts
    from kefu.accounts.schemas import MembershipIn, UserCreate

    with services.sessions() as db, db.begin():
        both = [MembershipIn(shop="shop-a"), MembershipIn(shop="shop-b", role="admin")]
        accounts.create(db=db, user_in=UserCreate(email="both@x.test", memberships=both))
    with client_for(base_url, tenant.admin_a) as admin:
        [shared] = [u for u in admin.get("/api/v1/users").json() if u["email"] == "both@x.test"]
    assert [(m["shop_id"], m["role"]) for m in shared["memberships"]] == [(tenant.shop_a, "agent")]


def test_only_an_admin_of_every_shop_creates_shops_and_all_such_admins_run_the_new_one(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    from kefu.accounts.enums import Role
    from tests.knowledge.members import add_member

    owner = add_member(services, "owner@x.test", {"shop-a": Role.ADMIN, "shop-b": Role.ADMIN})
    partner = add_member(services, "partner@x.test", {"shop-a": Role.ADMIN, "shop-b": Role.ADMIN})
    new_shop = {"slug": "shop-c", "name": "Shop C", "platform": "shopify", "currency": "EUR"}
    with client_for(base_url, tenant.admin_a) as admin_of_a:
        refused = admin_of_a.post("/api/v1/shops", json=new_shop)
        assert refused.status_code == 403
    with client_for(base_url, owner) as api:
        assert api.post("/api/v1/shops", json=new_shop).status_code == 201
    with client_for(base_url, partner) as api:
        assert "shop-c" in [s["slug"] for s in api.get("/api/v1/shops").json()]
    with client_for(base_url, tenant.admin_a) as admin_of_a:
        assert "shop-c" not in [s["slug"] for s in admin_of_a.get("/api/v1/shops").json()]
