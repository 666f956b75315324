"""Pure parts of the workbench: catalogs cover every string, spans split safely, clocks read right."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kefu.conversations.enums import DeliveryState, Status
from kefu.nlu.schemas import EMOTIONS, INTENTS, RISKS
from kefu.orders.enums import OrderStatus
from kefu.shops.enums import Platform
from kefu.web.ui import detail, fmt, i18n

UI_DIR = Path(i18n.__file__).parent
MARKED = re.compile(r"""\b(?:_|N_)\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)""")


def marked_strings() -> set[str]:
    files = [*UI_DIR.glob("templates/*.html"), *UI_DIR.glob("*.py")]
    return {a or b for f in files for a, b in MARKED.findall(f.read_text(encoding="utf-8"))}


def test_every_marked_string_has_a_chinese_translation() -> None:
    found = marked_strings()
    assert len(found) > 80  # the extraction itself works
    catalog = i18n.load_catalog("zh")
    assert sorted(found - catalog.keys()) == []


def test_translations_keep_their_placeholders() -> None:
    for source, translated in i18n.load_catalog("zh").items():
        assert set(re.findall(r"%\(\w+\)s", source)) == set(re.findall(r"%\(\w+\)s", translated))


@pytest.mark.parametrize(
    "codes",
    [
        INTENTS,
        RISKS,
        EMOTIONS,
        [s.value for s in Status],
        [p.value for p in Platform],
        [o.value for o in OrderStatus],
        [d.value for d in DeliveryState if d != "none"],
    ],
)
def test_codes_shown_as_labels_are_translated(codes: list[str]) -> None:
    zh = i18n.translator("zh")
    for code in codes:
        assert fmt.label(code, zh.gettext) != code.replace("_", " "), code


def test_language_choice_falls_back_sensibly() -> None:
    assert i18n.pick_language(user_language="zh", accept_language="en-US") == "zh"
    assert i18n.pick_language(user_language="xx", accept_language="zh-CN,zh;q=0.9") == "zh"
    assert i18n.pick_language(user_language=None, accept_language="fr-FR") == "en"
    assert i18n.translator("klingon").gettext("Inbox") == "Inbox"


def test_entity_spans_split_text_and_bad_spans_are_ignored() -> None:
    text = "订单 261122-980613885409746 还没到"
    start = text.index("2")
    entities = [
        {"type": "order_id", "value": "261122-980613885409746", "start": start, "end": start + 22},
        {"type": "money", "value": "x", "start": start + 3, "end": start + 5},  # overlaps
        {"type": "junk", "value": "y", "start": 40, "end": 99},  # outside the text
        {"type": "junk", "value": "z", "start": "3", "end": None},  # wrong types
    ]
    segments = detail.segments(text, entities)
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.entity) for s in segments if s.entity] == [
        ("261122-980613885409746", "order_id")
    ]
    assert detail.segments("", None) == [detail.Segment("")]


def test_triage_view_reads_partial_results() -> None:
    view = detail.triage_view({"intent": "refund_request", "priority": {"score": 80}})
    assert view is not None and view.priority == 80 and view.factors == [] and view.emotions == []
    assert detail.triage_view(None) is None


def test_sla_clock_words() -> None:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    en = i18n.translator("en").gettext
    assert fmt.sla_left(now + timedelta(minutes=90), now, en) == ("1 h 30 min left", "soon")
    assert fmt.sla_left(now + timedelta(hours=5), now, en) == ("5 h left", "ok")
    assert fmt.sla_left(now - timedelta(minutes=5), now, en) == ("overdue 5 min", "overdue")
    assert fmt.sla_left(None, now, en) == ("—", "none")
    zh = i18n.translator("zh").gettext
    assert fmt.sla_left(now + timedelta(days=3), now, zh) == ("剩余 3 天", "ok")
    naive = (now - timedelta(hours=2)).replace(tzinfo=None)  # as SQLite returns it
    assert fmt.ago(naive, now, en) == "2 h ago"


def test_remedy_names_are_translated() -> None:
    from kefu.replies import REMEDY_NAMES

    zh = i18n.translator("zh").gettext
    assert [r for r in REMEDY_NAMES if fmt.label(r, zh) == r.replace("_", " ")] == []
