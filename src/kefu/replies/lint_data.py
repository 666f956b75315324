"""The linter's compiled word lists and patterns, loaded once from lint_rules.yaml and the
per-language files beside it (``lint_languages/``)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from babel import Locale

from kefu.replies.matcher import Matcher
from kefu.replies.template_set import TEMPLATE_LANGUAGES


def _any(patterns: list[str]) -> Matcher:
    return Matcher([str(p) for p in patterns])


def _words(words: list[str]) -> Matcher:
    # CJK words have no word boundaries; Latin/Cyrillic words need them.
    parts = []
    for w in sorted(words, key=len, reverse=True):
        if re.fullmatch(r"[\w'\- ]+", w) and not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", w):
            parts.append(rf"(?<![\w-]){w}(?![\w-])" if w.isascii() else rf"(?<!\w){w}(?!\w)")
        else:
            parts.append(w)
    return Matcher(parts)


@dataclass(frozen=True)
class LintData:
    jargon: dict[str, Matcher]
    slang: dict[str, tuple[Matcher, dict[str, str]]]
    promises: dict[str, Matcher]
    any_promise: Matcher
    restatement: Matcher
    past_facts: Matcher
    past_fact_statuses: frozenset[str]
    question: re.Pattern[str]
    soft_negations: Matcher
    clause_breaks: re.Pattern[str]
    promise_verbs: Matcher
    negations: Matcher
    negation_exceptions: re.Pattern[str]
    empathy: Matcher
    time_expr: dict[str, Matcher]
    topics: dict[str, tuple[Matcher, Matcher]]
    platform: dict[str, Matcher]
    acronyms: frozenset[str]


def _rules() -> dict[str, Any]:
    """lint_rules.yaml with each ``lint_languages/<lang>.yaml`` merged in: a language's words
    live in its own file, its lists added to the shared ones (``clause_breaks`` alternatives
    too)."""
    package = resources.files("kefu.replies")
    raw: dict[str, Any] = yaml.safe_load(package.joinpath("lint_rules.yaml").read_text("utf-8"))
    folder = package.joinpath("lint_languages")
    for language in TEMPLATE_LANGUAGES:
        extra = folder.joinpath(f"{language}.yaml")
        if extra.is_file():
            _merge(raw, yaml.safe_load(extra.read_text("utf-8")) or {})
    return raw


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if key == "clause_breaks":
            into[key] = f"{into[key]}|{value}"
        elif isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        elif isinstance(value, list):
            into[key] = [*into.get(key, []), *value]
        else:
            into[key] = value


@functools.cache
def lint_data() -> LintData:
    """Compiled lint rules (cached)."""
    raw = _rules()
    promises = dict(raw["promises"])
    verbs = promises.pop("promise_verbs")
    return LintData(
        jargon={
            lang: _any([rf"(?<!\w){p}(?!\w)" for p in ps]) for lang, ps in raw["jargon"].items()
        },
        slang={
            lang: (
                _words([str(k) for k in mapping]),
                {str(k).lower(): str(v) for k, v in mapping.items()},
            )
            for lang, mapping in raw["slang"].items()
        },
        promises={name: _any(ps) for name, ps in promises.items()},
        any_promise=_any([p for ps in promises.values() for p in ps]),
        restatement=_any(raw["restatement_markers"]),
        past_facts=_any(raw["past_facts"]),
        past_fact_statuses=frozenset(str(s) for s in raw["past_fact_statuses"]),
        question=re.compile(raw["question_marks"]),
        soft_negations=_any(raw["soft_negations"]),
        clause_breaks=re.compile(raw["clause_breaks"], re.IGNORECASE),
        promise_verbs=_words([str(v) for v in verbs]),  # "I can" must not match "I cancel"
        negations=_any(raw["negations"]),
        negation_exceptions=re.compile("|".join(raw["negation_exceptions"]), re.IGNORECASE),
        empathy=_any(raw["empathy_markers"]),
        time_expr={lang: _time_expr(raw, lang) for lang in TEMPLATE_LANGUAGES},
        topics={
            name: (_any(spec["ask"]), _any(spec["answer"])) for name, spec in raw["topics"].items()
        },
        platform={name: _any(ps) for name, ps in raw["platform_patterns"].items()},
        acronyms=frozenset(str(a).upper() for a in raw["acronyms"]),
    )


def _time_expr(raw: dict[str, Any], language: str) -> Matcher:
    """Numbers with a time unit, day words, and dates written with the language's month names."""
    units = "|".join(raw["time_units"])
    locale = Locale.parse(language)
    months: set[str] = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            months.update(str(m).strip(".") for m in locale.months[context][width].values())
    month_alt = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True) if len(m) > 1)
    parts = [
        rf"\d+\s*(?:{units})",
        *raw["time_words"],
        rf"\d{{1,2}}\.?\s*(?:de\s+)?(?:{month_alt})",
        rf"(?:{month_alt})\.?\s+\d{{1,2}}",
        r"\d{1,2}\s*月\s*\d{1,2}\s*日",
        r"\d{4}-\d{2}-\d{2}",
    ]
    return _any(parts)
