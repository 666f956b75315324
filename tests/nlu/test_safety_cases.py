"""Safety hazards measured on ``safety_cases.jsonl``: 150 customer messages in nine languages by a
writer who never saw the cue lists. 70 report a product that burned, sparked, shocked, swelled,
leaked gas or chemicals, injured someone or went bad (a broken seal on baby formula counts); 80
do not, many of them on purpose ("this song is fire", "火爆", "开心到爆炸", "I burned through
the battery in a day", a toy that arrived broken but harmless).

A hazard goes to the top of the queue (``kefu.nlu.priority.SAFETY_POINTS``), so both numbers
matter. The cues (``resources/cues.json``, category ``safety``) were written before this file
existed: precision 0.957, recall 0.643. Its misses were then read and the cues widened by
concept (swelling, gas smell, allergic reactions, furniture tipping over, sickness after
eating, broken seals), so it is no longer blind: 1.000 and 0.971. Over the 8,771 other texts of
``tests/nlu/*.jsonl`` and the intent corpus, the cues then fired on 13 real hazards and one
harmless message ("comes home from the hospital tomorrow"), whose cue was dropped.
"""

from __future__ import annotations

from pathlib import Path

from kefu.nlu.signals import find_signals
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("safety_cases.jsonl")
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.90


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    assert (len(cases), sum(c["safety"] for c in cases)) == (150, 70)


def test_hazards_are_heard_and_figures_of_speech_are_not() -> None:
    tally = Tally()
    for case in read_cases(CASES):
        said = {"safety"} if case["safety"] else set()
        found = {"safety"} if find_signals(str(case["text"])).safety else set()
        tally.add(said, found)
    assert tally.precision >= PRECISION_FLOOR, tally
    assert tally.recall >= RECALL_FLOOR, tally
