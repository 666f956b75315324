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

The same for Chinese, English, Spanish, French, German and Portuguese, where reports were
written out whole ("report you to amazon", "投诉到淘宝"): ``dispute_major_dev_cases.jsonl``
(300, 156) and the blind ``dispute_major_holdout.jsonl`` (240, 120), by two more writers who
saw no code. First run: development 0.830 / 0.564, blind 0.756 / 0.542. After the pair in these
languages, a platform that speaks rather than is told ("平台说有个投诉单", "Amazon says it was
delivered"), a claim the shop is asked to make with the courier, a claim withdrawn, and a
question said to be only a question: development 0.987 / 0.981, blind 0.848 / 0.792. Twelve of
the 17,986 other readings changed, eleven of them reports now heard ("reporting you to
paypal", "ich melde das bei PayPal", "已经投诉平台了").

A second development set by a third writer, ``dispute_major_dev_cases_2.jsonl`` (240, 120),
asked for idioms ("Amazon will hear about this", "Cdiscount sera informé", "ich schalte eBay
ein") and for consumer bodies as sources ("No site do Procon diz que..."), read 0.870 / 0.667.
Its misses were read: informing and escalating verbs, claims closed by the buyer, a consumer
body read or praised rather than told; and "款" ruled out any threat up to six characters
before it, so "我已经开了纠纷，请尽快退款" was none. After: 0.974 / 0.933 there, blind
0.884 / 0.825.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu import nlu
from kefu.nlu.schemas import RISKS
from tests.nlu.scoring import Tally, read_cases

DEVELOPMENT = Path(__file__).with_name("dispute_dev_cases.jsonl")
HOLDOUT = Path(__file__).with_name("dispute_holdout.jsonl")
MAJOR_DEVELOPMENT = Path(__file__).with_name("dispute_major_dev_cases.jsonl")
MAJOR_HOLDOUT = Path(__file__).with_name("dispute_major_holdout.jsonl")
MAJOR_DEVELOPMENT_2 = Path(__file__).with_name("dispute_major_dev_cases_2.jsonl")
LATER = {"it", "nl", "pl", "tr", "ko"}
FIRST = {"zh", "en", "es", "fr", "de", "pt"}


@pytest.mark.parametrize(
    ("path", "size", "disputes", "languages"),
    [
        (DEVELOPMENT, 250, 130, LATER),
        (HOLDOUT, 200, 100, LATER),
        (MAJOR_DEVELOPMENT, 300, 156, FIRST),
        (MAJOR_HOLDOUT, 240, 120, FIRST),
        (MAJOR_DEVELOPMENT_2, 240, 120, FIRST),
    ],
)
def test_the_files_are_what_the_docstring_says(
    path: Path, size: int, disputes: int, languages: set[str]
) -> None:
    cases = read_cases(path)
    assert len(cases) == size
    assert sum("dispute_threat" in c["risks"] for c in cases) == disputes
    assert {c["language"] for c in cases} == languages
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


@pytest.mark.parametrize(
    ("path", "min_precision", "min_recall"),
    [
        (DEVELOPMENT, 0.95, 0.86),
        (HOLDOUT, 0.85, 0.65),
        (MAJOR_DEVELOPMENT, 0.95, 0.95),
        (MAJOR_DEVELOPMENT_2, 0.95, 0.90),
        (MAJOR_HOLDOUT, 0.85, 0.78),
    ],
)
def test_reports_to_a_platform(
    analyzer: nlu.Analyzer, path: Path, min_precision: float, min_recall: float
) -> None:
    tally = _disputes(analyzer, path)
    assert tally.precision >= min_precision, tally
    assert tally.recall >= min_recall, tally
