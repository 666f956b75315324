"""Sarcasm measured on ``sarcasm_cases.jsonl``: 120 messages in nine languages by a writer who saw
neither the intent corpus nor the code. 80 are complaints said with irony ("wow, only 5 weeks,
impressive", "呵呵，真是好快的速度", "Ну спасибо, ещё неделю ждать"), labelled with the problem
underneath; 40 are sincere praise in the same words ("Great, arrived in 3 days, thanks a lot!").

An angry customer read as praise waits at the bottom of the queue, so what counts most is that
a sarcastic complaint is not praise. Before the corpus held ironic lines (201 lines in nine
languages, by a second writer who never saw this file) and before a clear problem intent
outvoted warm words in the message's sentiment (``kefu.nlu.message_tone``):
sarcastic not praise 0.850, right intent 0.738, negative 0.463; sincere praise 0.825, never
negative. After: 0.925, 0.850, 0.713; sincere praise 0.775 (two more of 40 read as a problem),
negative 0.025 (one). The floors sit a little under today's numbers.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kefu import nlu
from tests.nlu.scoring import read_cases

CASES = Path(__file__).with_name("sarcasm_cases.jsonl")
SARCASM_NOT_PRAISE_FLOOR = 0.88
SARCASM_INTENT_FLOOR = 0.80
SARCASM_NEGATIVE_FLOOR = 0.65
SINCERE_PRAISE_FLOOR = 0.72
SINCERE_NOT_NEGATIVE_FLOOR = 0.95


@pytest.fixture(scope="module")
def read() -> dict[str, list[tuple[dict[str, Any], nlu.Triage]]]:
    cases = read_cases(CASES)
    triaged = nlu.analyze_many([str(c["text"]) for c in cases])
    out: dict[str, list[tuple[dict[str, Any], nlu.Triage]]] = {"sarcastic": [], "sincere": []}
    for case, result in zip(cases, triaged, strict=True):
        out[case["kind"]].append((case, result))
    return out


def _share(pairs: list[tuple[dict[str, Any], nlu.Triage]], ok: Any) -> float:
    return sum(1 for case, result in pairs if ok(case, result)) / len(pairs)


def test_the_file_is_what_the_docstring_says() -> None:
    assert Counter(c["kind"] for c in read_cases(CASES)) == {"sarcastic": 80, "sincere": 40}


def test_a_sarcastic_complaint_is_not_praise(read: dict[str, list[Any]]) -> None:
    pairs = read["sarcastic"]
    assert _share(pairs, lambda c, r: r.intent != "praise") >= SARCASM_NOT_PRAISE_FLOOR
    right = _share(pairs, lambda c, r: r.intent == c["intent"] or r.intent in c["also_ok"])
    assert right >= SARCASM_INTENT_FLOOR, right
    negative = _share(pairs, lambda c, r: r.sentiment.label == "negative")
    assert negative >= SARCASM_NEGATIVE_FLOOR, negative


def test_sincere_praise_in_the_same_words_stays_praise(read: dict[str, list[Any]]) -> None:
    pairs = read["sincere"]
    praise = _share(pairs, lambda c, r: r.intent == "praise" or r.intent in c["also_ok"])
    assert praise >= SINCERE_PRAISE_FLOOR, praise
    calm = _share(pairs, lambda c, r: r.sentiment.label != "negative")
    assert calm >= SINCERE_NOT_NEGATIVE_FLOOR, calm
