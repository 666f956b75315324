"""Entity extraction: table-driven, one row per format; spans must index the original text."""

from __future__ import annotations

import itertools

import pytest

from kefu.nlu import extract_entities, patterns
from kefu.nlu.entities import MAX_ENTITIES
from tests.nlu.test_time_guards import corpus

# (text, type, value, platform or None)
CASES = [
    ("Where is my order 113-4827716-2290143?", "order_id", "113-4827716-2290143", "amazon"),
    (
        "digital order D01-1234567-1234567 not delivered",
        "order_id",
        "D01-1234567-1234567",
        "amazon",
    ),
    ("订单231123-482910384756102还没发货", "order_id", "231123-482910384756102", "pinduoduo"),
    ("Temu PO-211-21905452099192792 missing", "order_id", "PO-211-21905452099192792", "temu"),
    ("my order #1047 is late", "order_id", "#1047", "shopify"),
    ("AliExpress order 8190234477612345 please", "order_id", "8190234477612345", "aliexpress"),
    ("订单号123456789012345678", "order_id", "123456789012345678", "taobao"),
    ("UPS 1Z5R89390357567127 stuck", "tracking_number", "1Z5R89390357567127", "ups"),
    ("USPS 9400111206206406260787 no update", "tracking_number", "9400111206206406260787", "usps"),
    ("fedex 986578788855 delayed", "tracking_number", "986578788855", "fedex"),
    ("DHL 3318810025 where", "tracking_number", "3318810025", "dhl"),
    ("parcel RB123456785GB in customs", "tracking_number", "RB123456785GB", "post_gb"),
    ("ePacket LX123456785CN not moving", "tracking_number", "LX123456785CN", "china_post"),
    ("单号SF1234567890123", "tracking_number", "SF1234567890123", "sf"),
    ("云途 YT2229521272164446 到哪了", "tracking_number", "YT2229521272164446", "yunexpress"),
    ("圆通 YT1234567890123", "tracking_number", "YT1234567890123", "yto"),
    ("4PX3003088587125CN stuck", "tracking_number", "4PX3003088587125CN", "4px"),
    ("Cainiao LP00123456789012 no update", "tracking_number", "LP00123456789012", "cainiao"),
    # The demo's own Cainiao numbers (LP00 + 14 digits) in a Russian message.
    (
        "Трек-номер LP0038869605235857 не отслеживается",
        "tracking_number",
        "LP0038869605235857",
        "cainiao",
    ),
    (
        "Amazon Logistics TBA000000000000 late",
        "tracking_number",
        "TBA000000000000",
        "amazon_logistics",
    ),
    ("快递单号 773012345678 中通", "tracking_number", "773012345678", "zto"),
    ("ASIN B07XJ8C8F5 waterproof?", "asin", "B07XJ8C8F5", "amazon"),
    ("SKU: AB-1234-XL out of stock", "sku", "AB-1234-XL", None),
    ("货号 KF2024-88 有货吗", "sku", "KF2024-88", None),
    ("mail me at ana.ruiz@example.org", "email", "ana.ruiz@example.org", None),
    ("call +1 415 555 2671 please", "phone", "+1 415 555 2671", None),
    ("电话13812345678", "phone", "13812345678", None),
    ("I paid $45.99 for it", "money", "$45.99", None),
    ("cuesta 45,99 € nada más", "money", "45,99 €", None),
    ("花了¥199", "money", "¥199", None),
    ("退我199元", "money", "199元", None),
    ("Preis 1.299,00 EUR", "money", "1.299,00 EUR", None),
    ("waited 3 weeks already", "duration", "3 weeks", None),
    ("等了一个星期了", "duration", "一个星期", None),
    ("no movement since Monday", "date", "since Monday", None),
    ("arrives on 2026-11-20", "date", "2026-11-20", None),
    ("说好11月20日到", "date", "11月20日", None),
    # Numeric dates: a cue word, a year, or a bare day/month that reads only one way.
    ("i ordered on 10/28 and still nothing", "date", "10/28", None),
    ("before 12/24", "date", "12/24", None),
    ("28/10", "date", "28/10", None),
    ("le colis devait arriver le 28/10", "date", "28/10", None),
    ("在10/28下的单", "date", "10/28", None),
    ("bestellt am 28.11. und nichts", "date", "28.11.", None),
    ("geliefert 28.11.2024", "date", "28.11.2024", None),
    ("shipped 12/24/2024", "date", "12/24/2024", None),
    ("am 3. November bestellt", "date", "3. November", None),
    # Weekdays in every language, with the word that makes them a date.
    ("by Friday", "date", "by Friday", None),
    ("rien depuis lundi", "date", "depuis lundi", None),
    ("nada desde el lunes", "date", "desde el lunes", None),
    ("nichts seit Montag", "date", "seit Montag", None),
    ("ничего с понедельника", "date", "с понедельника", None),
    ("nada desde segunda", "date", "desde segunda", None),
    ("chega na sexta-feira?", "date", "na sexta-feira", None),
    ("niente da lunedì", "date", "da lunedì", None),
    ("周一发的货", "date", "周一", None),
    ("星期一发的货", "date", "星期一", None),
    ("礼拜一发的货", "date", "礼拜一", None),
    ("月曜日から更新がない", "date", "月曜日から", None),
    # Chinese mobiles in 3-4-4 groups; a UK national number.
    ("电话138-1234-5678，微信同号", "phone", "138-1234-5678", None),
    ("138 1234 5678", "phone", "138 1234 5678", None),
    ("Call 020 7946 0958", "phone", "020 7946 0958", None),
    # Ids as buyers type them off a label or a screen: in groups, or a space after the prefix.
    ("my order is 205 3318842 7710926, please check", "order_id", "205 3318842 7710926", "amazon"),
    ("label reads 1Z 8W2 1F0 34 2610 4521", "tracking_number", "1Z 8W2 1F0 34 2610 4521", "ups"),
    (
        "usps 9405 5011 8844 0722 9153 75 says delivered",
        "tracking_number",
        "9405 5011 8844 0722 9153 75",
        "usps",
    ),
    ("顺丰 SF 3104782956120 没动静", "tracking_number", "SF 3104782956120", "sf"),
    ("tracking YT 4021773019586623 frozen", "tracking_number", "YT 4021773019586623", "yunexpress"),
    # Chinese landlines with an area code, a Japanese mobile.
    ("座机 020-83216677 找李经理", "phone", "020-83216677", None),
    ("携帯 070-2345-6789 まで", "phone", "070-2345-6789", None),
    # Dates: Chinese numerals, the dotted year-first form, German "seit dem".
    ("九月二十八号发的货", "date", "九月二十八号", None),
    ("付款时间 2026.09.28 到现在", "date", "2026.09.28", None),
    ("nichts mehr seit dem 28.9.", "date", "28.9.", None),
]


