"""The cheap guards in front of the duration and date patterns never hide a match: on every
text of our corpora, and on one example of each pattern alternative."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kefu.nlu import patterns
from kefu.nlu.entities import extract_entities

RESOURCES = Path(patterns.__file__).parent / "resources"
EXAMPLES = [
    "3 HOURS late",
    "two Business Days",
    "a couple of WEEKS",
    "等了两个星期了",
    "三个礼拜",
    "半个月了",
    "12小时内",
    "seit 2 Wochen",
    "hace tres semanas",
    "depuis deux jours",
    "há duas semanas",
    "уже 3 дня",
    "5 месяцев",
    "2 недели",
    "2ヶ月",
    "3日間",
    "since MONDAY",
    "by next Friday",
    "TOMORROW please",
    "tonight",
    "Aujourd'hui",
    "HEUTE noch",
    "СЕГОДНЯ",
    "上周三",
    "这礼拜天",
    "أمس",
    "11月20日",
    "Nov 3rd, 2026",
    "3rd of May",
    "2026/11/03",
    "منذ أسبوعين",
    "انتظرت 3 أيام",
    "waiting 10+ days",
]


def corpus() -> list[str]:
    texts = list(EXAMPLES)
    for path in sorted(RESOURCES.glob("*/*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def test_every_duration_and_date_match_passes_its_guard() -> None:
    texts = corpus()
    assert len(texts) > 3000
    for text in texts:
        lowered = text.lower()
        if patterns.DURATION.search(text):
            assert any(unit in lowered for unit in patterns.DURATION_UNITS), text
        if patterns.DATE.search(text):
            assert patterns.DIGIT.search(text) or any(w in lowered for w in patterns.DATE_WORDS)


@pytest.mark.parametrize("text", EXAMPLES)
def test_each_example_yields_a_time_entity(text: str) -> None:
    kinds = {e.type for e in extract_entities(text)}
    assert kinds & {"duration", "date"}, (text, kinds)
