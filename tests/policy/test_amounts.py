"""Refund arithmetic holds for any order: never negative, never above what is left, in cents."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.policy import OrderItem, ReasonCategory, RequestLine, ShopPolicy
from kefu.policy.amounts import full_refund, refund_for_lines, refundable
from tests.policy.factories import order

cents = st.integers(min_value=0, max_value=100_000).map(lambda c: Decimal(c) / 100)


@st.composite
def orders_and_lines(draw):  # type: ignore[no-untyped-def]
    count = draw(st.integers(min_value=1, max_value=4))
    items = tuple(
        OrderItem(f"SKU-{i}", f"Item {i}", draw(st.integers(1, 5)), draw(cents))
        for i in range(count)
    )
    subtotal = sum((it.unit_price * it.quantity for it in items), Decimal(0))
    discount = min(draw(cents), subtotal)
    shipping = draw(cents)
    total = subtotal - discount + shipping
    refunded = min(draw(cents), total)
    snapshot = order(
        items=items, discount=discount, shipping_fee=shipping, total=total, amount_refunded=refunded
    )
    lines = tuple(
        RequestLine(it.sku, draw(st.integers(1, it.quantity)))
        for it in items
        if draw(st.booleans())
    )
    return snapshot, lines


@settings(max_examples=150, deadline=None)
@given(
    data=orders_and_lines(),
    mode=st.sampled_from(["never", "always", "full_order_only", "seller_fault"]),
    category=st.sampled_from(list(ReasonCategory)),
    fee=st.integers(0, 30),
)
def test_refund_is_bounded_and_in_cents(data, mode, category, fee) -> None:  # type: ignore[no-untyped-def]
    snapshot, lines = data
    shop = ShopPolicy(restocking_fee_pct=Decimal(fee))
    refund = refund_for_lines(snapshot, lines, shipping_mode=mode, category=category, shop=shop)
    left = refundable(snapshot)
    assert Decimal(0) <= refund.total.amount <= left
    assert refund.total.amount == refund.total.amount.quantize(Decimal("0.01"))
    assert refund.discount_share.amount <= snapshot.discount
    assert refund.shipping_share.amount <= snapshot.shipping_fee
    assert full_refund(snapshot).total.amount == left