@pytest.mark.parametrize(("text", "kind", "value", "platform"), CASES)
def test_extracts_entity_with_exact_span(
    text: str, kind: str, value: str, platform: str | None
) -> None:
    found = [e for e in extract_entities(text) if e.type == kind and e.value == value]
    assert found, f"{kind} {value!r} not found in {extract_entities(text)}"
    ent = found[0]
    assert text[ent.start : ent.end] == value
    assert ent.platform == platform


@pytest.mark.parametrize(
    ("text", "normalized"),
    [("I paid $45.99", "45.99 USD"), ("45,99 €", "45.99 EUR"), ("1.299,00 EUR", "1299.00 EUR"),
     ("¥199", "199 CNY"), ("waited 3 weeks", "P3W"), ("等了两天", "P2D"), ("+1 415 555 2671", "+14155552671")],
)  # fmt: skip
def test_normalizes_money_durations_and_phones(text: str, normalized: str) -> None:
    assert normalized in [e.normalized for e in extract_entities(text)]


@pytest.mark.parametrize(
    ("text", "normalized"),
    [("电话138-1234-5678，微信同号", "+8613812345678"), ("138 1234 5678", "+8613812345678"),
     ("Call 020 7946 0958", "+442079460958"), ("0161 496 0000", "+441614960000"),
     ("appelez-moi au 06 12 34 56 78 svp", "+33612345678"), ("tél. 01.42.68.53.00", "+33142685300")],
)  # fmt: skip
def test_grouped_chinese_mobiles_and_uk_numbers_normalize_to_e164(
    text: str, normalized: str
) -> None:
    [phone] = extract_entities(text)
    assert (phone.type, phone.normalized) == ("phone", normalized)


