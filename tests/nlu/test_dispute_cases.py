"""Reports to a marketplace, a payment platform or a consumer body in Italian, Dutch, Polish,
Turkish and Korean: ``dispute_dev_cases.jsonl`` (250 messages, 130 with a dispute threat) and
the blind ``dispute_holdout.jsonl`` (200, 100), by two writers who never saw the cue lists nor
the detector. They were asked to vary the marketplace and the verb ("Hepsiburada'ya bildirip",
"Allegro się dowie", "옥션 고객센터에 중재 요청") and to write look-alikes: a marketplace named
in an ordinary request, a case opened by mistake, a claim given up after a fix, a friend's claim
against another shop, a question about how a claim works.

First run, dispute threats: development 0.895 precision / 0.523 recall, blind 0.820 / 0.500.
These languages listed reports as whole phrases, marketplace by verb, and most pairs were
missing. The development misses were read and a marketplace near a verb of reporting, in one
sentence, became a threat (``dispute:place`` and ``dispute:act`` in ``cues.json``), and
mistakes, given-up claims in these languages and another shop's claims were ruled out
(``kefu.nlu.threats``). After: development 1.000 / 0.892, blind 0.883 / 0.680 (its misses
were not read). Over the 17,536 texts of the intent corpora and the other case files, six
readings changed: three look-alikes lost a threat, one Turkish report to Trendyol gained its
dispute, and a question and a claim already open gained one ("Trendyol'a itiraz mı açmam
gerekiyor?", "Sprzedawca na Allegro nie odpowiada w dyskusji").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu import nlu
from kefu.nlu.schemas import RISKS
from tests.nlu.scoring import Tally, read_cases

DEVELOPMENT = Path(__file__).with_name("dispute_dev_cases.jsonl")
HOLDOUT = Path(__file__).with_name("dispute_holdout.jsonl")


@pytest.mark.parametrize(
    ("path", "size", "disputes"), [(DEVELOPMENT, 250, 130), (HOLDOUT, 200, 100)]
)
def test_the_files_are_what_the_docstring_says(path: Path, size: int, disputes: int) -> None:
    cases = read_cases(path)
    assert len(cases) == size
    assert sum("dispute_threat" in c["risks"] for c in cases) == disputes
    assert {c["language"] for c in cases} == {"it", "nl", "pl", "tr", "ko"}
    assert all(set(c["risks"]) <= set(RISKS) for c in cases)


def _disputes(analyzer: nlu.Analyzer, path: Path) -> Tally:
    tally = Tally()
    for case in read_cases(path):
        found = "dispute_threat" in analyzer.analyze(str(case["text"])).risks
        tally.add(
            {"dispute"} if "dispute_threat" in case["risks"] else set(),
            {"dispute"} if found else set(),
        )
    return tally


def test_reports_to_a_platform_in_the_development_set(analyzer: nlu.Analyzer) -> None:
    tally = _disputes(analyzer, DEVELOPMENT)
    assert tally.precision >= 0.95, tally
    assert tally.recall >= 0.86, tally


def test_reports_to_a_platform_in_the_blind_set(analyzer: nlu.Analyzer) -> None:
    tally = _disputes(analyzer, HOLDOUT)
    assert tally.precision >= 0.85, tally
    assert tally.recall >= 0.65, tally
