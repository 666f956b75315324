"""Language detection skips lingua only where the script decides: there the shortcut must give
what lingua itself gives; where the allowed set holds two languages of one script, lingua
decides."""

from __future__ import annotations

import functools

import pytest
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from kefu.nlu import language
from kefu.nlu.resources_io import corpus_rows

KOREAN = [
    "안녕하세요 주문한 상품이 아직 안 왔어요", "환불해 주세요", "배송 언제 되나요?",
    "상품이 파손되어 도착했습니다. 교환 가능한가요?", "주문 취소하고 싶어요",
]  # fmt: skip


@functools.cache
def _lingua() -> LanguageDetector:
    codes = [getattr(IsoCode639_1, c.upper()) for c in language.DEFAULT_LANGUAGES]
    return LanguageDetectorBuilder.from_languages(
        *[Language.from_iso_code_639_1(c) for c in codes]
    ).build()


def _lingua_says(text: str) -> str:
    found = _lingua().detect_language_of(text[: language.LANGUAGE_CHAR_CAP])
    return found.iso_code_639_1.name.lower() if found else language.UNDETERMINED


def _non_latin(text: str) -> bool:
    counts = language.script_counts(text[: language.LANGUAGE_CHAR_CAP])
    return bool(counts) and max(counts, key=lambda s: counts[s]) != "latin"


def test_script_shortcut_agrees_with_lingua_on_the_corpus() -> None:
    texts = [r["text"] for r in corpus_rows() if r["lang"] in ("zh", "ja", "ru", "ar")]
    texts = [t for t in texts + KOREAN + ["hi 我的订单呢", "ok 注文まだ?"] if _non_latin(t)]
    assert len(texts) > 500
    disagree = [t for t in texts if language.detect_language(t) != _lingua_says(t)]
    assert len(disagree) <= len(texts) // 100, disagree[:10]


@pytest.mark.parametrize(
    ("text", "allowed", "expected"),
    [
        ("Доброго дня, коли прийде моє замовлення? Дякую", ("en", "ru", "uk"), "uk"),
        ("Здравствуйте, когда придет мой заказ?", ("en", "ru", "uk"), "ru"),
        ("Здравствуйте, когда придет мой заказ?", ("en", "ru"), "ru"),
        ("سلام، سفارش من کی می‌رسد؟ ممنون", ("ar", "fa", "en"), "fa"),
        ("مرحبا، طلبي متأخر جدا، متى سيصل؟", ("ar", "fa", "en"), "ar"),
        ("안녕하세요 주문한 상품이 아직 안 왔어요", language.DEFAULT_LANGUAGES, "ko"),
    ],
)
def test_shared_scripts_go_to_lingua(text: str, allowed: tuple[str, ...], expected: str) -> None:
    assert language.detect_language(text, languages=allowed) == expected


def test_ids_do_not_sway_the_language() -> None:
    # Its letters and digits made this English sentence German (triage audit).
    assert (
        language.detect_language("Digital order D01-1234567-1234567 - the ebook won't download")
        == "en"
    )
    assert language.detect_language("订单231123-482910384756102发货了吗") == "zh"