@pytest.mark.parametrize(
    "text",
    ["Nov 3", "on 10/28", "28/10", "since Monday", "depuis lundi", "周一", "am 3. November"],
)
def test_dates_carry_no_normalized_value(text: str) -> None:
    # Like "Nov 3" and "since Monday", numeric dates and weekdays keep only their span.
    [date] = extract_entities(text)
    assert (date.type, date.normalized) == ("date", None)


@pytest.mark.parametrize(
    "text",
    [
        "1/2 cup of flour",
        "3/4",
        "iOS 17.1",
        "update to iOS 17.1.",  # a trailing dot but no cue word
        "version 2.1.",
        "2/3 of the items",
        "by 2/3 of the items",
        "reduced by 1/2",
        "13/45",
        "on 13/45",
        "on 2/30",
        "am 31.02.",
        "24/7 support",
        "rated 10/10",
        "5/10 stars",
        "score 15/20",
        "Preis 12.50.",
        "192.168.1.10",
        "1/2/3/4",
        "16:9",
        "Danke für die 17. Mail",
        "na segunda tentativa",
        "в среднем",
        "I paid $12/24",
        "Wir kommen am 3.11",  # German day.month without the trailing dot: ambiguous
    ],
)
def test_fractions_versions_and_impossible_days_are_not_dates(text: str) -> None:
    assert [e for e in extract_entities(text) if e.type == "date"] == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("order 113-1234567-1234567", ["order_id"]),
        ("订单231123-123456789012345", ["order_id"]),
        ("tracking 9400111206206406260787/10", ["tracking_number"]),
        ("order 113-4827716-2290143 on 10/28", ["order_id", "date"]),
        ("ordered on 10/28/24", ["date"]),
        ("on 10/28 in the morning", ["date"]),
        ("в среду или в среднем", ["date"]),
    ],
)
def test_numeric_dates_take_no_digits_from_ids(text: str, kinds: list[str]) -> None:
    assert [e.type for e in extract_entities(text)] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "113-1234567-1234567",  # Amazon order id (3-7-7)
        "231123-123456789012345",  # Pinduoduo (6-15)
        "my card 4111 1111 1111 1111",
        "138 1234 5678 9012",  # more groups than a mobile has
        "1381 2345 6789",
        "9 138 1234 5678",
        "price 138 1234",
        "13812345678901",
        "07700 900123",  # UK drama range: not an assigned number
        "tel 010 1234 5678",  # not a UK shape; no country to read it in
        "I paid $45.99 on 10/28",
        "2024-11-11",
        "tracking 1Z5R89390357567127",
    ],
)
def test_digit_groups_that_are_not_phones(text: str) -> None:
    assert [e for e in extract_entities(text) if e.type == "phone"] == []


def test_every_weekday_match_passes_its_guard() -> None:
    texts = [case[0] for case in CASES] + corpus() + ["来週の月曜日までに", "в среднем"]
    matched = [m.group() for t in texts for m in patterns.WEEKDAY.finditer(t)]
    assert len(matched) >= 40
    assert all(patterns.WEEKDAY_HINT.search(m.lower()) for m in matched)


def test_chinese_ranges_of_durations_give_no_number() -> None:
    # "五六天" (five or six days) raised KeyError; it stays a duration without an ISO value.
    [duration] = extract_entities("等了五六天")
    assert (duration.type, duration.value, duration.normalized) == ("duration", "五六天", None)


@pytest.mark.parametrize(
    "text",
    [
        "1Z5R89390357567128",  # UPS check digit wrong, no tracking words
        "RB123456789GB",  # S10 check digit wrong
        "I have 12 items and 3 boxes",
        "call me 5551234",
        "my zip is 94110",
    ],
)
def test_rejects_numbers_that_fail_checks_or_lack_context(text: str) -> None:
    kinds = {e.type for e in extract_entities(text)}
    assert not kinds & {"tracking_number", "order_id"}


