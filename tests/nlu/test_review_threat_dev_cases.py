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

``review_threat_dev_cases_2.jsonl`` (170 in eight languages, 76 threats), by a later writer
told to be indirect ("I'll make sure people know what kind of seller you are", "你们就等着店铺
评分掉吧", "Meine Bewertung wird entsprechend ausfallen") and to write look-alikes (a bad review
of the courier, a competitor's reviews, "麻烦别给我差评", a tap on 1 star by mistake), read 0.804
/ 0.539 on its first run. Its misses were read and the cues widened by concept: a review that
will "reflect" or "be brutal", a bad review kept until the money comes, warning future buyers,
the thread posted on a forum, an honest review held over the shop with a last chance, and the
look-alikes ruled out. A public post without review words now counts only where the message is
no praise ("posted the unboxing on my insta, it looks so good!"), so these are read through the
analyzer. After: 0.987 / 0.987. The blind ``review_threat_holdout.jsonl`` moved from 0.873 /
0.623 to 0.898 / 0.688, and the threats of ``risk_cases.jsonl`` from 0.739 to 0.756 recall.

``review_threat_dev_cases_3.jsonl`` (280, all fourteen languages, 140 threats), by a third
writer asked for indirect verdicts ("Mon avis sera à la hauteur de votre service", "Yorumum bu
muameleyi aynen yansıtacak"), warnings to a group ("warn all the moms in the school WhatsApp
group"), star counts ("Jedna gwiazdka i tyle") and look-alikes (a low rating for the courier,
one's own old review of another shop, bad reviews read on the listing), read 0.78 / 0.51. Its
misses were read: a review noun near a verdict and a warning near an audience became warnings
(``review:verdict``, ``review:warn`` + ``review:audience``), star counts were added, and the
courier as the one rated, a past review of another shop, reviews read and "書きたくない" ruled
out. After: 1.00 / 0.84. The blind ``review_threat_holdout_2.jsonl`` (224, 112) moved from
0.78 / 0.40 to 0.90 / 0.46, the older blind holdout from 0.90 / 0.69 to 0.90 / 0.70.

``review_threat_dev_cases_4.jsonl`` (200 in ten languages, 120 threats), asked for the weakest
blind languages (Arabic, Dutch, Polish) in their own words ("بعطيكم نجمة وحدة", "negatyw na
Allegro", "ik zet het hele gesprek op Twitter"), read 0.82 / 0.53. Its misses were read:
platforms and verbs of publishing per language, verdicts ("la peor calificación", "najgorszą
ocenę"), star counts, and a courier rated while the shop is cleared ("dałam mu złą ocenę…, ale
do was nie mam żadnych zastrzeżeń"). After: 1.00 / 0.93; the blind sets moved little
(``review_threat_holdout_2`` 0.90 / 0.46 -> 0.92 / 0.49, the older one 0.90 / 0.70 -> 0.90 /
0.71).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu import nlu
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("review_threat_dev_cases.jsonl")
SECOND = Path(__file__).with_name("review_threat_dev_cases_2.jsonl")
THIRD = Path(__file__).with_name("review_threat_dev_cases_3.jsonl")
FOURTH = Path(__file__).with_name("review_threat_dev_cases_4.jsonl")


def test_the_files_are_what_the_docstring_says() -> None:
    files = [
        (CASES, 180, 106, 9),
        (SECOND, 170, 76, 8),
        (THIRD, 280, 140, 14),
        (FOURTH, 200, 120, 10),
    ]
    for path, size, threats, languages in files:
        cases = read_cases(path)
        assert (len(cases), sum(bool(c["threat"]) for c in cases)) == (size, threats)
        assert len({c["language"] for c in cases}) == languages


@pytest.mark.parametrize(
    ("path", "min_recall"),
    [(CASES, 0.90), (SECOND, 0.90), (THIRD, 0.80), (FOURTH, 0.88)],
    ids=["1", "2", "3", "4"],
)
def test_review_threats_said_without_bad_review_are_heard(
    analyzer: nlu.Analyzer, path: Path, min_recall: float
) -> None:
    tally = Tally()
    for case in read_cases(path):
        said = {"threat"} if case["threat"] else set()
        risks = analyzer.analyze(str(case["text"])).risks
        tally.add(said, {"threat"} if "negative_review_threat" in risks else set())
    assert tally.precision >= 0.95, tally
    assert tally.recall >= min_recall, tally
