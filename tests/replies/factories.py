"""Builders for replies test contexts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from kefu.replies import (
    Brand,
    CustomerRef,
    DraftContext,
    Emotions,
    OrderFacts,
    OrderItem,
    RemedyOption,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def shipped_order(**overrides: Any) -> OrderFacts:
    """An Amazon order in transit, five days late."""
    values: dict[str, Any] = {
        "order_id": "113-1234567-1234567",
        "platform": "amazon",
        "status": "in_transit",
        "items": [OrderItem("Bamboo cutting board", 2)],
        "total": Decimal("39.98"),
        "currency": "USD",
        "placed_date": date(2026, 11, 10),
        "promised_date": date(2026, 11, 18),
        "carrier": "UPS",
        "tracking_number": "1Z5R89390357567127",
        "tracking_url": "https://www.ups.com/track?tracknum=1Z5R89390357567127",
        "last_tracking_status": "Departed facility",
        "last_tracking_date": date(2026, 11, 21),
        "days_late": 5,
    }
    values.update(overrides)
    return OrderFacts(**values)


def delay_remedies() -> list[RemedyOption]:
    """A typical late-delivery decision: partial refund and replacement allowed."""
    return [
        RemedyOption("cancel", "denied", reason="already shipped", rule_id="r.cancel"),
        RemedyOption(
            "partial_refund",
            "allowed",
            amount=Decimal("8.00"),
            currency="USD",
            rule_id="r.goodwill",
            completion_days=3,
        ),
        RemedyOption("full_refund", "needs_approval", rule_id="r.full"),
        RemedyOption("replacement", "allowed", completion_days=4, rule_id="r.replace"),
    ]


def context(**overrides: Any) -> DraftContext:
    """An angry Amazon customer whose order is late."""
    values: dict[str, Any] = {
        "language": "en",
        "platform": "amazon",
        "shop_name": "Oak & Pine Home",
        "brand": Brand(sign_off="Lily"),
        "customer": CustomerRef(name="Ana Ruiz", first_name="Ana"),
        "intent": "shipping_delay",
        "emotions": Emotions(anger=0.8),
        "sentiment": "negative",
        "customer_text": "Where is my order? It should have arrived last week.",
        "order": shipped_order(),
        "remedies": delay_remedies(),
        "now": NOW,
    }
    values.update(overrides)
    return DraftContext(**values)
