"""``kefu kb search``: JSON shape, table output, folders, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kefu.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_embedding_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEFU_EMBEDDING_MODEL", raising=False)


def test_json_shape_on_the_starter_kb() -> None:
    result = runner.invoke(app, ["kb", "search", "how long does shipping take", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"query", "searched", "hits", "problems"}
    assert payload["searched"] >= 12 and payload["problems"] == []
    top = payload["hits"][0]
    assert top["id"] == "shipping-times"
    assert set(top) == {
        "id", "title", "score", "snippet", "snippet_text", "highlights", "matched_terms",
        "language", "kind", "platform", "shop", "tags", "path", "bm25", "dense", "bm25_rank",
        "dense_rank",
    }  # fmt: skip
    assert "<mark>" in top["snippet"] and top["matched_terms"]
    start, end = top["highlights"][0]
    assert top["snippet_text"][start:end]


def test_chinese_query_and_filters() -> None:
    result = runner.invoke(
        app, ["kb", "search", "退货运费", "--json", "--platform", "pinduoduo", "--kind", "policy"]
    )
    hits = json.loads(result.output)["hits"]
    assert hits[0]["id"] == "zh-returns" and {"退货", "运费"} <= set(hits[0]["matched_terms"])
    assert {h["kind"] for h in hits} == {"policy"}
    assert {h["platform"] for h in hits} <= {"pinduoduo", None}


def test_table_output_and_no_match() -> None:
    result = runner.invoke(app, ["kb", "search", "warranty earbuds"])
    assert result.exit_code == 0 and "warranty" in result.output.lower()
    empty = runner.invoke(app, ["kb", "search", "zzzqqq"])
    assert empty.exit_code == 0 and "no article matches" in empty.output


def test_searches_a_folder_and_reports_bad_files(tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text(
        "---\ntitle: Gift wrap\nlanguage: en\nkind: faq\n---\nWe gift wrap for free.\n", "utf-8"
    )
    (tmp_path / "bad.md").write_text("no front matter", "utf-8")
    result = runner.invoke(app, ["kb", "search", "gift", "--dir", str(tmp_path), "--json"])
    payload = json.loads(result.output)
    assert [h["id"] for h in payload["hits"]] == ["ok"]
    assert payload["problems"][0]["path"].endswith("bad.md")


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_query_exits_with_a_clear_error(query: str) -> None:
    result = runner.invoke(app, ["kb", "search", query])
    assert result.exit_code == 2 and "empty" in result.output


def test_long_and_odd_queries_do_not_crash() -> None:
    for query in ("shipping " * 2000, "🙂🙂🙂", "<script>alert(1)</script> refund"):
        result = runner.invoke(app, ["kb", "search", query, "--json"])
        assert result.exit_code == 0
        json.loads(result.output)


def test_dense_mode_without_a_model_is_refused() -> None:
    result = runner.invoke(app, ["kb", "search", "refund", "--mode", "dense"])
    assert result.exit_code == 2 and "embedding model" in result.output
