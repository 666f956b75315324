"""Privacy incidents measured on two files of customer messages in nine languages, each written
by a helper who never saw the cue lists nor the detector: personal data exposed through the
shop (another buyer's invoice in the parcel, every customer in copy, a scam call that knew the
order, a courier texting the buyer with the number from the label, someone else in the account,
a review photo used in an ad without consent), and many look-alikes (someone else's *item*, a
neighbour's doorstep, "do you share my data?", "delete my account", "this shop is a scam", a
bottle that leaked).

``privacy_cases.jsonl`` (300, 129 incidents) is development: its first 180 lines were split in
two halves; cues written from one half read the other, unread half at precision 1.000, recall
0.410. Both halves were then read and the cues widened by concept; the next 120 lines, a fresh
set, read 0.957 / 0.449 on their first run, were read in turn and widened again.
``privacy_holdout.jsonl`` (120, 49 incidents), by a fourth writer told to invent widely, was
run once, after all of that, and its misses never read: 0.926 / 0.510. Cue lists catch about
half of the incidents a new writer thinks of (a refurbished device holding the last owner's
photos, a tracking page that shows other buyers' addresses), and flag almost nothing harmless:
over the 9,429 other texts of ``tests/nlu/*.jsonl`` and the intent corpus they fired 17 times,
every one an account taken over or another customer's name on a slip.

A character n-gram classifier trained on the 300 development lines read the holdout better
(0.94 / 0.96), but flagged 828 of those 9,429 everyday messages ("how do I change my email
address", "what is your phone number"): it learned the topic, not the incident. Cues it is.

``privacy_cases_2.jsonl`` (150, 60 incidents), by a fifth writer (a renewed iPad still signed
into the last owner's iCloud, an invoice link that opens other customers' invoices by changing
its last digits, a returns-locker screen that shows the next customer's name, a courier adding
the buyer on WeChat with the number from the label, a returned phone sold on unwiped), read
0.900 / 0.600 on its first run. Its misses were read and the cues widened by concept (a device
sold on with someone's data, pages that show other customers, data shown to passers-by, the
number taken from the label, someone else's hacked Facebook masked): 0.984 / 1.000. The blind
``privacy_holdout.jsonl`` moved from 0.926 / 0.510 to 0.935 / 0.592, with no new alarm over
the 11,707 intent-corpus and everyday test texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu.nlu.signals import find_signals
from tests.nlu.scoring import Tally, read_cases

HERE = Path(__file__).parent
DEVELOPMENT = HERE / "privacy_cases.jsonl"
SECOND = HERE / "privacy_cases_2.jsonl"
HOLDOUT = HERE / "privacy_holdout.jsonl"


def _tally(path: Path) -> Tally:
    tally = Tally()
    for case in read_cases(path):
        said = {"privacy"} if case["privacy"] else set()
        found = {"privacy"} if find_signals(str(case["text"])).privacy else set()
        tally.add(said, found)
    return tally


def test_the_files_are_what_the_docstring_says() -> None:
    for path, size, incidents in [(DEVELOPMENT, 300, 129), (SECOND, 150, 60), (HOLDOUT, 120, 49)]:
        cases = read_cases(path)
        assert (len(cases), sum(bool(c["privacy"]) for c in cases)) == (size, incidents)
        assert len({c["language"] for c in cases}) == 9


@pytest.mark.parametrize("path", [DEVELOPMENT, SECOND], ids=lambda p: p.name)
def test_incidents_the_cues_were_written_from_are_heard(path: Path) -> None:
    tally = _tally(path)
    assert tally.precision >= 0.95, tally
    assert tally.recall >= 0.95, tally


def test_incidents_nobody_wrote_cues_for_are_heard_half_the_time_and_rarely_invented() -> None:
    # Don't add cues by reading this file: it then stops telling the truth.
    tally = _tally(HOLDOUT)
    assert tally.precision >= 0.88, tally
    assert tally.recall >= 0.45, tally
