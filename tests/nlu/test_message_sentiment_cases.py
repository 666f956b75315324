"""Message sentiment measured on two sets of customer messages in nine languages, each labelled
by a writer who saw neither the lexicons, the review files nor the model: how the customer
feels, as an agent reads it (a calm report of a problem is negative, a polite request neutral,
praise inside a question neutral). ``also_ok`` holds a second label a careful reader might give.

- ``message_sentiment_cases.jsonl`` (260): its misses were read while writing
  :mod:`kefu.nlu.message_tone`, so it is a development set now. 0.881 before, 0.919 after;
  0.923 once ironic lines joined the intent corpus and warm words gave way to a clear problem.
- ``message_sentiment_holdout.jsonl`` (223): written by a third writer who saw neither the
  other file nor the code, and scored only after each change, its misses not read. 0.767
  before, 0.839 after (negative messages read negative 48 -> 60 of 86, neutral ones read
  negative 6 -> 4 of 91); 0.843 with "nothing" and "zero" as English negators, 0.857 after
  the ironic corpus lines.

The floors sit a little under today's numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu import nlu
from tests.nlu.scoring import read_cases

HERE = Path(__file__).parent
FLOORS = {"message_sentiment_cases.jsonl": 0.90, "message_sentiment_holdout.jsonl": 0.82}
# A neutral message read as negative raises its priority for nothing.
NEUTRAL_KEPT_FLOOR = 0.92


def _read(name: str) -> list[tuple[dict[str, object], str]]:
    cases = read_cases(HERE / name)
    triaged = nlu.analyze_many([str(c["text"]) for c in cases])
    return [(c, t.sentiment.label) for c, t in zip(cases, triaged, strict=True)]


def _right(case: dict[str, object], label: str) -> bool:
    return label == case["sentiment"] or label in case["also_ok"]  # type: ignore[operator]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_message_sentiment_reads_as_an_agent_would(name: str) -> None:
    read = _read(name)
    accuracy = sum(_right(c, label) for c, label in read) / len(read)
    assert accuracy >= FLOORS[name], accuracy


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_neutral_messages_are_not_made_complaints(name: str) -> None:
    neutral = [(c, label) for c, label in _read(name) if c["sentiment"] == "neutral"]
    kept = sum(label != "negative" or _right(c, label) for c, label in neutral) / len(neutral)
    assert kept >= NEUTRAL_KEPT_FLOOR, kept


def test_the_files_are_what_the_docstring_says() -> None:
    assert len(read_cases(HERE / "message_sentiment_cases.jsonl")) == 260
    assert len(read_cases(HERE / "message_sentiment_holdout.jsonl")) == 223
