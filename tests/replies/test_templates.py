"""Template data stays consistent with the linter in every template language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kefu import nlu
from kefu.replies import (
    REMEDY_NAMES,
    TEMPLATE_LANGUAGES,
    CustomerRef,
    Emotions,
    RemedyOption,
    compose_draft,
    lint,
)
from kefu.replies.lint_data import lint_data
from kefu.replies.template_set import load_templates
from tests.replies.factories import context, shipped_order

FAMILIES = [n for n in REMEDY_NAMES if n not in ("change_address", "change_items", "escalate")]
PROMISES = {
    "es": "Le haremos un reembolso completo en 24 horas.",
    "fr": "Nous vous accordons un remboursement intégral sous 24 heures.",
    "de": "Sie erhalten eine volle Erstattung innerhalb von 24 Stunden.",
    "pt": "Faremos o reembolso total em até 24 horas.",
    "ru": "Мы оформим полный возврат средств в течение 24 часов.",
    "ar": "سنقوم باسترداد كامل للمبلغ خلال 24 ساعة.",
    "ja": "24時間以内に全額返金いたします。",
    "en": "We will refund the whole amount within 24 hours.",
    "zh": "我们会在24小时内给您全额退款。",
    "it": "Le rimborseremo l'intero importo entro 24 ore.",
    "nl": "Wij betalen u binnen 24 uur het volledige bedrag terug.",
    "pl": "Zwrócimy Państwu całą kwotę w ciągu 24 godzin.",
    "tr": "Ödediğiniz tutarın tamamını 24 saat içinde iade edeceğiz.",
    "ko": "24시간 이내에 결제하신 금액 전액을 환불해 드리겠습니다.",
}


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
@pytest.mark.parametrize("name", FAMILIES)
def test_each_remedy_line_is_recognised_by_its_promise_pattern(language: str, name: str) -> None:
    t = load_templates(language)
    key = f"remedy.names.{name}"
    node = t.raw(key)
    lines = (
        [t.text(f"{key}.amount", amount="€12.50"), t.text(f"{key}.plain")]
        if isinstance(node, dict)
        else [t.text(key)]
    )
    for line in lines:
        assert lint_data().promises[name].search(line), line


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
@pytest.mark.parametrize("name", REMEDY_NAMES)
def test_a_draft_offering_one_allowed_remedy_is_lint_clean(language: str, name: str) -> None:
    remedy = RemedyOption(
        name,
        "allowed",
        amount=Decimal("12.50") if name in ("partial_refund", "goodwill_credit") else None,
        currency="EUR",
        completion_days=3,
        return_shipping_paid_by="seller" if name in ("return_and_refund", "exchange") else None,
        evidence_required=["photo_damage", "return_tracking"],
        deadline=date(2026, 12, 1),
    )
    order = shipped_order(status="delivered", delivered_date=date(2026, 11, 20), currency="EUR")
    for platform in ("amazon", "pinduoduo"):
        ctx = context(
            language=language,
            platform=platform,
            intent="quality_issue",
            order=order,
            remedies=[remedy],
            emotions=Emotions(anger=1.0),
            customer=CustomerRef(name="Kim Lee"),
        )
        draft = compose_draft(ctx)
        assert not draft.lint, [(f.code, draft.text[f.start : f.end]) for f in draft.lint]


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
def test_promising_a_denied_full_refund_blocks_in_every_language(language: str) -> None:
    ctx = context(
        language=language,
        remedies=[
            RemedyOption("partial_refund", "allowed", amount=Decimal("8"), currency="USD"),
            RemedyOption("full_refund", "denied"),
        ],
    )
    findings = lint(PROMISES[language], language=language, platform="shopify", ctx=ctx)
    assert [f.code for f in findings if f.severity == "blocking"] == ["promise-not-allowed"]


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
def test_every_intent_has_a_restatement(language: str) -> None:
    intents = nlu.INTENTS  # the taxonomy triage actually produces
    t = load_templates(language)
    assert all(t.has(f"restate.{intent}") for intent in intents)
