"""Article parsing and validation, directory loading, duplicate slugs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kefu.errors import InvalidInput, KefuError, PayloadTooLarge
from kefu.knowledge import ArticleKind, load_articles, parse_article

GOOD = """---
slug: gift-wrap
title: Gift wrapping
language: en
kind: faq
tags: [gifts, Wrapping]
platform: amazon
shop: amazon-us
effective_date: 2026-03-01
source: shop policy
version: 3
---
We gift wrap any order for free. Add a note at checkout.
"""


def test_parses_every_field() -> None:
    article = parse_article(GOOD, path="gift.md")
    assert article.slug == "gift-wrap" and article.title == "Gift wrapping"
    assert article.kind is ArticleKind.FAQ and article.tags == ("gifts", "wrapping")
    assert article.platform == "amazon" and article.shop == "amazon-us"
    assert article.effective_date == date(2026, 3, 1) and article.version == 3
    assert article.body.startswith("We gift wrap")
    doc = article.to_document()
    assert doc.id == "gift-wrap" and doc.language == "en" and doc.kind == "faq"


def test_minimal_article_defaults_to_global_and_version_one() -> None:
    text = "---\ntitle: 发票\nlanguage: zh\nkind: faq\n---\n亲，可以开电子发票哦。"
    article = parse_article(text, path="zh-invoice.md")
    assert article.slug == "zh-invoice" and article.shop is None and article.platform is None
    assert article.version == 1 and article.tags == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter here", "missing front matter"),
        ("---\ntitle: [unclosed\n---\nbody", "not valid YAML"),
        ("---\n- a\n- b\n---\nbody", "mapping"),
        ("---\ntitle: T\nlanguage: en\nkind: faq\n---\n   \n", "no body"),
        ("---\ntitle: T\nlanguage: en\nkind: essay\n---\nbody", "'kind' must be one of"),
        ("---\ntitle: T\nlanguage: english!\nkind: faq\n---\nbody", "'language'"),
        ("---\nlanguage: en\nkind: faq\n---\nbody", "'title' is missing"),
        ("---\ntitle: T\nlanguage: en\nkind: faq\nplatform: ebay\n---\nbody", "'platform'"),
        ("---\ntitle: T\nlanguage: en\nkind: faq\neffective_date: soon\n---\nb", "date"),
        ("---\ntitle: T\nlanguage: en\nkind: faq\nversion: 0\n---\nbody", "'version'"),
        ("---\ntitle: T\nlanguage: en\nkind: faq\nslug: Bad Slug!\n---\nbody", "'slug'"),
        ("---\ntitle: T\nlanguage: en\nkind: faq\ntitel: typo\n---\nbody", "unknown"),
        ("---\ntitle: T\nlanguage: en\nkind: faq\ntags: {a: 1}\n---\nbody", "'tags'"),
    ],
)
def test_malformed_articles_get_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as info:
        parse_article(text, path="bad.md")
    assert info.value.detail.startswith("bad.md: ")


def test_five_megabyte_article_is_refused_clearly() -> None:
    huge = GOOD + "x" * (5 * 1024 * 1024)
    with pytest.raises(PayloadTooLarge, match="limit"):
        parse_article(huge)


def test_invalid_utf8_and_nul_bytes() -> None:
    with pytest.raises(InvalidInput, match="UTF-8"):
        parse_article(b"---\ntitle: \xff\xfe\n---\nbody")
    article = parse_article(GOOD.replace("free.", "free.\x00\ud800"))
    assert "\x00" not in article.body


def test_load_articles_reports_bad_files_and_duplicate_slugs(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "b.md").write_text(GOOD.replace("Gift wrapping", "Again"), "utf-8")
    (tmp_path / "c.md").write_text("broken", encoding="utf-8")
    (tmp_path / "d.md").write_bytes(b"---\ntitle: x\n---\n" + b"y" * (6 * 1024 * 1024))
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    articles, problems = load_articles(tmp_path)
    assert [a.slug for a in articles] == ["gift-wrap"]
    reasons = {Path(p.path).name: p.reason for p in problems}
    assert set(reasons) == {"b.md", "c.md", "d.md"}
    assert "duplicate slug" in reasons["b.md"] and "front matter" in reasons["c.md"]
    assert "limit" in reasons["d.md"]


def test_same_slug_in_two_shops_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD.replace("shop: amazon-us", "shop: webchat"), "utf-8")
    articles, problems = load_articles(tmp_path)
    assert len(articles) == 2 and problems == []


def test_load_articles_needs_a_directory(tmp_path: Path) -> None:
    with pytest.raises(KefuError):
        load_articles(tmp_path / "missing")
