"""The fixed vocabulary of checks a pack may use; each takes the context and says pass or fail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from kefu.core.clock import ensure_utc
from kefu.core.money import Money
from kefu.policy import schema as s
from kefu.policy.calendar import window_deadline
from kefu.policy.pack import PolicyPack
from kefu.policy.types import (
    OrderSnapshot,
    OrderStatus,
    PaymentMethodInfo,
    RefundBreakdown,
    RemedyRequest,
    RequestLine,
    ShopPolicy,
)

Var = str | datetime | tuple[str, str]

STATUS_ZH = {
    OrderStatus.PENDING: "待处理",
    OrderStatus.PAID: "已付款",
    OrderStatus.PROCESSING: "处理中",
    OrderStatus.SHIPPED: "已发货",
    OrderStatus.IN_TRANSIT: "运输中",
    OrderStatus.DELIVERED: "已签收",
    OrderStatus.CANCELLED: "已取消",
    OrderStatus.RETURN_REQUESTED: "已申请退货",
    OrderStatus.EXCHANGE_REQUESTED: "已申请换货",
    OrderStatus.RETURNED: "已退货",
    OrderStatus.REFUNDED: "已退款",
    OrderStatus.PARTIALLY_REFUNDED: "部分退款",
}


@dataclass(frozen=True, slots=True)
class Context:
    order: OrderSnapshot
    request: RemedyRequest
    shop: ShopPolicy
    now: datetime
    pack: PolicyPack
    lines: tuple[RequestLine, ...]
    money_out: Money | None  # refund or credit the remedy pays, if any
    amount_due: Money | None  # what the customer must pay (exchanges, payment change)
    refund: RefundBreakdown | None = None
    price_diff: Money | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    passed: bool
    vars: dict[str, Var] = field(default_factory=dict)
    deadline: datetime | None = None
    cause: tuple[s.CheckSpec, Outcome] | None = None  # 'follows': the other remedy's failed check


def _status(spec: s.StatusIn, ctx: Context) -> Outcome:
    status = ctx.order.status
    return Outcome(status in spec.statuses, {"status": (status.value, STATUS_ZH[status])})


def _not_modified(spec: s.NotModified, ctx: Context) -> Outcome:
    return Outcome(spec.what not in ctx.order.modified, {"what": spec.what})


def _reason_in(spec: s.ReasonIn, ctx: Context) -> Outcome:
    given = ctx.request.reason.strip().lower()
    allowed = {r.lower() for r in ctx.pack.strings(spec.reasons)}
    return Outcome(given in allowed, {"reason": ctx.request.reason})


def _category_in(spec: s.ReasonCategoryIn, ctx: Context) -> Outcome:
    cat = ctx.request.reason_category
    return Outcome(cat in spec.categories, {"category": cat.value})


def _event(ctx: Context, name: str) -> datetime | None:
    value: datetime | None = getattr(ctx.order, name)
    # Naive datetimes (SQLite hands them back) are UTC, never the server's local time.
    return ensure_utc(value) if value is not None else None


def _within(spec: s.WithinDays, ctx: Context) -> Outcome:
    event = _event(ctx, spec.from_)
    if event is None:  # the window has not opened yet, so it cannot have closed
        return Outcome(True)
    days = int(ctx.pack.number(spec.days) or 0)
    if spec.shop_window and ctx.shop.return_window_days and ctx.shop.return_window_days > days:
        days = ctx.shop.return_window_days
    deadline = window_deadline(
        event,
        days,
        tz=ctx.pack.tz,
        business_days=spec.business_days,
        roll_to_working_day=spec.roll_to_working_day,
        holidays=ctx.pack.model.holidays,
    )
    return Outcome(ctx.now <= deadline, {"deadline": deadline, "days": str(days)}, deadline)


def _after(spec: s.AfterDays, ctx: Context) -> Outcome:
    event = _event(ctx, spec.from_)
    days = int(ctx.pack.number(spec.days) or 0)
    if event is None:
        return Outcome(False, {"days": str(days), "opens": ("not yet known", "尚未确定")})
    opens = window_deadline(event, days, tz=ctx.pack.tz, business_days=spec.business_days)
    return Outcome(ctx.now > opens, {"days": str(days), "opens": opens})


def _returnable(spec: s.ItemsReturnable, ctx: Context) -> Outcome:
    excluded = set(ctx.pack.strings(spec.excluded_categories)) | ctx.shop.non_returnable_categories
    for line in ctx.lines:
        item = ctx.order.item(line.sku)
        if item is None or item.returnable is True:
            continue
        if item.returnable is False or item.category in excluded:
            return Outcome(False, {"sku": item.sku, "title": item.title, "category": item.category})
    return Outcome(True)


def _same_product(spec: s.SameProduct, ctx: Context) -> Outcome:
    for line in ctx.request.exchanges:
        item = ctx.order.item(line.from_sku)
        if item is None or item.product_id != line.to.product_id or item.sku == line.to.sku:
            return Outcome(False, {"sku": line.from_sku, "new_sku": line.to.sku})
    return Outcome(True)


def _available(spec: s.VariantAvailable, ctx: Context) -> Outcome:
    for line in ctx.request.exchanges:
        if not line.to.available:
            return Outcome(False, {"new_sku": line.to.sku})
    return Outcome(True)


def _method(ctx: Context) -> str:
    return ctx.request.payment_method_id or ctx.order.payment_method_id


def _owned(ctx: Context) -> PaymentMethodInfo | None:
    return ctx.order.payment_method(_method(ctx))


def _refund_to(spec: s.RefundTo, ctx: Context) -> Outcome:
    method = _method(ctx)
    owned = _owned(ctx)
    kind = owned.kind if owned else ""
    ok = (
        ("original" in spec.allowed and method == ctx.order.payment_method_id)
        or ("gift_card" in spec.allowed and kind == "gift_card")
        or ("store_credit" in spec.allowed and kind in {"store_credit", "platform_balance"})
        or ("any_owned" in spec.allowed and owned is not None)
    )
    return Outcome(ok, {"method": method})


def _payment_owned(spec: s.PaymentOwned, ctx: Context) -> Outcome:
    method = _method(ctx)
    ok = method == ctx.order.payment_method_id or _owned(ctx) is not None
    return Outcome(ok, {"method": method})


def _payment_differs(spec: s.PaymentDiffers, ctx: Context) -> Outcome:
    method = ctx.request.payment_method_id
    return Outcome(bool(method) and method != ctx.order.payment_method_id, {"method": method})


def _gift_card(spec: s.GiftCardCovers, ctx: Context) -> Outcome:
    owned = _owned(ctx)
    due = ctx.amount_due.amount if ctx.amount_due else Decimal(0)
    if owned is None or owned.kind != "gift_card" or due <= 0:
        return Outcome(True)
    balance = owned.balance or Decimal(0)
    return Outcome(
        balance >= due, {"method": owned.id, "balance": str(balance), "amount": str(due)}
    )


def _requester(spec: s.RequesterIsCustomer, ctx: Context) -> Outcome:
    who = ctx.request.requester_customer_id
    return Outcome(not who or who == ctx.order.customer_id, {"requester": who})


def _amount_at_most(spec: s.AmountAtMost, ctx: Context) -> Outcome:
    limits = [ctx.pack.number(spec.limit)] if spec.limit is not None else []
    if spec.shop_returnless and ctx.shop.returnless_refund_under is not None:
        limits.append(ctx.shop.returnless_refund_under)
    amount = ctx.money_out.amount if ctx.money_out else Decimal(0)
    limit = max((x for x in limits if x is not None), default=None)
    cur = ctx.order.currency
    shown: Var = f"{limit} {cur}" if limit is not None else ("0 (none set)", "0（未设置）")
    return Outcome(
        limit is not None and amount <= limit, {"amount": f"{amount} {cur}", "limit": shown}
    )


def _evidence(spec: s.EvidenceProvided, ctx: Context) -> Outcome:
    missing = [k for k in spec.kinds if k not in ctx.request.evidence]
    return Outcome(not missing, {"kinds": ", ".join(missing)})


def _never(spec: s.Never, ctx: Context) -> Outcome:
    return Outcome(False)


def _follows(spec: s.Follows, ctx: Context) -> Outcome:
    other = ctx.pack.model.remedies.get(spec.remedy)
    if other is None:  # the pack validator refuses this; stay closed if it happens anyway
        return Outcome(False, {"why": ("not offered", "不提供")})
    common = [
        c for c in ctx.pack.model.common_checks if c.remedies is None or spec.remedy in c.remedies
    ]
    deadline = None
    for check in (*common, *other.checks):
        outcome = run_check(check, ctx)
        deadline = deadline or outcome.deadline
        if not outcome.passed:
            return Outcome(False, deadline=deadline, cause=(check, outcome))
    return Outcome(True, deadline=deadline)


_CHECKS: dict[str, Callable[[Any, Context], Outcome]] = {
    "status_in": _status,
    "not_modified": _not_modified,
    "reason_in": _reason_in,
    "reason_category_in": _category_in,
    "within_days": _within,
    "after_days": _after,
    "items_returnable": _returnable,
    "same_product": _same_product,
    "variant_available": _available,
    "refund_to": _refund_to,
    "payment_owned": _payment_owned,
    "payment_differs": _payment_differs,
    "gift_card_covers": _gift_card,
    "requester_is_customer": _requester,
    "amount_at_most": _amount_at_most,
    "evidence_provided": _evidence,
    "never": _never,
    "follows": _follows,
}


def run_check(spec: s.CheckSpec, ctx: Context) -> Outcome:
    """Run one check of a pack against the context (checks for other reasons or statuses pass)."""
    if spec.only_for and ctx.request.reason_category not in spec.only_for:
        return Outcome(True)
    if spec.when_status and ctx.order.status not in spec.when_status:
        return Outcome(True)
    return _CHECKS[spec.check](spec, ctx)
