"""Turn the hand-written demo data into plain dicts for the loader (`kefu demo`).

Pure and deterministic: the same `now` and `seed` give the same output. All times are
computed backwards from `now` (timezone-aware UTC), so the demo always looks fresh.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from kefu.demo import ids
from kefu.demo.order_builder import OrderSpec, ShopContext, build_order

DATA_DIR = Path(__file__).parent / "data"
# Orders per shop in total (conversation orders included); the web-chat shop sells nothing.
ORDER_TARGETS = {"amazon-us": 85, "aliexpress-global": 85, "pinduoduo-cn": 85, "shopify-eu": 45}
# Scenario mix for orders nobody is writing about.
SCENARIO_WEIGHTS = {
    "pending": 4,
    "processing": 8,
    "in_transit": 15,
    "late": 6,
    "customs": 4,
    "delivered": 45,
    "return_requested": 3,
    "returned": 4,
    "refunded": 5,
    "cancelled": 6,
}
CROSS_BORDER = ("aliexpress-global", "shopify-eu")
CONVERSATION_FILES = ("conversations_zh.yaml", "conversations_en.yaml", "conversations_other.yaml")


@dataclass(frozen=True)
class DemoData:
    """Everything `kefu demo` stores, as plain dicts in the loader's shapes."""

    shops: list[dict[str, Any]]
    agents: list[dict[str, Any]]
    customers: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    conversations: list[dict[str, Any]]


def _load(name: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader class


def _hex(rng: random.Random, length: int) -> str:
    return f"{rng.getrandbits(4 * length):0{length}x}"


def _digits(rng: random.Random, length: int) -> str:
    return str(rng.randint(10 ** (length - 1), 10**length - 1))


def _buyer_id(platform: str, rng: random.Random) -> str:
    """An external buyer id in the platform's own style."""
    if platform == "amazon":
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
        return "A" + "".join(rng.choice(alphabet) for _ in range(13))
    if platform == "aliexpress":
        return "220" + _digits(rng, 10)
    if platform == "pinduoduo":
        return _digits(rng, 11)
    if platform == "shopify":
        return "7" + _digits(rng, 12)
    return "visitor-" + _hex(rng, 12)


def _customers(
    raw: list[dict[str, Any]], platforms: dict[str, str], rng: random.Random
) -> list[dict[str, Any]]:
    out = []
    for c in raw:
        identities = [
            {"shop": shop, "external_id": _buyer_id(platforms[shop], rng)} for shop in c["shops"]
        ]
        fields = ("key", "name", "email", "phone", "country", "language")
        out.append({**{f: c[f] for f in fields}, "identities": identities})
    return out


def _thread_id(channel: str, rng: random.Random) -> str:
    return {
        "amazon": lambda: f"amzn1.bsm.thread.{_hex(rng, 24)}",
        "aliexpress": lambda: _digits(rng, 13),
        "pinduoduo": lambda: f"pdd-{_digits(rng, 12)}",
        "email": lambda: f"<{_hex(rng, 16)}@mail.example.net>",
    }.get(channel, lambda: f"wc-{_hex(rng, 12)}")()


def _message_id(channel: str, direction: str, rng: random.Random) -> str:
    if direction != "inbound":
        # Our own messages get ids too, so reloading the demo can skip what it stored.
        return f"kefu-{'out' if direction == 'outbound' else 'note'}-{_hex(rng, 16)}"
    return {
        "amazon": lambda: f"amzn-msg-{_hex(rng, 16)}",
        "aliexpress": lambda: _digits(rng, 19),
        "pinduoduo": lambda: _digits(rng, 16),
        "email": lambda: f"<{_hex(rng, 16)}@mail.example.net>",
    }.get(channel, lambda: f"wc-msg-{_hex(rng, 12)}")()


_DIRECTIONS = {"in": "inbound", "out": "outbound", "note": "note"}


def _messages(
    raw: list[dict[str, Any]],
    *,
    channel: str,
    order: dict[str, Any] | None,
    now: datetime,
    rng: random.Random,
) -> list[dict[str, Any]]:
    out = []
    for m in raw:
        key = next(k for k in _DIRECTIONS if k in m)
        direction = _DIRECTIONS[key]
        text = _fill(str(m[key]), order)
        author = None if direction == "inbound" else m.get("by", "admin@example.com")
        at = now - timedelta(minutes=float(m["ago"]))
        out.append(
            {
                "direction": direction,
                "text": text,
                "at": at,
                "author": author,
                "external_id": _message_id(channel, direction, rng),
            }
        )
    return out


def _fill(text: str, order: dict[str, Any] | None) -> str:
    """Replace {order}, {tracking}, {carrier} and {item} with the linked order's facts."""
    if order is None:
        if "{" in text and any(t in text for t in ("{order}", "{tracking}", "{carrier}", "{item}")):
            raise ValueError(f"placeholder without an order: {text[:60]!r}")
        return text
    shipment = order["shipments"][0] if order["shipments"] else None
    values = {
        "{order}": order["external_id"],
        "{item}": order["items"][0]["title"],
        "{tracking}": shipment["tracking_number"] if shipment else "",
        "{carrier}": shipment["carrier"] if shipment else "",
    }
    for token, value in values.items():
        if token in text and not value:
            raise ValueError(f"{token} used but the order has no shipment: {text[:60]!r}")
        text = text.replace(token, value)
    return text


def _whole_seconds(value: Any) -> Any:
    """Drop microseconds everywhere: stores and screens show whole seconds anyway.

    Truncation keeps the order of times, and never moves a time across a date boundary.
    """
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, list):
        return [_whole_seconds(v) for v in value]
    if isinstance(value, dict):
        return {k: _whole_seconds(v) for k, v in value.items()}
    return value


