"""Knowledge articles through the live API: versions, shop scoping, search, bad input."""

from __future__ import annotations

import shutil
import threading
from typing import Any

import httpx
from sqlalchemy import func, select

from kefu.accounts.enums import Role
from kefu.knowledge.hub import build_hub, index_root
from kefu.knowledge.models import KbArticle, KbArticleVersion
from kefu.knowledge.search.types import SearchFilters
from kefu.services import Services
from kefu.storage.audit import AuditEvent
from tests.conftest import Tenant, client_for
from tests.knowledge.members import add_member

WARRANTY = (
    "Every Nestwell kettle carries a two-year warranty. If the heating plate stops working, "
    "send us a short video of the fault and we replace the kettle free of charge."
)


def _article(client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    body = {
        "shop": "shop-a", "slug": "kettle-warranty", "title": "Kettle warranty",
        "body": WARRANTY, "language": "en", "kind": "policy", "tags": ["warranty", "kettle"],
        **overrides,
    }  # fmt: skip
    response = client.post("/api/v1/kb/articles", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _search(client: httpx.Client, q: str, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/kb/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_edits_keep_versions_and_are_searchable_at_once(base_url: str, tenant: Tenant) -> None:
    with client_for(base_url, tenant.supervisor_a) as sup:
        created = _article(sup)
        assert created["version"] == 1 and created["shop_id"] == tenant.shop_a
        hits = _search(sup, "heating plate broken")["hits"]
        assert hits[0]["article_id"] == created["id"] and "<mark>" in hits[0]["snippet"]
        url = f"/api/v1/kb/articles/{created['id']}"
        edited = sup.patch(url, json={"body": WARRANTY + " Descaling damage is not covered."})
        assert edited.status_code == 200 and edited.json()["version"] == 2
        same = sup.patch(url, json={"body": WARRANTY + " Descaling damage is not covered."})
        assert same.json()["version"] == 2  # an identical save makes no version
        assert _search(sup, "descaling")["hits"][0]["article_id"] == created["id"]
        versions = sup.get(f"{url}/versions").json()
        assert [v["version"] for v in versions] == [2, 1]
        assert versions[0]["author"] == "sup@a.test" and "Descaling" not in versions[1]["body"]
        assert sup.delete(url).status_code == 204
        assert sup.get(url).status_code == 404
        assert _search(sup, "descaling")["hits"] == []


def test_articles_are_scoped_per_shop_and_global_ones_need_an_admin_of_every_shop(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    every = add_member(services, "every@kefu.test", {"shop-a": Role.ADMIN, "shop-b": Role.ADMIN})
    with (
        client_for(base_url, tenant.admin_a) as admin,
        client_for(base_url, tenant.agent_a) as agent_a,
        client_for(base_url, tenant.agent_b) as agent_b,
        client_for(base_url, tenant.supervisor_a) as sup,
        client_for(base_url, every) as every_admin,
    ):
        mine = _article(admin)
        shared = _article(
            every_admin, shop=None, slug="kettle-warranty", title="Warranty (all shops)"
        )
        assert shared["shop_id"] is None  # same slug is fine in another scope
        assert agent_b.get(f"/api/v1/kb/articles/{mine['id']}").status_code == 404
        assert agent_b.get(f"/api/v1/kb/articles/{shared['id']}").status_code == 200
        seen_by_b = {a["id"] for a in agent_b.get("/api/v1/kb/articles").json()}
        assert seen_by_b == {shared["id"]}
        found_by_b = {h["article_id"] for h in _search(agent_b, "kettle warranty")["hits"]}
        assert found_by_b == {shared["id"]}
        body = {"body": "changed"}
        assert agent_a.patch(f"/api/v1/kb/articles/{mine['id']}", json=body).status_code == 403
        assert agent_b.delete(f"/api/v1/kb/articles/{mine['id']}").status_code == 404
        assert sup.patch(f"/api/v1/kb/articles/{shared['id']}", json=body).status_code == 403
        assert admin.patch(f"/api/v1/kb/articles/{shared['id']}", json=body).status_code == 403
        other = {"shop": "shop-b", "slug": "x", "title": "x", "body": "x", "language": "en"}
        assert admin.post("/api/v1/kb/articles", json=other).status_code == 404
        assert (
            agent_a.get("/api/v1/kb/search", params={"q": "x", "shop": "shop-b"}).status_code == 404
        )


def test_bad_input_gets_a_clear_error_and_writes_nothing(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    with client_for(base_url, tenant.supervisor_a) as sup:
        _article(sup)
        duplicate = sup.post("/api/v1/kb/articles", json={
            "shop": "shop-a", "slug": "kettle-warranty", "title": "Again", "body": "x",
            "language": "en"})  # fmt: skip
        assert duplicate.status_code == 409 and "slug" in duplicate.json()["detail"]
        base = {"shop": "shop-a", "title": "t", "language": "en", "body": "text"}
        bad_kind = sup.post("/api/v1/kb/articles", json=base | {"slug": "a", "kind": "blog"})
        assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["detail"]
        bad_slug = sup.post("/api/v1/kb/articles", json=base | {"slug": "No Spaces!"})
        assert bad_slug.status_code == 422 and "slug" in bad_slug.json()["detail"]
        big = sup.post("/api/v1/kb/articles", json=base | {"slug": "big", "body": "a " * 300_000})
        assert big.status_code == 413 and "limit" in big.json()["detail"]
        huge = sup.post(
            "/api/v1/kb/articles", json=base | {"slug": "huge", "body": "a" * 5_000_000}
        )
        assert huge.status_code == 413
        empty = sup.get("/api/v1/kb/search", params={"q": "   "})
        assert empty.status_code == 422 and "empty" in empty.json()["detail"]
        long = _search(sup, "kettle warranty " * 700)  # 11,200 characters
        assert long["truncated"] and long["hits"][0]["title"] == "Kettle warranty"
        assert _search(sup, "garantie bouilloire", language="sw")["hits"] == []
        assert sup.get("/api/v1/kb/search", params={"q": "x", "language": "<b>"}).status_code == 422
        emoji = _search(sup, "🙂🙂🙂")
        assert emoji["hits"] == [] and emoji["weak"]
    with services.sessions() as db:
        assert db.scalar(select(func.count(KbArticle.id))) == 1
        assert db.scalar(select(func.count(KbArticleVersion.id))) == 1
        actions = db.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_type == "kb_article")).all()  # fmt: skip
        assert list(actions) == ["created"]


def test_another_process_sees_edits_and_a_lost_index_is_rebuilt(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    settings = services.settings
    # A second hub over the same folder and database stands in for another Kefu process.
    other = build_hub(data_dir=settings.data_dir, database_url=settings.database_url,
                      sessions=services.sessions)  # fmt: skip
    with client_for(base_url, tenant.supervisor_a) as sup:
        first = _article(sup)
        flt = SearchFilters(shop_id=tenant.shop_a)
        assert other.articles.index().search("kettle", filters=flt)[0].doc_id == first["id"]
        second = _article(sup, slug="kettle-descaling", title="Descaling your kettle",
                          body="Use citric acid once a month to remove limescale.")  # fmt: skip
        assert other.articles.index().search("limescale")[0].doc_id == second["id"]
        sup.delete(f"/api/v1/kb/articles/{second['id']}")
        assert other.articles.index().search("limescale") == []
        shutil.rmtree(index_root(settings.data_dir, settings.database_url))
        fresh = build_hub(data_dir=settings.data_dir, database_url=settings.database_url,
                          sessions=services.sessions)  # fmt: skip
        assert [h.doc_id for h in fresh.articles.index().search("kettle")] == [first["id"]]


def test_a_draft_lookup_never_waits_on_the_database_and_warms_the_index(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    from kefu.services import knowledge_extras
    from kefu.shops.models import Shop

    with client_for(base_url, tenant.supervisor_a) as sup:
        created = _article(sup)
    shutil.rmtree(index_root(services.settings.data_dir, services.settings.database_url))
    extras = knowledge_extras(services.settings, sessions=services.sessions,
                              clock=services.clock, triager=services.triager)  # fmt: skip
    lookup, hub = extras["knowledge_lookup"], extras["knowledge_hub"]
    with services.sessions() as db, db.begin():  # the draft's own transaction holds the lock
        shop = db.get(Shop, tenant.shop_a)
        assert shop is not None
        assert lookup("is the heating plate under warranty", "en", shop) == []
    for _ in range(200):  # the warm-up thread builds the index once the transaction ended
        if hub.articles.ready:
            break
        threading.Event().wait(0.05)
    with services.sessions() as db:
        shop = db.get(Shop, tenant.shop_a)
        assert shop is not None
        refs = lookup("is the heating plate under warranty", "en", shop)
    assert [r.article_id for r in refs] == [created["id"]]
