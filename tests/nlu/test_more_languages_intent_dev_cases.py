"""Intents in Italian, Dutch, Polish, Turkish and Korean on ``more_languages_intent_dev_cases.jsonl``:
300 messages (three an intent a language), each language's written by a helper before reading that
language's corpus. First run: it 0.883, nl 0.983, pl 0.917, tr 0.983, ko 0.950. The misses were read
and each corpus got 62-80 lines by concept (waiting for money back without the word refund, swaps
asked for by the size or colour wanted, restock questions, messages typed without Polish
diacritics, faults named by their symptom), so this is a development set: after, it 0.967, nl
1.000, pl 1.000, tr 1.000, ko 0.983. The blind measure is ``more_languages_cases.jsonl``
(0.860 -> 0.870 with these lines).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kefu import nlu
from kefu.nlu.schemas import INTENTS
from tests.nlu.scoring import read_cases

CASES = Path(__file__).with_name("more_languages_intent_dev_cases.jsonl")
FLOOR = 0.95


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    assert Counter(c["language"] for c in cases) == dict.fromkeys(
        ("it", "nl", "pl", "tr", "ko"), 60
    )
    assert all(c["intent"] in INTENTS and set(c["also_ok"]) <= set(INTENTS) for c in cases)


def test_the_intents_the_corpora_were_widened_for_are_read(analyzer: nlu.Analyzer) -> None:
    cases = read_cases(CASES)
    results = analyzer.analyze_many([c["text"] for c in cases])
    right = sum(
        r.intent == c["intent"] or r.intent in c["also_ok"]
        for c, r in zip(cases, results, strict=True)
    )
    assert right / len(cases) >= FLOOR, right
