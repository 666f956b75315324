"""A full refund is allowed only when the facts allow it, never around a denied return."""

from __future__ import annotations

from typing import Any

import pytest

from kefu.policy import (
    OrderItem,
    OrderStatus,
    ReasonCategory,
    Remedy,
    RemedyDecision,
    RemedyRequest,
    ShopPolicy,
    Verdict,
    evaluate,
    load_pack,
    render_pack_article,
)
from tests.policy.factories import D, order, utc

NOW = utc(2026, 11, 23, 10)
MIND, BROKEN, LOST = (
    ReasonCategory.CHANGE_OF_MIND,
    ReasonCategory.DEFECTIVE,
    ReasonCategory.NOT_RECEIVED,
)
SHIRT = OrderItem("TEE-1", "Cotton T-Shirt", 1, D("8.99"), category="worn_or_washed_clothing")
PDD = {"platform": "pinduoduo", "region": "CN", "currency": "CNY"}


def _full(fields: dict[str, Any], category: ReasonCategory, **shop: Any) -> RemedyDecision:
    request = RemedyRequest(Remedy.FULL_REFUND, reason_category=category)
    return evaluate(order(**fields), request, ShopPolicy(**shop), NOW).requested


# (order fields, reason, shop terms, verdict, rule of the decision, innermost rule)
CASES: list[tuple[dict[str, Any], ReasonCategory, dict[str, Any], Verdict, str, str]] = [
    # Amazon, 35 days after delivery, change of mind: the return window ended, so no full refund.
    (
        {"delivered_at": utc(2026, 10, 19, 18)},
        MIND,
        {},
        Verdict.DENIED,
        "amazon.full_refund.as_return",
        "amazon.return.window",
    ),
    # Pinduoduo: the 7-day no-reason window ended on 23 Nov (delivered 15 Nov).
    (
        {**PDD, "delivered_at": utc(2026, 11, 15, 2)},
        MIND,
        {},
        Verdict.DENIED,
        "pinduoduo.full_refund.as_return",
        "pinduoduo.return.window",
    ),
    # Temu: worn clothing cannot be returned, whatever the window.
    (
        {
            "platform": "temu",
            "region": "",
            "items": (SHIRT,),
            "total": D("8.99"),
            "shipping_fee": D(0),
            "discount": D(0),
        },
        MIND,
        {},
        Verdict.DENIED,
        "temu.full_refund.as_return",
        "temu.return.category",
    ),
    # Pinduoduo delivered in the window, change of mind: refund-only is for faults.
    (
        {**PDD, "delivered_at": utc(2026, 11, 20, 2)},
        MIND,
        {},
        Verdict.DENIED,
        "pinduoduo.full_refund.as_returnless",
        "pinduoduo.returnless.fault_only",
    ),
    # A faulty item in the window: keeping it with a full refund needs approval, like
    # refund_without_return; under the shop's returnless limit it is allowed.
    (
        {"delivered_at": utc(2026, 11, 18)},
        BROKEN,
        {},
        Verdict.NEEDS_APPROVAL,
        "amazon.full_refund.as_returnless",
        "amazon.returnless.threshold",
    ),
    (
        {"delivered_at": utc(2026, 11, 18)},
        BROKEN,
        {"returnless_refund_under": D(60)},
        Verdict.ALLOWED,
        "amazon.full_refund.allowed",
        "amazon.full_refund.allowed",
    ),
    # Not shipped, cancelled with money left, or the item back: allowed at once.
    (
        {"status": OrderStatus.PAID, "shipped_at": None, "delivered_at": None},
        MIND,
        {},
        Verdict.ALLOWED,
        "amazon.full_refund.allowed",
        "amazon.full_refund.allowed",
    ),
    (
        {"status": OrderStatus.CANCELLED, "delivered_at": None},
        MIND,
        {},
        Verdict.ALLOWED,
        "amazon.full_refund.allowed",
        "amazon.full_refund.allowed",
    ),
    (
        {"status": OrderStatus.RETURNED, "delivered_at": utc(2026, 9, 1)},
        MIND,
        {},
        Verdict.ALLOWED,
        "amazon.full_refund.allowed",
        "amazon.full_refund.allowed",
    ),
    # Nothing left after a cancellation refunded everything.
    (
        {"status": OrderStatus.CANCELLED, "delivered_at": None, "amount_refunded": D(50)},
        MIND,
        {},
        Verdict.DENIED,
        "kefu.input.nothing_left",
        "kefu.input.nothing_left",
    ),
    # A return is on its way back: refund when it arrives, or a supervisor approves now.
    (
        {"status": OrderStatus.RETURN_REQUESTED},
        BROKEN,
        {},
        Verdict.NEEDS_APPROVAL,
        "amazon.full_refund.return_under_way",
        "amazon.full_refund.return_under_way",
    ),
    # A parcel still in transit, not received before buyers may claim: a supervisor decides.
    (
        {
            "status": OrderStatus.IN_TRANSIT,
            "delivered_at": None,
            "promised_delivery_at": utc(2026, 11, 22),
        },
        LOST,
        {"returnless_refund_under": D(100)},
        Verdict.NEEDS_APPROVAL,
        "amazon.full_refund.as_returnless",
        "amazon.not_received.too_early",
    ),
]


@pytest.mark.parametrize(("fields", "category", "shop", "verdict", "rule", "inner"), CASES)
def test_full_refund_follows_the_facts(
    fields: dict[str, Any],
    category: ReasonCategory,
    shop: dict[str, Any],
    verdict: Verdict,
    rule: str,
    inner: str,
) -> None:
    got = _full(fields, category, **shop)
    assert (got.verdict, got.rule_id, got.reasons[-1].rule_id) == (verdict, rule, inner)


def test_a_denied_full_refund_says_why_in_both_languages() -> None:
    got = _full({"delivered_at": utc(2026, 10, 19, 18)}, MIND)
    outer, inner = got.reasons
    assert "30-day return window ended" in inner.en and "退货期已于" in inner.zh
    assert inner.en in outer.en and inner.zh in outer.zh


def test_the_article_shows_when_a_full_refund_follows_the_return_rules() -> None:
    text = render_pack_article(load_pack("amazon", "US"), "en")
    assert "«Return and refund» requires" in text and "when the order is delivered" in text


def test_never_refund_in_full_where_the_return_is_denied_on_any_platform() -> None:
    for platform in ("amazon", "aliexpress", "shopify", "temu", "pinduoduo"):
        late = order(
            platform=platform, region="", placed_at=utc(2026, 5, 20), delivered_at=utc(2026, 6, 1)
        )
        request = RemedyRequest(Remedy.FULL_REFUND, reason_category=MIND)
        decision = evaluate(late, request, ShopPolicy(), NOW)
        ret = decision.for_remedy(Remedy.RETURN_AND_REFUND)
        assert ret is not None and ret.verdict is Verdict.DENIED, platform
        assert decision.requested.verdict is Verdict.DENIED, platform
