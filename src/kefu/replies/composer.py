"""Compose a reply draft from typed inputs, following the service playbook.

Greeting by name → one-line restatement → empathy matched to the emotion → the order's facts →
allowed remedies with trade-offs → at most one clarifying question → next step with a time →
closing. Pure: no I/O besides the package's own templates, time comes from ``ctx.now``.
"""

from __future__ import annotations

import re
from datetime import timedelta

from kefu.replies.builder import DraftBuilder
from kefu.replies.facts import add_order_facts, order_state
from kefu.replies.linter import lint
from kefu.replies.remedies import (
    REFUND_KINDS,
    REPLACE_KINDS,
    add_options,
    ask_for_evidence,
    choose_offers,
    state_denied_request,
)
from kefu.replies.template_set import (
    TEMPLATE_LANGUAGES,
    load_templates,
    normalize_language,
    rules_for,
)
from kefu.replies.types import Draft, DraftContext, RemedyOption

# Intents that cannot be handled without knowing which order it is.
NEEDS_ORDER = frozenset(
    {
        "order_status",
        "shipping_delay",
        "delivered_not_received",
        "cancel_order",
        "change_order",
        "return_request",
        "refund_request",
        "exchange_request",
        "quality_issue",
        "wrong_item",
        "missing_item",
        "invoice_request",
    }
)
# Intents where the order's shipping facts do not help the answer.
NO_FACTS_INTENTS = frozenset({"praise", "product_question", "price_promotion", "account_issue"})
_QUESTION_ORDER = ("refund_or_replacement", "which_item", "new_address", "size", "photo", "details")
_CITE_INTENTS = frozenset(
    {
        "product_question",
        "shipping_question",
        "price_promotion",
        "invoice_request",
        "account_issue",
        "payment_issue",
        "other",
    }
)
# Shown to the agent, never to the customer: the draft does not react to threats in writing.
_RISK_NOTES = {
    "negative_review_threat": "do not offer anything in exchange for the review; fix the problem",
    "dispute_threat": "reply within the platform clock; a refund before the claim closes it",
    "chargeback_threat": "keep proof of delivery and of this conversation",
    "legal_threat": "escalate to a supervisor before replying",
    "churn_threat": "a goodwill gesture within your limit may be worth it",
}
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_NAME_JUNK = re.compile(r"[@{}<>]|https?:")


def compose_draft(ctx: DraftContext) -> Draft:
    """Draft a reply for one conversation from its context (pure, deterministic)."""
    language = normalize_language(ctx.language)
    fell_back = language not in TEMPLATE_LANGUAGES
    rules = rules_for(ctx.platform)
    b = DraftBuilder(load_templates("en" if fell_back else language), str(rules["register"]))
    if fell_back:
        b.notes.append(f"no templates for language {language!r}; drafted in English")
    links = bool(rules.get("links_in_drafts", True))
    b.notes.extend(f"risk {r}: {_RISK_NOTES.get(r, 'handle with care')}" for r in ctx.risks)
    _greeting(b, ctx)
    b.paragraph()
    _restate_and_empathy(b, ctx)
    question = _pick_question(ctx, b)
    offers = _facts_and_offers(b, ctx, question, links_allowed=links)
    _knowledge(b, ctx, links_allowed=links)
    b.paragraph()
    if question:
        b.say("question", f"clarify.{question}")
    _next_step(b, ctx, question, offers, hours=int(rules.get("reply_hours", 24)))
    _closing(b, ctx, emoji=bool(rules.get("emoji_in_drafts")) and ctx.brand.emoji_allowed)
    text = b.render()
    sentences = b.sentences()
    cited = {src for s in sentences for src in s.sources}
    return Draft(
        text=text,
        language=b.templates.language,
        facts=b.facts,
        remedies=offers,
        citations=[c for c in ctx.citations if f"kb:{c.article_id}" in cited],
        lint=lint(text, language=b.templates.language, platform=ctx.platform, ctx=ctx),
        fell_back_to_english=fell_back,
        notes=b.notes,
        sentences=sentences,
    )


def _facts_and_offers(
    b: DraftBuilder, ctx: DraftContext, question: str | None, *, links_allowed: bool
) -> list[RemedyOption]:
    """The order's facts and the options paragraph; nothing when the order is unknown."""
    if question == "order_id":
        return []
    if ctx.intent not in NO_FACTS_INTENTS:
        add_order_facts(b, ctx, links_allowed=links_allowed)
    state_denied_request(b, ctx)
    offers = choose_offers(ctx, b)
    add_options(b, ctx, offers)
    if len(offers) > 1 and question != "refund_or_replacement":
        b.say("choose", "remedy.choose")
    ask_for_evidence(b, ctx, offers)
    return offers


def _clean_name(value: str | None) -> str:
    name = " ".join((value or "").split())[:60]
    return "" if _NAME_JUNK.search(name) else name


def _greeting(b: DraftBuilder, ctx: DraftContext) -> None:
    name = _clean_name(ctx.customer.name)
    first = _clean_name(ctx.customer.first_name) or (name.split()[0] if name else "")
    name = name or first
    if ctx.brand.qin_allowed and b.templates.has("greeting.qin") and b.register == "casual":
        b.say("greeting", "greeting.qin", sources=("brand:qin_allowed",), name=name)
    elif name:
        b.say("greeting", "greeting.named", sources=("customer",), name=name, first_name=first)
    else:
        b.say("greeting", "greeting.anonymous")


