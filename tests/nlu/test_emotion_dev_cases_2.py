"""Emotions said the way customers say them without naming them, measured on two development
sets written in the session of 2026-11-25 by writers who never saw the cue lists nor the
detector and were asked to avoid the textbook words ("I've refreshed the tracking page 20
times", "我真的会谢", "quale dei due??", "nou lekker dan", "odświeżam śledzenie co godzinę",
"세 번째 문의인데요"):

- ``emotion_dev_cases_2.jsonl``: 200 in English and Chinese, 37 with no emotion. First run:
  precision 0.857, recall 0.371.
- ``more_languages_emotion_dev_cases.jsonl``: 420 in Italian, Dutch (160), Polish, Turkish (160)
  and Korean (100). First run: 0.884 / 0.450.

Their misses were read and the cues widened by concept (sarcasm and asking for a human as
anger, "is my money lost" and sleepless nights as anxiety, "which one is it" and contradicting
pages as confusion, savings and hopes let down as disappointment), with every change over the
11,407 intent-corpus and everyday test texts read (27 changed, each rightly). After: 0.932 /
0.714 and 0.945 / 0.920. English and Chinese stay lower: their misses are mostly situations
with no phrase to cue on ("the party is saturday" after twenty looks at the tracking).

The blind checks moved less: ``more_languages_cases.jsonl`` emotions 0.784 / 0.606 -> 0.786 /
0.667, ``emotion_cases.jsonl`` 0.963 / 0.790 -> 0.964 / 0.794.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu import nlu
from tests.nlu.scoring import Tally, read_cases

HERE = Path(__file__).parent
EN_ZH = HERE / "emotion_dev_cases_2.jsonl"
LATER_FIVE = HERE / "more_languages_emotion_dev_cases.jsonl"


def test_the_files_are_what_the_docstring_says() -> None:
    for path, size, calm, languages in [(EN_ZH, 200, 37, 2), (LATER_FIVE, 420, 84, 5)]:
        cases = read_cases(path)
        assert (len(cases), sum(not c["emotions"] for c in cases)) == (size, calm)
        assert len({c["language"] for c in cases}) == languages


@pytest.mark.parametrize(
    ("path", "precision", "recall"), [(EN_ZH, 0.90, 0.68), (LATER_FIVE, 0.92, 0.88)],
    ids=["en-zh", "it-nl-pl-tr-ko"],
)  # fmt: skip
def test_emotions_said_without_their_words_are_heard(
    analyzer: nlu.Analyzer, path: Path, precision: float, recall: float
) -> None:
    tally = Tally()
    for case in read_cases(path):
        found = set(analyzer.analyze(str(case["text"])).emotions)
        tally.add(set(case["emotions"]), found, set(case["also_ok"]))
    assert tally.precision >= precision, tally
    assert tally.recall >= recall, tally
