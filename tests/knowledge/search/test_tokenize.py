"""Tokenisation per language: what terms the index stores and what a query may match."""

from __future__ import annotations

import pytest

from kefu.knowledge.search.tokenize import normalize, query_terms, terms, tokenize


def test_english_is_stemmed_and_stop_words_dropped() -> None:
    assert terms("The shipping times for returned items", "en") == [
        "ship",
        "time",
        "return",
        "item",
    ]


def test_chinese_uses_jieba_words_with_search_mode_subwords() -> None:
    out = terms("亲，我们的充电器支持七天无理由退货", "zh")
    assert {"充电器", "充电", "退货", "支持"} <= set(out)
    assert "的" not in out  # a Chinese stop word
    assert "亲" in out


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("配送時間", "ja", ["配送", "送時", "時間"]),  # kanji in Japanese text: bigrams, not jieba
        ("どのくらい", None, ["どの", "のく", "くら", "らい"]),  # kana alone marks Japanese
        ("배송은", "ko", ["배송", "송은"]),
    ],
)
def test_japanese_and_korean_fall_back_to_character_bigrams(
    text: str, language: str | None, expected: list[str]
) -> None:
    assert terms(text, language) == expected


def test_german_and_russian_snowball_stemming() -> None:
    assert terms("Rücksendungen", "de") == terms("Rücksendung", "de")
    assert terms("доставки", "ru") == terms("доставка", "ru")


def test_arabic_normalisation_unifies_letter_variants_and_diacritics() -> None:
    assert terms("أَحْمَد", None) == terms("احمد", None)
    assert terms("الشحن", "ar") == terms("شحن", "ar") == ["شحن"]  # article stripped


def test_full_width_and_case_are_normalised() -> None:
    assert terms("ＡＢＣ１２３ iPhone", None) == ["abc123", "iphone"]
    assert normalize("ÄRGER") == "ärger"


def test_offsets_point_at_the_normalised_text() -> None:
    text = "Wireless earbuds 无线耳机"
    norm = normalize(text)
    for token in tokenize(text, "en"):
        assert token.end > token.start
        assert norm[token.start : token.end]


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "!!!???", "\ud800 lone surrogate"])
def test_odd_input_gives_a_safe_result(text: str) -> None:
    assert isinstance(terms(text, "en"), list)


def test_unknown_query_language_expands_to_every_index_languages_stem() -> None:
    (term,) = query_terms("shipping", None, ("en", "de"))
    assert {"ship", "shipping"} <= term.forms


def test_known_query_language_keeps_the_raw_form_for_mixed_script_documents() -> None:
    (term,) = query_terms("Returns", "en", ("en",))
    assert term.forms == frozenset({"return", "returns"})