def test_overlaps_prefer_the_most_specific_format() -> None:
    # The Amazon id also looks like a phone number and contains digit runs.
    text = "order 113-4827716-2290143 and tracking 1Z5R89390357567127"
    ents = extract_entities(text)
    assert [(e.type, e.value) for e in ents] == [
        ("order_id", "113-4827716-2290143"),
        ("tracking_number", "1Z5R89390357567127"),
    ]
    spans = sorted((e.start, e.end) for e in ents)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_context_decides_ambiguous_digits() -> None:
    as_order = extract_entities("订单号 773012345678")
    as_tracking = extract_entities("运单号 773012345678")
    assert [e.type for e in as_order] == ["order_id"]
    assert [e.type for e in as_tracking] == ["tracking_number"]


def test_invalid_check_digit_accepted_only_with_tracking_words() -> None:
    assert extract_entities("LX123456789CN") == []
    assert [e.type for e in extract_entities("tracking LX123456789CN")] == ["tracking_number"]


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("tracking 1Z5R89390357567127", "valid"),
        ("UPS单号 1Z5R89390357567128", "invalid"),  # the customer mistyped the last character
        ("tracking LX123456789CN", "invalid"),
        ("RB123456785GB", "valid"),
        ("fedex 123456789012", "valid"),
        ("fedex 123456789013", "invalid"),
        ("SF1234567890123", None),  # SF publishes no check digit
        ("order 113-4827716-2290143", None),
    ],
)
def test_numbers_say_whether_their_check_digit_holds(text: str, check: str | None) -> None:
    [entity] = extract_entities(text)
    assert entity.check_digit == check
    dumped = entity.model_dump()
    assert dumped.get("check_digit") == check and ("check_digit" in dumped) == (check is not None)


def test_spans_stay_exact_with_surrogates_and_long_text() -> None:
    text = "\udcff" * 3 + " order 113-4827716-2290143 " + "x" * 70_000 + " #1001"
    ents = extract_entities(text)
    assert [e.value for e in ents] == ["113-4827716-2290143"]  # "#1001" lies beyond the cap
    assert text[ents[0].start : ents[0].end] == ents[0].value


def test_a_message_packed_with_amounts_keeps_its_order_id_and_a_bounded_list() -> None:
    text = "I paid $5 " * 6000 + "for order 113-4827716-2290143"
    ents = extract_entities(text)
    assert len(ents) == MAX_ENTITIES
    assert [e.value for e in ents if e.type == "order_id"] == ["113-4827716-2290143"]
    assert [e.start for e in ents] == sorted(e.start for e in ents)
    assert all(a.end <= b.start for a, b in itertools.pairwise(ents))


def test_overlaps_resolve_to_the_better_entity_wherever_it_lies() -> None:
    text = " ".join(f"$4{n}.99 tracking 1Z999AA10123456784 on {n} March" for n in range(40))
    ents = extract_entities(text)
    assert [e.type for e in ents[:3]] == ["money", "tracking_number", "date"]
    assert sum(e.type == "tracking_number" for e in ents) == 40
    assert all(a.end <= b.start for a, b in itertools.pairwise(ents))


def test_a_card_number_is_not_taken_for_an_order() -> None:
    assert extract_entities("my card 4111111111111111 was charged twice") == []
    assert [e.type for e in extract_entities("信用卡 4111111111111111 扣了两次")] == []
    # Not a valid card number, or no card word: the AliExpress order format as before.
    assert [e.platform for e in extract_entities("my card 4111111111111112 was charged")] == [
        "aliexpress"
    ]
    assert [e.platform for e in extract_entities("4111111111111111 not here")] == ["aliexpress"]


@pytest.mark.parametrize(
    ("text", "normalized"),
    [("¥3,000 円で買いました", "3000 JPY"), ("I paid ¥1999 (Japanese yen)", "1999 JPY"),
     ("亲 ¥199 太贵了", "199 CNY")],
)  # fmt: skip
def test_the_yen_sign_reads_as_yen_only_in_japanese_context(text: str, normalized: str) -> None:
    [money] = extract_entities(text)
    assert money.normalized == normalized


