"""Loading the reply templates and platform rules (package YAML data), and filling them in."""

from __future__ import annotations

import functools
import re
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency

TEMPLATE_LANGUAGES = (
    *("en", "zh", "es", "fr", "de", "pt", "ru", "ar", "ja"),
    *("it", "nl", "pl", "tr", "ko"),
)
_PACKAGE = "kefu.replies"
_BRACES = re.compile(r"[{}]")
_DOUBLE_STOP = re.compile(r"(?<!\.)\.([\u200e\u200f]?)\.(?!\.)")


class TemplateSet:
    """One language's templates; ``text(key)`` resolves register and plural variants."""

    def __init__(self, language: str, data: dict[str, Any]) -> None:
        self.language = language
        self.data = data
        self._locale = Locale.parse(language)

    def raw(self, key: str) -> Any:
        """The value at a dotted key, or None."""
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def has(self, key: str) -> bool:
        """True when the dotted key exists."""
        return self.raw(key) is not None

    def text(
        self, key: str, *, register: str = "formal", count: int | None = None, **values: Any
    ) -> str:
        """The template at ``key`` with values filled in; braces in values are dropped."""
        node = self.raw(key)
        if isinstance(node, dict) and register in node:
            node = node[register]
        if isinstance(node, dict) and count is not None:
            node = node.get(self._locale.plural_form(abs(count)), node.get("other"))
        if not isinstance(node, str):
            raise KeyError(f"template {self.language}:{key} is missing or not text")
        clean = {k: _BRACES.sub("", str(v)) for k, v in values.items()}
        # A locale date may end in a full stop ("20 ноября 2026 г.") before the sentence's own.
        return _DOUBLE_STOP.sub(r".\1", node.format_map(clean))

    def money(self, amount: Decimal, currency: str) -> str:
        """Amount in the customer's locale, Latin digits (ids and amounts stay checkable)."""
        return format_currency(amount, currency, locale=self._locale, numbering_system="latn")

    def date(self, value: date) -> str:
        """A long date in the customer's locale."""
        return _format_date(value, self.language)


@functools.lru_cache(maxsize=4096)
def _format_date(value: date, language: str) -> str:
    # babel re-parses its pattern on every call; dates repeat a lot across drafts.
    return format_date(value, "long", locale=Locale.parse(language))


@functools.cache
def load_templates(language: str) -> TemplateSet:
    """Templates for one of TEMPLATE_LANGUAGES (cached; raises KeyError for others)."""
    if language not in TEMPLATE_LANGUAGES:
        raise KeyError(f"no templates for language {language!r}")
    text = resources.files(_PACKAGE).joinpath(f"templates/{language}.yaml").read_text("utf-8")
    return TemplateSet(language, yaml.safe_load(text))


@functools.cache
def platform_rules() -> dict[str, dict[str, Any]]:
    """Messaging rules per platform from platforms.yaml (cached)."""
    text = resources.files(_PACKAGE).joinpath("platforms.yaml").read_text("utf-8")
    data: dict[str, dict[str, Any]] = yaml.safe_load(text)
    return data


def rules_for(platform: str) -> dict[str, Any]:
    """The rules of one platform; unknown platforms get the permissive web-chat rules."""
    rules = platform_rules()
    return rules.get(platform, rules["webchat"])


def normalize_language(code: str | None) -> str:
    """'zh-CN' -> 'zh', 'pt_BR' -> 'pt'; empty -> 'en'."""
    if not code:
        return "en"
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0] or "en"
