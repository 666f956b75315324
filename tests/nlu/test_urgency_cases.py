"""Urgency measured on ``urgency_cases.jsonl``: 220 customer messages in nine languages, 99 of
them urgent, by a writer who never saw the cue lists nor the detector. Urgent means the customer
needs something by a time that is soon or says it cannot wait: a needed-by day ("il me faut le
colis avant le 12"), an event soon ("婚礼就在后天"), something running out ("we have maybe 2
bottles left"). The rest are look-alikes on purpose: past days ("上周五就签收了"), far ones
("the wedding is next August"), "no rush" said beside a day, lateness with no need ahead,
"urgent care", "急诊", "救急セット", a weekly "I'm home on Tuesdays".

On its first run, when urgency meant the explicit cue words only, precision was 0.712 and
recall 0.424 (the words in other senses, and every event, need and day said without "urgent").
``kefu.nlu.urgency`` then read days, needs, events, running out and the past together; its
misses here were read, so this is a development set now: 1.000 and 1.000. The blind check is
the urgency labels of ``risk_cases.jsonl`` (its test): 0.932 / 0.562 before, 1.000 / 0.699
after. Over the 8,914 other texts of ``tests/nlu/*.jsonl`` and the intent corpus, 26 became
urgent; read one by one, each names a near day or event with a need ("I deploy on Friday",
"婚礼就在这周六"), a lawyer's deadline or buyer protection running out; the nearest to false
alarms are two pre-sale questions ("¿si pido hoy llega antes de Navidad?").

``urgency_cases_2.jsonl`` (200, 88 urgent), by a second writer told to think of other
situations (a courier at the door now, an address change before today's dispatch, live plants
dying in a depot, a return window closing tomorrow, a driving test, a funeral, a baby due any
day), read 0.841 / 0.659 on its first run. Its misses were read too: 0.978 / 1.000. The blind
urgency of ``risk_cases.jsonl`` did not move with it (0.699).

``urgency_cases_3.jsonl`` (170 in eight languages, 79 urgent), by a third writer (an auction
ending tonight, a triple charge with the rent due tomorrow, a checkout down on Black Friday, a
hotel check-in at 3 pm today, the last feed of baby formula, "求速回"), read 0.931 / 0.684 on its
first run; its misses read, 0.986 / 0.899. Six of the eight it still misses are a hazard now
("the charger is smoking", "обогреватель искрит"): this writer calls that urgent, Kefu flags it
as a safety hazard with its own priority points and leaves urgency to time pressure, as the
blind ``risk_cases.jsonl`` does ("the charger melted and burned my desk" is not urgent there).
The blind urgency sets did not move with this round either: ``urgency_holdout.jsonl`` stays at
0.929 / 0.722 and ``risk_cases.jsonl`` at 1.000 / 0.699.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kefu import nlu
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("urgency_cases.jsonl")
SECOND = Path(__file__).with_name("urgency_cases_2.jsonl")
THIRD = Path(__file__).with_name("urgency_cases_3.jsonl")
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.95
# The third writer's hazards-now read as safety, not urgency (see the docstring).
RECALL_FLOORS = {THIRD: 0.88}


def test_the_files_are_what_the_docstring_says() -> None:
    for path, size, urgent, languages in [
        (CASES, 220, 99, 9), (SECOND, 200, 88, 9), (THIRD, 170, 79, 8)
    ]:  # fmt: skip
        cases = read_cases(path)
        assert (len(cases), sum(bool(c["urgent"]) for c in cases)) == (size, urgent)
        assert len(Counter(str(c["language"]) for c in cases)) == languages


@pytest.mark.parametrize("path", [CASES, SECOND, THIRD], ids=lambda p: p.name)
def test_time_pressure_is_heard_and_past_or_far_days_are_not(
    analyzer: nlu.Analyzer, path: Path
) -> None:
    tally = Tally()
    for case in read_cases(path):
        said = {"urgent"} if case["urgent"] else set()
        found = {"urgent"} if analyzer.analyze(str(case["text"])).urgency == "high" else set()
        tally.add(said, found)
    assert tally.precision >= PRECISION_FLOOR, tally
    assert tally.recall >= RECALL_FLOORS.get(path, RECALL_FLOOR), tally
