"""UI languages: English source strings, other languages from Babel ``.po`` catalogs."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"
# Languages the UI is translated into, with the name each shows in the switcher.
UI_LANGUAGES: dict[str, str] = {"en": "EN", "zh": "中文"}


@dataclass(frozen=True)
class Translator:
    """The gettext of one UI language."""

    language: str
    messages: dict[str, str]

    def gettext(self, message: str) -> str:
        """The translation of ``message``, or the English source when there is none."""
        return self.messages.get(message) or message


@functools.cache
def translator(language: str) -> Translator:
    """The cached translator for a language; unknown languages fall back to English."""
    if language not in UI_LANGUAGES or language == DEFAULT_LANGUAGE:
        return Translator(DEFAULT_LANGUAGE, {})
    return Translator(language, load_catalog(language))


def load_catalog(language: str) -> dict[str, str]:
    """Source string -> translation from ``locales/<language>/LC_MESSAGES/messages.po``."""
    path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy
    }


def pick_language(*, user_language: str | None, accept_language: str | None) -> str:
    """The user's saved choice, else the browser's first supported language, else English."""
    if user_language in UI_LANGUAGES:
        return str(user_language)
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in UI_LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
