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
    """Days ago: the story's number give or take a few hours, else a random one."""
    value = given + rng.uniform(-0.15, 0.15) if given is not None else _uniform(rng, bounds)
    # Never younger than `floor`, so the event precedes the customer's first message.
    return max(value, floor + rng.uniform(0.05, 0.3))


@dataclass(frozen=True, slots=True)
class _Draw:
    """Random durations for one order, drawn once so every scenario uses the same stream."""

    transit: timedelta
    handle: timedelta
    promise: timedelta
    floor: float


def _plan_unshipped(spec: OrderSpec, d: _Draw, now: datetime, rng: random.Random) -> _Times:
    placed = now - _days(_age(spec.placed_days_ago, rng, _AGE_RANGES[spec.scenario], d.floor))
    return _Times(placed=placed, promised=placed + d.promise)


def _plan_delivered(spec: OrderSpec, d: _Draw, now: datetime, rng: random.Random) -> _Times:
    age = _age(spec.delivered_days_ago, rng, _AGE_RANGES[spec.scenario], d.floor)
    delivered = now - _days(age)
    shipped = delivered - d.transit
    placed = shipped - d.handle
    return _Times(placed, placed + d.promise, shipped, delivered, now, delivered)


def _plan_in_transit(spec: OrderSpec, d: _Draw, now: datetime, rng: random.Random) -> _Times:
    if spec.placed_days_ago is not None:
        placed = now - _days(_age(spec.placed_days_ago, rng, (0, 0), d.floor))
        shipped = min(placed + d.handle, now - _days(0.3))
    else:
        shipped = now - d.transit * rng.uniform(0.15, 0.8) - _days(d.floor)
        placed = shipped - d.handle
    promised = max(placed + d.promise, now + _days(1))
    return _Times(placed, promised, shipped, shipped + d.transit, now)


def _plan_late(
    spec: OrderSpec, d: _Draw, now: datetime, rng: random.Random, stuck_at: float
) -> _Times:
    """Promised date passed; the parcel's last scan (at route fraction `stuck_at`) is days old."""
    stall = now - _days(_age(spec.stall_days, rng, (2.0, 6.0), d.floor))
    bounds = (d.promise.total_seconds() / 86400 + 1, d.promise.total_seconds() / 86400 + 8)
    placed = now - _days(_age(spec.placed_days_ago, rng, bounds, d.floor))
    placed = min(placed, stall - d.handle - _days(1))
    promised = min(placed + d.promise, now - _days(1))
    return _stopped(placed, promised, placed + d.handle, stall, stuck_at, hold=False)


def _plan_customs(
    spec: OrderSpec, d: _Draw, now: datetime, rng: random.Random, customs_at: float
) -> _Times:
    """The route reaches its customs scan at `stall` and stops there (a hold follows)."""
    stall = now - _days(_age(spec.stall_days, rng, (4.0, 9.0), d.floor))
    shipped = stall - d.transit * customs_at
    placed = shipped - d.handle
    return _stopped(placed, placed + d.promise, shipped, stall, customs_at, hold=True)


def _stopped(
    placed: datetime,
    promised: datetime,
    shipped: datetime,
    stall: datetime,
    at: float,
    *,
    hold: bool,
) -> _Times:
    """Stretch the route so the scan at fraction `at` happens at `stall`, and stop there."""
    arrival = shipped + (stall - shipped) / at
    # A little past `stall` keeps that scan despite its jitter; the next is hours later.
    cut = stall + _days(0.05)
    return _Times(placed, promised, shipped, arrival, cut, None, stall if hold else None)


def plan_times(
    *,
    spec: OrderSpec,
    carrier: dict[str, Any],
    handling: tuple[float, float],
    now: datetime,
    rng: random.Random,
) -> _Times:
    """Key moments of the order, consistent with its scenario."""
    draw = _Draw(
        transit=_days(_uniform(rng, carrier["transit_days"])),
        handle=_days(_uniform(rng, handling)),
        promise=_days(float(carrier["promise_days"])),
        floor=spec.min_age_days,
    )
    scenario = spec.scenario
    if scenario in ("pending", "processing", "cancelled"):
        return _plan_unshipped(spec, draw, now, rng)
    if scenario in DELIVERED_SCENARIOS:
        return _plan_delivered(spec, draw, now, rng)
    if scenario == "in_transit":
        return _plan_in_transit(spec, draw, now, rng)
    if scenario == "late":
        # Parcels get stuck anywhere between the first hub and the last depot.
        steps = [x["at"] for x in carrier["route"] if x["status"] == "in_transit"]
        return _plan_late(spec, draw, now, rng, float(rng.choice(steps)))
    if scenario == "customs":
        customs_at = next(s["at"] for s in carrier["route"] if s["status"] == "customs")
        return _plan_customs(spec, draw, now, rng, float(customs_at))
    raise ValueError(f"unknown order scenario {scenario!r}")