def _order_spec(raw: dict[str, Any], first_ago_minutes: float) -> OrderSpec:
    """The order a story needs. Its day counts are the customer's: they count back from the
    first message ("tracking hasn't moved in 4 days", "delivered yesterday"), not from now."""
    first_ago_days = first_ago_minutes / 1440

    def before_message(key: str) -> float | None:
        value = raw.get(key)
        return None if value is None else float(value) + first_ago_days

    return OrderSpec(
        scenario=raw["scenario"],
        skus=tuple(raw.get("skus", ())),
        placed_days_ago=before_message("placed_days_ago"),
        stall_days=before_message("stall_days"),
        delivered_days_ago=before_message("delivered_days_ago"),
        carrier=raw.get("carrier"),
        min_age_days=first_ago_days + 0.05,
    )


class _Builder:
    """Holds the loaded data and the random stream while one demo is built."""

    def __init__(self, *, now: datetime, seed: int) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.now = now.astimezone(UTC)
        self.rng = random.Random(seed)
        shops_doc = _load("shops.yaml")
        self.shops: list[dict[str, Any]] = shops_doc["shops"]
        self.agents: list[dict[str, Any]] = shops_doc["agents"]
        self.platforms = {s["slug"]: s["platform"] for s in self.shops}
        self.raw_customers = {c["key"]: c for c in _load("customers.yaml")["customers"]}
        carriers_doc = _load("carriers.yaml")
        self.carriers: dict[str, dict[str, Any]] = carriers_doc["carriers"]
        self.countries: dict[str, str] = carriers_doc["countries"]
        products = _load("products.yaml")
        self.contexts = {
            slug: ShopContext(
                slug=slug,
                currency=next(s["currency"] for s in self.shops if s["slug"] == slug),
                products=products[slug],
                carriers=carriers_doc["shop_carriers"][slug],
                handling_days=tuple(carriers_doc["handling_days"][slug]),
            )
            for slug in ORDER_TARGETS
        }
        self.raw_conversations: list[dict[str, Any]] = []
        for name in CONVERSATION_FILES:
            self.raw_conversations.extend(_load(name)["conversations"])
        self.customers = _customers(list(self.raw_customers.values()), self.platforms, self.rng)
        self.ae_suffix = {k: _digits(self.rng, 4) for k in self.raw_customers}
        self.used_ids: set[str] = set()

    def order(self, *, shop: str, customer_key: str, spec: OrderSpec) -> dict[str, Any]:
        """Build one order and give it a platform-style id (Shopify names come later)."""
        customer = self.raw_customers[customer_key]
        if shop not in customer["shops"]:
            raise ValueError(f"customer {customer_key} has no account on {shop}")
        order = build_order(
            shop=self.contexts[shop],
            customer=customer,
            spec=spec,
            carriers=self.carriers,
            country_name=self.countries[customer["country"]],
            now=self.now,
            rng=self.rng,
        )
        if shop != "shopify-eu":
            order["external_id"] = self._unique_id(shop, order, customer_key)
        return order

    def _unique_id(self, shop: str, order: dict[str, Any], customer_key: str) -> str:
        while True:
            if shop == "amazon-us":
                value = ids.amazon_order_id(self.rng)
            elif shop == "aliexpress-global":
                value = ids.aliexpress_order_id(self.rng, self.ae_suffix[customer_key])
            else:
                value = ids.pinduoduo_order_id(self.rng, order["placed_at"])
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def random_orders(self, linked: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Fill each shop up to its target with orders in a realistic mix of states."""
        out = []
        for shop, target in ORDER_TARGETS.items():
            buyers = [k for k, c in self.raw_customers.items() if shop in c["shops"]]
            scenarios = [s for s in SCENARIO_WEIGHTS if s != "customs" or shop in CROSS_BORDER]
            weights = [SCENARIO_WEIGHTS[s] for s in scenarios]
            for _ in range(target - sum(1 for o in linked if o["shop"] == shop)):
                scenario = self.rng.choices(scenarios, weights=weights)[0]
                customer = self.rng.choice(buyers)
                out.append(self.order(shop=shop, customer_key=customer, spec=OrderSpec(scenario)))
        return out

    def conversation(self, raw: dict[str, Any], order: dict[str, Any] | None) -> dict[str, Any]:
        """One conversation dict with absolute message times and channel-style ids."""
        shop = raw["shop"]
        if shop not in self.raw_customers[raw["customer"]]["shops"]:
            raise ValueError(f"customer {raw['customer']} has no account on {shop}")
        channel = raw.get("channel") or self.platforms[shop]
        return {
            "shop": shop,
            "channel": channel,
            "customer_key": raw["customer"],
            "order_external_id": order["external_id"] if order else None,
            "language": raw["language"],
            "expected_intent": raw["intent"],
            "status": raw["status"],
            "external_thread_id": _thread_id(channel, self.rng),
            "messages": _messages(
                raw["messages"], channel=channel, order=order, now=self.now, rng=self.rng
            ),
        }

    def build(self) -> DemoData:
        """Assemble shops, agents, customers, orders and conversations."""
        linked: list[dict[str, Any] | None] = []
        for raw in self.raw_conversations:
            spec_raw = raw.get("order")
            if spec_raw is None:
                linked.append(None)
                continue
            first_ago = max(float(m["ago"]) for m in raw["messages"])
            spec = _order_spec(spec_raw, first_ago)
            linked.append(self.order(shop=raw["shop"], customer_key=raw["customer"], spec=spec))
        linked_orders = [o for o in linked if o is not None]
        orders = linked_orders + self.random_orders(linked_orders)
        shopify = sorted(
            (o for o in orders if o["shop"] == "shopify-eu"), key=lambda o: o["placed_at"]
        )
        for number, order in enumerate(shopify, start=1001):
            order["external_id"] = ids.shopify_order_name(number)
        # Conversations are built after every id is final, so {order} placeholders resolve.
        conversations = [
            self.conversation(r, o) for r, o in zip(self.raw_conversations, linked, strict=True)
        ]
        orders.sort(key=lambda o: (o["shop"], o["placed_at"]))
        return DemoData(
            shops=[dict(s) for s in self.shops],
            agents=[dict(a) for a in self.agents],
            customers=self.customers,
            orders=_whole_seconds(orders),
            conversations=_whole_seconds(conversations),
        )


def build_demo(*, now: datetime, seed: int = 7) -> DemoData:
    """Build the whole demo shop as plain dicts, with every time relative to `now`."""
    return _Builder(now=now, seed=seed).build()
