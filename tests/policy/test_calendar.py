"""Day counting in the pack's zone: business days, holidays, DST, formatting."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from kefu.policy.calendar import add_business_days, clock_deadline, format_date, window_deadline
from tests.policy.factories import utc

LA = ZoneInfo("America/Los_Angeles")
SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("start", "count", "holidays", "expected"),
    [
        (date(2026, 11, 20), 2, (), date(2026, 11, 24)),  # Fri + 2 -> Tue
        (date(2026, 11, 21), 1, (), date(2026, 11, 23)),  # Sat + 1 -> Mon
        (date(2026, 11, 25), 1, (date(2026, 11, 26),), date(2026, 11, 27)),  # Thanksgiving
        (date(2026, 11, 25), 0, (), date(2026, 11, 25)),
    ],
)
def test_business_days(start: date, count: int, holidays: tuple[date, ...], expected: date) -> None:
    assert add_business_days(start, count, holidays) == expected


def test_window_ends_at_local_midnight_across_dst() -> None:
    # 30 Oct is PDT (UTC-7); the window ends 29 Nov in PST (UTC-8).
    assert window_deadline(utc(2026, 10, 30, 18), 30, tz=LA) == utc(2026, 11, 30, 7, 59, 59)


def test_roll_to_working_day_with_a_holiday() -> None:
    # Delivered Wed 16 Dec: day 14 is Wed 30 Dec; 30 Dec - 1 Jan are holidays, then a weekend.
    end = window_deadline(
        utc(2026, 12, 16, 9),
        14,
        tz=ZoneInfo("Europe/Brussels"),
        roll_to_working_day=True,
        holidays=(date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)),
    )
    assert end == utc(2027, 1, 4, 22, 59, 59)  # Monday 4 Jan, end of day CET


def test_clock_units() -> None:
    start = utc(2026, 11, 20, 20)  # Friday noon in Los Angeles
    assert clock_deadline(start, 48, "hours", tz=LA) == utc(2026, 11, 22, 20)
    assert clock_deadline(start, 5, "days", tz=LA) == utc(2026, 11, 25, 20)
    assert clock_deadline(start, 2, "business_days", tz=LA) == utc(2026, 11, 25, 7, 59, 59)


def test_format_date_uses_the_local_day_and_no_locale() -> None:
    moment = utc(2026, 12, 20, 18)  # already 21 Dec in Shanghai
    assert format_date(moment, SH, "en") == "21 Dec 2026"
    assert format_date(moment, SH, "zh") == "2026年12月21日"
