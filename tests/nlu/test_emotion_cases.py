"""Emotions measured on ``emotion_cases.jsonl``: 295 customer messages in nine languages, labelled
by a writer who never saw the cue lists (``resources/cues.json``) nor the detector. ``also_ok``
holds the emotions a careful reader might also see; they are neither required nor penalised.

The floors sit a few points under what the cues reach today, so a cue edit that loses recall or
starts firing on plain messages fails here. Don't add cues by reading this file: it then stops
telling the truth about messages nobody wrote the cues for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from kefu import nlu
from kefu.nlu.schemas import EMOTIONS
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("emotion_cases.jsonl")
PRECISION_FLOOR = 0.90
RECALL_FLOOR = 0.75
LANGUAGE_RECALL_FLOOR = 0.55
EMOTION_RECALL_FLOOR = 0.50


@dataclass(frozen=True)
class Case:
    text: str
    language: str
    emotions: frozenset[str]
    also_ok: frozenset[str]


def _cases() -> list[Case]:
    return [
        Case(r["text"], r["language"], frozenset(r["emotions"]), frozenset(r["also_ok"]))
        for r in read_cases(CASES)
    ]


@pytest.fixture(scope="module")
def tallies(analyzer: nlu.Analyzer) -> dict[str, Tally]:
    """Tallies overall ("all"), per language and per emotion."""
    out: dict[str, Tally] = {}
    for case in _cases():
        found = set(analyzer.analyze(case.text).emotions)
        for key in ("all", case.language):
            out.setdefault(key, Tally()).add(case.emotions, found, case.also_ok)
        for emotion in EMOTIONS:
            one = {emotion}
            out.setdefault(emotion, Tally()).add(case.emotions & one, found & one, case.also_ok)
    return out


def test_the_cases_are_well_formed() -> None:
    cases = _cases()
    assert len(cases) >= 250
    assert all(c.emotions <= set(EMOTIONS) and c.also_ok <= set(EMOTIONS) for c in cases)
    per_language = Counter(c.language for c in cases)
    assert set(per_language) == {"en", "zh", "es", "fr", "de", "pt", "ru", "ar", "ja"}
    assert sum(not c.emotions for c in cases) >= len(cases) // 5  # plain messages too


def test_emotions_are_found_and_rarely_invented(tallies: dict[str, Tally]) -> None:
    overall = tallies["all"]
    assert overall.precision >= PRECISION_FLOOR, overall
    assert overall.recall >= RECALL_FLOOR, overall


@pytest.mark.parametrize("language", ["en", "zh", "es", "fr", "de", "pt", "ru", "ar", "ja"])
def test_every_language_hears_emotions(tallies: dict[str, Tally], language: str) -> None:
    assert tallies[language].recall >= LANGUAGE_RECALL_FLOOR, tallies[language]


@pytest.mark.parametrize("emotion", EMOTIONS)
def test_every_emotion_is_heard(tallies: dict[str, Tally], emotion: str) -> None:
    assert tallies[emotion].recall >= EMOTION_RECALL_FLOOR, tallies[emotion]
    assert tallies[emotion].precision >= 0.8, tallies[emotion]
