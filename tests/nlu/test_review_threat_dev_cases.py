"""Bad-review threats measured on ``review_threat_dev_cases.jsonl``: 180 customer messages in nine
languages, 106 threats, by a writer who never saw the cue lists nor the detector and was asked
to be inventive about how the threat is said: indirect ("the stars will speak for themselves"),
bargained ("I'll bump my review back up to 5 if you refund"), taken public ("das Video geht auf
YouTube, 15k Abonnenten", "准备发b站"), already done, conditional; and 74 look-alikes (a bad
review someone else left on the listing, a review promised for when it arrives, a threat given
up after a fix).

First run: precision 0.805, recall 0.311: the cues knew the words "bad review" and "1 star" in
nine languages and little else. Its misses were read, so this is a development set: cues for
warning other buyers and for reviews worded as a warning, a review bargained over (a review, a
change to it and a condition), a public place with something shown there, a review someone
says they *saw* (no threat), and the scanner now prefers "avis négatif" to "avis" where both
start: 0.980 / 0.934. The blind check, the review threats of ``risk_cases.jsonl``, moved less:
18 -> 20 of 40 found.
"""

from __future__ import annotations

from pathlib import Path

from kefu.nlu.signals import find_signals
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("review_threat_dev_cases.jsonl")


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    assert (len(cases), sum(bool(c["threat"]) for c in cases)) == (180, 106)
    assert len({c["language"] for c in cases}) == 9


def test_review_threats_said_without_bad_review_are_heard() -> None:
    tally = Tally()
    for case in read_cases(CASES):
        said = {"threat"} if case["threat"] else set()
        risks = find_signals(str(case["text"])).risks
        tally.add(said, {"threat"} if "negative_review_threat" in risks else set())
    assert tally.precision >= 0.95, tally
    assert tally.recall >= 0.90, tally
