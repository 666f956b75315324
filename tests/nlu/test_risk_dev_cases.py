"""Risks measured on ``risk_dev_cases.jsonl``: 260 customer messages in nine languages, 143 with
one or two risks, by a writer who never saw the cue lists nor the detector. The rest are hard
look-alikes: a threat ruled out ("tranquilos que no os voy a poner mala reseña"), given up or
taken back ("之前点了平台介入是手滑 已经撤销了"), asked about ("Qual o prazo pra abrir disputa se o
pacote ficar retido?"), the words in a harmless sense ("12315是型号吗").

First run: precision 0.791, recall 0.683 (dispute 31/42, review 21/34, chargeback 15/24, legal
27/32, churn 16/29; 29 false alarms, most of them policy questions, denials in word orders the
patterns did not know, and consumer authorities filed under legal). Its misses were read, so
this is a development set: the cues were widened by concept (threats on social media, banks
reversing a charge in each language, switching to a competitor, consumer authorities as
disputes, as 12315 is) and ``kefu.nlu.threats`` learned questions about the rules, clitic and
trailing denials and claims since closed: 0.988 / 1.000. The blind check is
``risk_cases.jsonl``: 0.908 / 0.656 before, 0.962 / 0.711 after.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kefu import nlu
from kefu.nlu.schemas import RISKS
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("risk_dev_cases.jsonl")


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    assert (len(cases), sum(bool(c["risks"]) for c in cases)) == (260, 143)
    assert all(set(c["risks"]) <= set(RISKS) for c in cases)
    assert len(Counter(str(c["language"]) for c in cases)) == 9


def test_threats_the_cues_were_widened_for_are_heard(analyzer: nlu.Analyzer) -> None:
    tally = Tally()
    for case in read_cases(CASES):
        tally.add(set(case["risks"]), set(analyzer.analyze(str(case["text"])).risks))
    assert tally.precision >= 0.95, tally
    assert tally.recall >= 0.95, tally
