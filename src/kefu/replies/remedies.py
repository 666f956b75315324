"""The options paragraph: allowed remedies as numbered choices with their trade-offs.

Decision on ``needs_approval`` remedies: they are held back from the customer-facing text and
listed in the draft notes for the agent. Offering them ("we can request...") would read as a
promise the approver may still refuse, and the linter treats such wording as a policy breach.
Denied remedies are never mentioned.
"""

from __future__ import annotations

from decimal import Decimal

from kefu.replies.builder import DraftBuilder
from kefu.replies.types import DraftContext, RemedyOption

MAX_OPTIONS = 4
# Intents where a remedy list would be off-topic even if the decision lists some.
NO_REMEDY_INTENTS = frozenset(
    {"praise", "product_question", "price_promotion", "invoice_request", "account_issue"}
)
_AMOUNT_REMEDIES = frozenset(
    {
        "cancel",
        "full_refund",
        "partial_refund",
        "return_and_refund",
        "refund_without_return",
        "goodwill_credit",
    }
)
_ORDER_TOTAL_REMEDIES = frozenset({"cancel", "full_refund"})
REFUND_KINDS = frozenset(
    {"full_refund", "partial_refund", "return_and_refund", "refund_without_return", "cancel"}
)
REPLACE_KINDS = frozenset({"replacement", "exchange"})


def choose_offers(ctx: DraftContext, b: DraftBuilder) -> list[RemedyOption]:
    """Allowed remedies to offer, in decision order; notes what was held back and why."""
    if ctx.intent in NO_REMEDY_INTENTS:
        if ctx.remedies:
            b.notes.append(f"remedies not offered: intent {ctx.intent} does not call for them")
        return []
    allowed = [r for r in ctx.remedies if r.verdict == "allowed"]
    for r in ctx.remedies:
        if r.verdict == "needs_approval":
            b.notes.append(f"{r.name} needs approval ({r.rule_id or 'no rule id'}); not offered")
        elif r.verdict == "denied":
            b.notes.append(f"{r.name} denied ({r.reason or r.rule_id or 'policy'}); not offered")
    if len(allowed) > 1:
        # Escalation is the team's move, not a customer choice, unless it is all we have.
        allowed = [r for r in allowed if r.name != "escalate"] or allowed
    if len(allowed) > MAX_OPTIONS:
        b.notes.append(f"only the first {MAX_OPTIONS} of {len(allowed)} allowed remedies shown")
    return allowed[:MAX_OPTIONS]


def remedy_amount(ctx: DraftContext, r: RemedyOption) -> tuple[Decimal, str] | None:
    """The money figure for a remedy: its own amount, or the order total for a full refund."""
    currency = r.currency or (ctx.order.currency if ctx.order else None)
    if r.amount is not None and currency:
        return r.amount, currency
    if r.name in _ORDER_TOTAL_REMEDIES and ctx.order and ctx.order.total is not None:
        return ctx.order.total, ctx.order.currency
    return None


def add_options(b: DraftBuilder, ctx: DraftContext, offers: list[RemedyOption]) -> None:
    """Numbered options (or a single offer) with trade-offs and required evidence."""
    if not offers:
        return
    b.paragraph()
    intro = "remedy.intro_many" if len(offers) > 1 else "remedy.intro_one"
    b.say("option-intro", intro)
    for number, r in enumerate(offers, start=1):
        _option(b, ctx, r, f"{number}. " if len(offers) > 1 else "")


def _option(b: DraftBuilder, ctx: DraftContext, r: RemedyOption, prefix: str) -> None:
    t = b.templates
    source = f"policy:{r.rule_id or r.name}"
    money = remedy_amount(ctx, r)
    key = f"remedy.names.{r.name}"
    if isinstance(t.raw(key), dict) and r.name in _AMOUNT_REMEDIES:
        key += ".amount" if money else ".plain"
    text = t.text(key, register=b.register, amount=t.money(*money) if money else "")
    b.add("option", prefix + text, sources=(f"template:{key}", source))
    b.fact(f"remedy.{r.name}", r.verdict, source)
    if money:
        b.fact(f"remedy.{r.name}.amount", f"{money[0]} {money[1]}", source)
    if r.completion_days:
        b.say("tradeoff", "remedy.days", count=r.completion_days, days=r.completion_days)
        b.fact(f"remedy.{r.name}.days", r.completion_days, source)
    if r.keeps_item or r.name in ("partial_refund", "refund_without_return", "goodwill_credit"):
        b.say("tradeoff", "remedy.keep_item")
    if r.return_shipping_paid_by:
        b.say("tradeoff", f"remedy.shipping.{r.return_shipping_paid_by}", sources=(source,))
    if r.deadline:
        b.fact(f"remedy.{r.name}.deadline", r.deadline.isoformat(), source)
        b.say("tradeoff", "remedy.deadline", deadline=t.date(r.deadline), sources=(source,))
    # Photos and videos are asked for once, after the options (see ask_for_evidence).
    kinds = [e for e in r.evidence_required if not _askable(e)]
    names = [n for n in (_evidence_name(b, e) for e in kinds) if n]
    if names:
        sep = str(t.raw("list_separator") or ", ")
        b.say("tradeoff", "remedy.evidence", evidence=sep.join(names), sources=(source,))


def _askable(kind: str) -> bool:
    """Evidence the customer can send right away in a reply: photos and videos of the item."""
    return kind.startswith("photo") or kind.endswith("video")


def _evidence_name(b: DraftBuilder, kind: str) -> str:
    name = b.templates.raw(f"remedy.evidence_names.{kind}")
    if not name:
        b.notes.append(f"evidence {kind!r} has no wording in {b.templates.language}; not asked")
    return str(name or "")


def ask_for_evidence(b: DraftBuilder, ctx: DraftContext, offers: list[RemedyOption]) -> None:
    """Ask once for the photos or videos the offered remedies need, in the shop's voice."""
    kinds: list[str] = []
    sources: list[str] = []
    for r in offers:
        for kind in r.evidence_required:
            if _askable(kind) and kind not in kinds:
                kinds.append(kind)
                sources.append(f"policy:{r.rule_id or r.name}")
    names = list(dict.fromkeys(n for n in (_evidence_name(b, k) for k in kinds) if n))
    if not names:
        return
    qin = ctx.brand.qin_allowed and b.register == "casual"
    key = "remedy.evidence_ask_qin" if qin and b.templates.has("remedy.evidence_ask_qin") else ""
    sep = str(b.templates.raw("list_separator") or ", ")
    b.say(
        "evidence",
        key or "remedy.evidence_ask",
        sources=tuple(dict.fromkeys(sources)),
        evidence=sep.join(names),
    )
    b.fact("evidence_requested", ",".join(kinds), sources[0])


def state_denied_request(b: DraftBuilder, ctx: DraftContext) -> None:
    """Say what the policy says when the remedy the customer asked for is not possible."""
    asked = ctx.requested
    if asked is None or asked.verdict != "denied":
        return
    source = f"policy:{asked.rule_id or asked.name}"
    b.fact(f"remedy.{asked.name}", "denied", source)
    b.paragraph()
    if asked.reason and b.templates.has("remedy.denied"):
        # Category codes in a rule's text ("worn_or_washed_clothing") read as words to a customer.
        reason = " ".join(asked.reason.replace("_", " ").split())
        b.say("denied", "remedy.denied", sources=(source,), reason=reason)
    else:
        b.say("denied", "remedy.denied_plain", sources=(source,))