@pytest.mark.parametrize(
    ("text", "kind", "normalized"),
    [("I paid 300 rubles", "money", "300 RUB"), ("it cost 45 yuan", "money", "45 CNY"),
     ("1200 yen", "money", "1200 JPY"), ("منذ أسبوعين", "duration", "P2W"),
     ("انتظرت 3 أيام", "duration", "P3D"), ("ساعتين", "duration", "PT2H"),
     ("waiting 10+ days", "duration", "P10D")],
)  # fmt: skip
def test_currency_words_arabic_durations_and_open_counts(
    text: str, kind: str, normalized: str
) -> None:
    [entity] = extract_entities(text)
    assert (entity.type, entity.normalized) == (kind, normalized)


def test_ids_typed_in_full_width_keep_their_ascii_form() -> None:
    text = "订单号：２５０１０１－１２３４５６７８９０１２３４５ 到哪了"
    [order] = extract_entities(text)
    assert (order.type, order.platform) == ("order_id", "pinduoduo")
    assert (
        order.value
        == text[order.start : order.end]
        == "２５０１０１－１２３４５６７８９０１２３４５"
    )
    assert order.normalized == "250101-123456789012345"
    assert extract_entities("order 113-1234567-1234567")[0].normalized is None


def test_a_message_packed_with_yen_signs_reads_them_all_the_same_way() -> None:
    # The yen context is looked up once per message (per sign, 64 KB of them took minutes).
    for text, currency in (("¥1 " * 20_000, "CNY"), ("円で " + "¥1 " * 20_000, "JPY")):
        ents = extract_entities(text)
        assert len(ents) == MAX_ENTITIES
        assert {e.normalized for e in ents} == {f"1 {currency}"}


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [("my order is 205 3318842 7710926, please check", "205 3318842 7710926",
      "205-3318842-7710926"),
     ("label reads 1Z 8W2 1F0 34 2610 4521", "1Z 8W2 1F0 34 2610 4521", "1Z8W21F03426104521"),
     ("顺丰 SF 3104782956120 没动静", "SF 3104782956120", "SF3104782956120"),
     ("订单号：２０５　３３１８８４２　７７１０９２６", "２０５　３３１８８４２　７７１０９２６",
      "205-3318842-7710926")],
)  # fmt: skip
def test_ids_typed_in_groups_are_looked_up_in_the_platform_form(
    text: str, value: str, normalized: str
) -> None:
    [ent] = extract_entities(text)
    assert (ent.value, ent.normalized) == (value, normalized)
    assert text[ent.start : ent.end] == value


@pytest.mark.parametrize(
    "text",
    ["205 3318842 7710926 units shipped", "serial 1Z 8W2 1F0 34 2610 4522",
     "9405 5011 8844 0722 9153 76"],
)  # fmt: skip
def test_grouped_ids_need_an_order_word_or_a_valid_check_digit(text: str) -> None:
    assert [e.type for e in extract_entities(text)] == []


def test_a_carrier_prefix_with_a_space_is_not_read_as_an_aliexpress_order() -> None:
    # "YT 4021..." used to give the sixteen digits alone as an AliExpress order id.
    [ent] = extract_entities("where is YT 4021773019586623")
    assert (ent.type, ent.platform) == ("tracking_number", "yunexpress")


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [("准确说是二十来天", "二十来天", "P20D"), ("都30多天了", "30多天", "P30D"),
     ("三个多月没消息", "三个多月", "P3M"), ("两个半小时", "两个半小时", "PT2.5H"),
     ("物流走了半个多月", "半个多月", "P0.5M"), ("两周多没更新", "两周多", "P2W"),
     ("保修期两年", "两年", "P2Y"), ("说好7-15个工作日", "7-15个工作日", None),
     ("大概五到七天", "五到七天", None), ("等了二三十天", "二三十天", None),
     ("warranty lasts 3 years", "3 years", "P3Y"), ("shipping takes 10-14 days", "10-14 days", None),
     ("four or five weeks", "four or five weeks", None), ("garantía de cuatro años", "cuatro años", "P4Y"),
     ("attendu huit jours", "huit jours", "P8D"), ("warte seit neun Tagen", "neun Tagen", "P9D"),
     ("ждём три дня", "три дня", "P3D"), ("идёт полторы недели", "полторы недели", "P1.5W"),
     ("entrega em 3 a 5 dias", "3 a 5 dias", None), ("3年間使いました", "3年間", "P3Y")],
)  # fmt: skip
def test_durations_approximate_ranged_yearly_and_in_words(
    text: str, value: str, normalized: str | None
) -> None:
    [ent] = extract_entities(text)
    assert (ent.type, ent.value, ent.normalized) == ("duration", value, normalized)


