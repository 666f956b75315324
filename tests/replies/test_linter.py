"""lint(): every check, its span, its severity, and safe handling of odd input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.replies import Brand, Emotions, Finding, RemedyOption, lint
from tests.replies.factories import context, shipped_order


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def spans(text: str, findings: list[Finding], code: str) -> list[str]:
    return [text[f.start : f.end] for f in findings if f.code == code]


def only_partial() -> list[RemedyOption]:
    return [
        RemedyOption("partial_refund", "allowed", amount=Decimal("8.00"), currency="USD"),
        RemedyOption("full_refund", "denied", reason="outside the window"),
    ]


def test_clean_reply_has_no_findings() -> None:
    text = (
        "Hello Ana,\n\nYour parcel is with UPS. We will update you within 24 hours.\n\nKind regards"
    )
    assert lint(text, language="en", platform="amazon") == []


def test_unresolved_placeholders_block() -> None:
    text = "Hi {customer.first_name}, your order {{order.id}} ships [NAME] soon."
    findings = lint(text, language="en", platform="webchat")
    assert spans(text, findings, "unresolved-placeholder") == [
        "{customer.first_name}",
        "{{order.id}}",
        "[NAME]",
    ]
    assert all(f.severity == "blocking" for f in findings if f.code == "unresolved-placeholder")


def test_slang_abbreviations_and_jargon_are_flagged_with_suggestions() -> None:
    text = "Thx, u will get it asap. The RMA is open in the WMS."
    findings = lint(text, language="en", platform="webchat")
    assert spans(text, findings, "slang") == ["Thx", "u", "asap"]
    assert spans(text, findings, "jargon") == ["RMA", "WMS"]
    slang_u = next(f for f in findings if f.code == "slang" and text[f.start : f.end] == "u")
    assert "you" in slang_u.suggestion and slang_u.severity == "warning"


def test_slang_inside_words_or_links_is_not_flagged() -> None:
    text = "Your tumbler ships today: https://u.example.com/thx"
    assert "slang" not in codes(lint(text, language="en", platform="shopify"))


def test_exclamations_and_all_caps() -> None:
    text = "Great news! It SHIPPED TODAY!! Tracking with UPS and DHL."
    findings = lint(text, language="en", platform="webchat")
    assert len(spans(text, findings, "exclamation")) == 2
    assert spans(text, findings, "all-caps") == ["SHIPPED", "TODAY"]


def test_qin_only_when_the_brand_says_no() -> None:
    text = "亲亲，您的包裹已经发出啦，亲自打包的哦。"
    assert spans(
        text,
        lint(text, language="zh", platform="pinduoduo", brand=Brand(qin_allowed=False)),
        "brand-qin",
    ) == ["亲亲"]
    assert "brand-qin" not in codes(
        lint(text, language="zh", platform="pinduoduo", brand=Brand(qin_allowed=True))
    )


def test_full_refund_promise_blocks_when_only_partial_is_allowed() -> None:
    ctx = context(remedies=only_partial())
    text = "I am sorry. We will refund you in full within 24 hours."
    findings = lint(text, language="en", platform="amazon", ctx=ctx)
    blocking = [f for f in findings if f.code == "promise-not-allowed"]
    assert blocking and blocking[0].severity == "blocking"
    assert text[blocking[0].start : blocking[0].end] == "refund you in full"
    assert "partial refund" in blocking[0].suggestion


def test_chinese_promise_is_checked_too() -> None:
    ctx = context(language="zh", remedies=only_partial())
    text = "非常抱歉，我们会给您全额退款，24小时内处理。"
    assert "promise-not-allowed" in codes(lint(text, language="zh", platform="pinduoduo", ctx=ctx))
    ok = "非常抱歉，可以给您部分退款，24小时内处理。"
    assert "promise-not-allowed" not in codes(
        lint(ok, language="zh", platform="pinduoduo", ctx=ctx)
    )


def test_negated_or_restated_refunds_are_not_promises() -> None:
    ctx = context(remedies=only_partial())
    for text in (
        "Unfortunately a full refund is not possible; we can offer $8.00 within 24 hours.",
        "I understand you would like a full refund. We will reply within 24 hours.",
    ):
        assert "promise-not-allowed" not in codes(
            lint(text, language="en", platform="amazon", ctx=ctx)
        ), text


def test_promise_needing_approval_is_a_warning() -> None:
    ctx = context(remedies=[RemedyOption("replacement", "needs_approval")])
    findings = lint(
        "We will send a replacement within 24 hours.", language="en", platform="amazon", ctx=ctx
    )
    assert [(f.code, f.severity) for f in findings if f.code.startswith("promise")] == [
        ("promise-needs-approval", "warning")
    ]


def test_amounts_must_come_from_the_order_or_decision() -> None:
    ctx = context(remedies=only_partial())
    text = "We can offer a partial refund of $8.00, or $1,000 as a gift, within 24 hours."
    findings = lint(text, language="en", platform="shopify", ctx=ctx)
    assert spans(text, findings, "amount-not-in-facts") == ["$1,000"]
    assert "amount-not-in-facts" not in codes(
        lint("Your order total was $39.98.", language="en", platform="shopify", ctx=ctx)
    )


@pytest.mark.parametrize(
    ("language", "text", "wrong"),
    [
        ("ko", "부분 환불 8.00원 외에 추가로 50,000원을 보상해 드리겠습니다.", "50,000원"),
        ("pl", "Oprócz zwrotu 8,00 zł przelejemy Państwu dodatkowo 200,00 zł.", "200,00 zł"),
        ("tr", "8,00 TL kısmi iadeye ek olarak 500 TL hediye çeki göndereceğiz.", "500 TL"),
        ("ko", "추가로 ₩30,000을 적립해 드리겠습니다.", "₩30,000"),
    ],
)
def test_amounts_in_won_zloty_and_lira_are_checked_too(
    language: str, text: str, wrong: str
) -> None:
    findings = lint(
        text, language=language, platform="shopify", ctx=context(remedies=only_partial())
    )
    assert spans(text, findings, "amount-not-in-facts") == [wrong]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Track it at https://track.example.com/1", "platform-external-link"),
        ("Write to help@shop.example for help.", "platform-email-address"),
        ("Call us on +1 (555) 010-2000.", "platform-phone-number"),
        ("Please leave us a 5-star review!", "platform-review-request"),
        ("Use code SAVE10 for 10% off your next order.", "platform-marketing"),
        ("Thanks 😊", "platform-emoji"),
        ("<script>alert(1)</script>", "platform-html-markup"),
        ("Hello\n\n\n\nBye", "platform-line-breaks"),
    ],
)
def test_amazon_rules_block(text: str, code: str) -> None:
    findings = lint(text, language="en", platform="amazon")
    assert any(f.code == code and f.severity == "blocking" for f in findings), findings


def test_amazon_own_domain_and_order_ids_are_not_breaches() -> None:
    text = "Order 113-1234567-1234567 is visible in Your Orders on amazon.com."
    assert lint(text, language="en", platform="amazon") == []


def test_pinduoduo_forbids_off_platform_contact_and_review_cashback() -> None:
    text = "加我微信领红包，好评返现5元"
    found = codes(lint(text, language="zh", platform="pinduoduo"))
    assert {"platform-off-platform-contact", "platform-review-incentive"} <= found


@pytest.mark.parametrize(
    ("text", "platform", "code"),
    [
        ("亲，加一下V信 abc123，我们私下处理", "pinduoduo", "platform-off-platform-contact"),
        ("亲，给个好评吧，下次给您优惠券", "pinduoduo", "platform-review-incentive"),
        (
            "If you give us 5 stars we'll send you a 20% discount code.",
            "amazon",
            "platform-review-incentive",
        ),
    ],
)
def test_disguised_contact_and_review_rewards_are_caught(
    text: str, platform: str, code: str
) -> None:
    assert code in codes(lint(text, language="zh" if "亲" in text else "en", platform=platform))


def test_a_text_message_is_not_wechat() -> None:
    found = codes(lint("亲，发货后会有短信通知您的哦", language="zh", platform="pinduoduo"))
    assert "platform-off-platform-contact" not in found


def test_aliexpress_confirm_receipt_before_delivery_blocks() -> None:
    ctx = context(platform="aliexpress")
    findings = lint(
        "Please confirm receipt now so we can close it within 24 hours.",
        language="en",
        platform="aliexpress",
        ctx=ctx,
    )
    assert "platform-confirm-receipt-request" in codes(findings)


def test_shopify_allows_links() -> None:
    assert (
        lint("Track it here: https://track.example.com/1", language="en", platform="shopify") == []
    )


def test_missing_next_step_and_missing_empathy_need_context() -> None:
    ctx = context(emotions=Emotions(anger=0.9))
    text = "Your parcel is with UPS."
    assert {"missing-next-step", "missing-empathy"} <= codes(
        lint(text, language="en", platform="amazon", ctx=ctx)
    )
    assert lint(text, language="en", platform="amazon") == []


def test_unanswered_question_is_flagged() -> None:
    ctx = context(customer_text="When will it arrive? Also can I get a refund?", remedies=[])
    text = "I am sorry for the wait. We will update you within 24 hours."
    findings = [
        f
        for f in lint(text, language="en", platform="amazon", ctx=ctx)
        if f.code == "question-unanswered"
    ]
    assert len(findings) == 2
    answered = (
        "I am sorry. It should arrive in 3 days; a refund is not possible yet. "
        "I will update you within 24 hours."
    )
    assert "question-unanswered" not in codes(
        lint(answered, language="en", platform="amazon", ctx=ctx)
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\ud800\udfff x {a}",
        "😀" * 100,
        "A" * 70_000,
        "<script>x</script>" * 1000,
        "\x00\x01",
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    findings = lint(text, language="zz", platform="nowhere", ctx=context())
    assert isinstance(findings, list)
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text)


def test_empty_and_huge_replies_block() -> None:
    assert codes(lint("", language="en", platform="email")) == {"empty"}
    assert codes(lint("a" * 70_000, language="en", platform="email")) == {"too-long"}


def test_no_problem_is_not_a_negation() -> None:
    ctx = context(remedies=only_partial())
    text = "No problem, I'll refund the entire order amount right away."
    assert "promise-not-allowed" in codes(lint(text, language="en", platform="amazon", ctx=ctx))


def test_qq_next_to_chinese_characters_is_found() -> None:
    assert "platform-off-platform-contact" in codes(
        lint("方便的话加个QQ，我们线下处理", language="zh", platform="pinduoduo")
    )


def test_capitalised_shop_and_product_names_are_not_shouting() -> None:
    ctx = context(shop_name="NORTHWIND GOODS")
    text = "Thanks for shopping at NORTHWIND GOODS. We will update you within 24 hours."
    assert "all-caps" not in codes(lint(text, language="en", platform="shopify", ctx=ctx))
    assert "all-caps" in codes(lint(text, language="en", platform="shopify"))


def nothing_but(*allowed: str) -> list[RemedyOption]:
    """A decision that allows ``allowed`` and denies every other remedy."""
    names = ("cancel", "full_refund", "partial_refund", "return_and_refund")
    names += ("refund_without_return", "replacement", "exchange", "goodwill_credit")
    names += ("change_address", "change_items")
    return [RemedyOption(n, "allowed" if n in allowed else "denied") for n in names]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "You can keep the blender and we will refund you without a return."),
        ("en", "We have cancelled your order."),
        ("en", "I've cancelled it for you."),
        ("en", "We will reimburse the full purchase price."),
        ("en", "Don't worry, we will refund you in full."),
        ("en", "Don\u2019t worry, we will refund you in full."),
        ("zh", "亲，给您换一个新的。"),
        ("zh", "给您重新发一个，您看可以吗？"),
        ("pt", "Vamos enviar um produto novo."),
        ("en", "I can send a replacement, would that work?"),
    ],
)
def test_reported_promise_gaps_are_flagged(language: str, text: str) -> None:
    ctx = context(language=language, remedies=nothing_but("partial_refund"))
    assert "promise-not-allowed" in codes(
        lint(text, language=language, platform="webchat", ctx=ctx)
    ), text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "We cannot refund this order."),
        ("zh", "很抱歉，无法退款。"),
        ("en", "We are unable to cancel the order."),
        ("en", "Would you like a refund?"),
        ("en", "Would you like a refund, a replacement or an exchange?"),
        ("zh", "您是想退款还是换货呢？"),
        ("ja", "ご注文のキャンセルをご希望とのこと、承知いたしました。"),
        ("en", "Unfortunately, full refunds are only for unopened items."),
        ("en", "We'll send you a new tracking number within 24 hours."),
    ],
)
def test_negations_questions_and_restatements_are_not_promises(language: str, text: str) -> None:
    ctx = context(language=language, remedies=nothing_but("partial_refund"))
    assert "promise-not-allowed" not in codes(
        lint(text, language=language, platform="webchat", ctx=ctx)
    ), text


def test_done_statement_is_a_fact_only_when_the_order_status_says_so() -> None:
    text = "This order has been cancelled."
    cancelled = context(remedies=nothing_but(), order=shipped_order(status="cancelled"))
    shipped = context(remedies=nothing_but())
    assert "promise-not-allowed" not in codes(
        lint(text, language="en", platform="amazon", ctx=cancelled)
    )
    assert "promise-not-allowed" in codes(lint(text, language="en", platform="amazon", ctx=shipped))


def test_keeping_the_item_is_covered_by_an_allowed_partial_refund() -> None:
    text = "部分退款5元。商品您留着用就好。"
    ok = context(language="zh", remedies=nothing_but("partial_refund"))
    assert "promise-not-allowed" not in codes(
        lint(text, language="zh", platform="pinduoduo", ctx=ok)
    )
    denied = context(language="zh", remedies=nothing_but("return_and_refund"))
    assert "promise-not-allowed" in codes(
        lint("商品您留着用就好，直接给您退款。", language="zh", platform="pinduoduo", ctx=denied)
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("有问题打电话555-010-2000", "platform-phone-number"),
        ("客服电话：021-12345678", "platform-phone-number"),
        ("電話は090-1234-5678まで", "platform-phone-number"),
        ("本店参加promo活动", "platform-marketing"),
        ("Our promo ends soon.", "platform-marketing"),
    ],
)
def test_contact_and_marketing_next_to_cjk_text(text: str, code: str) -> None:
    assert code in codes(lint(text, language="zh", platform="amazon"))
