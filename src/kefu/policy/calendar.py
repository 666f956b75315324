"""Deadlines in the pack's own timezone: day counts, business days, holidays.

Windows are counted in whole local days from the day after the event (the way the EU directive
and China's 7-day rule count), and end at the last second of the final local day. The result is
returned in UTC so that comparisons with ``now`` never depend on the server's zone.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_END_OF_DAY = time(23, 59, 59)
# Fixed English month names: strftime('%b') would follow the server's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def end_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    """The last second of a local calendar day, in UTC."""
    return datetime.combine(day, _END_OF_DAY, tzinfo=tz).astimezone(UTC)


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    """Monday to Friday and not a listed public holiday."""
    return day.weekday() < 5 and day not in holidays


def add_business_days(start: date, count: int, holidays: Collection[date]) -> date:
    """The date ``count`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def window_deadline(
    event: datetime,
    days: int,
    *,
    tz: ZoneInfo,
    business_days: bool = False,
    roll_to_working_day: bool = False,
    holidays: Collection[date] = (),
) -> datetime:
    """End of the window that opens with ``event`` and lasts ``days`` local days."""
    local_day = event.astimezone(tz).date()
    if business_days:
        last = add_business_days(local_day, days, holidays)
    else:
        last = local_day + timedelta(days=days)
    while roll_to_working_day and not is_working_day(last, holidays):
        last += timedelta(days=1)
    return end_of_local_day(last, tz)


def clock_deadline(
    start: datetime,
    amount: int,
    unit: str,
    *,
    tz: ZoneInfo,
    holidays: Collection[date] = (),
) -> datetime:
    """When a platform clock started at ``start`` runs out (hours and days run on weekends)."""
    if unit == "hours":
        return start.astimezone(UTC) + timedelta(hours=amount)
    if unit == "days":
        return start.astimezone(UTC) + timedelta(days=amount)
    return window_deadline(start, amount, tz=tz, business_days=True, holidays=holidays)


def format_date(moment: datetime, tz: ZoneInfo, language: str) -> str:
    """A deadline as a customer reads it: '20 Dec 2026' or '2026年12月20日'."""
    local = moment.astimezone(tz)
    if language == "zh":
        return f"{local.year}年{local.month}月{local.day}日"
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}"
