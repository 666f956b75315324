"""``kefu import kb``, ``kefu kb search`` over the database and ``kefu kb gaps``; drafts cite
articles and weak searches reach the gap report through the live API."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from kefu.cli.main import app
from kefu.services import Services
from kefu.shops.models import Shop
from tests.conftest import Tenant, client_for

runner = CliRunner()
GOOD = """---
slug: gift-wrap
title: Gift wrapping
language: en
kind: faq
tags: [gift]
---
We wrap any order in recycled paper for free. Tick "gift" at checkout and add a card message.
"""
BROKEN = "---\ntitle: [unclosed\n---\nBody\n"
DUPLICATE = GOOD.replace("Gift wrapping", "Gift wrapping again")


@pytest.fixture
def env(services: Services, tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setenv("KEFU_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("KEFU_DATA_DIR", str(services.settings.data_dir))
    monkeypatch.delenv("KEFU_EMBEDDING_MODEL", raising=False)
    return services


def _import(folder: Path) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["import", "kb", str(folder), "--shop", "shop-a", "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_import_reports_bad_files_and_is_idempotent(env: Services, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a-gift.md").write_text(GOOD, encoding="utf-8")
    (folder / "b-broken.md").write_text(BROKEN, encoding="utf-8")
    (folder / "c-dup.md").write_text(DUPLICATE, encoding="utf-8")
    code, report = _import(folder)
    assert code == 1 and report["created"] == 1
    reasons = {Path(p["file"]).name: p["reason"] for p in report["problems"]}  # type: ignore[attr-defined]
    assert "YAML" in reasons["b-broken.md"] and "duplicate slug" in reasons["c-dup.md"]
    (folder / "b-broken.md").unlink()
    (folder / "c-dup.md").unlink()
    assert _import(folder) == (0, {"created": 0, "updated": 0, "unchanged": 1, "problems": []})
    (folder / "a-gift.md").write_text(GOOD.replace("for free", "for 2 USD"), encoding="utf-8")
    assert _import(folder)[1]["updated"] == 1
    found = runner.invoke(app, ["kb", "search", "gift wrapping paper", "--json"])
    payload = json.loads(found.stdout)
    assert payload["source"] == "database" and payload["hits"][0]["title"] == "Gift wrapping"
    assert (
        "<mark>" in payload["hits"][0]["snippet"] and "2 USD" in payload["hits"][0]["snippet_text"]
    )
    starter = json.loads(runner.invoke(app, ["kb", "search", "gift", "--files", "--json"]).stdout)
    assert "source" not in starter  # the starter files, not the database
    other = runner.invoke(app, ["import", "kb", str(folder), "--shop", "nope"])
    assert other.exit_code == 2 and "nope" in other.stderr


def test_weak_searches_and_drafts_reach_the_gap_report(
    env: Services, base_url: str, tenant: Tenant
) -> None:
    with client_for(base_url, tenant.supervisor_a) as sup:
        article = {"shop": "shop-a", "slug": "kettle-warranty", "title": "Kettle warranty",
                   "language": "en", "kind": "policy",
                   "body": "Every kettle has a two-year warranty: a heating plate that stops "
                           "working is replaced free of charge."}  # fmt: skip
        created = sup.post("/api/v1/kb/articles", json=article).json()
        inbound = {"shop": "shop-a", "channel": "webchat", "external_id": "k1",
                   "customer": {"external_id": "buyer-k1"},
                   "text": "How long is the warranty on your kettle? Does it cover the heating plate?"}  # fmt: skip
        cid = sup.post("/api/v1/messages/inbound", json=inbound).json()["conversation_id"]
        draft = sup.get(f"/api/v1/conversations/{cid}/draft").json()
        assert created["id"] in [c["article_id"] for c in draft["citations"]], draft
        with env.sessions() as db:
            shop = db.get(Shop, tenant.shop_a)
            assert shop is not None
            refs = env.extras["knowledge_lookup"]("my kettle heating plate broke", "en", shop)
            assert [r.article_id for r in refs] == [created["id"]] and "<" not in refs[0].snippet
        for _ in range(2):
            weak = sup.get("/api/v1/kb/search", params={"q": "can I pay with a gift card?"})
            assert weak.json()["weak"]
        gap_body = {**inbound, "external_id": "k2", "customer": {"external_id": "buyer-k2"},
                    "text": "Do you ship to Iceland and how much does customs cost?"}  # fmt: skip
        other = sup.post("/api/v1/messages/inbound", json=gap_body).json()["conversation_id"]
        assert sup.get(f"/api/v1/conversations/{other}/draft").json()["citations"] == []
        groups = sup.get("/api/v1/kb/gaps").json()["groups"]
        by_query = {q: g for g in groups for q in g["examples"]}
        assert by_query["can I pay with a gift card?"]["searches"] == 2
        assert by_query["can I pay with a gift card?"]["language"] == "en"
        assert by_query["Do you ship to Iceland and how much does customs cost?"]["drafts"] == 1
        with client_for(base_url, tenant.agent_b) as agent_b:
            assert agent_b.get("/api/v1/kb/gaps").json()["groups"] == []
    result = runner.invoke(app, ["kb", "gaps", "--json", "--shop", "shop-a"])
    assert result.exit_code == 0, result.output
    cli_groups = json.loads(result.stdout)["groups"]
    assert sum(g["count"] for g in cli_groups) == sum(g["count"] for g in groups)


def test_the_demo_loads_the_starter_articles_once(env: Services, base_url: str) -> None:
    from kefu.demo.load import load_demo

    summary = load_demo(services=env, now=env.clock.now())
    load_demo(services=env, now=env.clock.now())
    with client_for(base_url, summary.api_token) as admin:
        articles = admin.get("/api/v1/kb/articles").json()
        assert len(articles) >= 10 and {a["language"] for a in articles} >= {"en", "zh"}
        assert all(a["version"] == 1 and a["shop_id"] is None for a in articles)
        hits = admin.get("/api/v1/kb/search", params={"q": "退货 运费", "language": "zh"})
        assert hits.json()["hits"], hits.text
    assert isinstance(httpx.__version__, str)
