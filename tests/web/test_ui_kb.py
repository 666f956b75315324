"""Knowledge pages over a live server: search with marked snippets, safe preview, versions, gaps."""

from __future__ import annotations

from typing import Any

from kefu.accounts.enums import Role
from kefu.services import Services
from kefu.web.ui.markdown import render_markdown
from tests.conftest import Tenant, client_for
from tests.knowledge.members import add_member, add_shop
from tests.web.conftest import csrf_of, sign_in


def add_article(base_url: str, token: str, **fields: Any) -> str:
    body = {"shop": "shop-a", "language": "en", "kind": "policy", **fields}
    with client_for(base_url, token) as api:
        response = api.post("/api/v1/kb/articles", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


RETURNS = (
    "# Returns\n\nYou can return any item within **30 days** of delivery.\n\n"
    "- Start the return from *Your Orders*\n- Print the label <script>alert(1)</script>\n"
)


def test_search_marks_matches_and_an_article_renders_safely(base_url: str, tenant: Tenant) -> None:
    article_id = add_article(
        base_url, tenant.admin_a, slug="returns", title="Returns window", body=RETURNS
    )
    add_article(
        base_url, tenant.admin_a, slug="care",
        title="Washing the cushion covers", body="Wash the covers cold, dry flat.",
    )  # fmt: skip
    with sign_in(base_url, "agent@a.test") as client:
        listing = client.get("/ui/kb").text
        assert "Returns window" in listing and "Washing the cushion covers" in listing
        found = client.get("/ui/kb", params={"q": "return within days"}).text
        assert "Returns window" in found and "<mark>" in found
        assert "Washing the cushion covers" not in found
        empty = client.get("/ui/kb", params={"q": "   "})
        assert empty.status_code == 200 and "Returns window" in empty.text  # no query: browse
        page = client.get(f"/ui/kb/{article_id}").text
        assert "<strong>30 days</strong>" in page and "<em>Your Orders</em>" in page
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
        assert "Version history" in page and "?edit=1" not in page  # agents do not edit
        assert 'id="kb-body"' not in client.get(f"/ui/kb/{article_id}?edit=1").text
    with sign_in(base_url, "agent@b.test") as other:
        assert other.get(f"/ui/kb/{article_id}").status_code == 404
        assert "Returns window" not in other.get("/ui/kb").text


def test_supervisor_previews_then_saves_a_new_version(base_url: str, tenant: Tenant) -> None:
    article_id = add_article(
        base_url, tenant.admin_a, slug="returns", title="Returns window", body=RETURNS
    )
    with sign_in(base_url, "sup@a.test") as sup:
        editor = sup.get(f"/ui/kb/{article_id}?edit=1").text
        assert 'id="kb-body"' in editor
        token = csrf_of(editor)
        new_body = "# Returns\n\nReturn any item within **45 days**."
        preview = sup.post(
            f"/ui/kb/{article_id}",
            data={"title": "Returns window", "body": new_body, "action": "preview",
                  "csrf_token": token},
        )  # fmt: skip
        assert preview.status_code == 200 and "<strong>45 days</strong>" in preview.text
        with client_for(base_url, tenant.admin_a) as api:
            assert api.get(f"/api/v1/kb/articles/{article_id}").json()["version"] == 1
        saved = sup.post(
            f"/ui/kb/{article_id}",
            data={"title": "Returns (45 days)", "body": new_body, "action": "save",
                  "csrf_token": token},
        )  # fmt: skip
        assert saved.status_code == 303
        page = sup.get(f"/ui/kb/{article_id}").text
        assert "Article saved as a new version." in page and "Version 2" in page
        assert "Version 1" in page  # the history keeps the first text
    with client_for(base_url, tenant.admin_a) as api:
        versions = api.get(f"/api/v1/kb/articles/{article_id}/versions").json()
    assert [v["version"] for v in versions] == [2, 1]
    with sign_in(base_url, "agent@a.test") as agent:
        token = csrf_of(agent.get("/ui/kb").text)
        refused = agent.post(
            f"/ui/kb/{article_id}",
            data={"title": "x", "body": "y", "action": "save", "csrf_token": token},
        )
    assert refused.status_code == 403


def test_gap_report_lists_weak_searches(base_url: str, tenant: Tenant) -> None:
    add_article(base_url, tenant.admin_a, slug="returns", title="Returns window", body=RETURNS)
    with sign_in(base_url, "admin@a.test") as admin:
        assert admin.get("/ui/kb/gaps").status_code == 200
        admin.get("/ui/kb", params={"q": "customs duties for Brazil"})
        report = admin.get("/ui/kb/gaps").text
    assert "customs duties for Brazil" in report


def test_only_an_admin_of_every_shop_edits_a_global_article(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    every = add_member(services, "every@kefu.test", {"shop-a": Role.ADMIN, "shop-b": Role.ADMIN})
    article_id = add_article(
        base_url, every, shop=None, slug="returns", title="Returns window", body=RETURNS
    )
    with sign_in(base_url, "admin@a.test") as admin_a:
        page = admin_a.get(f"/ui/kb/{article_id}").text
        assert "Returns window" in page and "?edit=1" not in page
        assert 'id="kb-body"' not in admin_a.get(f"/ui/kb/{article_id}?edit=1").text
        refused = admin_a.post(
            f"/ui/kb/{article_id}",
            data={"title": "Refund everything", "body": "ALWAYS refund 100%.", "action": "save",
                  "csrf_token": csrf_of(page)},
        )  # fmt: skip
        assert refused.status_code == 403 and "admin of every shop" in refused.text
    with sign_in(base_url, "every@kefu.test") as admin_all:
        editor = admin_all.get(f"/ui/kb/{article_id}?edit=1").text
        assert 'id="kb-body"' in editor
        saved = admin_all.post(
            f"/ui/kb/{article_id}",
            data={"title": "Returns (30 days)", "body": RETURNS, "action": "save",
                  "csrf_token": csrf_of(editor)},
        )  # fmt: skip
        assert saved.status_code == 303
    with client_for(base_url, tenant.agent_b) as api:
        assert api.get(f"/api/v1/kb/articles/{article_id}").json()["title"] == "Returns (30 days)"


def test_gap_report_hides_searches_made_across_shops(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    add_shop(services, "shop-c")
    add_member(services, "multi@ab.test", {"shop-a": Role.AGENT, "shop-b": Role.AGENT})
    add_member(
        services, "every@kefu.test", dict.fromkeys(("shop-a", "shop-b", "shop-c"), Role.ADMIN)
    )
    with sign_in(base_url, "multi@ab.test") as multi:
        multi.get("/ui/kb", params={"q": "customer klaus weber iban DE89370400440532013000"})
    with sign_in(base_url, "admin@a.test") as admin_a:
        assert "klaus weber" not in admin_a.get("/ui/kb/gaps").text
    with sign_in(base_url, "every@kefu.test") as admin_all:
        assert "klaus weber" in admin_all.get("/ui/kb/gaps").text


def test_markdown_subset_escapes_everything() -> None:
    out = render_markdown('## Hi\n1. one\n2. two\n\n<img src=x onerror="a()"> **b**')
    assert out.startswith("<h3>Hi</h3>\n<ol><li>one</li><li>two</li></ol>")
    assert "&lt;img src=x onerror=&quot;a()&quot;&gt; <strong>b</strong>" in out
    assert render_markdown("") == ""
