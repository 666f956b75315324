"""Language audit: ~250 customer messages in the 14 default languages, their expected language
written before running (short replies, typos, ids, URLs and emails, code-switching, kanji-only
Japanese). These are new sentences for each cause found."""

from __future__ import annotations

import pytest

from kefu.nlu.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Web and email addresses: their words read English.
        ("https://www.example-store.com/products/linen-shirt-white vous l'avez en M ?", "fr"),
        ("mandei um email pra contact.support@examplestore.com sem resposta", "pt"),
        ("www.example-store.com/products/leather-wallet ce l'avete in marrone?", "it"),
        ("https://shop.example.com/collections/summer-sale 这款还有吗", "zh"),
        # CJK or Hangul carrying the message among product names and English words.
        ("where is my parcel 还没收到", "zh"),
        ("Apple Watch Ultra strap 有别的颜色吗", "zh"),
        ("Galaxy Buds 배송 언제 돼요?", "ko"),
        ("Switch game card 배송 됐나요", "ko"),
        ("please deliver to 深圳 asap", "en"),
        ("is the 抹茶 flavour sold out", "en"),
        # Kanji without kana, but in Japanese forms.
        ("支払済", "ja"),
        ("返金対応", "ja"),
        ("已发货", "zh"),
        ("退款处理", "zh"),
    ],
)  # fmt: skip
def test_scripts_and_addresses(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oui", "fr"), ("merci :)", "fr"), ("non merci", "fr"), ("bedankt", "nl"), ("nee hoor", "nl"),
        ("sì grazie", "it"), ("evet", "tr"), ("valeu!!", "pt"), ("sim, obrigada", "pt"),
        ("dzięki!", "pl"), ("tak", "pl"), ("nein danke", "de"), ("ok 👍", "en"), ("thx!", "en"),
    ],
)  # fmt: skip
def test_short_replies(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_a_shops_language_settles_only_a_reply_of_no_language() -> None:
    assert detect_language("si", preferred=("it",)) == "it"
    assert detect_language("si") == "es"
    assert detect_language("ja", preferred=("nl",)) == "nl"
    assert detect_language("ja") == "de"
    # A Chinese (or Japanese) shop answers "ok" in its language; "thx" is still English.
    assert detect_language("OK!", preferred=("zh",)) == "zh"
    assert detect_language("ok", preferred=("ja", "en")) == "ja"
    assert detect_language("thx", preferred=("zh",)) == "en"
    # A sentence is not a short reply: lingua's reading stands on an English shop.
    assert detect_language("il est ou mon colis", preferred=("en",)) == "fr"
    assert detect_language("hola??", preferred=("en",)) == "es"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("me mandaron dos pares distintos", "es"), ("me llegaron dos cajas iguales", "es"),
        ("kiste war leer", "de"), ("die Hose war zu lang", "de"),
        ("de doos was leeg", "nl"), ("het scherm is gebarsten", "nl"),
        ("cambio de talla por favor", "es"), ("la taglia è sbagliata", "it"),
    ],
)  # fmt: skip
def test_close_languages_by_their_own_words(text: str, expected: str) -> None:
    assert detect_language(text) == expected
