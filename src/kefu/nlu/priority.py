"""Queue priority 0-100 as a sum of named points, so an agent sees why a message is on top."""

from __future__ import annotations

from decimal import Decimal

from kefu.nlu.schemas import Priority, Sentiment, TriageContext

INTENT_POINTS = {
    "delivered_not_received": 30, "wrong_item": 25, "missing_item": 25, "quality_issue": 25,
    "refund_request": 25, "payment_issue": 25, "complaint": 25, "cancel_order": 24,
    "shipping_delay": 22, "change_order": 22, "account_issue": 15, "return_request": 15,
    "exchange_request": 15, "order_status": 12, "product_question": 12, "shipping_question": 10,
    "invoice_request": 8, "price_promotion": 8, "other": 5, "praise": 2,
}  # fmt: skip
RISK_POINTS = {
    "legal_threat": 25, "chargeback_threat": 25, "dispute_threat": 25,
    "negative_review_threat": 15, "churn_threat": 8,
}  # fmt: skip
EMOTION_POINTS = {"anger": 10, "anxiety": 5, "disappointment": 5}
PLATFORM_NAMES = {
    "amazon": "Amazon", "aliexpress": "AliExpress", "pinduoduo": "Pinduoduo", "temu": "Temu",
    "shopify": "Shopify", "webchat": "web chat", "email": "email",
}  # fmt: skip


def _deadline_points(hours: float) -> int:
    for limit, points in ((2, 25), (6, 15), (12, 8), (24, 4)):
        if hours <= limit:
            return points
    return 0


def _value_points(value: Decimal) -> int:
    # Thresholds in the order's own currency units; good enough to lift big orders a little.
    return 10 if value >= 500 else 5 if value >= 100 else 0


def _context_points(context: TriageContext) -> list[tuple[int, str]]:
    items: list[tuple[int, str]] = []
    if context.hours_to_platform_deadline is not None:
        hours = context.hours_to_platform_deadline
        where = PLATFORM_NAMES.get(context.platform or "", "platform")
        text = (
            f"{where} reply deadline passed"
            if hours <= 0
            else f"{where} reply deadline in {hours:g} h"
        )
        items.append((_deadline_points(hours), text))
    if context.promised_delivery_days_late:
        days = context.promised_delivery_days_late
        items.append(
            (min(15, 3 + 2 * days), f"delivery late by {days} day{'s' if days != 1 else ''}")
        )
    if context.repeat_contacts > 0:
        n = context.repeat_contacts
        items.append((min(15, 5 * n), f"customer has written {n + 1} times about this"))
    if context.order_value is not None:
        shown = f"{context.order_value} {context.currency or ''}".strip()
        items.append((_value_points(context.order_value), f"order value {shown}"))
    return items


def score_priority(
    *,
    intent: str,
    sentiment: Sentiment,
    emotions: list[str],
    urgent: bool,
    risks: list[str],
    abusive: bool,
    context: TriageContext | None,
) -> Priority:
    """Sum the points of every factor, clamp to 0-100, list factors largest first."""
    items: list[tuple[int, str]] = [
        (INTENT_POINTS.get(intent, 10), f"intent {intent.replace('_', ' ')}")
    ]
    items += [(RISK_POINTS[r], r.replace("_", " ")) for r in risks if r in RISK_POINTS]
    items += [(EMOTION_POINTS[e], f"customer shows {e}") for e in emotions if e in EMOTION_POINTS]
    if sentiment.score < -0.2:
        items.append((round(-10 * sentiment.score), "negative tone"))
    if urgent:
        items.append((12, "urgent wording"))
    if abusive:
        items.append((5, "abusive language (supervisor may need to see it)"))
    if context is not None:
        items += _context_points(context)
    kept = sorted((i for i in items if i[0] > 0), key=lambda i: -i[0])
    score = max(0, min(100, sum(p for p, _ in kept)))
    return Priority(score=score, factors=[f"{text} (+{points})" for points, text in kept])
