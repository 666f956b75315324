"""Entities with exact character spans: order ids, tracking numbers, ASIN/SKU, money, dates,
durations, email and phone.

The extractor scans the first ``ENTITY_CHAR_CAP`` characters of a message (64 KiB, the largest
message Kefu accepts); every span indexes the original string, ``text[start:end] == value``.
Overlaps are resolved by rank (the most specific format wins), then by length.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import phonenumbers

from kefu.nlu import checksums, patterns
from kefu.nlu.numeric_dates import is_numeric_date
from kefu.nlu.patterns import L, R
from kefu.nlu.schemas import Entity
from kefu.nlu.textnorm import safe_text

ENTITY_CHAR_CAP = 65_536
_ANY_DIGIT = re.compile(r"\d")
_NOT_DIGIT = re.compile(r"\D")
# Every pattern of ``patterns.ID_RULES`` and ``patterns.S10`` contains one of these (seven
# digits in a row, or the fixed letters of the UPS, JD and ASIN formats, or Shopify's "#1234",
# or the start of a USPS number printed in fours):
# one cheap search lets most messages skip twenty-odd scans.
_ID_HINT = re.compile(r"\d{7}|1[Zz]|JD|B0|#\d{4}|9[1-5]\d\d \d{4} \d{4}")
# Buyers type tracking numbers in lower case ("1z999aa1..."); ASCII upper-casing keeps every
# span (one character for one, unlike str.upper: "ß" becomes "SS").
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_LOWER = re.compile(r"[a-z]")

# Words around an id; fenced by ASCII look-arounds, not \b, which fails beside Chinese
# ("DHL单号", "邮箱是wang_li@163.com").
_CONTEXT = re.compile(
    rf"(?P<o>订单号?|訂單號?|(?i:{L}order{R}|{L}ord{R}|{L}pedido|{L}commande|{L}bestell\w*|{L}auftrag"
    rf"|{L}encomenda|{L}ordine|заказ\w*|{L}sipari\w*|{L}zamówieni\w*|{L}bestelling)|طلب|注文|주문)"
    rf"|(?P<t>(?i:tracking|{L}track{R}|seguimiento|{L}suivi{R}|sendung\w*|rastre\w*|трек\w*|отслеж\w*"
    rf"|{L}awb{R}|waybill|{L}takip|przesyłk\w*|volgnummer)|运单号?|快递单号?|物流单号?|单号|物流|快递"
    r"|تتبع|追跡|송장)"
)
_CARRIER_NAMES = {
    "ups": rf"(?i:{L}ups{R})",
    "usps": rf"(?i:{L}usps{R})",
    "fedex": rf"(?i:{L}fed\s?ex{R})",
    "dhl": rf"(?i:{L}dhl{R})",
    "china_post": r"(?i:china\s?post|e-?packet)|中国邮政|邮政|e邮宝",
    "ems": rf"(?i:{L}ems{R})",
    "sf": rf"顺丰|(?i:{L}sf\s?express{R})",
    "zto": rf"中通|(?i:{L}zto{R})",
    "sto": r"申通",
    "yunda": rf"韵达|(?i:{L}yunda{R})",
    "yto": rf"圆通|(?i:{L}yto{R})",
    "jd_logistics": r"京东(?:物流|快递)",
    "jt": rf"极兔|(?i:{L}j&t{R})",
    "cainiao": rf"菜鸟|(?i:{L}cainiao{R})",
    "yunexpress": rf"云途|(?i:{L}yun\s?express{R})",
    "4px": rf"递四方|(?i:{L}4px{R})",
    "canada_post": r"(?i:canada\s?post|postes\s?canada)",
    "dpd": rf"(?i:{L}dpd{R})",
}
_CARRIER = re.compile("|".join(f"(?P<c_{n}>{e})" for n, e in _CARRIER_NAMES.items()))
_CURRENCY = {
    "$": "USD", "US$": "USD", "USD": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD",
    "C$": "CAD", "CA$": "CAD", "CAD": "CAD", "A$": "AUD", "AU$": "AUD", "AUD": "AUD",
    "HK$": "HKD", "NZ$": "NZD", "R$": "BRL", "reais": "BRL", "dólares": "USD", "dolares": "USD",
    "€": "EUR", "EUR": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "GBP": "GBP",
    "pound": "GBP", "pounds": "GBP", "¥": "CNY", "￥": "CNY", "元": "CNY", "块": "CNY",
    "块钱": "CNY", "圆": "CNY", "RMB": "CNY", "CNY": "CNY", "円": "JPY", "JPY": "JPY",
    "₹": "INR", "₽": "RUB", "₩": "KRW", "₺": "TRY", "TL": "TRY", "zł": "PLN", "PLN": "PLN",
    "ريال": "SAR", "درهم": "AED", "جنيه": "EGP", "ruble": "RUB", "rubles": "RUB",
    "rouble": "RUB", "roubles": "RUB", "yuan": "CNY", "yen": "JPY",
    "INR": "INR", "Rs": "INR", "Rs.": "INR", "美元": "USD", "美金": "USD", "欧元": "EUR",
    "歐元": "EUR", "英镑": "GBP", "英鎊": "GBP", "日元": "JPY", "日币": "JPY", "港币": "HKD",
    "港元": "HKD", "加元": "CAD", "澳元": "AUD", "卢布": "RUB", "人民币": "CNY",
}  # fmt: skip
_DURATION_UNIT = {
    "hour": "H", "hr": "H", "小时": "H", "个小时": "H", "个星期": "W", "个礼拜": "W",
    "hora": "H", "heure": "H", "stunde": "H", "час": "H",
    "時間": "H", "day": "D", "天": "D", "日": "D", "día": "D", "dia": "D", "jour": "D",
    "tag": "D", "дн": "D", "ден": "D", "日間": "D", "week": "W", "wk": "W", "星期": "W",
    "礼拜": "W", "周": "W", "semana": "W", "semaine": "W", "woche": "W", "недел": "W",
    "週間": "W", "month": "M", "个月": "M", "月": "M", "mes": "M", "mois": "M", "monat": "M",
    "mês": "M", "месяц": "M", "か月": "M", "ヶ月": "M",
    "يوم": "D", "أيام": "D", "يومين": "D", "يومان": "D", "ساع": "H", "أسبوع": "W",
    "أسابيع": "W", "شهر": "M", "أشهر": "M", "شهور": "M",
    "year": "Y", "yr": "Y", "年": "Y", "年間": "Y", "año": "Y", "ano": "Y", "an": "Y",
    "jahr": "Y", "год": "Y", "лет": "Y", "سن": "Y", "عام": "Y", "أعوام": "Y",
}  # fmt: skip
_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "un": 1, "una": 1, "une": 1, "uno": 1, "ein": 1, "eine": 1,
    "einer": 1, "two": 2, "dos": 2, "deux": 2, "zwei": 2, "duas": 2, "a couple of": 2,
    "um": 1, "uma": 1, "dois": 2, "three": 3, "tres": 3, "trois": 3, "drei": 3, "três": 3,
    "four": 4, "vier": 4, "quatre": 4, "cuatro": 4, "quatro": 4, "five": 5, "fünf": 5,
    "cinco": 5, "cinq": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "quinze": 15, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "quince": 15, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
    "один": 1, "одна": 1, "одну": 1, "одного": 1, "два": 2, "две": 2, "двух": 2, "три": 3,
    "трёх": 3, "трех": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "полтора": 1.5, "полторы": 1.5,
}  # fmt: skip
_ZH_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


@dataclass(frozen=True)
class _Candidate:
    entity: Entity
    rank: int


def _context(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    """Nearest order/tracking word and carrier name around a span (before wins over after)."""
    before, after = text[max(0, start - 48) : start], text[end : end + 24]
    kind = carrier = None
    hits = list(_CONTEXT.finditer(before))
    hit = hits[-1] if hits else _CONTEXT.search(after)
    if hit:
        kind = "order" if hit.group("o") else "tracking"
    chits = list(_CARRIER.finditer(before))
    chit = chits[-1] if chits else _CARRIER.search(after)
    if chit and chit.lastgroup:
        carrier = chit.lastgroup[2:]
    return kind, carrier


def _entity(
    text: str,
    start: int,
    end: int,
    kind: str,
    platform: str | None,
    normalized: str | None = None,
    check: bool | None = None,
) -> Entity:
    return Entity(
        type=kind, value=text[start:end], start=start, end=end, platform=platform,
        normalized=normalized,
        check_digit=None if check is None else "valid" if check else "invalid",
    )  # fmt: skip


def _id_candidates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    if not _ID_HINT.search(text):
        return out
    for rule in patterns.ID_RULES:
        for m in rule.pattern.finditer(text):
            s, e = m.span()
            written = m.group()
            compact = None
            if rule.spaced is not None and " " in written:
                compact = written.replace(" ", rule.spaced)
            valid = rule.check(compact or written) if rule.check else None
            if rule.check is not None or rule.context is not None:
                kind, carrier = _context(text, s, e)
                by_context = (
                    kind == "order"
                    if rule.context == "order"
                    else carrier == rule.platform or (rule.context is None and kind == "tracking")
                )
                if not (valid or by_context):
                    continue
            entity = _entity(text, s, e, rule.type, rule.platform, compact, check=valid)
            out.append(_Candidate(entity, rule.rank))
    for m in patterns.S10.finditer(text):
        s, e = m.span()
        kind, carrier = _context(text, s, e)
        valid = checksums.s10_valid(m.group())
        if not (valid or kind == "tracking" or carrier):
            continue
        # The country letters name the postal operator; the words around name one only when
        # they name a non-postal carrier ("荷兰邮政RS...NL": 邮政 is "post", not China Post).
        platform = _s10_platform(m.group(2))
        if carrier in _POSTAL_CARRIERS:
            carrier = None
        entity = _entity(text, s, e, "tracking_number", carrier or platform, check=valid)
        out.append(_Candidate(entity, patterns.S10_RANK))
    if _ASCII_LOWER.search(text):
        out += _lower_case_tracking(text)
    return out


# Tracking formats with letters and a check digit (UPS 1Z, UPU S10): pattern, check, what the
# spaces of a spaced form become, carrier (None: by the S10 country), rank.
_CHECKED_TRACKING = [
    (rule.pattern, rule.check, rule.spaced, rule.platform, rule.rank)
    for rule in patterns.ID_RULES
    if rule.type == "tracking_number" and rule.check is not None and rule.platform in ("ups", "dpd")
] + [(patterns.S10, checksums.s10_valid, None, None, patterns.S10_RANK)]
# Formats without a check digit that are a fixed carrier prefix and then twelve or more digits
# ("sf1423...", "yt2312...", "lp0012..."): in lower case still too particular to be anything
# else. Mixed letters and digits (JD's, OnTrac's one letter) need the carrier's upper case.
_PREFIXED_DIGITS_CARRIERS = frozenset(
    {"amazon_logistics", "4px", "yunexpress", "yto", "sf", "jt", "yodel", "cainiao", "dhl"}
)
_PREFIXED_DIGITS_TRACKING = [
    (rule.pattern, rule.spaced, rule.platform, rule.rank)
    for rule in patterns.ID_RULES
    if rule.type == "tracking_number"
    and rule.check is None
    and rule.context is None
    and rule.platform in _PREFIXED_DIGITS_CARRIERS
]


def _lower_case_tracking(text: str) -> list[_Candidate]:
    """Tracking numbers typed in lower case: those with a check digit when it holds (a run of
    lower-case letters and digits is otherwise too common to call a tracking number), and the
    carrier-prefixed digit runs above; the entity is written as typed and normalized to the
    carrier's upper case."""
    upper = text.translate(_ASCII_UPPER)
    out = []
    for pattern, check, spaced, platform, rank in _CHECKED_TRACKING:
        for m in _retyped(pattern, text, upper):
            s, e = m.span()
            normalized = _as_printed(m.group(), spaced)
            if check(normalized):
                carrier = platform or _s10_platform(m.group(2))
                entity = _entity(text, s, e, "tracking_number", carrier, normalized, True)
                out.append(_Candidate(entity, rank))
    for pattern, spaced, carrier, rank in _PREFIXED_DIGITS_TRACKING:
        for m in _retyped(pattern, text, upper):
            s, e = m.span()
            normalized = _as_printed(m.group(), spaced)
            entity = _entity(text, s, e, "tracking_number", carrier, normalized)
            out.append(_Candidate(entity, rank))
    return out


