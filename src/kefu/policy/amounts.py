"""Checking a request against its order, and the money a remedy moves (Decimal, per currency)."""

from __future__ import annotations

from decimal import Decimal

from kefu.core.money import Money
from kefu.policy.types import (
    SELLER_FAULT,
    OrderSnapshot,
    Reason,
    ReasonCategory,
    RefundBreakdown,
    Remedy,
    RemedyRequest,
    RequestLine,
    ShopPolicy,
)

_NEEDS_AMOUNT = frozenset({Remedy.PARTIAL_REFUND, Remedy.GOODWILL_CREDIT})
_NEEDS_EXCHANGE = frozenset({Remedy.CHANGE_ITEMS, Remedy.EXCHANGE})


def refundable(order: OrderSnapshot) -> Decimal:
    """What can still be paid back on this order."""
    return max(Decimal(0), order.total - order.amount_refunded)


def requested_lines(order: OrderSnapshot, request: RemedyRequest) -> tuple[RequestLine, ...]:
    """The lines a request covers; no lines means every item not yet refunded."""
    if request.lines:
        return request.lines
    if request.exchanges:
        return tuple(RequestLine(x.from_sku, x.quantity) for x in request.exchanges)
    return tuple(
        RequestLine(it.sku, it.quantity - it.refunded_quantity)
        for it in order.items
        if it.quantity > it.refunded_quantity
    )


def input_problems(
    order: OrderSnapshot, request: RemedyRequest, *, probe: bool = False
) -> list[Reason]:
    """Why a request cannot be applied to this order at all, whatever the policy says.

    ``probe`` asks "could this remedy apply?" without the details only a real request carries.
    """
    problems: list[Reason] = []
    wanted: dict[str, int] = {}
    lines = [RequestLine(x.from_sku, x.quantity) for x in request.exchanges] or request.lines
    for line in lines:
        wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
        if line.quantity <= 0:
            problems.append(
                _r(
                    "kefu.input.bad_quantity",
                    f"quantity {line.quantity} for {line.sku}",
                    f"商品 {line.sku} 的数量 {line.quantity} 无效",
                )
            )
    for sku, qty in wanted.items():
        item = order.item(sku)
        if item is None:
            problems.append(
                _r(
                    "kefu.input.unknown_item",
                    f"item {sku} is not in order {order.order_id}",
                    f"订单 {order.order_id} 里没有商品 {sku}",
                )
            )
        elif qty > item.quantity - item.refunded_quantity:
            left = item.quantity - item.refunded_quantity
            problems.append(
                _r(
                    "kefu.input.bad_quantity",
                    f"only {left} of {sku} left on the order",
                    f"商品 {sku} 只剩 {left} 件可处理",
                )
            )
    if request.remedy is Remedy.FULL_REFUND and refundable(order) <= 0:
        problems.append(
            _r(
                "kefu.input.nothing_left",
                f"nothing is left to refund on order {order.order_id}",
                f"订单 {order.order_id} 已没有可退的金额",
            )
        )
    if probe:
        return problems
    problems += _amount_problems(order, request)
    problems += _missing_parts(request)
    return problems


def _amount_problems(order: OrderSnapshot, request: RemedyRequest) -> list[Reason]:
    amount = request.amount
    if amount is None:
        if request.remedy in _NEEDS_AMOUNT:
            return [_r("kefu.input.missing_amount", "an amount is required", "需要填写金额")]
        return []
    if amount.currency != order.currency.upper():
        return [
            _r(
                "kefu.input.currency_mismatch",
                f"amount is in {amount.currency} but the order is in {order.currency}",
                f"金额币种 {amount.currency} 与订单币种 {order.currency} 不一致",
            )
        ]
    if amount.amount <= 0:
        return [
            _r(
                "kefu.input.non_positive_amount",
                f"amount must be above zero, got {amount}",
                f"金额必须大于零，当前为 {amount}",
            )
        ]
    left = refundable(order)
    if amount.amount > left:
        return [
            _r(
                "kefu.input.over_total",
                f"amount {amount} is more than the {left} {order.currency} still refundable",
                f"金额 {amount} 超过订单剩余可退金额 {left} {order.currency}",
            )
        ]
    return []


def _missing_parts(request: RemedyRequest) -> list[Reason]:
    if request.remedy in _NEEDS_EXCHANGE and not request.exchanges:
        return [
            _r(
                "kefu.input.missing_exchange",
                "name the items and what to change them into",
                "请说明要更换的商品和目标款式",
            )
        ]
    if request.remedy is Remedy.CHANGE_ADDRESS and not request.new_address:
        return [_r("kefu.input.missing_address", "a new address is required", "需要提供新地址")]
    if request.remedy is Remedy.CHANGE_PAYMENT and not request.payment_method_id:
        return [
            _r(
                "kefu.input.missing_payment",
                "a new payment method is required",
                "需要提供新的支付方式",
            )
        ]
    return []


def _r(rule: str, en: str, zh: str) -> Reason:
    return Reason(rule_id=rule, en=en[0].upper() + en[1:] + ".", zh=zh + "。")


def refund_for_lines(
    order: OrderSnapshot,
    lines: tuple[RequestLine, ...],
    *,
    shipping_mode: str,
    category: ReasonCategory,
    shop: ShopPolicy,
) -> RefundBreakdown:
    """Item value less its share of the discount, plus its share of shipping when due."""
    cur = order.currency
    all_value = sum((it.unit_price * it.quantity for it in order.items), Decimal(0))
    value = Decimal(0)
    for line in lines:
        item = order.item(line.sku)
        value += item.unit_price * line.quantity if item else Decimal(0)
    share = value / all_value if all_value else Decimal(0)
    discount_share = Money(order.discount * share, cur).amount
    remaining = sum(it.quantity - it.refunded_quantity for it in order.items)
    whole = sum(line.quantity for line in lines) >= remaining
    ship = (
        shipping_mode == "always"
        or (shipping_mode == "full_order_only" and whole)
        or (shipping_mode == "seller_fault" and category in SELLER_FAULT)
    )
    shipping_share = Money(order.shipping_fee * share, cur).amount if ship else Decimal(0)
    fee = Decimal(0)
    if category is ReasonCategory.CHANGE_OF_MIND and shop.restocking_fee_pct > 0:
        fee = Money((value - discount_share) * shop.restocking_fee_pct / 100, cur).amount
    total = min(refundable(order), max(Decimal(0), value - discount_share + shipping_share - fee))
    return RefundBreakdown(
        items=Money(value, cur),
        discount_share=Money(discount_share, cur),
        shipping_share=Money(shipping_share, cur),
        restocking_fee=Money(fee, cur),
        total=Money(total, cur),
    )


def full_refund(order: OrderSnapshot) -> RefundBreakdown:
    """Everything still refundable on the order, shipping included."""
    cur = order.currency
    zero = Money(Decimal(0), cur)
    left = refundable(order)
    items = max(Decimal(0), left - order.shipping_fee + order.discount)
    return RefundBreakdown(
        items=Money(items, cur),
        discount_share=Money(order.discount, cur),
        shipping_share=Money(order.shipping_fee if left >= order.shipping_fee else Decimal(0), cur),
        restocking_fee=zero,
        total=Money(left, cur),
    )


def price_difference(order: OrderSnapshot, request: RemedyRequest) -> Money:
    """New variants' price minus the replaced items' price (positive: the customer pays)."""
    diff = Decimal(0)
    for line in request.exchanges:
        item = order.item(line.from_sku)
        old = item.unit_price if item else Decimal(0)
        diff += (line.to.unit_price - old) * line.quantity
    return Money(diff, order.currency)
