"""Whether a run like "10/28", "28.11." or "3/4" is a date: a possible day and month, and a
year, a cue word or a form that reads only one way (used by :mod:`kefu.nlu.entities`)."""

from __future__ import annotations

import re

# The word just before a numeric date that makes it one: "on 10/28", "before 12/24", "le 28/10",
# "am 28.11.", "el 28/10", "до 28.10", "在10/28", "delivery date: 10/28". English is the
# language where month/day is the usual order. ("jusqu'au" and "antes del" end in "au", "del".)
_EN_CUES = frozenset(
    {"on", "before", "since", "by", "until", "till", "due", "from", "after", "date"}
)
_CUES = _EN_CUES | {
    *("le", "au", "du", "depuis", "avant", "ici", "am", "bis", "seit", "vom", "ab", "zum", "dem"),
    *("datum", "el", "del", "desde", "hasta", "para", "fecha", "dia", "até", "data", "entro"),
    *("dal", "il", "al", "до", "с", "со", "к", "ко", "на", "от", "после", "дата"),
}
_ZH_CUES_BEFORE = ("在", "于", "到", "截至", "截止", "日期")
# After a numeric date: it is a fraction or a quantity ("1/2 cup", "2/3 of the items", "3/4%"),
# or Chinese says it is a date ("10/28前").
_FRACTION_AFTER = re.compile(
    r"\s*(?:%|(?i:of|cups?|tsp|tbsp|inch(?:es)?|oz|lbs?|kg|ml|mm|cm|pcs|pieces?"
    r"|items?|stars?|points?|rating)\b)"
)
_ZH_CUE_AFTER = re.compile(r"(?:之前|以前|前|之后|以后|后|到)")
# "reduced by 1/2", "off by 2/3": a "by" that measures a change, not a deadline.
_CHANGE_BY = re.compile(
    r"(?i:(?:reduc|increas|decreas|divid|multipli|rais|lower|grow|grew|drop|cut|off|down|up)"
    r"[a-z]*)\s+$"
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _day_month(a: int, b: int, *, month_first: bool) -> tuple[int, int] | None:
    """The (day, month) a numeric date names: the preferred order first, else the other one."""
    for month, day in ((a, b), (b, a)) if month_first else ((b, a), (a, b)):
        if 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]:
            return day, month
    return None


def _cue_before(text: str, start: int) -> str | None:
    """The cue word (lower-cased) right before ``start``, if the word there is one."""
    lo, i = max(0, start - 24), start
    while i > lo and text[i - 1] in " \t:：":
        i -= 1
    j = i
    while j > lo and text[j - 1].isalpha():
        j -= 1
    word = text[j:i].lower()
    if word in _CUES:
        if word == "by" and _CHANGE_BY.search(text, max(0, j - 16), j):
            return None
        return word
    return next((cue for cue in _ZH_CUES_BEFORE if word.endswith(cue)), None)


def is_numeric_date(text: str, m: re.Match[str], *, ascii_text: bool) -> bool:
    """Whether a NUMERIC_DATE match is a date: a possible day and month, plus a year, a cue
    word next to it, or (bare "28/10") two two-digit numbers that can be read only one way."""
    s, e = m.span()
    a, b, year, dotted = m.group("a"), m.group("b"), m.group("y"), m.group("sep") == "."
    if _FRACTION_AFTER.match(text, e):
        return False
    cue = _cue_before(text, s) if year is None or dotted else None
    # Order: month/day for English (an English cue word, or a message in ASCII alone),
    # day/month otherwise; the other order is taken when the preferred one is impossible.
    # Dates carry no normalized value (as "Nov 3"), so today the order only decides whether a
    # date is possible at all ("13/45" is not).
    month_first = cue in _EN_CUES if cue is not None else ascii_text
    if _day_month(int(a), int(b), month_first=month_first) is None:
        return False
    if year is not None and (len(year) == 4 or not dotted):
        return True
    cued = cue is not None or _ZH_CUE_AFTER.match(text, e) is not None
    if dotted:
        # "17.1" is a version, "12.50" a price: dots need a four-digit year (above), or a cue
        # word and a two-digit year or the German trailing dot ("am 28.11.").
        return cued and (year is not None or m.group("dot") is not None)
    # "28/10", "10/28": the only bare form taken, as "3/4", "24/7", "10/10" are often not dates.
    return cued or (len(a) == len(b) == 2 and max(int(a), int(b)) > 12)
