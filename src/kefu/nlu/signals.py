"""Emotions, urgency, risks and abusive language from multilingual cue lists
(``resources/cues.json``, written by us). Every language's cues are applied to every message, so
mixed-language messages and a wrong language guess still get their cues.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kefu.nlu.resources_io import read_json
from kefu.nlu.schemas import EMOTIONS, RISKS, Span
from kefu.nlu.trie import trie_pattern

_CJK_OR_KANA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_CYRILLIC_END = re.compile(r"[\u0400-\u04ff]$")


def category_pattern(cues: list[str]) -> re.Pattern[str]:
    """One trie-shaped regex for a cue list, each script with its own word fences."""
    ascii_cues = [c for c in cues if c.isascii()]
    cjk = [c for c in cues if not c.isascii() and _CJK_OR_KANA.search(c)]
    stems = [
        c
        for c in cues
        if not c.isascii() and not _CJK_OR_KANA.search(c) and _CYRILLIC_END.search(c)
    ]
    words = [c for c in cues if c not in set(ascii_cues) | set(cjk) | set(stems)]
    parts = [
        # ASCII fences only, so "去12315投诉" and "亲asap" still match.
        rf"(?<![A-Za-z0-9]){trie_pattern(ascii_cues)}(?![A-Za-z0-9])" if ascii_cues else "",
        trie_pattern(cjk) if cjk else "",
        rf"(?<!\w){trie_pattern(words)}(?!\w)" if words else "",
        # Russian cues are stems ("возмущ" -> возмущён, возмущает).
        rf"(?<!\w){trie_pattern(stems)}" if stems else "",
    ]
    return re.compile("|".join(p for p in parts if p) or "(?!)", re.IGNORECASE)


@functools.cache
def _compiled() -> dict[str, re.Pattern[str]]:
    table: dict[str, dict[str, list[str]]] = read_json("cues.json")
    return {
        category: category_pattern(sorted({c.lower() for cues in by_lang.values() for c in cues}))
        for category, by_lang in table.items()
    }


@dataclass(frozen=True)
class Signals:
    """What the cue lists found in one message."""

    emotions: list[str]
    urgent: bool
    risks: list[str]
    abusive_spans: list[Span]


def find_signals(text: str) -> Signals:
    """Scan ``text`` once per cue category."""
    patterns = _compiled()
    emotions = [e for e in EMOTIONS if patterns[f"emotion:{e}"].search(text)]
    risks = [r for r in RISKS if patterns[f"risk:{r}"].search(text)]
    spans = [
        Span(start=m.start(), end=m.end(), text=m.group()) for m in patterns["abuse"].finditer(text)
    ]
    if spans and "anger" not in emotions:
        emotions.insert(0, "anger")
    return Signals(
        emotions=emotions,
        urgent=patterns["urgency"].search(text) is not None,
        risks=risks,
        abusive_spans=spans,
    )
