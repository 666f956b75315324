"""Build one demo order (items, money, timeline, shipment, tracking events) for a scenario.

Scenarios: pending, processing, in_transit, late, customs, delivered, return_requested,
returned, refunded, cancelled. Times are computed backwards from `now`, so the data stays fresh.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from kefu.demo import ids

CENT = Decimal("0.01")
SHIPPED_SCENARIOS = ("in_transit", "late", "customs")
DELIVERED_SCENARIOS = ("delivered", "return_requested", "returned", "refunded")
ORDER_STATUS = {
    "pending": "pending",
    "processing": "processing",
    "in_transit": "shipped",
    "late": "shipped",
    "customs": "shipped",
    "delivered": "delivered",
    "return_requested": "return_requested",
    "returned": "returned",
    "refunded": "refunded",
    "cancelled": "cancelled",
}
# How long ago (days) a random order of each scenario reached its anchor point.
_AGE_RANGES = {
    "pending": (0.02, 0.6),
    "processing": (0.1, 1.8),
    "cancelled": (1.0, 30.0),
    "delivered": (1.0, 45.0),
    "return_requested": (2.0, 12.0),
    "returned": (8.0, 35.0),
    "refunded": (10.0, 45.0),
}
_PAYMENT = {
    "amazon-us": ["Visa", "Mastercard", "American Express", "Amazon Pay", "Gift card"],
    "aliexpress-global": ["Visa", "Mastercard", "PayPal", "Apple Pay", "Google Pay"],
    "pinduoduo-cn": ["微信支付", "支付宝", "多多支付"],
    "shopify-eu": ["Visa", "Mastercard", "PayPal", "Klarna", "Shop Pay", "iDEAL"],
}


@dataclass(frozen=True, slots=True)
class OrderSpec:
    """What a demo order must look like; unset numbers are drawn at random."""

    scenario: str
    skus: tuple[str, ...] = ()
    placed_days_ago: float | None = None
    stall_days: float | None = None
    delivered_days_ago: float | None = None
    min_age_days: float = 0.0  # anchor must precede the first customer message
    carrier: str | None = None  # a key of carriers.yaml, when the story names the courier


@dataclass(frozen=True, slots=True)
class ShopContext:
    """Everything about one shop the order builder needs."""

    slug: str
    currency: str
    products: list[dict[str, Any]]
    carriers: dict[str, int]
    handling_days: tuple[float, float]


@dataclass(frozen=True, slots=True)
class _Times:
    placed: datetime
    promised: datetime
    shipped: datetime | None = None
    arrival: datetime | None = None  # when the route would end, used to place scans
    cut: datetime | None = None  # scans after this have not happened (yet)
    delivered: datetime | None = None
    hold: datetime | None = None


def _days(value: float) -> timedelta:
    return timedelta(days=value)


def _uniform(rng: random.Random, bounds: tuple[float, float] | list[float]) -> float:
    return rng.uniform(float(bounds[0]), float(bounds[1]))


def build_items(
    *, shop: ShopContext, skus: tuple[str, ...], rng: random.Random
) -> list[dict[str, Any]]:
    """Order lines: the given SKUs, or one to three random products."""
    by_sku = {p["sku"]: p for p in shop.products}
    chosen = (
        [by_sku[s] for s in skus]
        if skus
        else rng.sample(shop.products, rng.choice((1, 1, 1, 2, 2, 3)))
    )
    most = 3 if shop.slug == "pinduoduo-cn" else 2
    return [
        {
            "sku": p["sku"],
            "asin": p.get("asin"),
            "title": p["title"],
            "category": p["category"],
            # A story about "the jacket" means one jacket; random orders vary.
            "quantity": 1 if skus else rng.choice((1, 1, 1, 2, most)),
            "unit_price": str(p["price"]),
        }
        for p in chosen
    ]


def price_order(
    *, shop: ShopContext, items: list[dict[str, Any]], country: str, rng: random.Random
) -> dict[str, str]:
    """Shipping fee, discount and total as the shop would charge them (exact decimals)."""
    subtotal = sum((Decimal(i["unit_price"]) * i["quantity"] for i in items), Decimal(0))
    shipping, discount = Decimal(0), Decimal(0)
    if shop.slug == "amazon-us":
        shipping = Decimal(0) if subtotal >= 35 else Decimal("5.99")
        if rng.random() < 0.15:
            discount = (subtotal * Decimal("0.10")).quantize(CENT)
    elif shop.slug == "aliexpress-global":
        if rng.random() < 0.4:
            shipping = Decimal(rng.choice(("1.99", "2.49", "3.99")))
        coupon = Decimal(rng.choice(("1.00", "2.00", "3.00")))
        if rng.random() < 0.3 and subtotal > coupon * 3:
            discount = coupon
    elif shop.slug == "pinduoduo-cn":
        coupon = Decimal(rng.choice(("2.00", "3.00", "5.00")))
        if rng.random() < 0.4 and subtotal > coupon * 3:
            discount = coupon
    else:
        shipping = Decimal(0) if subtotal >= 49 else Decimal("4.90" if country == "DE" else "6.90")
        if rng.random() < 0.15:
            discount = (subtotal * Decimal("0.10")).quantize(CENT)
    total = subtotal + shipping - discount
    return {
        "shipping_fee": f"{shipping:.2f}",
        "discount": f"{discount:.2f}",
        "total": f"{total:.2f}",
    }


def _age(
    given: float | None, rng: random.Random, bounds: tuple[float, float], floor: float
) -> float:
    """A fixed age from the spec, else a random one no younger than `floor`."""
    if given is not None:
        return given
    return max(_uniform(rng, bounds), floor + rng.uniform(0.05, 0.3))


def plan_times(
    *,
    spec: OrderSpec,
    carrier: dict[str, Any],
    handling: tuple[float, float],
    now: datetime,
    rng: random.Random,
) -> _Times:
    """Key moments of the order, consistent with its scenario."""
    transit = _days(_uniform(rng, carrier["transit_days"]))
    handle = _days(_uniform(rng, handling))
    promise = _days(float(carrier["promise_days"]))
    floor = spec.min_age_days
    scenario = spec.scenario
    if scenario in ("pending", "processing", "cancelled"):
        placed = now - _days(_age(spec.placed_days_ago, rng, _AGE_RANGES[scenario], floor))
        return _Times(placed=placed, promised=placed + promise)
    if scenario in DELIVERED_SCENARIOS:
        delivered = now - _days(_age(spec.delivered_days_ago, rng, _AGE_RANGES[scenario], floor))
        shipped = delivered - transit
        placed = shipped - handle
        return _Times(placed, placed + promise, shipped, delivered, now, delivered)
    if scenario == "in_transit":
        if spec.placed_days_ago is not None:
            placed = now - _days(spec.placed_days_ago)
            shipped = min(placed + handle, now - _days(0.3))
        else:
            shipped = now - transit * rng.uniform(0.15, 0.8) - _days(floor)
            placed = shipped - handle
        return _Times(
            placed, max(placed + promise, now + _days(1)), shipped, shipped + transit, now
        )
    stall = now - _days(
        _age(spec.stall_days, rng, (2.0, 6.0) if scenario == "late" else (4.0, 9.0), floor)
    )
    if scenario == "late":
        placed = now - _days(
            spec.placed_days_ago or float(carrier["promise_days"]) + rng.uniform(1, 8)
        )
        placed = min(placed, stall - handle - _days(1))
        shipped = placed + handle
        promised = min(placed + promise, now - _days(1))
        return _Times(placed, promised, shipped, now + transit, stall)
    # customs: the route reaches its customs scan at `stall` and stops there.
    customs_at = next(s["at"] for s in carrier["route"] if s["status"] == "customs")
    shipped = stall - transit * customs_at
    placed = shipped - handle
    # Allow the customs scan's own jitter; the next scan is always days later.
    return _Times(
        placed, placed + promise, shipped, shipped + transit, stall + _days(0.1), None, stall
    )


def _location(
    where: str | None, *, carrier: dict[str, Any], dest: str, country_name: str, rng: random.Random
) -> str | None:
    if where is None:
        return None
    if where == "dest":
        return dest
    if where == "import":
        return country_name
    return str(rng.choice(carrier[where]))


def build_events(
    *, times: _Times, carrier: dict[str, Any], dest: str, country_name: str, rng: random.Random
) -> list[dict[str, Any]]:
    """Tracking scans placed along the route; only those that already happened."""
    if times.shipped is None or times.arrival is None or times.cut is None:
        raise ValueError("an unshipped order has no tracking events")
    span = times.arrival - times.shipped
    picks = {
        w: _location(w, carrier=carrier, dest=dest, country_name=country_name, rng=rng)
        for w in ("origin", "hub", "export")
        if w in carrier
    }
    events: list[dict[str, Any]] = []
    for step in carrier["route"]:
        at = times.shipped + span * float(step["at"])
        if step["status"] == "delivered" and times.delivered is not None:
            at = times.delivered
        elif step["at"] not in (0, 0.0):
            at += timedelta(minutes=rng.randint(-40, 40))
        if at > times.cut:
            break
        where = step["where"]
        loc = (
            picks.get(where)
            if where in picks
            else _location(where, carrier=carrier, dest=dest, country_name=country_name, rng=rng)
        )
        text = step["description"]
        text = rng.choice(text) if isinstance(text, list) else text
        events.append(
            {
                "at": at,
                "status": step["status"],
                "location": loc,
                "description": text.replace("{loc}", loc or ""),
            }
        )
    if times.hold is not None:
        hold = carrier["hold"]
        at = max(times.hold, events[-1]["at"]) + timedelta(hours=rng.randint(6, 20))
        events.append(
            {
                "at": at,
                "status": hold["status"],
                "location": country_name,
                "description": hold["description"],
            }
        )
    return events


def _shipment_status(events: list[dict[str, Any]]) -> str:
    last = events[-1]["status"] if events else "label_created"
    return {"picked_up": "in_transit", "customs": "in_transit"}.get(last, last)


def build_order(
    *,
    shop: ShopContext,
    customer: dict[str, Any],
    spec: OrderSpec,
    carriers: dict[str, dict[str, Any]],
    country_name: str,
    now: datetime,
    rng: random.Random,
) -> dict[str, Any]:
    """One order dict in the loader's shape; `external_id` is filled in by the caller."""
    names = sorted(shop.carriers)
    if spec.scenario == "customs":
        names = [n for n in names if "hold" in carriers[n]]
    carrier_key = spec.carrier or rng.choices(names, weights=[shop.carriers[n] for n in names])[0]
    carrier = carriers[carrier_key]
    items = build_items(shop=shop, skus=spec.skus, rng=rng)
    money = price_order(shop=shop, items=items, country=customer["country"], rng=rng)
    times = plan_times(spec=spec, carrier=carrier, handling=shop.handling_days, now=now, rng=rng)
    shipments: list[dict[str, Any]] = []
    if times.shipped is not None:
        dest = (
            customer["city"]
            if customer["country"] == "CN"
            else f"{customer['city']}, {customer['country']}"
        )
        events = build_events(
            times=times, carrier=carrier, dest=dest, country_name=country_name, rng=rng
        )
        shipments.append(
            {
                "carrier": carrier["name"],
                "tracking_number": ids.tracking_number(carrier["format"], rng),
                "service": rng.choice(carrier["services"]),
                "status": _shipment_status(events),
                "shipped_at": events[0]["at"] if events else times.shipped,
                "events": events,
            }
        )
    return {
        "shop": shop.slug,
        "external_id": "",
        "customer_key": customer["key"],
        "status": ORDER_STATUS[spec.scenario],
        "currency": shop.currency,
        "placed_at": times.placed,
        "items": items,
        **money,
        "payment_method": rng.choice(_PAYMENT[shop.slug]),
        "promised_delivery_at": times.promised,
        "delivered_at": times.delivered,
        "shipments": shipments,
    }
