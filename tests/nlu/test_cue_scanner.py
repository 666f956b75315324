"""The one cue scanner of ``kefu.nlu.signals``: its lookahead on first characters (a speed-up)
must find what the same pattern finds without it, in any letter case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kefu.nlu import signals

HERE = Path(__file__).parent


def _texts() -> list[str]:
    texts = [
        json.loads(line)["text"]
        for path in sorted(HERE.glob("*_cases*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and "text" in json.loads(line)
    ]
    return texts + [t.upper() for t in texts[::3]] + ["ÉTÉ AVIS NÉGATIF", "ومحبط جدا", "Ëß"]


def test_the_first_character_lookahead_changes_no_match(monkeypatch: pytest.MonkeyPatch) -> None:
    scanner, _ = signals._compiled()
    monkeypatch.setattr(signals, "_opens", lambda cues: "")
    signals._compiled.cache_clear()
    try:
        plain, _ = signals._compiled()
    finally:
        monkeypatch.undo()
        signals._compiled.cache_clear()
    texts = _texts()
    assert len(texts) > 3_000
    for text in texts:
        assert [m.span() for m in scanner.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def test_a_longer_cue_in_another_script_wins_where_both_start() -> None:
    # "avis" is a review word and "avis négatif" a threat: the longer must be read.
    assert "negative_review_threat" in signals.find_signals("AVIS NÉGATIF GARANTI").risks


def test_a_cue_marked_as_a_stem_takes_any_ending_and_hangul_needs_no_fence() -> None:
    pattern = signals.category_pattern(["iade*", "zwrot pieniędzy*", "환불", "sue", "f***"])
    text = "İadesini istiyorum, zwrot pieniędzyyy, 환불해 주세요, f***"
    found = list(pattern.finditer(text))
    assert [signals.matched_cue(m) for m in found] == ["iade", "zwrot pieniędzy", "환불", "f***"]
    assert [m.group() for m in found] == ["İadesini", "zwrot pieniędzyyy", "환불", "f***"]
    assert pattern.findall("ziade, pursue, issue") == []  # a stem is fenced where it starts
