"""Macros: saved replies with ``{variables}``, checked when saved and filled in when used.

An unknown variable (``{order.idd}``) is a problem at save time. At use time a known variable
with no value (no tracking number yet) is left as written, so the linter's unresolved-placeholder
check blocks the send instead of a customer reading an empty gap. ``{{`` and ``}}`` write braces.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from kefu.replies.template_set import (
    TEMPLATE_LANGUAGES,
    TemplateSet,
    load_templates,
    normalize_language,
)
from kefu.replies.types import DraftContext

MAX_MACRO_CHARS = 10_000
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


@dataclass(frozen=True)
class MacroProblem:
    """Why a macro body cannot be saved as written."""

    code: str
    start: int
    end: int
    message: str


def _order(ctx: DraftContext, attr: str) -> str | None:
    value: object = getattr(ctx.order, attr, None) if ctx.order else None
    return None if value is None or value == "" else str(value)


def _date(ctx: DraftContext, attr: str) -> str | None:
    value = getattr(ctx.order, attr, None) if ctx.order else None
    return _templates(ctx).date(value) if value else None


def _total(ctx: DraftContext) -> str | None:
    if ctx.order is None or ctx.order.total is None:
        return None
    return _templates(ctx).money(ctx.order.total, ctx.order.currency)


def _items(ctx: DraftContext) -> str | None:
    if ctx.order is None or not ctx.order.items:
        return None
    sep = str(_templates(ctx).raw("list_separator") or ", ")
    return sep.join(i.title if i.qty == 1 else f"{i.title} × {i.qty}" for i in ctx.order.items)


def _templates(ctx: DraftContext) -> TemplateSet:
    language = normalize_language(ctx.language)
    return load_templates(language if language in TEMPLATE_LANGUAGES else "en")


def _first_name(ctx: DraftContext) -> str | None:
    name = ctx.customer.first_name or (ctx.customer.name or "").split(" ")[0]
    return name or None


VARIABLES: dict[str, Callable[[DraftContext], str | None]] = {
    "customer.name": lambda c: c.customer.name or None,
    "customer.first_name": _first_name,
    "order.id": lambda c: _order(c, "order_id"),
    "order.status": lambda c: _order(c, "status"),
    "order.total": _total,
    "order.items": _items,
    "order.placed_date": lambda c: _date(c, "placed_date"),
    "order.promised_date": lambda c: _date(c, "promised_date"),
    "order.days_late": lambda c: _order(c, "days_late"),
    "shipment.carrier": lambda c: _order(c, "carrier"),
    "shipment.tracking_number": lambda c: _order(c, "tracking_number"),
    "shipment.tracking_url": lambda c: _order(c, "tracking_url"),
    "shipment.last_status": lambda c: _order(c, "last_tracking_status"),
    "shipment.delivered_date": lambda c: _date(c, "delivered_date"),
    "shop.name": lambda c: c.shop_name or None,
    "agent.name": lambda c: c.brand.sign_off or None,
}


def validate_macro(body: str) -> list[MacroProblem]:
    """Problems that stop a macro from being saved (unknown variables, stray braces...)."""
    if not body.strip():
        return [MacroProblem("empty", 0, len(body), "The macro has no text.")]
    if len(body) > MAX_MACRO_CHARS:
        return [
            MacroProblem(
                "too-long",
                MAX_MACRO_CHARS,
                len(body),
                f"The macro is longer than {MAX_MACRO_CHARS} characters.",
            )
        ]
    problems = []
    for m in _TOKEN.finditer(body):
        token = m.group()
        if token in ("{{", "}}"):
            continue
        if m.group(1) is None:
            problems.append(
                MacroProblem(
                    "stray-brace",
                    m.start(),
                    m.end(),
                    f"Unmatched '{token}'; write '{token * 2}' for a literal brace.",
                )
            )
            continue
        name = m.group(1).strip()
        if name not in VARIABLES:
            close = difflib.get_close_matches(name, VARIABLES, n=1)
            hint = f" Did you mean {{{close[0]}}}?" if close else ""
            problems.append(
                MacroProblem(
                    "unknown-variable", m.start(), m.end(), f"Unknown variable {token}.{hint}"
                )
            )
    return problems


def render_macro(body: str, ctx: DraftContext) -> str:
    """The macro filled from ``ctx``; known variables without a value stay as written."""

    def fill(m: re.Match[str]) -> str:
        token = m.group()
        if token in ("{{", "}}"):
            return token[0]
        if m.group(1) is None:
            return token
        getter = VARIABLES.get(m.group(1).strip())
        value = getter(ctx) if getter else None
        return token if value is None else value.replace("{", "(").replace("}", ")")

    return _TOKEN.sub(fill, body)


def macro_variables() -> list[str]:
    """Names of the variables a macro may use."""
    return sorted(VARIABLES)