@dataclass(frozen=True, slots=True)
class _Leg:
    """One parcel's route: the carrier and where it goes."""

    carrier: dict[str, Any]
    dest: str
    country_name: str

    def locations(self, rng: random.Random) -> dict[str | None, str | None]:
        """One origin, hub and export point per parcel, so repeated scans name the same place."""
        picks: dict[str | None, str | None] = {None: None, "dest": self.dest}
        picks["import"] = self.country_name
        for where in ("origin", "hub", "export"):
            if where in self.carrier:
                picks[where] = str(rng.choice(self.carrier[where]))
        return picks


def _scan_time(
    step: dict[str, Any], times: _Times, span: timedelta, rng: random.Random
) -> datetime:
    if step["status"] == "delivered" and times.delivered is not None:
        return times.delivered
    at = times.shipped + span * float(step["at"]) if times.shipped else times.placed
    # Real scans never land on a neat grid; the first one is the hand-over itself.
    return at + timedelta(minutes=rng.randint(-40, 40)) if step["at"] else at


def build_events(*, times: _Times, leg: _Leg, rng: random.Random) -> list[dict[str, Any]]:
    """Tracking scans placed along the route; only those that already happened."""
    if times.shipped is None or times.arrival is None or times.cut is None:
        raise ValueError("an unshipped order has no tracking events")
    places = leg.locations(rng)
    span = times.arrival - times.shipped
    events: list[dict[str, Any]] = []
    for step in leg.carrier["route"]:
        at = _scan_time(step, times, span, rng)
        if at > times.cut:
            break
        loc = places[step["where"]]
        text = step["description"]
        text = rng.choice(text) if isinstance(text, list) else text
        description = text.replace("{loc}", loc or "")
        events.append(
            {"at": at, "status": step["status"], "location": loc, "description": description}
        )
    if times.hold is not None:
        hold = leg.carrier["hold"]
        at = max(times.hold, events[-1]["at"]) + timedelta(hours=rng.randint(6, 20))
        events.append(
            {
                "at": at,
                "status": hold["status"],
                "location": leg.country_name,
                "description": hold["description"],
            }
        )
    return events


def _shipment(*, times: _Times, leg: _Leg, rng: random.Random) -> dict[str, Any]:
    events = build_events(times=times, leg=leg, rng=rng)
    last = events[-1]["status"]
    return {
        "carrier": leg.carrier["name"],
        "tracking_number": ids.tracking_number(leg.carrier["format"], rng),
        "service": rng.choice(leg.carrier["services"]),
        "status": {"picked_up": "in_transit", "customs": "in_transit"}.get(last, last),
        "shipped_at": events[0]["at"],
        "events": events,
    }


def _pick_carrier(
    shop: ShopContext, spec: OrderSpec, carriers: dict[str, Any], rng: random.Random
) -> str:
    if spec.carrier:
        return spec.carrier
    names = sorted(shop.carriers)
    if spec.scenario == "customs":
        names = [n for n in names if "hold" in carriers[n]]
    return rng.choices(names, weights=[shop.carriers[n] for n in names])[0]


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
    carrier = carriers[_pick_carrier(shop, spec, carriers, rng)]
    items = build_items(shop=shop, skus=spec.skus, rng=rng)
    money = price_order(shop=shop, items=items, country=customer["country"], rng=rng)
    times = plan_times(spec=spec, carrier=carrier, handling=shop.handling_days, now=now, rng=rng)
    shipments = []
    if times.shipped is not None:
        domestic = customer["country"] == "CN"
        dest = customer["city"] if domestic else f"{customer['city']}, {customer['country']}"
        leg = _Leg(carrier=carrier, dest=dest, country_name=country_name)
        shipments.append(_shipment(times=times, leg=leg, rng=rng))
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
