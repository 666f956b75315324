"""Emotions, risks and urgency in Italian, Dutch, Polish, Turkish and Korean, measured on
``more_languages_dev_cases.jsonl``: 400 messages (80 a language: 30 urgent, half of them by a
date, event or something running out alone; emotions said without feeling words; each risk in
varied wordings; 15 calm look-alikes), by two writers who never saw the cue lists.

First run, with each language's first cue lists: emotions precision 0.957 / recall 0.601, risks
0.863 / 0.569, urgency 0.951 / 0.387 (these languages had no time cues: no near day, event or
running out was heard). Its misses were read, so this is a development set: five writers
widened their language's cues by concept (``time:*`` for near days, needs, events, running out
and the past; hurry words; "no hurry" phrases, the category ``no_hurry``; asking again, sleepless
worry, reversing a card payment, reporting the seller to the platform), and ``kefu.nlu.threats``
learned their denials ("non ho intenzione di", "ik ga geen", "yorum yazmayacağım", "생각은
없어요"). After: 0.972 / 0.945, 0.934 / 0.979, 1.000 / 0.947. Then questions about the rules
("per curiosità, come funziona la controversia?", "w jakim terminie można otworzyć spór") and
a brother who is a lawyer were no threats: risks 0.986 / 0.979. The blind measure is
``more_languages_cases.jsonl``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kefu import nlu
from kefu.nlu.schemas import EMOTIONS, RISKS
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("more_languages_dev_cases.jsonl")
FLOORS = {"emotions": (0.93, 0.90), "risks": (0.95, 0.93), "urgency": (0.95, 0.90)}


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    assert Counter(c["language"] for c in cases) == dict.fromkeys(
        ("it", "nl", "pl", "tr", "ko"), 80
    )
    assert all(set(c["emotions"]) <= set(EMOTIONS) and set(c["risks"]) <= set(RISKS) for c in cases)
    assert sum(c["urgent"] for c in cases) == 150


@pytest.fixture(scope="module")
def tallies(analyzer: nlu.Analyzer) -> dict[str, Tally]:
    cases = read_cases(CASES)
    out = {name: Tally() for name in FLOORS}
    for case, result in zip(cases, analyzer.analyze_many([c["text"] for c in cases]), strict=True):
        out["emotions"].add(set(case["emotions"]), set(result.emotions))
        out["risks"].add(set(case["risks"]), set(result.risks))
        urgent = {"urgent"} if case["urgent"] else set()
        out["urgency"].add(urgent, {"urgent"} if result.urgency == "high" else set())
    return out


@pytest.mark.parametrize("name", FLOORS)
def test_what_the_cues_were_widened_for_is_heard(tallies: dict[str, Tally], name: str) -> None:
    precision, recall = FLOORS[name]
    assert tallies[name].precision >= precision, tallies[name]
    assert tallies[name].recall >= recall, tallies[name]
