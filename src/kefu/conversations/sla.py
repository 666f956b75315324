"""Reply deadlines per platform (facts: PLATFORM_FACTS.md sections 1.1, 3.1, 7)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

# Amazon counts 24 calendar hours, weekends and holidays included.
_CALENDAR_HOURS = {"amazon": 24, "aliexpress": 24, "temu": 24, "shopify": 24, "email": 24}
# Pinduoduo scores the share of messages answered by a person within 3 minutes, 08:00-23:00.
_PDD_WINDOW = (time(8, 0), time(23, 0))
_PDD_MINUTES = 3
_WEBCHAT_MINUTES = 15


def reply_due(*, platform: str, received_at: datetime, timezone: str = "UTC") -> datetime:
    """When the first reply to a message received at ``received_at`` is due."""
    if platform == "pinduoduo":
        return _within_daily_window(received_at, timezone, _PDD_WINDOW, _PDD_MINUTES)
    if platform == "webchat":
        return received_at + timedelta(minutes=_WEBCHAT_MINUTES)
    return received_at + timedelta(hours=_CALENDAR_HOURS.get(platform, 24))


def _within_daily_window(
    received_at: datetime, timezone: str, window: tuple[time, time], minutes: int
) -> datetime:
    local = received_at.astimezone(ZoneInfo(timezone))
    start, end = window
    if local.time() < start:
        local = local.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    elif local.time() >= end:
        next_day = local + timedelta(days=1)
        local = next_day.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    return (local + timedelta(minutes=minutes)).astimezone(received_at.tzinfo)
