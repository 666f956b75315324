"""Emotions measured on ``emotion_dev_cases.jsonl``: 300 customer messages in nine languages by
a writer who never saw the cue lists nor the detector, 63 with no emotion ("I'm not angry, just
asking", "不着急 慢慢来", calm complaints), the rest with one or two of the five, often said
without a feeling word: "third time I'm explaining this", "I've been refreshing the tracking
page every hour", "看了三遍都没搞明白", "楽しみにしてたのに".

First run: precision 0.945, recall 0.663 (anger 0.46, disappointment 0.56). Its misses were
read, so this is a development set: the cues were widened by concept (asking again and again,
patience gone, rhetorical disbelief, sleepless worry, hopes let down, not making sense of it;
"merci de m'indiquer" is "please", not thanks; "مش زعلان" and "怒ってるわけじゃない" are
negations): 0.981 / 0.898. Mock praise ("Brilliant. Just brilliant.", "Bravo.") was tried as
anger and dropped: the same words said sincerely turned negative on the sarcasm set. The blind
check is ``emotion_cases.jsonl``: 0.961 / 0.747 before, 0.963 / 0.790 after.
"""

from __future__ import annotations

from pathlib import Path

from kefu import nlu
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("emotion_dev_cases.jsonl")


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    assert (len(cases), sum(not c["emotions"] for c in cases)) == (300, 63)
    assert len({c["language"] for c in cases}) == 9


def test_feelings_said_without_feeling_words_are_heard(analyzer: nlu.Analyzer) -> None:
    tally = Tally()
    for case in read_cases(CASES):
        found = set(analyzer.analyze(str(case["text"])).emotions)
        tally.add(set(case["emotions"]), found, set(case["also_ok"]))
    assert tally.precision >= 0.95, tally
    assert tally.recall >= 0.85, tally
