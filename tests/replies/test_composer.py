"""compose_draft: the playbook structure, facts, remedies, questions and languages."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kefu.replies import (
    TEMPLATE_LANGUAGES,
    Brand,
    CustomerRef,
    Emotions,
    KnowledgeRef,
    OrderItem,
    RemedyOption,
    compose_draft,
)
from kefu.replies.facts import order_state
from kefu.replies.lint_data import lint_data
from tests.replies.factories import context, shipped_order

QUESTION_MARKS = re.compile(r"[?？؟]")


def test_english_draft_follows_the_playbook() -> None:
    draft = compose_draft(context())
    text = draft.text
    assert text.startswith("Dear Ana Ruiz,")
    assert "order has not arrived" in text  # restatement
    assert "sorry" in text  # empathy for an angry customer
    assert "113-1234567-1234567" in text and "1Z5R89390357567127" in text and "UPS" in text
    assert "November 18, 2026" in text and "5 days later" in text
    assert "1. A partial refund of $8.00." in text and "2. A replacement" in text
    assert "within 24 hours" in text  # next step with a time
    assert text.rstrip().endswith("Kind regards,\nLily\nOak & Pine Home")
    assert [r.name for r in draft.remedies] == ["partial_refund", "replacement"]
    assert not draft.lint
    assert not draft.fell_back_to_english


def test_denied_and_approval_remedies_are_not_offered_and_are_noted() -> None:
    draft = compose_draft(context())
    assert "cancel" not in draft.text.lower()
    assert "full refund" not in draft.text.lower()
    assert any("cancel denied" in n for n in draft.notes)
    assert any("full_refund needs approval" in n for n in draft.notes)


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
def test_no_language_mentions_a_denied_remedy(language: str) -> None:
    remedies = [
        RemedyOption("replacement", "denied"),
        RemedyOption("full_refund", "denied"),
        RemedyOption("partial_refund", "allowed", amount=Decimal("5.00"), currency="USD"),
    ]
    draft = compose_draft(context(language=language, remedies=remedies, intent="quality_issue"))
    promises = lint_data().promises
    assert not promises["replacement"].search(draft.text)
    assert not promises["full_refund"].search(draft.text)
    assert promises["partial_refund"].search(draft.text)
    assert not [f for f in draft.lint if f.severity == "blocking"]


def test_only_approval_remedies_gives_a_pending_next_step() -> None:
    remedies = [RemedyOption("full_refund", "needs_approval", rule_id="r.full")]
    draft = compose_draft(context(remedies=remedies))
    assert draft.remedies == ()
    assert "checking the possible solutions" in draft.text
    assert "within 24 hours" in draft.text


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
def test_missing_order_id_asks_exactly_one_question(language: str) -> None:
    draft = compose_draft(context(language=language, order=None, intent="refund_request"))
    assert len(QUESTION_MARKS.findall(draft.text)) == 1
    assert draft.remedies == ()
    assert not any(f.name == "order_id" for f in draft.facts)
    assert not [f for f in draft.lint if f.severity == "blocking"]


def test_refund_or_replacement_question_only_when_both_are_allowed() -> None:
    both = compose_draft(context(missing=["refund_or_replacement"], intent="quality_issue"))
    assert "Would you prefer a refund or a replacement?" in both.text
    assert "reply with the number" not in both.text
    assert len(QUESTION_MARKS.findall(both.text)) == 1
    only_refund = [
        RemedyOption("partial_refund", "allowed", amount=Decimal("8"), currency="USD"),
        RemedyOption("replacement", "denied"),
    ]
    one = compose_draft(context(missing=["refund_or_replacement"], remedies=only_refund))
    assert "replacement" not in one.text.lower()
    assert not QUESTION_MARKS.search(one.text)


def test_happy_customer_gets_no_empathy_line() -> None:
    ctx = context(
        intent="praise", emotions=Emotions(gratitude=0.9), sentiment="positive", remedies=[]
    )
    draft = compose_draft(ctx)
    assert not any(s.kind == "empathy" for s in draft.sentences)
    assert "Thank you so much for your kind words" in draft.text


@pytest.mark.parametrize("emotion", ["anger", "anxiety", "disappointment", "confusion"])
def test_empathy_matches_the_emotion(emotion: str) -> None:
    draft = compose_draft(context(emotions=Emotions(**{emotion: 0.9})))
    empathy = [s for s in draft.sentences if s.kind == "empathy"]
    assert len(empathy) == 1 and f"triage:emotion={emotion}" in empathy[0].sources


def test_unknown_language_falls_back_to_english_and_says_so() -> None:
    draft = compose_draft(context(language="sv"))
    assert draft.fell_back_to_english and draft.language == "en"
    assert any("'sv'" in n for n in draft.notes)


def test_regional_language_codes_use_the_base_templates() -> None:
    draft = compose_draft(context(language="pt-BR"))
    assert draft.language == "pt" and not draft.fell_back_to_english


def test_chinese_marketplace_register_and_qin_follow_the_brand() -> None:
    pdd = shipped_order(
        order_id="231123-123456789012345",
        carrier="中通快递",
        tracking_number="73123456789012",
        tracking_url=None,
        currency="CNY",
    )
    allowed = compose_draft(
        context(
            language="zh",
            platform="pinduoduo",
            order=pdd,
            brand=Brand(qin_allowed=True),
            remedies=[],
        )
    )
    assert allowed.text.startswith("亲，您好～")
    assert "快递是中通快递，单号73123456789012。" in allowed.text
    plain = compose_draft(
        context(
            language="zh",
            platform="pinduoduo",
            order=pdd,
            remedies=[],
            brand=Brand(qin_allowed=False),
        )
    )
    assert "亲" not in plain.text
    formal = compose_draft(context(language="zh", platform="amazon", remedies=[]))
    assert formal.text.startswith("尊敬的Ana Ruiz，您好：")


def test_amazon_drafts_have_no_links_or_emoji_but_shopify_may() -> None:
    brand = Brand(emoji_allowed=True)
    amazon = compose_draft(context(brand=brand, intent="order_status", remedies=[]))
    assert "http" not in amazon.text and "😊" not in amazon.text
    shop = compose_draft(
        context(platform="shopify", brand=brand, intent="order_status", remedies=[])
    )
    assert "https://www.ups.com/track" in shop.text and "😊" in shop.text


def test_order_status_in_transit_promises_a_dated_check() -> None:
    draft = compose_draft(context(intent="order_status", remedies=[], emotions=Emotions()))
    assert "I will check the tracking again on November 25, 2026" in draft.text
    assert any(f.name == "next_check_date" and f.source == "clock" for f in draft.facts)


def test_delivered_not_received_opens_an_inquiry_with_the_carrier() -> None:
    order = shipped_order(status="delivered", delivered_date=date(2026, 11, 20))
    draft = compose_draft(context(intent="delivered_not_received", order=order, remedies=[]))
    assert "delivered on November 20, 2026" in draft.text
    assert "inquiry with UPS" in draft.text


def test_remedy_trade_offs_and_evidence_are_stated() -> None:
    remedy = RemedyOption(
        "return_and_refund",
        "allowed",
        amount=Decimal("39.98"),
        currency="USD",
        return_shipping_paid_by="seller",
        deadline=date(2026, 12, 10),
        evidence_required=["photo_damage"],
        completion_days=5,
    )
    draft = compose_draft(context(intent="return_request", remedies=[remedy]))
    for phrase in (
        "Return the item for a refund of $39.98.",
        "We pay the return shipping.",
        "Available until December 10, 2026.",
        "a photo showing the damage",
        "return instructions within 24 hours",
    ):
        assert phrase in draft.text


def test_product_question_cites_the_knowledge_article_without_links_on_amazon() -> None:
    ref = KnowledgeRef("kb-12", "Care guide", "Oil the board monthly. See https://example.com/care")
    draft = compose_draft(context(intent="product_question", citations=[ref], remedies=[]))
    assert 'From our help page "Care guide": Oil the board monthly.' in draft.text
    assert "example.com" not in draft.text
    assert draft.citations == (ref,)


def test_json_form_lists_facts_with_sources() -> None:
    data = draft_dict = compose_draft(context()).as_dict()
    json.dumps(data)
    facts = {(f["name"], f["source"]) for f in draft_dict["facts"]}
    assert ("order_id", "order") in facts and ("tracking_number", "shipment") in facts
    assert ("remedy.partial_refund.amount", "policy:r.goodwill") in facts


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
@pytest.mark.parametrize("platform", ["amazon", "pinduoduo", "shopify"])
@pytest.mark.parametrize("intent", ["order_status", "shipping_delay", "quality_issue"])
def test_every_language_drafts_cleanly(language: str, platform: str, intent: str) -> None:
    draft = compose_draft(
        context(
            language=language,
            platform=platform,
            intent=intent,
            brand=Brand(qin_allowed=True, emoji_allowed=True),
        )
    )
    assert draft.language == language
    assert "113-1234567-1234567" in draft.text and "1Z5R89390357567127" in draft.text
    assert not draft.lint, [(f.code, draft.text[f.start : f.end]) for f in draft.lint]
    assert "{" not in draft.text and "}" not in draft.text


def test_hostile_inputs_do_not_break_the_draft() -> None:
    order = shipped_order(
        items=[OrderItem("{order.id} <script>x</script>" + "🎁" * 50, 1)],
        last_tracking_status="\ud800 {x} " + "A" * 10_000,
    )
    ctx = context(
        customer=CustomerRef(name="{customer.name}"),
        order=order,
        customer_text="\ud800" * 10 + "x" * 64_000,
    )
    draft = compose_draft(ctx)
    assert not [f for f in draft.lint if f.code == "unresolved-placeholder"]
    assert draft.text.startswith("Hello,")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(max_size=80),
    title=st.text(min_size=1, max_size=80),
    text=st.text(max_size=300),
    language=st.sampled_from([*TEMPLATE_LANGUAGES, "xx", ""]),
)
def test_compose_never_raises(name: str, title: str, text: str, language: str) -> None:
    ctx = context(
        customer=CustomerRef(name=name),
        customer_text=text,
        language=language,
        order=shipped_order(items=[OrderItem(title, 3)]),
    )
    draft = compose_draft(ctx)
    assert draft.text


def test_tracking_link_stands_on_its_own_line_in_chinese() -> None:
    draft = compose_draft(
        context(language="zh", platform="shopify", intent="order_status", remedies=[])
    )
    assert "\n物流查询链接：https://www.ups.com/track?tracknum=1Z5R89390357567127\n" in draft.text


def test_single_offer_asks_for_agreement_with_a_time() -> None:
    remedy = RemedyOption("partial_refund", "allowed", amount=Decimal("8.00"), currency="USD")
    draft = compose_draft(context(remedies=[remedy]))
    assert "Here is what we can offer:\nA partial refund of $8.00." in draft.text
    assert "If this works for you, just reply and we will arrange it within 24 hours." in draft.text


def test_praise_does_not_recite_the_order() -> None:
    draft = compose_draft(
        context(
            intent="praise", emotions=Emotions(gratitude=1.0), sentiment="positive", remedies=[]
        )
    )
    assert "113-1234567-1234567" not in draft.text
    assert not any(s.kind == "next" for s in draft.sentences)


def test_risks_become_agent_notes_not_customer_text() -> None:
    draft = compose_draft(context(risks=["legal_threat", "negative_review_threat"]))
    assert any(n.startswith("risk legal_threat: escalate") for n in draft.notes)
    assert "review" not in draft.text.lower() and "legal" not in draft.text.lower()


@pytest.mark.parametrize(
    ("status", "delivered", "tracking", "state"),
    [
        ("partially_refunded", date(2026, 11, 18), "1Z999AA10123456784", "delivered"),
        ("partially_refunded", None, "1Z999AA10123456784", "shipped"),
        ("partially_refunded", None, None, "processing"),
        ("shipped", None, None, "shipped"),
    ],
)
def test_a_status_silent_about_the_parcel_reads_the_shipment_facts(
    status: str, delivered: date | None, tracking: str | None, state: str
) -> None:
    order = shipped_order(status=status, delivered_date=delivered, tracking_number=tracking)
    assert order_state(order) == state


def test_a_complaint_signed_off_with_thanks_still_gets_empathy() -> None:
    # "Tracking says delivered but nothing here. Thanks": triage hears gratitude in the thanks.
    ctx = context(emotions=Emotions(gratitude=1.0), sentiment="negative")
    empathy = [s for s in compose_draft(ctx).sentences if s.kind == "empathy"]
    assert len(empathy) == 1 and "triage:sentiment=negative" in empathy[0].sources