def _restate_and_empathy(b: DraftBuilder, ctx: DraftContext) -> None:
    intent = ctx.intent if b.templates.has(f"restate.{ctx.intent}") else "other"
    b.say("restate", f"restate.{intent}", sources=(f"triage:intent={ctx.intent}",))
    emotion = ctx.emotions.dominant()
    # A complaint that signs off with "thanks" / "谢谢" is still a complaint: thanks make a
    # customer happy only when nothing in the message is negative.
    thanking = emotion == "gratitude" and ctx.sentiment != "negative"
    if ctx.sentiment == "positive" or thanking or ctx.intent == "praise":
        return
    if emotion and b.templates.has(f"empathy.{emotion}"):
        b.say("empathy", f"empathy.{emotion}", sources=(f"triage:emotion={emotion}",))
    elif ctx.sentiment == "negative":
        b.say("empathy", "empathy.disappointment", sources=("triage:sentiment=negative",))


def _pick_question(ctx: DraftContext, b: DraftBuilder) -> str | None:
    """At most one clarifying question: the most important missing fact we can ask about."""
    if ctx.order is None and (ctx.intent in NEEDS_ORDER or "order_id" in ctx.missing):
        return "order_id"
    allowed = {r.name for r in ctx.remedies if r.verdict == "allowed"}
    # Never ask a question whose answer could pick a remedy the decision does not allow.
    askable = {
        "refund_or_replacement": bool(allowed & REFUND_KINDS) and bool(allowed & REPLACE_KINDS),
        "new_address": "change_address" in allowed,
        "size": "exchange" in allowed,
    }
    picked = None
    for key in _QUESTION_ORDER:
        if key in ctx.missing and askable.get(key, True):
            picked = key
            break
    for key in ctx.missing:
        if key not in (picked, "order_id"):
            b.notes.append(f"missing fact {key!r} not asked: one question per reply")
    return picked


def _knowledge(b: DraftBuilder, ctx: DraftContext, *, links_allowed: bool) -> None:
    if ctx.intent not in _CITE_INTENTS or not ctx.citations:
        return
    ref = ctx.citations[0]
    snippet = " ".join(ref.snippet.split())
    if not links_allowed:
        snippet = _URL.sub("", snippet).strip()
    if len(snippet) > 280:
        snippet = snippet[:279].rsplit(" ", 1)[0] + "…"
    if not snippet:
        return
    b.paragraph()
    b.fact("article", ref.article_id, f"kb:{ref.article_id}")
    b.say(
        "knowledge",
        "knowledge",
        sources=(f"kb:{ref.article_id}",),
        title=" ".join(ref.title.split())[:120],
        snippet=snippet,
    )


def _next_step(
    b: DraftBuilder,
    ctx: DraftContext,
    question: str | None,
    offers: list[RemedyOption],
    *,
    hours: int,
) -> None:
    held = [r for r in ctx.remedies if r.verdict == "needs_approval"]
    state = order_state(ctx.order) if ctx.order else None
    carrier = ctx.order.carrier if ctx.order else None
    src = (f"platform:{ctx.platform}:reply_hours",)
    if question in ("order_id", "details", "which_item", "photo", "new_address"):
        b.say("next", "next.after_question", sources=src, hours=hours)
    elif len(offers) == 1 and b.templates.has(f"next.remedy.{offers[0].name}"):
        b.say("next", f"next.remedy.{offers[0].name}", sources=src, hours=hours)
    elif len(offers) == 1 and not question:
        b.say("next", "next.after_accept", sources=src, hours=hours)
    elif offers or question:
        b.say("next", "next.after_choice", sources=src, hours=hours)
    elif held and ctx.intent not in ("praise", "product_question"):
        b.say("next", "remedy.pending")
        b.say("next", "next.approval", sources=src, hours=hours)
    elif ctx.intent == "praise":
        return
    elif ctx.intent == "delivered_not_received" or ctx.intent == "missing_item":
        key = "next.investigate" if carrier else "next.investigate_plain"
        b.say("next", key, sources=src, hours=hours, carrier=carrier or "")
    elif state == "shipped" and ctx.intent in ("order_status", "shipping_delay", "complaint"):
        check = (ctx.now + timedelta(days=2)).date()
        b.fact("next_check_date", check.isoformat(), "clock")
        b.say("next", "next.watch", sources=("clock",), check_date=b.templates.date(check))
    elif ctx.intent in _CITE_INTENTS:
        b.say("next", "next.answer", sources=src, hours=hours)
    else:
        b.say("next", "next.generic", sources=src, hours=hours)


def _closing(b: DraftBuilder, ctx: DraftContext, *, emoji: bool) -> None:
    b.paragraph()
    closing = b.templates.text("closing", register=b.register)
    b.add("closing", closing + (" 😊" if emoji else ""), sources=("template:closing",))
    for line in (ctx.brand.sign_off, ctx.shop_name):
        line = " ".join(line.split())[:80]
        if line:
            b.add("signature", line, sources=("brand",))
