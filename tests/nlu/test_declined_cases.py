"""Refusals measured on ``declined_cases.jsonl``: 80 messages in nine languages in which a
customer turns down a refund, a cancellation, a return or an exchange ("不用退款了，补发一个就行",
"Не надо отменять, всё в силе", "交換の必要はありません"), with what they want instead.

A writer who saw neither ``kefu.nlu.declined`` nor the corpus wrote it, after the refusal
patterns of es, fr, de, pt, ru, ar and ja were written and before anyone ran them on it. With
the patterns of en and zh only (and a few es, fr, de, pt), the turned-down request stayed the
primary intent in 37 of the 80 (not primary: 0.537) and the wanted intent came first in 0.500;
with today's patterns 0.812 and 0.700. The floors sit under today's numbers; don't add
patterns by reading this file's misses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from kefu import nlu
from kefu.nlu.schemas import Triage
from tests.nlu.scoring import read_cases

CASES = Path(__file__).with_name("declined_cases.jsonl")
DECLINED_NOT_PRIMARY_FLOOR = 0.75
WANTED_FIRST_FLOOR = 0.65
NO_REQUEST = frozenset({"praise", "other"})  # a satisfied or settled customer asks for nothing


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    assert len(cases) == 80
    assert len(Counter(c["language"] for c in cases)) == 9
    assert all(c["declined"] != c["wants"] for c in cases)


@pytest.fixture(scope="module")
def readings(analyzer: nlu.Analyzer) -> list[tuple[dict[str, object], Triage]]:
    return [(case, analyzer.analyze(str(case["text"]))) for case in read_cases(CASES)]


def test_a_turned_down_request_is_not_the_intent(
    readings: list[tuple[dict[str, object], Triage]],
) -> None:
    kept = sum(result.intent != case["declined"] for case, result in readings)
    assert kept / len(readings) >= DECLINED_NOT_PRIMARY_FLOOR


def test_what_the_customer_wants_comes_first(
    readings: list[tuple[dict[str, object], Triage]],
) -> None:
    def wanted(case: dict[str, object], result: Triage) -> bool:
        if case["wants"] in NO_REQUEST:
            return result.intent in NO_REQUEST
        return result.intent == case["wants"]

    assert sum(wanted(c, r) for c, r in readings) / len(readings) >= WANTED_FIRST_FLOOR


def test_the_refusals_are_blanked_the_same_way_in_every_process() -> None:
    # Two refusals in one phrase (a refund and a return turned down) were blanked one after
    # the other in set order, which changes with PYTHONHASHSEED: some processes kept "деньги".
    code = (
        "from kefu.nlu.declined import declined_requests as d; "
        "print(d('Посылка пришла, деньги возвращать не надо.')[1])"
    )
    seen = set()
    for seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        seen.add(done.stdout.strip())
    assert len(seen) == 1
    assert "деньги" not in seen.pop()
