"""Time pressure: a customer who needs the order by a day that is near, for an event that is
near, or who is running out of something, is urgent without saying "urgent".

Explicit words ("ASAP", "急", "dringend") are the cue category ``urgency`` of
``resources/cues.json``. This module reads the categories ``time:*`` of the same file, which
the one scanner of ``kefu.nlu.signals`` finds: near days ("Saturday", "后天", "la semana que
viene"), needs ("need it", "之前", "antes del", "bis zum", "までに"), events ("wedding", "婚礼",
"comunión", "Einschulung"), running out ("2 pills left", "奶粉只剩", "se me acaba") and the past
("ordered", "昨天", "llegó"). A near day counts when a need or an event is said too and no word
of the past stands close to it: "my son's party is on Saturday and the costume isn't here" is
urgent, "I ordered it on Monday" is not.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from kefu.nlu.textnorm import CJK_SPACE

# A clause ends at punctuation, at "and" or "but" ("the play opens next Thursday and we
# ordered 30 wigs": the past is the order's, not the play's), and at a space between Chinese
# or Japanese characters.
_CLAUSE_END = re.compile(
    rf"[.!?;,。！？；，、\n]|{CJK_SPACE}"
    r"|(?i:\s(?:and|but|y|pero|et|mais|und|aber|e|mas|и|но|а|ma|maar|ale|ama)\s)|但是|可是|不过"
    r"|하지만|그런데|근데"
)
# A day of the month by its number: "the 14th", "31号", "15-го", "18.", "dia 10", "le 12",
# "am 9.", "14日". Needs a need word to count ("before the 14th", "31号之前", "до 15-го").
_NUMBERED_DAY = re.compile(
    r"(?i:(?<![\w.])\d{1,2}(?:st|nd|rd|th)(?!\w)"
    # "31号之前", "10号的婚礼", "14日までに"; not "7号球" (a size) nor "5日元".
    r"|(?<!\d)\d{1,2}\s?[号號日](?=之前|前|以前|到|要|必须|一定|的|那天|当天|晚|早|上午|下午|までに|まで"
    r"|に|[\s,.!?，。！？、]|$)"
    r"|(?<![\w.])\d{1,2}-?(?:го|му)(?!\w)"
    # "le 3.09", "from 3/10", "am 3.12.": a day (and month) after a word for "on", "by", "from".
    # "il 12", "op de 12e", "do 15.", "12'sine kadar", "14일까지": the later five languages.
    r"|(?<![\w.])\d{1,2}e(?!\w)|(?<![\w.])\d{1,2}'?(?:si|sı|su|sü)?(?:ne|na|nde|nda)(?!\w)"
    r"|(?<!\d)\d{1,2}일(?=까지|전)"
    r"|(?<!\w)(?:dia|día|le|am|zum|du|до|к|el|del|the|on|by|before|from|il|al|op|do|na)\s+\d{1,2}"
    r"(?:[./]\d{1,2})?(?!\d|[.,:/]\d)\.?"
    r"|(?<!\w)\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября"
    r"|ноября|декабря|de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre"
    r"|octubre|noviembre|diciembre)|(?:janvier|février|mars|avril|mai|juin|juillet|août"
    r"|septembre|octobre|novembre|décembre))(?!\w))"
)

KINDS = ("soon", "today", "need", "event", "runout", "past")


@dataclass(frozen=True)
class TimeCue:
    """One ``time:*`` cue the scanner found: its kind (``KINDS``) and where."""

    kind: str
    start: int
    end: int


def under_time_pressure(text: str, cues: Iterable[TimeCue]) -> bool:
    """Whether ``text`` says the customer needs something soon (see the module docstring)."""
    found = list(cues)
    said = {c.kind for c in found}
    anchored = bool(said & {"need", "event"})
    has_digits = bool(_DIGIT.search(text))
    # Most messages hold a need or a "before" and no day: nothing to put together.
    if "runout" not in said and not (anchored and (said & _WHEN or has_digits)):
        return False
    if has_digits:
        found += [TimeCue("soon", *m.span()) for m in _NUMBERED_DAY.finditer(text)]
    bounds = [m.end() for m in _CLAUSE_END.finditer(text)]

    def clause(cue: TimeCue) -> int:
        return bisect.bisect_right(bounds, cue.start)

    past = [c for c in found if c.kind == "past"]

    def in_the_past(cue: TimeCue) -> bool:
        # "ordered on Monday", "llegó el lunes", "上周五就签收了": a word of the past right
        # before the day (or just after it) in its clause. Farther off it is another matter's
        # past: "comprei o presente para a primeira comunhão de domingo".
        return any(
            clause(p) == clause(cue) and cue.start - _PAST_REACH <= p.start <= cue.end + 12
            for p in past
        )

    live = [c for c in found if c.kind != "past" and not (c.kind in _WHEN and in_the_past(c))]
    kinds = {c.kind for c in live}
    if "runout" in kinds:
        return True
    if "soon" in kinds and kinds & {"need", "event"}:
        return True
    # "today" says when, not that it is needed: "it arrived today" is no hurry, "can you ship
    # it today, I need it" and "check-in is at 3pm today" are.
    anchors = {clause(c) for c in live if c.kind in ("need", "event")}
    return any(c.kind == "today" and clause(c) in anchors for c in live)


_DIGIT = re.compile(r"\d")
_WHEN = frozenset({"soon", "today"})
_PAST_REACH = 30
