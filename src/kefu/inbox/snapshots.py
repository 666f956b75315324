"""Stored rows turned into the pure engines' value types (policy snapshot, reply facts)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kefu import policy, replies
from kefu.orders.models import Order, Shipment
from kefu.policy.validate import shop_policy_from_mapping
from kefu.shops.models import Shop

# Intent -> (remedy the customer is most likely asking for, why they ask).
_REQUESTED: dict[str, tuple[policy.Remedy, policy.ReasonCategory]] = {
    "cancel_order": (policy.Remedy.CANCEL, policy.ReasonCategory.CHANGE_OF_MIND),
    "change_order": (policy.Remedy.CHANGE_ADDRESS, policy.ReasonCategory.OTHER),
    "return_request": (policy.Remedy.RETURN_AND_REFUND, policy.ReasonCategory.CHANGE_OF_MIND),
    "refund_request": (policy.Remedy.FULL_REFUND, policy.ReasonCategory.OTHER),
    "exchange_request": (policy.Remedy.EXCHANGE, policy.ReasonCategory.CHANGE_OF_MIND),
    "quality_issue": (policy.Remedy.REPLACEMENT, policy.ReasonCategory.DEFECTIVE),
    "wrong_item": (policy.Remedy.REPLACEMENT, policy.ReasonCategory.WRONG_ITEM),
    "missing_item": (policy.Remedy.REPLACEMENT, policy.ReasonCategory.MISSING_ITEM),
    "delivered_not_received": (policy.Remedy.REPLACEMENT, policy.ReasonCategory.NOT_RECEIVED),
    "shipping_delay": (policy.Remedy.ESCALATE, policy.ReasonCategory.LATE),
    "complaint": (policy.Remedy.GOODWILL_CREDIT, policy.ReasonCategory.OTHER),
}
REMEDY_INTENTS = frozenset(_REQUESTED)


def order_snapshot(order: Order, shop: Shop) -> policy.OrderSnapshot:
    """The policy engine's view of a stored order."""
    shipped = min((s.shipped_at for s in order.shipments if s.shipped_at), default=None)
    return policy.OrderSnapshot(
        order_id=order.external_id,
        platform=shop.platform,
        currency=order.currency,
        status=policy.OrderStatus(order.status),
        placed_at=order.placed_at,
        items=tuple(
            policy.OrderItem(
                sku=i.sku,
                title=i.title,
                quantity=i.quantity,
                unit_price=i.unit_price,
                category=i.category or "",
                refunded_quantity=i.refunded_quantity,
            )
            for i in order.items
        ),
        total=order.total,
        shop_id=shop.id,
        region=shop.region,
        customer_id=order.customer_id or "",
        shipping_fee=order.shipping_fee,
        discount=order.discount,
        amount_refunded=order.amount_refunded,
        shipped_at=shipped,
        delivered_at=order.delivered_at,
        promised_delivery_at=order.promised_delivery_at,
        payment_method_id=order.payment_method or "",
    )


def shop_policy(shop: Shop) -> policy.ShopPolicy:
    """The shop's own terms on top of its platform pack (defaults when none are set)."""
    # Stored overrides were validated on the way in; this validates again, like a file.
    data = {"kind": "shop_policy", "currency": shop.currency, **(shop.policy_overrides or {})}
    return shop_policy_from_mapping(data)


def remedy_request(intent: str | None) -> policy.RemedyRequest:
    """What the customer is most likely asking for, from the triaged intent."""
    remedy, category = _REQUESTED.get(
        intent or "", (policy.Remedy.ESCALATE, policy.ReasonCategory.OTHER)
    )
    return policy.RemedyRequest(remedy=remedy, reason_category=category, reason=intent or "")


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar day ``moment`` falls on in the shop's time zone: a draft's dates must be
    the ones the policy decision and the customer's own calendar show (in UTC, a New York
    shop offered one day more of return window than its decision said)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return moment.date()
    return moment.astimezone(zone).date() if moment.tzinfo else moment.date()


def remedy_options(decision: policy.Decision) -> list[replies.RemedyOption]:
    """The decision in the composer's terms; denied remedies stay out of any draft."""
    options = []
    for d in decision.remedies:
        if d.verdict is policy.Verdict.DENIED:
            continue
        refund = d.refund.total if d.refund else None
        options.append(
            replies.RemedyOption(
                name=d.remedy.value,
                verdict=d.verdict.value,  # type: ignore[arg-type]
                amount=refund.amount if refund else None,
                currency=refund.currency if refund else None,
                deadline=local_date(d.deadline, decision.timezone) if d.deadline else None,
                return_shipping_paid_by=d.return_shipping_paid_by,  # type: ignore[arg-type]
                evidence_required=d.evidence_required,
                rule_id=d.rule_id,
                reason=d.reasons[0].en if d.reasons else None,
            )
        )
    return options


def _latest_shipment(order: Order) -> Shipment | None:
    return max(order.shipments, key=lambda s: s.shipped_at or order.placed_at, default=None)


def order_facts(order: Order, shop: Shop, now: datetime) -> replies.OrderFacts:
    """The facts a reply may state about an order and its latest shipment."""
    shipment = _latest_shipment(order)
    last = shipment.events[-1] if shipment and shipment.events else None
    tz = shop.timezone
    promised = order.promised_delivery_at
    late = None
    if promised and not order.delivered_at and promised < now:
        late = (now - promised).days
    return replies.OrderFacts(
        order_id=order.external_id,
        platform=shop.platform,
        status=order.status,
        items=[replies.OrderItem(title=i.title, qty=i.quantity) for i in order.items],
        total=Decimal(order.total),
        currency=order.currency,
        placed_date=local_date(order.placed_at, tz),
        promised_date=local_date(promised, tz) if promised else None,
        carrier=shipment.carrier if shipment else None,
        tracking_number=shipment.tracking_number if shipment else None,
        last_tracking_status=last.description or last.status if last else None,
        last_tracking_date=local_date(last.at, tz) if last else None,
        delivered_date=local_date(order.delivered_at, tz) if order.delivered_at else None,
        days_late=late,
    )
