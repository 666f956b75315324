"""Entities measured on ``entity_cases.jsonl``: 184 customer messages in nine languages with
every order id, tracking number, ASIN, SKU, amount, date, duration, e-mail and phone marked,
36 of them with none (model numbers, sizes, percentages, times of day).

A writer who never saw the extractor wrote it from PLATFORM_FACTS.md section 6, with check
digits computed from the carriers' published algorithms (9 numbers carry a wrong one beside
clear tracking words). ``also_ok`` lists spans a careful reader might also mark ("since
Monday" beside "Monday"): they are not false alarms, and one that overlaps a required entity of
its type counts as finding it (Kefu's weekday spans include "since", "seit").

On its first run (scored as here) the extractor returned no false entity (precision 1.000) and
found 0.924 of the marked ones (dates 0.711, e-mails 0.778); 101 of 104 platforms agreed. The
misses were read and fixed, so this file is no longer blind to them: ``\\b`` failing beside
Chinese ("DHL单号", "邮箱是wang_li@163.com"), a Chinese comma read as a decimal point, "12 days
ago" given as a duration, a second date in a list, "the 20th", Japanese kanji counts, the
platform of a 京东 order, 邮政 taken for China Post before a Dutch S10 number. After: precision
1.000, recall 0.976, platforms 106 of 106. A later session fixed the rest but one: a French
mobile without +33 (after a word for calling), DPD's check character (ISO 7064 MOD 37,36),
"三天前" glued to a tracking number, "hace 3 semanas" and "há 10 dias" after a verb in the past
tense (elsewhere both words say how long: "Estou esperando há uma semana"): recall 0.996,
platforms 107 of 107. Then a second SKU without its label, in the shape of the labelled one
("you sent SKU: TSH-BLK-M but I ordered TSH-BLK-L"): recall 1.000 (the remaining listed misses
are spans the scorer accepts through ``also_ok``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kefu.nlu import extract_entities
from kefu.nlu.schemas import Entity
from tests.nlu.scoring import read_cases

CASES = Path(__file__).with_name("entity_cases.jsonl")
PRECISION_FLOOR = 0.98
RECALL_FLOOR = 0.96
TYPE_RECALL_FLOOR = {"order_id": 0.95, "tracking_number": 0.95, "money": 0.95, "date": 0.9}
PLATFORM_FLOOR = 0.95
# Our names for two carriers the writer spelt otherwise.
_SAME_PLATFORM = {"postnl": "post_nl"}


@dataclass
class _Score:
    found: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    false: int = 0
    platforms: list[bool] = field(default_factory=list)

    def recall(self, kind: str | None = None) -> float:
        found = self.found[kind] if kind else sum(self.found.values())
        missed = self.missed[kind] if kind else sum(self.missed.values())
        return found / max(1, found + missed)

    @property
    def precision(self) -> float:
        found = sum(self.found.values())
        return found / max(1, found + self.false)


def _span(text: str, value: str) -> tuple[int, int]:
    start = text.index(value)
    return start, start + len(value)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _score_case(case: dict[str, object], got: list[Entity], score: _Score) -> None:
    text = str(case["text"])
    required = list(case["entities"])  # type: ignore[call-overload]
    allowed = {(e["type"], e["value"]) for e in case.get("also_ok", [])}  # type: ignore[attr-defined]
    matched: set[int] = set()
    for ent in got:
        exact = next(
            (i for i, r in enumerate(required) if (r["type"], r["value"]) == (ent.type, ent.value)),
            None,
        )
        if exact is None and (ent.type, ent.value) in allowed:
            span = (ent.start, ent.end)
            exact = next(
                (
                    i
                    for i, r in enumerate(required)
                    if r["type"] == ent.type and _overlap(span, _span(text, r["value"]))
                ),
                None,
            )
            if exact is None:
                continue  # an optional span: neither required nor a false alarm
        if exact is None:
            score.false += 1
            continue
        matched.add(exact)
        want = required[exact].get("platform")
        if want and ent.type in ("order_id", "tracking_number"):
            score.platforms.append(_SAME_PLATFORM.get(want, want) == ent.platform)
    for i, r in enumerate(required):
        (score.found if i in matched else score.missed)[r["type"]] += 1


def _score() -> _Score:
    score = _Score()
    for case in read_cases(CASES):
        _score_case(case, extract_entities(case["text"]), score)
    return score


def test_the_file_is_what_the_docstring_says() -> None:
    cases = read_cases(CASES)
    assert len(cases) == 184
    assert sum(1 for c in cases if not c["entities"]) == 36
    for case in cases:
        for ent in [*case["entities"], *case.get("also_ok", [])]:
            assert ent["value"] in case["text"], case["text"]


def test_entities_found_are_right_and_few_are_missed() -> None:
    score = _score()
    assert score.precision >= PRECISION_FLOOR
    assert score.recall() >= RECALL_FLOOR


def test_each_kind_that_routes_a_conversation_is_found() -> None:
    score = _score()
    for kind, floor in TYPE_RECALL_FLOOR.items():
        assert score.recall(kind) >= floor, (kind, score.recall(kind))


def test_order_and_tracking_numbers_name_their_platform() -> None:
    platforms = _score().platforms
    assert len(platforms) >= 100
    assert sum(platforms) / len(platforms) >= PLATFORM_FLOOR
