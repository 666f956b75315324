"""Churn and dispute threats measured on ``churn_dispute_dev_cases.jsonl``: 200 customer messages
in nine languages, 121 with one or both, by a writer who never saw the cue lists nor the
detector and was asked to be inventive ("you just lost a 7-year customer", "unsubscribed,
deleted the app, done", "我不想闹大 但是你们再拖我只能找平台客服了", "Habe heute einen Fall beim
PayPal-Käuferschutz eröffnet"); the rest are questions about how a claim works, claims closed
happily, a subscription cancelled for a move abroad, "I'll definitely order again".

First run: precision 0.809, recall 0.545 (churn 25 of 71). Its misses were read, so this is a
development set: churn said as a last order, another shop, trust lost, an app deleted or a
membership cancelled over the problem; eBay and PayPal buyer protection, 申请仲裁 as a
platform dispute (it had been legal); questions about a claim recognised without their
question mark ("请问平台介入一般要多久啊", "sólo por saber"), and before an "if" ("si abro una
disputa, ¿cuánto tarda?"): 0.969 / 0.955. Blind ``risk_cases.jsonl``: 0.963 / 0.722 before,
0.964 / 0.739 after (churn 23 -> 26 of 36). Then closing an account or a subscription became a
churn threat only when the message reads negative ("please cancel my subscription, I'm moving
abroad, thanks" asks, it does not leave): dev recall 0.955 -> 0.932 (a closed membership told
calmly with its reason, "j'ai résilié mon abonnement, trois box abîmées d'affilée"), blind
churn unchanged.
"""

from __future__ import annotations

from pathlib import Path

from kefu import nlu
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("churn_dispute_dev_cases.jsonl")
ASKED = {"churn_threat", "dispute_threat"}


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    assert (len(cases), sum(bool(c["risks"]) for c in cases)) == (200, 121)
    assert all(set(c["risks"]) <= ASKED for c in cases)


def test_leaving_and_claims_are_heard(analyzer: nlu.Analyzer) -> None:
    tally = Tally()
    for case in read_cases(CASES):
        found = set(analyzer.analyze(str(case["text"])).risks) & ASKED
        tally.add(set(case["risks"]), found)
    assert tally.precision >= 0.95, tally
    assert tally.recall >= 0.90, tally
