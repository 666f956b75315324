"""The starter knowledge base: loads cleanly, covers the promised topics in both languages."""

from __future__ import annotations

import pytest

from kefu.knowledge import index_articles, load_articles, starter_dir
from kefu.knowledge.search import SearchFilters


def test_every_starter_article_loads_without_problems() -> None:
    articles, problems = load_articles(starter_dir())
    assert problems == []
    assert {a.language for a in articles} == {"en", "zh"}
    assert len(articles) >= 12


@pytest.mark.parametrize(
    ("query", "language", "slug"),
    [
        ("how long does shipping take", "en", "shipping-times"),
        ("return window refund", "en", "returns-and-refunds"),
        ("warranty on earbuds", "en", "warranty"),
        ("what size for a 4 year old", "en", "kids-size-guide"),
        ("payment charged twice", "en", "payment-amazon"),
        ("invoice with my company name", "en", "invoices"),
        ("几天能到 快递", "zh", "zh-shipping-times"),
        ("七天无理由退货", "zh", "zh-returns"),
        ("耳机质保多久", "zh", "zh-warranty"),
        ("童装尺码 身高", "zh", "zh-kids-size-guide"),
        ("怎么付款", "zh", "zh-payment"),
        ("开发票 税号", "zh", "zh-invoices"),
    ],
)
def test_each_topic_is_found_in_each_language(query: str, language: str, slug: str) -> None:
    articles, _ = load_articles(starter_dir())
    hits = index_articles(articles).search(
        query, language=language, filters=SearchFilters(language=language), limit=3
    )
    assert slug in [h.doc_id for h in hits]
