"""Which of the template languages a text is written in (lingua, limited to those languages)."""

from __future__ import annotations

import functools
import re

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

_LANGS = {
    "en": Language.ENGLISH,
    "zh": Language.CHINESE,
    "es": Language.SPANISH,
    "fr": Language.FRENCH,
    "de": Language.GERMAN,
    "pt": Language.PORTUGUESE,
    "ru": Language.RUSSIAN,
    "ar": Language.ARABIC,
    "ja": Language.JAPANESE,
    "it": Language.ITALIAN,
    "nl": Language.DUTCH,
    "pl": Language.POLISH,
    "tr": Language.TURKISH,
    "ko": Language.KOREAN,
}
_CODES = {v: k for k, v in _LANGS.items()}
_KANA = re.compile(r"[\u3040-\u30ff]")


@functools.cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_LANGS.values()).build()


def detect_language(text: str, *, default: str = "en") -> str:
    """ISO 639-1 code of the text's language among the template languages."""
    sample = text[:2000]
    if _KANA.search(sample):
        return "ja"  # kana settles Japanese vs Chinese before any statistics
    found = _detector().detect_language_of(sample)
    return _CODES.get(found, default) if found else default
