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

Chargebacks, a bank or card issuer asked to take the money back, in all fourteen languages:
``chargeback_dev_cases.jsonl`` (280, 140) and the blind ``chargeback_holdout.jsonl`` (224,
112), by two more writers who saw no code. First run: development 0.800 / 0.486, blind
0.822 / 0.536; bank names and card brands were missing ("Already called Chase and disputed the
charge", "我会联系交通银行信用卡中心申请退单"), and a friend's chargeback at another shop, one
made by mistake, and a payment the bank stopped ("決済を止められました") read as threats. The
same pair, ``chargeback:bank`` and ``chargeback:act``, and those rules: development
1.000 / 0.986, blind 0.964 / 0.714. Eleven of 18,226 other readings changed, all for the better
(nine chargebacks now heard, two look-alikes no longer threats).

Churn, a customer who leaves, in all fourteen languages: ``churn_dev_cases.jsonl`` (280, 140)
and the blind ``churn_holdout.jsonl`` (224, 112), by two more writers. First run: development
0.912 / 0.443, blind 0.933 / 0.500. Missing were a move to a competitor ("Ich bin jetzt zu
Zalando gewechselt", "쿠팡으로 갈아탔어요"), a family that used to buy ("Toda mi familia
compraba aquí, pero ya no"), "never" next to "buy" in any order ("hier bestel ik nooit meer",
"今後一切利用しません": their own negation had ruled them out) and the app deleted. After:
development 0.977 / 0.921, blind 0.945 / 0.616; twelve of 19,234 other readings changed, all
churn now heard.
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
CHARGEBACK_DEVELOPMENT = Path(__file__).with_name("chargeback_dev_cases.jsonl")
CHARGEBACK_HOLDOUT = Path(__file__).with_name("chargeback_holdout.jsonl")
CHURN_DEVELOPMENT = Path(__file__).with_name("churn_dev_cases.jsonl")
CHURN_HOLDOUT = Path(__file__).with_name("churn_holdout.jsonl")
LATER = {"it", "nl", "pl", "tr", "ko"}
FIRST = {"zh", "en", "es", "fr", "de", "pt"}
ALL = FIRST | LATER | {"ja", "ru", "ar"}
DISPUTE, CHARGEBACK, CHURN = "dispute_threat", "chargeback_threat", "churn_threat"


@pytest.mark.parametrize(
    ("path", "size", "risk", "threats", "languages"),
    [
        (DEVELOPMENT, 250, DISPUTE, 130, LATER),
        (HOLDOUT, 200, DISPUTE, 100, LATER),
        (MAJOR_DEVELOPMENT, 300, DISPUTE, 156, FIRST),
        (MAJOR_HOLDOUT, 240, DISPUTE, 120, FIRST),
        (MAJOR_DEVELOPMENT_2, 240, DISPUTE, 120, FIRST),
        (CHARGEBACK_DEVELOPMENT, 280, CHARGEBACK, 140, ALL),
        (CHARGEBACK_HOLDOUT, 224, CHARGEBACK, 112, ALL),
        (CHURN_DEVELOPMENT, 280, CHURN, 140, ALL),
        (CHURN_HOLDOUT, 224, CHURN, 112, ALL),
    ],
)
def test_the_files_are_what_the_docstring_says(
    path: Path, size: int, risk: str, threats: int, languages: set[str]
) -> None:
    cases = read_cases(path)
    assert len(cases) == size
    assert sum(risk in c["risks"] for c in cases) == threats
    assert {c["language"] for c in cases} == languages
    assert all(set(c["risks"]) <= set(RISKS) for c in cases)


def _tally(analyzer: nlu.Analyzer, path: Path, risk: str) -> Tally:
    tally = Tally()
    for case in read_cases(path):
        found = risk in analyzer.analyze(str(case["text"])).risks
        tally.add({risk} if risk in case["risks"] else set(), {risk} if found else set())
    return tally


@pytest.mark.parametrize(
    ("path", "risk", "min_precision", "min_recall"),
    [
        (DEVELOPMENT, DISPUTE, 0.95, 0.86),
        (HOLDOUT, DISPUTE, 0.85, 0.65),
        (MAJOR_DEVELOPMENT, DISPUTE, 0.95, 0.95),
        (MAJOR_DEVELOPMENT_2, DISPUTE, 0.95, 0.90),
        (MAJOR_HOLDOUT, DISPUTE, 0.85, 0.78),
        (CHARGEBACK_DEVELOPMENT, CHARGEBACK, 0.95, 0.95),
        (CHARGEBACK_HOLDOUT, CHARGEBACK, 0.90, 0.65),
        (CHURN_DEVELOPMENT, CHURN, 0.95, 0.88),
        (CHURN_HOLDOUT, CHURN, 0.90, 0.56),
    ],
)
def test_reports_to_a_platform_or_a_bank(
    analyzer: nlu.Analyzer, path: Path, risk: str, min_precision: float, min_recall: float
) -> None:
    tally = _tally(analyzer, path, risk)
    assert tally.precision >= min_precision, tally
    assert tally.recall >= min_recall, tally
