"""All-clear replies measured on ``all_clear_cases.jsonl``: 176 messages in nine languages. 110
answer a follow-up by naming a problem only to deny it ("No problems at all, thanks!",
"没有任何问题，谢谢亲", "Es fehlt nichts, alles vollständig"): intent ``praise``. 66 are real
problems worded with a negation ("doesn't turn on at all", "显示已签收了，可我根本没收到").

A writer who saw neither the intent corpus nor the model wrote it. The corpus lines for such
replies (``resources/<lang>/intents.jsonl``, 238 lines) came from a second writer who never saw
this file; lines within a 0.8 similarity ratio of a case here were dropped from them. Before
those lines the model read 37 of the 110 all-clear replies as praise (0.336) and sent the rest
to quality_issue, missing_item or complaint; after them, 78 (0.709), and 89 (0.809) as praise
or other. Refusal patterns for more languages (``kefu.nlu.declined``: "pas besoin d'échanger",
"менять не нужно", measured blind on ``declined_cases.jsonl``) then took it to 82 (0.745) and
0.836; their author had seen this file's misses, so that step is not a blind measure here.
Denied words as features of the intent model (``kefu.nlu.features``: "¬leak", and one shared
feature for any denied complaint word) took it to 88 (0.800) and 0.873, while two negated
problems moved to a neighbouring intent (refund read as return or cancel: 1.000 -> 0.970).
Bare English complaint nouns in the lexicon ("leak", "scratch", "dent": it had only "leaks",
"scratches", "dented") took it to 90 (0.818) and 0.882. Ironic complaints in the corpus ("wow,
only 5 weeks, impressive" as shipping_delay, measured on ``sarcasm_cases.jsonl``) cost three:
0.800 and 0.873. The floors sit under today's numbers.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kefu import nlu
from tests.nlu.scoring import read_cases

CASES = Path(__file__).with_name("all_clear_cases.jsonl")
PRAISE_FLOOR = 0.76
NOT_A_PROBLEM_FLOOR = 0.85  # praise or other: at least no problem intent raised
PROBLEM_FLOOR = 0.95


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    kinds = Counter(c["kind"] for c in cases)
    assert kinds == {"all_clear": 110, "problem": 66}
    assert len(Counter(c["language"] for c in cases)) == 9
    assert {c["intent"] for c in cases if c["kind"] == "all_clear"} == {"praise"}
    assert len({c["text"] for c in cases}) == len(cases)


@pytest.fixture(scope="module")
def read_as(analyzer: nlu.Analyzer) -> list[tuple[dict[str, object], str]]:
    return [(case, analyzer.analyze(str(case["text"])).intent) for case in read_cases(CASES)]


def _share(
    pairs: list[tuple[dict[str, object], str]], kind: str, also_ok: frozenset[str] = frozenset()
) -> float:
    """Share of the ``kind`` cases read as their label or as one of ``also_ok``."""
    chosen = [(case, intent) for case, intent in pairs if case["kind"] == kind]
    return sum(intent == case["intent"] or intent in also_ok for case, intent in chosen) / len(
        chosen
    )


def test_a_denied_problem_reads_as_praise(read_as: list[tuple[dict[str, object], str]]) -> None:
    assert _share(read_as, "all_clear") >= PRAISE_FLOOR


def test_a_denied_problem_raises_no_problem_intent(
    read_as: list[tuple[dict[str, object], str]],
) -> None:
    assert _share(read_as, "all_clear", frozenset({"other"})) >= NOT_A_PROBLEM_FLOOR


def test_a_problem_worded_with_a_negation_stays_that_problem(
    read_as: list[tuple[dict[str, object], str]],
) -> None:
    assert _share(read_as, "problem") >= PROBLEM_FLOOR