@pytest.mark.parametrize(
    "text",
    ["22年12月买的", "2025年的款", "一天多少钱", "Galaxy S23 - 4 hours battery? no: внутри часа"],
)
def test_year_numbers_and_lookalikes_are_no_durations_of_years(text: str) -> None:
    assert all(e.normalized != "P1D" or e.value == "一天" for e in extract_entities(text))
    assert not any(e.normalized and e.normalized.endswith("Y") for e in extract_entities(text))
    assert "一天多" not in [e.value for e in extract_entities(text)]


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [("估价15-25元", "15-25元", None), ("rebate of $5–8 per unit", "$5–8", None),
     ("between 40-60 € maybe", "40-60 €", None), ("运费花了12美元", "12美元", "12 USD"),
     ("退款80欧元", "80欧元", "80 EUR"), ("付了3500日元", "3500日元", "3500 JPY"),
     ("这台2.3万元的相机", "2.3万元", "23000 CNY"), ("才5千块", "5千块", "5000 CNY"),
     ("MRP Rs. 2,499 only", "Rs. 2,499", "2499 INR")],
)  # fmt: skip
def test_money_ranges_chinese_currency_names_and_multipliers(
    text: str, value: str, normalized: str | None
) -> None:
    [ent] = extract_entities(text)
    assert (ent.type, ent.value, ent.normalized) == ("money", value, normalized)


def test_two_amounts_with_a_spaced_dash_stay_two() -> None:
    assert [e.value for e in extract_entities("from $12 - $18")] == ["$12", "$18"]


@pytest.mark.parametrize(
    "text", ["区号 021-1234567 少一位", "PyCharm 2024.1.2 crashed", "build 2025.13.40"]
)
def test_invalid_landlines_and_version_numbers_stay_out(text: str) -> None:
    assert extract_entities(text) == []


@pytest.mark.parametrize(
    ("text", "value", "normalized", "platform"),
    [
        ("my tracking is 1z999aa10123456784 thanks", "1z999aa10123456784", "1Z999AA10123456784", "ups"),
        ("ups 1Z999aa10123456784?", "1Z999aa10123456784", "1Z999AA10123456784", "ups"),
        ("Straße 1z 999 aa1 01 2345 6784", "1z 999 aa1 01 2345 6784", "1Z999AA10123456784", "ups"),
        ("单号rr123456785cn还没更新", "rr123456785cn", "RR123456785CN", "china_post"),
    ],
)  # fmt: skip
def test_lower_case_tracking_numbers_with_a_valid_check_digit(
    text: str, value: str, normalized: str, platform: str
) -> None:
    [entity] = extract_entities(text)
    assert (entity.type, entity.value, entity.normalized) == ("tracking_number", value, normalized)
    assert (entity.platform, entity.check_digit) == (platform, "valid")
    assert text[entity.start : entity.end] == value


@pytest.mark.parametrize(
    "text", ["tracking 1z999aa10123456785", "rr123456784cn", "code ab123456786cd please"]
)
def test_lower_case_look_alikes_whose_check_digit_fails_are_not_tracking_numbers(
    text: str,
) -> None:
    assert [e for e in extract_entities(text) if e.type == "tracking_number"] == []


