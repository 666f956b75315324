"""The demo generator: counts, coverage, exact money, real id formats, time order, determinism."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
import pytest

from kefu.customers.schemas import CustomerIn
from kefu.demo.generate import DemoData, build_demo
from kefu.inbox.schemas import InboundMessageIn
from kefu.orders.schemas import OrderIn
from kefu.shops.schemas import ShopCreate

NOW = datetime(2026, 11, 23, 17, 30, 12, 345678, tzinfo=UTC)
INTENTS = {
    "order_status", "shipping_delay", "delivered_not_received", "cancel_order", "change_order",
    "return_request", "refund_request", "exchange_request", "quality_issue", "wrong_item",
    "missing_item", "product_question", "shipping_question", "price_promotion", "payment_issue",
    "invoice_request", "account_issue", "complaint", "praise", "other",
}  # fmt: skip
LANGUAGES = {"en", "zh", "es", "fr", "de", "ru", "ar", "ja", "pt"}
ORDER_ID = {
    "amazon-us": r"\d{3}-\d{7}-\d{7}",
    "aliexpress-global": r"\d{16}",
    "pinduoduo-cn": r"\d{6}-\d{15}",
    "shopify-eu": r"#\d{4,}",
}
AGENTS = {"admin@example.com", "li.na@example.com", "maria.garcia@example.com",
          "tom.becker@example.com", "sarah.okafor@example.com"}  # fmt: skip


# The default seed, plus other seeds and clocks (one just after midnight in China, one in
# summer time) so the invariants are not an accident of a single draw.
CASES = [
    (7, NOW),
    (11, datetime(2027, 2, 28, 16, 0, 30, tzinfo=UTC)),
    (2024, datetime(2026, 7, 1, 23, 59, 59, tzinfo=UTC)),
]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"seed{c[0]}")
def case(request: pytest.FixtureRequest) -> tuple[int, datetime]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def now(case: tuple[int, datetime]) -> datetime:
    return case[1]


@pytest.fixture(scope="module")
def demo(case: tuple[int, datetime]) -> DemoData:
    return build_demo(now=case[1], seed=case[0])


def _orders_by_id(demo: DemoData) -> dict[tuple[str, str], dict[str, Any]]:
    return {(o["shop"], o["external_id"]): o for o in demo.orders}


# --- independent check-digit implementations (not the generator's) -----------------------


def _ups_ok(number: str) -> bool:
    body, check = number[2:17], int(number[17])
    values = [int(c) if c.isdigit() else (ord(c) - 3) % 10 for c in body]
    total = sum(values[0::2]) + 2 * sum(values[1::2])
    return (10 - total % 10) % 10 == check


def _usps_ok(number: str) -> bool:
    digits = [int(c) for c in number]
    body = digits[:-1][::-1]
    total = 3 * sum(body[0::2]) + sum(body[1::2])
    return (10 - total % 10) % 10 == digits[-1]


def _s10_ok(number: str) -> bool:
    serial = number[2:10]
    raw = 11 - sum(int(d) * w for d, w in zip(serial, [8, 6, 4, 2, 3, 5, 9, 7], strict=True)) % 11
    return int(number[10]) == {10: 0, 11: 5}.get(raw, raw)


def _dhl_ok(number: str) -> bool:
    return int(number[:9]) % 7 == int(number[9])


TRACKING = {
    "UPS": (r"1Z[0-9A-Z]{6}[0-9A-Z]{2}\d{7}\d", _ups_ok),
    "USPS": (r"9[1-5]\d{20}", _usps_ok),
    "Amazon Logistics": (r"TBA\d{12}", None),
    "China Post ePacket": (r"[A-Z]{2}\d{9}CN", _s10_ok),
    "Cainiao": (r"LP\d{12,14}|LP00\d{14}", None),
    "YunExpress": (r"YT\d{16}", None),
    "顺丰速运": (r"SF\d{13}", None),
    "圆通速递": (r"YT\d{13}", None),
    "极兔速递": (r"JT\d{13}", None),
    "DHL Express": (r"\d{10}", _dhl_ok),
}


def test_check_digit_helpers_accept_published_examples() -> None:
    assert _ups_ok("1Z5R89390357567127") and _ups_ok("1Z999AA10123456784")
    assert not _ups_ok("1Z5R89390357567128")
    assert _usps_ok("9400111206206406260787") and not _usps_ok("9400111206206406260788")
    assert _s10_ok("RB123456785GB") and not _s10_ok("RB123456784GB")
    assert _dhl_ok("3318810025") and not _dhl_ok("3318810026")


def test_counts_are_in_range(demo: DemoData) -> None:
    assert [s["slug"] for s in demo.shops] == [
        "amazon-us", "aliexpress-global", "pinduoduo-cn", "shopify-eu", "webchat"
    ]  # fmt: skip
    assert 45 <= len(demo.customers) <= 60
    assert 270 <= len(demo.orders) <= 330
    assert 70 <= len(demo.conversations) <= 90
    assert 3 <= len(demo.agents) <= 4
    assert all(a["role"] in {"agent", "supervisor", "admin"} for a in demo.agents)
    assert "admin@example.com" not in {a["email"] for a in demo.agents}
    assert any(a["role"] == "supervisor" for a in demo.agents)


def test_shops_validate_and_have_business_hours(demo: DemoData) -> None:
    for shop in demo.shops:
        ShopCreate.model_validate(shop)
        assert set(shop["business_hours"]) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
        for hours in shop["business_hours"].values():
            assert hours is None or (len(hours) == 2 and hours[0] < hours[1])


def test_customers_are_valid_and_native(demo: DemoData) -> None:
    slugs = {s["slug"] for s in demo.shops}
    scripts = {"CN": "CJK", "RU": "CYRILLIC", "SA": "ARABIC", "AE": "ARABIC", "EG": "ARABIC"}
    countries = Counter(c["country"] for c in demo.customers)
    assert len(countries) >= 10 and countries["CN"] >= 10
    for c in demo.customers:
        CustomerIn.model_validate(
            {k: c[k] for k in ("name", "email", "phone", "country", "language")}
        )
        number = phonenumbers.parse(c["phone"])
        assert phonenumbers.is_valid_number(number), c["phone"]
        assert phonenumbers.region_code_for_number(number) == c["country"]
        assert c["identities"] and {i["shop"] for i in c["identities"]} <= slugs
        letters = [ch for ch in c["name"] if ch.isalpha()]
        if c["country"] in scripts:
            assert all(scripts[c["country"]] in unicodedata.name(ch) for ch in letters), c["name"]
        if c["country"] == "JP":
            assert all("CJK" in unicodedata.name(ch) for ch in letters)
    ids = [i["external_id"] for c in demo.customers for i in c["identities"]]
    assert len(ids) == len(set(ids))


def test_order_totals_add_up_exactly(demo: DemoData) -> None:
    for o in demo.orders:
        subtotal = sum(Decimal(i["unit_price"]) * i["quantity"] for i in o["items"])
        fee, discount, total = (Decimal(o[k]) for k in ("shipping_fee", "discount", "total"))
        assert total == subtotal + fee - discount, o["external_id"]
        assert Decimal(0) <= discount < subtotal and total > 0
        assert all(re.fullmatch(r"\d+\.\d{2}", o[k]) for k in ("shipping_fee", "discount", "total"))


def test_orders_validate_against_the_import_schema(demo: DemoData) -> None:
    for o in demo.orders:
        plain = {k: v for k, v in o.items() if k not in {"shop", "customer_key"}}
        OrderIn.model_validate(plain)


def test_order_ids_follow_each_platform(demo: DemoData) -> None:
    china = ZoneInfo("Asia/Shanghai")
    for o in demo.orders:
        assert re.fullmatch(ORDER_ID[o["shop"]], o["external_id"]), o["external_id"]
        if o["shop"] == "pinduoduo-cn":
            assert o["external_id"][:6] == o["placed_at"].astimezone(china).strftime("%y%m%d")
        amazon = o["shop"] == "amazon-us"
        for item in o["items"]:
            assert (re.fullmatch(r"B0[0-9A-Z]{8}", item["asin"] or "") is not None) == amazon
    assert len(_orders_by_id(demo)) == len(demo.orders)
    shopify = sorted(
        (o for o in demo.orders if o["shop"] == "shopify-eu"), key=lambda o: o["placed_at"]
    )
    assert [o["external_id"] for o in shopify] == [f"#{1001 + n}" for n in range(len(shopify))]


def test_tracking_numbers_have_real_formats_and_check_digits(demo: DemoData) -> None:
    seen: Counter[str] = Counter()
    for o in demo.orders:
        for s in o["shipments"]:
            pattern, check = TRACKING[s["carrier"]]
            assert re.fullmatch(pattern, s["tracking_number"]), s
            assert check is None or check(s["tracking_number"]), s["tracking_number"]
            seen[s["carrier"]] += 1
    assert set(seen) == set(TRACKING)
    numbers = [s["tracking_number"] for o in demo.orders for s in o["shipments"]]
    assert len(numbers) == len(set(numbers))


def test_domestic_chinese_carriers_write_chinese(demo: DemoData) -> None:
    for o in demo.orders:
        for s in o["shipments"]:
            if o["shop"] == "pinduoduo-cn":
                assert all(re.search(r"[\u4e00-\u9fff]", e["description"]) for e in s["events"])


def _aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() == timedelta(0)


def test_order_timelines_are_aware_and_ordered(demo: DemoData, now: datetime) -> None:
    for o in demo.orders:
        assert _aware(o["placed_at"]) and _aware(o["promised_delivery_at"])
        assert o["placed_at"] <= now and o["placed_at"] < o["promised_delivery_at"]
        if o["status"] in {"pending", "processing", "cancelled"}:
            assert not o["shipments"] and o["delivered_at"] is None
            continue
        (shipment,) = o["shipments"]
        events = shipment["events"]
        times = [e["at"] for e in events]
        assert all(_aware(t) for t in times) and times == sorted(times)
        assert o["placed_at"] <= shipment["shipped_at"] == times[0] and times[-1] <= now
        delivered = events[-1]["status"] == "delivered"
        assert delivered == (o["delivered_at"] is not None) == (shipment["status"] == "delivered")
        if delivered:
            assert o["delivered_at"] == times[-1]
        assert all(len(e["status"]) <= 32 and e["description"] for e in events)


def test_order_states_cover_the_story(demo: DemoData, now: datetime) -> None:
    statuses = Counter(o["status"] for o in demo.orders)
    for status in (
        "pending",
        "processing",
        "shipped",
        "delivered",
        "returned",
        "refunded",
        "cancelled",
    ):
        assert statuses[status] >= 3, status
    shipped = [o for o in demo.orders if o["status"] == "shipped"]
    on_time = [o for o in shipped if o["promised_delivery_at"] > now]
    late = [o for o in shipped if o["promised_delivery_at"] < now]
    customs = [o for o in shipped if o["shipments"][0]["events"][-1]["status"] == "customs_hold"]
    assert len(on_time) >= 10 and len(late) >= 10 and len(customs) >= 3
    for o in late:
        last = o["shipments"][0]["events"][-1]
        assert last["status"] != "delivered" and last["at"] < now - timedelta(days=1)
    for o in customs:
        last = o["shipments"][0]["events"][-1]
        assert last["at"] < now - timedelta(days=3) and "customs" in last["description"].lower()
    assert statuses["delivered"] > len(demo.orders) // 4


def test_conversations_cover_every_intent_and_language(demo: DemoData) -> None:
    convs = demo.conversations
    assert {c["expected_intent"] for c in convs} == INTENTS
    languages = Counter(c["language"] for c in convs)
    assert set(languages) == LANGUAGES
    for lang in ("zh", "en"):
        assert 0.25 <= languages[lang] / len(convs) <= 0.40
    assert {c["status"] for c in convs} == {"new", "open", "pending", "resolved"}


def test_conversations_point_at_real_customers_and_orders(demo: DemoData) -> None:
    customers = {c["key"]: c for c in demo.customers}
    orders = _orders_by_id(demo)
    platforms = {s["slug"]: s["platform"] for s in demo.shops}
    linked = 0
    for c in demo.conversations:
        customer = customers[c["customer_key"]]
        assert c["shop"] in {i["shop"] for i in customer["identities"]}
        assert c["channel"] in {platforms[c["shop"]], "webchat", "email"}
        if c["shop"] in ("amazon-us", "aliexpress-global", "pinduoduo-cn"):
            assert c["channel"] == platforms[c["shop"]]
        if c["order_external_id"] is not None:
            linked += 1
            order = orders[(c["shop"], c["order_external_id"])]
            assert order["customer_key"] == c["customer_key"]
            assert order["placed_at"] < c["messages"][0]["at"]
    assert 40 <= linked < len(demo.conversations)


def test_messages_are_ordered_recent_and_well_formed(demo: DemoData, now: datetime) -> None:
    threads = [c["external_thread_id"] for c in demo.conversations]
    assert len(threads) == len(set(threads))
    message_ids = [m["external_id"] for c in demo.conversations for m in c["messages"]]
    assert len(message_ids) == len(set(message_ids))
    at_now = 0
    for c in demo.conversations:
        times = [m["at"] for m in c["messages"]]
        assert all(_aware(t) for t in times) and times == sorted(times)
        assert now - timedelta(days=4) <= times[0] and times[-1] <= now
        at_now += sum(1 for t in times if now - t < timedelta(seconds=1))
        assert c["messages"][0]["direction"] == "inbound"
        for m in c["messages"]:
            assert "{" not in m["text"] and m["text"].strip()
            if m["direction"] == "inbound":
                assert m["author"] is None
                InboundMessageIn.model_validate(
                    {"shop": c["shop"], "channel": c["channel"], "external_id": m["external_id"],
                     "thread_id": c["external_thread_id"], "text": m["text"], "sent_at": m["at"],
                     "customer": {"external_id": "x"}}
                )  # fmt: skip
            else:
                assert m["author"] in AGENTS and m["direction"] in {"outbound", "note"}
    assert 1 <= at_now <= 3
    directions = Counter(m["direction"] for c in demo.conversations for m in c["messages"])
    assert directions["outbound"] >= 8 and directions["note"] >= 4


def test_some_customers_threaten_and_some_give_no_order_id(demo: DemoData) -> None:
    text = "\n".join(m["text"] for c in demo.conversations for m in c["messages"])
    for threat in (
        "A-to-z",
        "1 STAR REVIEW",
        "12315",
        "差评",
        "disputa",
        "dispute",
        "спор",
        "litige",
        "bank",
    ):
        assert threat in text, threat
    vague = [c for c in demo.conversations if c["order_external_id"] is None]
    assert len(vague) >= 10
    quoted = [
        c
        for c in demo.conversations
        if c["order_external_id"] and c["order_external_id"] in c["messages"][0]["text"]
    ]
    assert len(quoted) >= 10


def test_same_inputs_give_identical_output_and_times_follow_now() -> None:
    first, second = build_demo(now=NOW, seed=7), build_demo(now=NOW, seed=7)
    assert first == second
    other = build_demo(now=NOW, seed=8)
    assert [o["external_id"] for o in other.orders] != [o["external_id"] for o in first.orders]
    later = build_demo(now=NOW + timedelta(days=30), seed=7)
    shift = (
        later.conversations[0]["messages"][0]["at"] - first.conversations[0]["messages"][0]["at"]
    )
    assert shift == timedelta(days=30)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_demo(now=datetime(2026, 11, 23, 17, 0))


def test_story_day_counts_hold_when_the_customer_writes(demo: DemoData) -> None:
    # "Tracking hasn't moved in 4 days" and "delivered yesterday" are said in the first
    # message, so the story's numbers count back from it (they counted from now, and the
    # demo showed 3 days without a scan and a delivery the same morning).
    from kefu.demo.generate import CONVERSATION_FILES, _load

    raw = [c for name in CONVERSATION_FILES for c in _load(name)["conversations"]]
    orders = _orders_by_id(demo)
    checked = 0
    for story, conv in zip(raw, demo.conversations, strict=True):
        spec = story.get("order") or {}
        if not conv["order_external_id"]:
            continue
        order = orders[(conv["shop"], conv["order_external_id"])]
        first = conv["messages"][0]["at"]
        days = {}
        if "stall_days" in spec and spec["scenario"] == "late":
            days["stall_days"] = first - order["shipments"][0]["events"][-1]["at"]
        if "delivered_days_ago" in spec and spec["scenario"] == "delivered":
            days["delivered_days_ago"] = first - order["delivered_at"]
        if "placed_days_ago" in spec:
            days["placed_days_ago"] = first - order["placed_at"]
        for key, gap in days.items():
            assert abs(gap / timedelta(days=1) - spec[key]) <= 0.35, (key, story["messages"][0])
            checked += 1
    assert checked >= 30
