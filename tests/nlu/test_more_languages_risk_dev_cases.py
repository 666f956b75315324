"""Threats and urgency in Italian, Dutch, Polish, Turkish and Korean, measured on
``more_languages_risk_dev_cases.jsonl``: 300 messages (60 a language, 168 with a threat, 105
urgent) by two writers who never saw the cue lists nor the detector, told to say threats
indirectly ("ik weet de weg naar de Geschillencommissie", "bankamı arayıp itiraz edeceğim",
"이번이 마지막 주문이네요") and to write look-alikes (denials, questions about how a claim
works, a threat given up after a fix, a lawyer in the family mentioned harmlessly).

First run: risks precision 0.770, recall 0.453; urgency 1.000 / 0.686. Its misses were read
(this is a development set) and two helpers widened these languages' cues by concept, each in
its own worktree: reporting to each marketplace, blocking a payment or having the bank reverse
it, courts and police, a last order and a named competitor, a review that "will reflect" it,
deadlines that run out today. After: 0.865 / 0.869 and 1.000 / 0.886. Over the 11,407
intent-corpus and everyday test texts one reading changed (a Trustpilot threat "als ik vandaag
geen antwoord krijg" became urgent too).

These writers call a consumer authority (UOKiK, ACM, 한국소비자원, Tüketici Hakem Heyeti) a
legal threat; Kefu files it under ``dispute_threat`` in every language, as it does 12315
(``legal_cases.jsonl``), so most of what remains is legal "missed" beside a dispute found.
The blind ``more_languages_cases.jsonl`` moved from 0.859 / 0.782 to 0.870 / 0.859 on risks.
"""

from __future__ import annotations

from pathlib import Path

from kefu import nlu
from kefu.nlu.schemas import RISKS
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("more_languages_risk_dev_cases.jsonl")


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    assert len(cases) == 300
    assert sum(bool(c["risks"]) for c in cases) == 168
    assert sum(bool(c["urgent"]) for c in cases) == 105
    assert {c["language"] for c in cases} == {"it", "nl", "pl", "tr", "ko"}
    assert all(set(c["risks"]) <= set(RISKS) for c in cases)


def test_threats_and_time_pressure_in_the_later_languages(analyzer: nlu.Analyzer) -> None:
    risks, urgency = Tally(), Tally()
    for case in read_cases(CASES):
        result = analyzer.analyze(str(case["text"]))
        risks.add(set(case["risks"]), set(result.risks))
        urgent = {"urgent"} if result.urgency == "high" else set()
        urgency.add({"urgent"} if case["urgent"] else set(), urgent)
    assert risks.precision >= 0.82, risks
    assert risks.recall >= 0.83, risks
    assert urgency.precision >= 0.95, urgency
    assert urgency.recall >= 0.84, urgency