def _as_printed(written: str, spaced: str | None) -> str:
    """``written`` with its spaces as the carrier prints them (``spaced``), if it may hold any."""
    return written.replace(" ", spaced) if spaced is not None else written


def _retyped(pattern: re.Pattern[str], text: str, upper: str) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` in the upper-cased ``upper`` that ``text`` spells otherwise (the
    matches as written were found already)."""
    for m in pattern.finditer(upper):
        s, e = m.span()
        if text[s:e] != m.group():
            yield m


_POSTAL_CARRIERS = frozenset({"china_post", "ems", "usps", "canada_post"})


def _s10_platform(country: str) -> str:
    """The postal operator of a UPU S10 number, by its country letters."""
    return {"CN": "china_post", "US": "usps"}.get(country, f"post_{country.lower()}")


_CARD_WORD = re.compile(
    r"(?i:\bcard\b|\bvisa\b|mastercard|\bamex\b|tarjeta|carte\b|karte\b|cart[aã]o|карт)"
    r"|信用卡|银行卡|卡号|カード|بطاقة"
)
# A yen sign is Chinese yuan unless the message is Japanese or says yen.
_YEN_CONTEXT = re.compile(r"[\u3040-\u30ff]|円|(?i:\byen\b|\bjpy\b)")


def _carrier_check(carrier: str, run: str) -> bool | None:
    """The check digit of a bare run of digits under ``carrier``, where the carrier defines one
    for that length."""
    n = len(run)
    if carrier == "usps" and n in (20, 22):
        return checksums.gs1_mod10_valid(run)
    if carrier == "fedex" and n == 12:
        return checksums.fedex12_valid(run)
    if carrier == "dhl" and n in (10, 11):
        return checksums.dhl_mod7_valid(run)
    if carrier == "dpd" and n == 15:
        return checksums.dpd_valid(run)
    return None


_CN_MOBILE = re.compile(r"1[3-9]\d{9}")
_PLATFORM_NAMES = {
    "jd": rf"京东|(?i:{L}jd(?:\.com)?{R})",
    "taobao": rf"淘宝|天猫|(?i:{L}(?:taobao|tmall){R})",
    "pinduoduo": rf"拼多多|(?i:{L}(?:pinduoduo|pdd){R})",
    "aliexpress": rf"速卖通|(?i:{L}ali\s?express{R})",
    "amazon": rf"亚马逊|(?i:{L}amazon{R})",
    "temu": rf"(?i:{L}temu{R})",
    "shopify": rf"(?i:{L}shopify{R})",
}
_PLATFORM = re.compile("|".join(f"(?P<{n}>{e})" for n, e in _PLATFORM_NAMES.items()))


def _named_platform(text: str, start: int) -> str | None:
    """The marketplace named just before a bare order number ("京东订单号3056...")."""
    hits = list(_PLATFORM.finditer(text, max(0, start - 24), start))
    return hits[-1].lastgroup if hits else None


def _digits_candidate(text: str, m: re.Match[str], platform: str | None) -> _Candidate | None:
    """Decide what a bare run of digits is from its length, check digits and nearby words."""
    run, (s, e) = m.group(), m.span()
    n, (kind, carrier) = len(run), _context(text, s, e)
    usps_like = n in (20, 22) and run[:2] in {"91", "92", "93", "94", "95"}
    if carrier and kind != "order":
        if n == 11 and _CN_MOBILE.fullmatch(run) and carrier != "dhl" and kind != "tracking":
            return None  # "极兔...派件员电话打不通，139...": the courier's phone, not a parcel
        check = _carrier_check(carrier, run)
        if carrier == "dhl" and check is False and kind != "tracking":
            # DHL's ten digits are too common a shape to take without its check, unless the
            # customer calls it a tracking number ("my DHL tracking number is ...").
            return None
        entity = _entity(text, s, e, "tracking_number", carrier, check=check)
        return _Candidate(entity, patterns.DIGITS_RANK + 12)
    if kind == "order":
        guess = platform or _named_platform(text, s)
        guess = guess or {16: "aliexpress", 15: "aliexpress", 17: "aliexpress"}.get(n)
        if guess is None and n in (18, 19):
            guess = "taobao"
        return _Candidate(_entity(text, s, e, "order_id", guess), patterns.DIGITS_RANK + 12)
    if kind == "tracking":
        guess = "usps" if usps_like and checksums.gs1_mod10_valid(run) else None
        if guess is None and n == 12 and checksums.fedex12_valid(run):
            guess = "fedex"
        entity = _entity(text, s, e, "tracking_number", guess, check=True if guess else None)
        return _Candidate(entity, patterns.DIGITS_RANK + 12)
    if usps_like and checksums.gs1_mod10_valid(run):
        entity = _entity(text, s, e, "tracking_number", "usps", check=True)
        return _Candidate(entity, patterns.DIGITS_RANK)
    if n == 16 and platform in (None, "aliexpress"):
        if _CARD_WORD.search(text[max(0, s - 32) : s]) and checksums.luhn_valid(run):
            return None  # "my card 4111 1111 1111 1111 was charged twice": not an order
        # PLATFORM_FACTS 6.1: sixteen digits is the AliExpress order format (medium confidence).
        return _Candidate(_entity(text, s, e, "order_id", "aliexpress"), patterns.DIGITS_RANK)
    return None


def _amount(raw: str) -> Decimal | None:
    s = re.sub(r"[\s\u00a0\u202f']", "", raw)
    if "," in s and "." in s:
        decimal_sep = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        s = s.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in s:
        s = s.replace(",", ".") if re.search(r",\d{1,2}$", s) else s.replace(",", "")
    elif "." in s and re.search(r"\.\d{3}$", s) and s.count(".") >= 1 and len(s) > 4:
        s = s.replace(".", "")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _money_candidates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    yen: bool | None = None  # whether a yen sign means JPY here: looked up once per message
    for m in patterns.MONEY.finditer(text):
        symbol = m.group("pre") or m.group("post") or ""
        amount = _amount(m.group("a") or m.group("b") or "")
        if amount is not None and m.group("mult"):
            amount = (amount * (10_000 if m.group("mult") == "万" else 1_000)).normalize()
            amount = amount.quantize(1) if amount == amount.to_integral() else amount
        currency = _CURRENCY.get(symbol) or _CURRENCY.get(symbol.lower())
        if symbol in ("¥", "￥"):
            if yen is None:
                yen = _YEN_CONTEXT.search(text) is not None
            currency = "JPY" if yen else currency
        if currency is None:
            currency = "RUB" if symbol.lower().startswith("руб") else "UNKNOWN"
        if amount is None:
            continue
        # A range ("$20-30") names no one amount: the span, but no normalized value.
        ranged = m.group("a2") or m.group("b2")
        normalized = None if ranged else f"{amount} {currency}"
        s, e = m.span()
        out.append(_Candidate(_entity(text, s, e, "money", None, normalized), patterns.MONEY_RANK))
    return out


def _duration_iso(number: str, unit: str) -> str | None:
    """The ISO 8601 duration a count and unit name; None for a range ("2-3 weeks", "五六天"),
    a vague count ("a few", "十几") or working days, which no calendar duration gives."""
    number = number.lower()
    value: float | None
    if number.isdigit():
        value = float(number)
    elif number in _WORD_NUMBERS:
        value = float(_WORD_NUMBERS[number])
    elif number == "半":
        value = 0.5
    elif number in _ZH_DIGITS:
        value = float(_ZH_DIGITS[number])
    elif "十" in number and all(c in _ZH_DIGITS or c == "十" for c in number):
        # (Without a 十, "五六天" is "five or six days": no one number, so no ISO value; nor
        # has "二三十天", twenty or thirty days.)
        tens, _, ones = number.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        value = float(_ZH_DIGITS.get(tens, 1) * 10 + _ZH_DIGITS.get(ones, 0))
    else:
        return None
    # "一个多月" (over a month) counts the month; "一个半月" is a month and a half.
    unit = unit.replace("多", "")
    if unit.startswith("个半"):
        value, unit = value + 0.5, unit[2:]
    key = next(
        (k for k in sorted(_DURATION_UNIT, key=len, reverse=True) if unit.lower().startswith(k)),
        None,
    )
    if key is None:
        return None
    code, shown = _DURATION_UNIT[key], f"{value:g}"
    return f"PT{shown}H" if code == "H" else f"P{shown}{code}"


# (number, unit) group names of each language's branch of ``patterns.DURATION``.
_DURATION_GROUPS = (
    *(("en", "enu"), ("zh", "zhu"), ("xx", "xxu")),
    *(("ru", "ruu"), ("ja", "jau"), ("ar", "aru")),
)


def _time_candidates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    lowered = text.lower()
    if any(unit in lowered for unit in patterns.DURATION_UNITS):
        for m in patterns.DURATION.finditer(text):
            groups = m.groupdict()
            if groups["ard"] is not None:
                num, unit = "2", groups["ard"]  # an Arabic dual: two of the unit
            else:
                num, unit = next(
                    (groups[a], groups[b]) for a, b in _DURATION_GROUPS if groups[a] is not None
                )
            iso = _duration_iso(num, unit or "")
            s, e = m.span()
            ago_s, ago_e = _ago_span(text, s, e)
            if (ago_s, ago_e) != (s, e):
                out.append(_Candidate(_entity(text, ago_s, ago_e, "date", None), _AGO_RANK))
                continue
            out.append(
                _Candidate(_entity(text, s, e, "duration", None, iso), patterns.DATE_RANK + 2)
            )
        for m in patterns.AGO_BARE.finditer(text):
            out.append(_Candidate(_entity(text, *m.span(), "date", None), _AGO_RANK))
    digit = patterns.DIGIT.search(text) is not None
    if digit or any(word in lowered for word in patterns.DATE_WORDS):
        for m in patterns.DATE.finditer(text):
            s, e = m.span()
            out.append(_Candidate(_entity(text, s, e, "date", None), patterns.DATE_RANK))
    if patterns.WEEKDAY_HINT.search(lowered):
        for m in patterns.WEEKDAY.finditer(text):
            s, e = m.span()
            out.append(_Candidate(_entity(text, s, e, "date", None), patterns.DATE_RANK))
    if digit:
        ascii_text = text.isascii()
        last_end = -1
        for m in patterns.NUMERIC_DATE.finditer(text):
            s, e = m.span()
            listed = last_end >= 0 and _COORDINATED.fullmatch(text, last_end, s) is not None
            if listed or is_numeric_date(text, m, ascii_text=ascii_text):
                out.append(_Candidate(_entity(text, s, e, "date", None), patterns.DATE_RANK))
                last_end = e
    return out


# A date said as a point in the past outranks the duration inside it ("12 days ago").
_AGO_RANK = patterns.DATE_RANK + 3
# Between two numeric dates of one list: "on 11/08 and 11/12", "10/28 - 11/02", "11/08、11/12".
_COORDINATED = re.compile(
    r"\s*(?:,|、|-|–|~|/|&|(?i:and|or|to|y|o|et|ou|und|oder|e|и|или)|和|或|至|到)\s*"
)


def _ago_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a duration widened by the words that make it a point in the past ("12 days
    ago", "hace 3 semanas"); the duration's own span when there are none."""
    after = patterns.AGO_AFTER.match(text, end)
    if after:
        return start, after.end()
    before = patterns.AGO_BEFORE.search(text, max(0, start - 12), start)
    if before:
        return before.start(), end
    past = patterns.AGO_PAST_BEFORE.search(text, max(0, start - 40), start)
    if past:
        return past.start("ago"), end
    return start, end


def _contact_candidates(text: str) -> list[_Candidate]:
    out = [
        _Candidate(_entity(text, *m.span(), "email", None), 100)
        for m in patterns.EMAIL.finditer(text)
    ]
    labelled = [m.span(1) for m in patterns.SKU.finditer(text)]
    for start, end in labelled:
        out.append(_Candidate(_entity(text, start, end, "sku", None), 78))
    for start, end in _sibling_skus(text, labelled):
        out.append(_Candidate(_entity(text, start, end, "sku", None), 77))
    for m in patterns.PHONE.finditer(text):
        raw = m.group()
        digits = _NOT_DIGIT.sub("", raw)
        region = _phone_region(raw, digits)
        try:
            parsed = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_possible_number(parsed):
            continue
        national = region in ("GB", "JP", "FR") or (region == "CN" and raw[0] == "0")
        if national and not phonenumbers.is_valid_number(parsed):
            continue  # digits from 0 are a phone only where that country assigns them
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        out.append(_Candidate(_entity(text, *m.span(), "phone", None, e164), 62))
    out += _french_mobiles_run_together(text)
    return out


_SKU_TOKEN = re.compile(r"(?<![A-Za-z0-9_./-])[A-Za-z0-9][A-Za-z0-9_./-]{1,40}[A-Za-z0-9]")
_SKU_SEPARATOR = re.compile(r"[_./-]")


def _sibling_skus(text: str, labelled: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Codes the customer names without the label, in the shape of one they labelled: "you sent
    SKU: TSH-BLK-M but I ordered TSH-BLK-L", "货号AB1023发成了AB1024"."""
    if not labelled:
        return []
    codes = {text[s:e] for s, e in labelled}
    return [
        m.span()
        for m in _SKU_TOKEN.finditer(text)
        if m.span() not in labelled and any(_same_shape(code, m.group()) for code in codes)
    ]


def _same_shape(code: str, other: str) -> bool:
    """Same family: all but the last part of a separated code alike ("TSH-BLK-" + any short
    part), or, unseparated, the same letters-and-digits pattern differing in the last 3."""
    if code == other:
        return False
    cut = max((m.end() for m in _SKU_SEPARATOR.finditer(code)), default=0)
    if cut:
        tail = other[cut:]
        return cut >= 3 and other[:cut] == code[:cut] and 0 < len(tail) <= 6 and tail.isalnum()
    if len(other) != len(code) or len(code) < 5 or _SKU_SEPARATOR.search(other):
        return False
    pattern = [c.isdigit() for c in code]
    has_both = any(pattern) and not all(pattern)
    return has_both and pattern == [c.isdigit() for c in other] and other[:-3] == code[:-3]


_FRENCH_MOBILE_RUN = re.compile(r"(?<![A-Za-z0-9+])0[67]\d{8}(?![A-Za-z0-9])")
_PHONE_WORD = re.compile(
    r"(?i:appel|t[ée]l[ée]phone|\bt[ée]l\b|portable|joindre|\bphone|\bcall|mobile)"
)


def _french_mobiles_run_together(text: str) -> list[_Candidate]:
    """Ten digits from 06 or 07 after a word for calling ("appelez-moi au 0612345678"): a French
    mobile; without such a word they are as likely a parcel (DHL's ten digits)."""
    out = []
    for m in _FRENCH_MOBILE_RUN.finditer(text):
        if _PHONE_WORD.search(text, max(0, m.start() - 30), m.start()):
            e164 = "+33" + m.group()[1:]
            out.append(_Candidate(_entity(text, *m.span(), "phone", None, e164), 75))
    return out


_FRENCH_PAIRS = re.compile(r"0[1-9](?P<f>[ .])\d\d(?:(?P=f)\d\d){3}")


def _phone_region(raw: str, digits: str) -> str | None:
    """The country a phone number written without its country code belongs to, by its shape:
    "0" and a hyphen a Chinese landline ("010-62345678") or a Japanese mobile ("090-1234-5678"),
    "0" and four more pairs a French number ("06 12 34 56 78"), other "0..." shapes a UK
    number, eleven digits from 1 a Chinese mobile, else the US."""
    if raw.startswith("+"):
        return None
    if raw[0] == "0" and "-" in raw:
        return "JP" if raw.count("-") == 2 else "CN"
    if raw[0] == "0":
        return "FR" if _FRENCH_PAIRS.fullmatch(raw) else "GB"
    return "CN" if raw[0] == "1" and len(digits) == 11 else "US"


# A customer names a few orders, amounts and dates; thousands are a paste or an attack, and
# would make the stored triage result many times the size of the message.
MAX_ENTITIES = 200


# Full-width letters, digits and signs (Chinese input methods can type "２５０１０１－"), read as
# their ASCII forms; one character for one.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
# The full-width comma stays: in Chinese it ends a clause ("订单号3056...，3天前"), and read as
# "," it glued the next digit to the number as a decimal; only between full-width digits
# ("１，２００元") is it a thousands separator.
_HALF_WIDTH = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20, 0xFF0C: 0xFF0C}
_GROUPING_COMMA = re.compile("(?<=[\uff10-\uff19])\uff0c(?=[\uff10-\uff19]{3})")


def _non_overlapping(ranked: Iterable[Entity]) -> list[Entity]:
    """The entities, best first, that overlap none taken before them, at most
    ``MAX_ENTITIES``; in reading order.

    The taken spans are kept sorted and disjoint, so only the one starting last before a
    candidate's end can overlap it: a bisection per candidate. (Checking every taken span
    made a 64 KB message of amounts take tens of seconds.)
    """
    starts: list[int] = []
    ends: list[int] = []
    taken: list[Entity] = []
    for ent in ranked:
        at = bisect.bisect_left(starts, ent.end)
        if at and ends[at - 1] > ent.start:
            continue
        starts.insert(at, ent.start)
        ends.insert(at, ent.end)
        taken.insert(at, ent)
        if len(taken) == MAX_ENTITIES:
            break
    return taken


def extract_entities(text: str, *, platform: str | None = None) -> list[Entity]:
    """All entities in ``text`` (first 64 KiB), non-overlapping, in reading order."""
    cleaned = safe_text(text[:ENTITY_CHAR_CAP])
    scanned = cleaned
    if _FULL_WIDTH.search(cleaned):
        scanned = _GROUPING_COMMA.sub(",", cleaned).translate(_HALF_WIDTH)
    digits = _ANY_DIGIT.search(scanned) is not None  # ids, money, digit runs all need one
    candidates = _id_candidates(scanned) + _money_candidates(scanned) if digits else []
    candidates += _time_candidates(scanned) + _contact_candidates(scanned)
    if digits:
        candidates += [
            c
            for m in patterns.DIGITS.finditer(scanned)
            if (c := _digits_candidate(scanned, m, platform))
        ]
    candidates.sort(key=lambda c: (-c.rank, c.entity.start - c.entity.end, c.entity.start))
    taken = _non_overlapping(c.entity for c in candidates)
    if scanned is not text:
        # Both swaps are one character for one, so spans still index the original; an id
        # typed in full width keeps its half-width form, which order look-ups use.
        taken = [_as_written(ent, text, half_width=scanned is not cleaned) for ent in taken]
    return taken


def _as_written(ent: Entity, text: str, *, half_width: bool) -> Entity:
    written = text[ent.start : ent.end]
    update: dict[str, str] = {"value": written}
    if half_width and ent.normalized is None and written != ent.value:
        update["normalized"] = ent.value
    return ent.model_copy(update=update)
