"""Pack articles: generated from the pack itself, so article and rule cannot disagree."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kefu.policy import available_packs, pack_by_id, render_pack_article
from kefu.policy.schema import PackValue


@pytest.mark.parametrize("pack_id", available_packs())
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_pack_renders_in_both_languages(pack_id: str, language: str) -> None:
    article = render_pack_article(pack_by_id(pack_id), language)
    assert article.startswith("# ")
    assert "{" not in article and "$" not in article
    for value in pack_by_id(pack_id).model.values.values():
        assert value.as_of.isoformat() in article


def test_article_follows_the_value_the_engine_uses() -> None:
    pack = pack_by_id("amazon_us")
    assert "Within 30 days of delivery" in render_pack_article(pack, "en")
    window = pack.model.values["return_window_days"]
    changed = pack.model.model_copy(
        update={
            "values": {
                **pack.model.values,
                "return_window_days": PackValue(**{**window.model_dump(), "value": 45}),
            }
        }
    )
    article = render_pack_article(replace(pack, model=changed), "en")
    assert "Within 45 days of delivery" in article and "Within 30 days" not in article
    assert "签收后 45 天内" in render_pack_article(replace(pack, model=changed), "zh")


def test_low_confidence_values_are_flagged() -> None:
    en = render_pack_article(pack_by_id("pinduoduo"), "en")
    zh = render_pack_article(pack_by_id("pinduoduo"), "zh")
    assert "LOW — check before relying on it" in en
    assert "低——使用前请核实" in zh


def test_law_floor_is_named_and_other_languages_refused() -> None:
    article = render_pack_article(pack_by_id("amazon_eu"), "en")
    assert "EU consumer law" in article
    with pytest.raises(ValueError, match="en or zh"):
        render_pack_article(pack_by_id("amazon_eu"), "fr")
