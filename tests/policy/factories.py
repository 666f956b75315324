"""Order and request builders shared by the policy tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from kefu.policy import (
    OrderItem,
    OrderSnapshot,
    OrderStatus,
    PaymentMethodInfo,
    VariantInfo,
)

D = Decimal


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


MUG = OrderItem("MUG-1", "Ceramic mug", 2, D("10.00"), category="kitchen", product_id="P-MUG")
LAMP = OrderItem("LAMP-1", "Desk lamp", 1, D("30.00"), category="lighting", product_id="P-LAMP")
MUG_RED = VariantInfo("MUG-2", "P-MUG", D("12.00"), True, "Ceramic mug, red")
MUG_GOLD = VariantInfo("MUG-3", "P-MUG", D("40.00"), True, "Ceramic mug, gold")
MUG_SOLD_OUT = VariantInfo("MUG-4", "P-MUG", D("10.00"), False, "Ceramic mug, green")
LAMP_BIG = VariantInfo("LAMP-2", "P-LAMP", D("45.00"), True, "Desk lamp, large")


def order(**kw: Any) -> OrderSnapshot:
    """A delivered $50 Amazon US order: 2 mugs + 1 lamp, $5 shipping, $5 discount."""
    base = OrderSnapshot(
        order_id="113-0000001-0000001",
        platform="amazon",
        region="US",
        currency="USD",
        status=OrderStatus.DELIVERED,
        placed_at=utc(2026, 11, 1, 12),
        shipped_at=utc(2026, 11, 2, 12),
        delivered_at=utc(2026, 11, 5, 18),
        items=(MUG, LAMP),
        shipping_fee=D("5.00"),
        discount=D("5.00"),
        total=D("50.00"),
        shop_id="shop-1",
        customer_id="cust-1",
        payment_method_id="card-1",
        customer_payment_methods=(
            PaymentMethodInfo("card-1", "credit_card"),
            PaymentMethodInfo("gift-1", "gift_card", D("5.00")),
        ),
    )
    return replace(base, **kw)
