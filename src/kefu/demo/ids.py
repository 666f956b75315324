"""Real-looking order ids and carrier tracking numbers, with each format's check digit.

Formats follow PLATFORM_FACTS.md section 6; every function is pure given its `random.Random`.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

_DIGITS = string.digits
_UPPER_ALNUM = string.ascii_uppercase + string.digits
# Pinduoduo order numbers carry the order date in China time (UTC+8 all year, no DST).
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(_DIGITS) for _ in range(count))


def ups_check_digit(serial: str) -> int:
    """UPS 1Z mod-10 check over the 15 characters after '1Z' (letters map to (ord-3) % 10)."""
    total = 0
    for index, char in enumerate(serial):
        value = int(char) if char.isdigit() else (ord(char) - 3) % 10
        total += value * 2 if index % 2 else value
    return (10 - total % 10) % 10


def usps_check_digit(body: str) -> int:
    """USPS IMpb mod-10: weights 3,1,3,... from the rightmost digit of the body."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def s10_check_digit(serial: str) -> int:
    """UPU S10 check digit over 8 serial digits: weights 8,6,4,2,3,5,9,7; 10 -> 0, 11 -> 5."""
    total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def dhl_check_digit(body: str) -> int:
    """DHL Express 10-digit waybill: the first nine digits as a number, mod 7."""
    return int(body) % 7


def ups(rng: random.Random) -> str:
    """UPS 1Z number: shipper account, service code, package number, check digit."""
    shipper = "".join(rng.choice(_UPPER_ALNUM) for _ in range(6))
    serial = shipper + rng.choice(("03", "02", "12")) + _digits(rng, 7)
    return f"1Z{serial}{ups_check_digit(serial)}"


def usps(rng: random.Random) -> str:
    """USPS 22-digit IMpb (Priority 9405 / Ground Advantage 9400 style)."""
    body = rng.choice(("9400", "9405", "9200")) + _digits(rng, 17)
    return f"{body}{usps_check_digit(body)}"


def s10(rng: random.Random, prefix: str, country: str = "CN") -> str:
    """UPU S10 postal item number such as LX123456785CN."""
    serial = _digits(rng, 8)
    return f"{prefix}{serial}{s10_check_digit(serial)}{country}"


def dhl(rng: random.Random) -> str:
    """DHL Express 10-digit waybill with its mod-7 check digit."""
    body = rng.choice("123456789") + _digits(rng, 8)
    return f"{body}{dhl_check_digit(body)}"


def amazon_logistics(rng: random.Random) -> str:
    """Amazon Logistics TBA number."""
    return "TBA" + _digits(rng, 12)


def cainiao(rng: random.Random) -> str:
    """Cainiao first-mile reference LP00 + 14 digits."""
    return "LP00" + _digits(rng, 14)


def yunexpress(rng: random.Random) -> str:
    """YunExpress YT + 16 digits (YTO uses YT + 13; the length tells them apart)."""
    return "YT" + rng.choice(("22", "23", "24")) + _digits(rng, 14)


def yto(rng: random.Random) -> str:
    """YTO Express (圆通) YT + 13 digits."""
    return "YT" + rng.choice("6789") + _digits(rng, 12)


def sf(rng: random.Random) -> str:
    """SF Express (顺丰) SF + 13 digits."""
    return "SF1" + _digits(rng, 12)


def jtexpress(rng: random.Random) -> str:
    """J&T Express (极兔) JT + 13 digits."""
    return "JT" + rng.choice("35") + _digits(rng, 12)


def tracking_number(kind: str, rng: random.Random) -> str:
    """A tracking number for a format name used in carriers.yaml."""
    makers: dict[str, Callable[[random.Random], str]] = {
        "ups": ups,
        "usps": usps,
        "amazon_logistics": amazon_logistics,
        "epacket": lambda r: s10(r, r.choice(("LX", "LY", "LZ"))),
        "china_post_registered": lambda r: s10(r, r.choice(("RB", "RC", "RS"))),
        "cainiao": cainiao,
        "yunexpress": yunexpress,
        "yto": yto,
        "sf": sf,
        "jt": jtexpress,
        "dhl": dhl,
    }
    return makers[kind](rng)


def amazon_order_id(rng: random.Random) -> str:
    """Amazon 3-7-7 order id; US marketplace ids commonly start 111-114."""
    return f"{rng.choice(('111', '112', '113', '114'))}-{_digits(rng, 7)}-{_digits(rng, 7)}"


def aliexpress_order_id(rng: random.Random, buyer_suffix: str) -> str:
    """AliExpress 16-digit order id; the last four digits stay the same for one buyer."""
    return rng.choice(("80", "81", "30")) + _digits(rng, 10) + buyer_suffix


def pinduoduo_order_id(rng: random.Random, placed_at: datetime) -> str:
    """Pinduoduo order_sn: YYMMDD (China date of the order) '-' 15 digits."""
    return f"{placed_at.astimezone(CHINA_TZ):%y%m%d}-{rng.choice('123456789')}{_digits(rng, 14)}"


def shopify_order_name(number: int) -> str:
    """Shopify's default order name, #1001 upwards."""
    return f"#{number}"