@pytest.mark.parametrize(
    ("text", "value", "normalized", "platform"),
    [
        ("顺丰单号sf1423567890123一直没动", "sf1423567890123", "SF1423567890123", "sf"),
        ("my tracking yt2312345678901234 not updating", "yt2312345678901234", "YT2312345678901234", "yunexpress"),
        ("where is sf 1423567890123", "sf 1423567890123", "SF1423567890123", "sf"),
        ("菜鸟lp00123456789012查不到", "lp00123456789012", "LP00123456789012", "cainiao"),
        ("4px1234567890123cn stuck", "4px1234567890123cn", "4PX1234567890123CN", "4px"),
        ("tba123456789012 says delivered", "tba123456789012", "TBA123456789012", "amazon_logistics"),
    ],
)  # fmt: skip
def test_lower_case_carrier_prefixed_tracking_numbers(
    text: str, value: str, normalized: str, platform: str
) -> None:
    [entity] = extract_entities(text)
    assert (entity.type, entity.value, entity.normalized) == ("tracking_number", value, normalized)
    assert (entity.platform, entity.check_digit) == (platform, None)
    assert text[entity.start : entity.end] == value


@pytest.mark.parametrize(
    "text", ["jdx001234567890 please", "code c12345678901234", "ref sf1234567890123456789"]
)
def test_lower_case_mixed_or_overlong_runs_are_not_prefixed_tracking_numbers(text: str) -> None:
    assert [e for e in extract_entities(text) if e.type == "tracking_number"] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("bought it 12 days ago, can I return it", "12 days ago"),
     ("京东订单，3天前到的货，开箱就是坏的", "3天前"), ("一个月前买的", "一个月前"),
     ("commandée il y a une semaine", "il y a une semaine"), ("vor 2 Wochen bestellt", "vor 2 Wochen"),
     ("последний статус неделю назад", "неделю назад"), ("заказ был 5 дней назад", "5 дней назад"),
     ("追跡番号が3日前から更新されていません", "3日前"), ("اشتريته قبل 3 أيام", "قبل 3 أيام"),
     ("lo compré hace 3 semanas y nada", "hace 3 semanas"), ("comprei há 10 dias", "há 10 dias"),
     ("Chegou há 3 dias mas veio quebrado", "há 3 dias")],
)  # fmt: skip
def test_a_span_ago_is_a_date_not_a_duration(text: str, value: str) -> None:
    # "12 days ago" names a day in the past (when it was bought), not how long something took.
    assert [(e.type, e.value) for e in extract_entities(text)] == [("date", value)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("我的订单#1043一直没发货，邮箱是wang_li@163.com", ("email", "wang_li@163.com", None)),
     ("DHL单号3318810025，清关要补税多少", ("tracking_number", "3318810025", "dhl")),
     ("京东订单号305618274930，3天前到的货", ("order_id", "305618274930", "jd")),
     ("淘宝订单号 1234567890123456789 还没发货", ("order_id", "1234567890123456789", "taobao")),
     ("荷兰邮政RS123456785NL，一个多月了还在路上", ("tracking_number", "RS123456785NL", "post_nl"))],
)  # fmt: skip
def test_words_glued_to_chinese_still_name_what_follows(
    text: str, expected: tuple[str, str, str | None]
) -> None:
    # Python's \b fails between "DHL" and "单": the carrier, the marketplace and the e-mail
    # address were lost in Chinese sentences; and 邮政 ("post") is no reason to call a Dutch
    # S10 number China Post.
    found = [(e.type, e.value, e.platform) for e in extract_entities(text)]
    assert expected in found


def test_a_chinese_comma_does_not_make_the_next_digit_a_decimal() -> None:
    # The full-width comma was read as ",": "305618274930，3天前" became "305618274930,3", no id.
    found = [(e.type, e.value) for e in extract_entities("订单号305618274930，3天前到的")]
    assert ("order_id", "305618274930") in found
    [money] = extract_entities("一共１，２００元")
    assert money.normalized == "1200 CNY"


def test_a_dhl_number_called_a_tracking_number_is_kept_with_its_bad_check_digit() -> None:
    [ent] = extract_entities("my DHL tracking number is 4024264627 and the website says no result")
    assert (ent.type, ent.platform, ent.check_digit) == ("tracking_number", "dhl", "invalid")
    assert extract_entities("DHL 4024264627") == []  # no tracking words: too common a shape


def test_a_courier_phone_number_is_no_tracking_number() -> None:
    found = extract_entities("极兔JT5087316429015派件员电话打不通，13912345678也打不通")
    assert [(e.type, e.value) for e in found] == [
        ("tracking_number", "JT5087316429015"),
        ("phone", "13912345678"),
    ]


