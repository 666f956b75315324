"""Small display helpers the templates call: times, money, percentages, labels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from kefu.core.clock import ensure_utc

Gettext = Callable[[str], str]


def _span(seconds: float, _: Gettext) -> str:
    minutes = int(abs(seconds) // 60)
    if minutes < 60:
        return _("%(n)s min") % {"n": max(minutes, 1)}
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return (
            _("%(h)s h %(m)s min") % {"h": hours, "m": rest}
            if rest
            else _("%(h)s h") % {"h": hours}
        )
    return _("%(d)s days") % {"d": hours // 24}


def sla_left(due: datetime | None, now: datetime, _: Gettext) -> tuple[str, str]:
    """The SLA clock as text and a css class: ok, soon (under 2 h) or overdue."""
    if due is None:
        return "—", "none"
    seconds = (ensure_utc(due) - now).total_seconds()
    if seconds < 0:
        return _("overdue %(t)s") % {"t": _span(seconds, _)}, "overdue"
    return _("%(t)s left") % {"t": _span(seconds, _)}, "soon" if seconds <= 7200 else "ok"


def ago(moment: datetime | None, now: datetime, _: Gettext) -> str:
    """How long ago, in words."""
    if moment is None:
        return ""
    seconds = (now - ensure_utc(moment)).total_seconds()
    if seconds < 60:
        return _("just now")
    return _("%(t)s ago") % {"t": _span(seconds, _)}


def when(moment: datetime | None) -> str:
    """A timestamp for titles and timelines, UTC, to the minute."""
    return ensure_utc(moment).strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def money(amount: Decimal | float | int | None, currency: str | None) -> str:
    """An amount with its currency code, two decimals."""
    if amount is None:
        return ""
    return f"{Decimal(amount):,.2f} {currency or ''}".strip()


def percent(value: float | None) -> str:
    """A probability as a whole percentage."""
    return "" if value is None else f"{round(float(value) * 100)}%"


def label(code: str | None, _: Gettext) -> str:
    """A machine code (intent, emotion, status) as translated words."""
    if not code:
        return "—"
    return _(code.replace("_", " "))
