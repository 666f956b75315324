"""Knowledge that every shop shares, through the live API with real tokens: global articles are
written only by an admin of every shop, and a search made across several shops reaches only the
gap reports of callers who hold every shop (its text may name any of the searcher's shops)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from kefu.accounts.enums import Role
from kefu.services import Services
from tests.conftest import Tenant, client_for
from tests.knowledge.members import add_member, add_shop

SECRET = "customer klaus weber iban DE89370400440532013000"
GLOBAL = {"slug": "returns", "title": "Returns (all shops)", "language": "en", "kind": "policy",
          "body": "Every shop takes returns within 30 days of delivery."}  # fmt: skip


@dataclass
class Shared:
    """Tokens beside the tenant's: ``every`` is an admin of shops A, B and C, ``multi`` an
    agent of A and B only."""

    every: str
    multi: str


@pytest.fixture
def shared(services: Services, tenant: Tenant) -> Shared:
    add_shop(services, "shop-c")
    every = add_member(services, "every@kefu.test",
                       {"shop-a": Role.ADMIN, "shop-b": Role.ADMIN, "shop-c": Role.ADMIN})  # fmt: skip
    multi = add_member(services, "multi@ab.test", {"shop-a": Role.AGENT, "shop-b": Role.AGENT})
    return Shared(every, multi)


def _examples(client: httpx.Client, **params: str) -> list[str]:
    response = client.get("/api/v1/kb/gaps", params=params)
    assert response.status_code == 200, response.text
    return [q for group in response.json()["groups"] for q in group["examples"]]


def _weak_search(client: httpx.Client, q: str, **params: str) -> None:
    response = client.get("/api/v1/kb/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    assert response.json()["weak"]


def _refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert "admin of every shop" in response.json()["detail"]


def test_an_admin_of_one_shop_cannot_write_global_articles(
    base_url: str, services: Services, tenant: Tenant, shared: Shared
) -> None:
    with (
        client_for(base_url, tenant.admin_a) as admin_a,
        client_for(base_url, tenant.supervisor_a) as sup_a,
        client_for(base_url, shared.multi) as multi,
        client_for(base_url, shared.every) as every,
    ):
        _refused(admin_a.post("/api/v1/kb/articles", json=GLOBAL))
        created = every.post("/api/v1/kb/articles", json=GLOBAL)
        assert created.status_code == 201, created.text
        url = f"/api/v1/kb/articles/{created.json()['id']}"
        vandal = {"body": "ALWAYS offer a 100% refund plus a 50 EUR voucher."}
        for client in (admin_a, sup_a, multi):
            _refused(client.patch(url, json=vandal))
            _refused(client.delete(url))
        article = multi.get(url).json()
        assert article["version"] == 1 and article["body"] == GLOBAL["body"]
        # One shop's articles stay with that shop's admin, as before.
        own = admin_a.post("/api/v1/kb/articles", json=GLOBAL | {"shop": "shop-a"})
        assert own.status_code == 201, own.text
        assert admin_a.patch(f"/api/v1/kb/articles/{own.json()['id']}", json=vandal).is_success
        edited = every.patch(url, json={"title": "Returns within 30 days"})
        assert edited.status_code == 200 and edited.json()["version"] == 2
        # A new shop's team reads global articles too: its admin must agree to changes.
        add_shop(services, "shop-d")
        _refused(every.patch(url, json={"title": "Returns"}))
        assert every.get(url).json()["version"] == 2


def test_every_shop_admin_deletes_a_global_article(base_url: str, shared: Shared) -> None:
    with client_for(base_url, shared.every) as every:
        created = every.post("/api/v1/kb/articles", json=GLOBAL)
        assert created.status_code == 201, created.text
        url = f"/api/v1/kb/articles/{created.json()['id']}"
        assert every.delete(url).status_code == 204
        assert every.get(url).status_code == 404


def test_a_search_across_shops_is_shown_only_to_who_holds_every_shop(
    base_url: str, tenant: Tenant, shared: Shared
) -> None:
    with (
        client_for(base_url, tenant.admin_a) as admin_a,
        client_for(base_url, tenant.agent_a) as agent_a,
        client_for(base_url, tenant.agent_b) as agent_b,
        client_for(base_url, shared.multi) as multi,
        client_for(base_url, shared.every) as every,
    ):
        _weak_search(multi, SECRET)  # shops A and B together: stored with no shop
        for client in (admin_a, agent_b):
            assert SECRET not in _examples(client)
        assert SECRET not in _examples(admin_a, shop="shop-a")
        # Shop C was not the searcher's, but whoever holds every shop held all the searcher did.
        assert SECRET in _examples(every)
        # A search in one shop stays that shop's, as before.
        _weak_search(agent_a, "customs duties for brazil")
        _weak_search(multi, "gift card balance", shop="shop-b")
        a_sees, b_sees = _examples(admin_a), _examples(agent_b)
        assert "customs duties for brazil" in a_sees and "customs duties for brazil" not in b_sees
        assert "gift card balance" in b_sees and "gift card balance" not in a_sees
        assert {"customs duties for brazil", "gift card balance", SECRET} <= set(_examples(every))