@pytest.mark.parametrize(
    ("text", "dates"),
    [("Reached out on 11/08 and 11/12 already", ["11/08", "11/12"]),
     ("delivery window Nov 18 - Nov 22 but I'm away from the 20th", ["Nov 18", "Nov 22", "the 20th"])],
)  # fmt: skip
def test_listed_dates_and_ordinal_days(text: str, dates: list[str]) -> None:
    assert [e.value for e in extract_entities(text) if e.type == "date"] == dates


def test_japanese_durations_in_kanji_numerals() -> None:
    [ent] = extract_entities("もう一週間待っています")
    assert (ent.type, ent.value, ent.normalized) == ("duration", "一週間", "P1W")


@pytest.mark.parametrize(
    "text", ["Estou esperando há uma semana", "espero desde hace 2 semanas", "llevo hace 3 días"]
)
def test_hace_and_ha_without_a_past_verb_say_how_long(text: str) -> None:
    # "hace" and "há" also say how long a wait has lasted; only a verb in the past tense
    # before them makes the span a day in the past.
    assert [e.type for e in extract_entities(text)] == ["duration"]


def test_chinese_numerals_after_a_tracking_number_still_count() -> None:
    found = extract_entities("中通快递731264589014三天前就到驿站了")
    assert [(e.type, e.value) for e in found] == [
        ("tracking_number", "731264589014"),
        ("date", "三天前"),
    ]
    assert extract_entities("等了2026天") == []  # a count in digits still may not follow digits


@pytest.mark.parametrize(
    ("text", "normalized", "check"),
    [("DPD 09980000020033F", None, "valid"), ("dpd paket 09980000020033f", "09980000020033F", "valid"),
     ("DPD Sendung 099800000200330", None, "invalid")],
)  # fmt: skip
def test_dpd_parcel_numbers_carry_their_check_character(
    text: str, normalized: str | None, check: str
) -> None:
    [ent] = extract_entities(text)
    assert (ent.type, ent.platform, ent.normalized, ent.check_digit) == (
        "tracking_number", "dpd", normalized, check,
    )  # fmt: skip
    assert extract_entities("ref 09980000020033G") == []  # a wrong check letter, no DPD words


def test_a_french_mobile_run_together_needs_a_word_for_calling() -> None:
    [phone] = extract_entities("appelez-moi au 0612345678 svp le livreur ne trouve pas")
    assert (phone.type, phone.normalized) == ("phone", "+33612345678")
    [parcel] = extract_entities("mon numéro de suivi 0612345678")
    assert parcel.type == "tracking_number"
    assert extract_entities("colis 0612345678") == []


@pytest.mark.parametrize(
    ("text", "skus"),
    [
        ("you sent SKU: TSH-BLK-M but I ordered TSH-BLK-L", ["TSH-BLK-M", "TSH-BLK-L"]),
        ("货号AB1023发成了AB1024", ["AB1023", "AB1024"]),
        ("SKU: AB-1234-XL out of stock, is AB-1234-XXL?", ["AB-1234-XL", "AB-1234-XXL"]),
        ("SKU KF1023 but I ordered KF1024 and KF1025", ["KF1023", "KF1024", "KF1025"]),
    ],
)
def test_a_code_in_the_shape_of_a_labelled_sku_is_one_too(text: str, skus: list[str]) -> None:
    assert [e.value for e in extract_entities(text) if e.type == "sku"] == skus


@pytest.mark.parametrize(
    ("text", "skus"),
    [
        ("SKU: TSH-BLK-M, size M", ["TSH-BLK-M"]),
        ("SKU 12345 order 12346", ["12345"]),
        ("SKU: X-100 and the X-1000W", ["X-100"]),
        ("SKU: TSH-BLK-M tracking 1Z999AA10123456784", ["TSH-BLK-M"]),
        ("ordered TSH-BLK-L, got TSH-BLK-M", []),  # no label: nothing says these are our codes
    ],
)
def test_look_alikes_of_a_labelled_sku_are_not_skus(text: str, skus: list[str]) -> None:
    assert [e.value for e in extract_entities(text) if e.type == "sku"] == skus
