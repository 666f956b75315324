"""Linter checks against the policy decision: promised remedies and money amounts."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal

from kefu.nlu.textnorm import straight_apostrophes
from kefu.replies.lint_data import lint_data
from kefu.replies.matcher import Matcher
from kefu.replies.types import DraftContext, Finding

# Sentences; a full stop between digits (12.50, 1.234) does not end one.
_SENTENCE = re.compile(r"(?:[^.!?。！？؟\n]|(?<=\d)\.(?=\d))+[.!?。！？؟]?")
# A remedy that, when offered, legitimately mentions another family in the same sentence.
_IMPLIES = {
    "cancel": {"full_refund", "any_refund"},
    "return_and_refund": {"any_refund"},
    "refund_without_return": {"any_refund"},
    # "as compensation" beside an allowed refund describes that refund, not a separate credit.
    "full_refund": {"any_refund", "goodwill_credit"},
    "partial_refund": {"any_refund", "goodwill_credit"},
    "exchange": {"replacement"},
    "replacement": {"exchange"},
}
_VERDICT_OF = {"keep_item": "refund_without_return"}
_LABELS = {"any_refund": "a refund", "keep_item": "keeping the item without a return"}
# Remedies where the customer keeps the item, so "you keep the item" describes them.
_KEEPS_ITEM = {"partial_refund", "refund_without_return", "goodwill_credit"}
_REFUND_KINDS = {
    "full_refund",
    "partial_refund",
    "return_and_refund",
    "refund_without_return",
    "cancel",
}
_CUR_CODE = r"\b(?:USD|EUR|GBP|CNY|RMB|JPY|RUB|BRL|SAR|AED|KRW|PLN|TRY|CHF|SEK)\b"
_NUM = r"\d(?:[\d.,\u00a0\u202f ]*\d)?"
# Written after the number: "15.000원", "49,99 zł", "150 TL".
_CUR_AFTER = r"원|zł|TL\b|руб|ريال"
_MONEY = re.compile(
    rf"(?:US\$|CN¥|R\$|A\$|C\$|[$€£¥₽₩₺]|{_CUR_CODE})\s?{_NUM}"
    rf"|{_NUM}\s?(?:US\$|CN¥|R\$|[$€£¥₽₩₺元円]|{_CUR_AFTER}|{_CUR_CODE})"
)


def check_promises(text: str, ctx: DraftContext) -> Iterator[Finding]:
    """Remedies named as offers that the decision denies, holds for approval, or lacks."""
    data = lint_data()
    verdicts = {r.name: r.verdict for r in ctx.remedies}
    allowed = {n for n, v in verdicts.items() if v == "allowed"}
    text = straight_apostrophes(text)  # "Don’t", "we’ll"
    hits = [m.start() for m in data.any_promise.finditer(text)]
    if not hits:
        return
    status = ctx.order.status.strip().lower() if ctx.order else ""
    for sm in _SENTENCE.finditer(text):
        if not any(sm.start() <= h < sm.end() for h in hits):
            continue
        sentence = sm.group()
        if _not_an_offer(sentence, status):
            continue
        found = {name: m for name, p in data.promises.items() if (m := _binding(p, sentence))}
        covered = set().union(*(_IMPLIES.get(n, set()) for n in found if n in allowed))
        if allowed & _KEEPS_ITEM or any(r.keeps_item for r in ctx.remedies if r.name in allowed):
            covered.add("keep_item")
        for name, m in found.items():
            if name in allowed or name in covered:
                continue
            if name == "any_refund" and allowed & _REFUND_KINDS:
                continue
            yield _finding(name, verdicts, ctx, sm.start() + m.start(), sm.start() + m.end())


def _not_an_offer(sentence: str, status: str) -> bool:
    """A restatement of the customer's request, or a done statement the order status confirms."""
    data = lint_data()
    if data.restatement.exists(sentence) and not data.promise_verbs.exists(sentence):
        return True
    return status in data.past_fact_statuses and data.past_facts.exists(sentence)


def _binding(pattern: Matcher, sentence: str) -> re.Match[str] | None:
    """The first match of ``pattern`` that the sentence commits to (not negated, not asked)."""
    for m in pattern.finditer(sentence):
        if _commits(sentence, m.start()):
            return m
    return None


def _commits(sentence: str, pos: int) -> bool:
    """False when the clause around ``pos`` is negated, or the sentence only asks."""
    data = lint_data()
    breaks = [b.span() for b in data.clause_breaks.finditer(sentence)]
    start = max((e for s, e in breaks if e <= pos), default=0)
    end = min((s for s, e in breaks if s > pos), default=len(sentence))
    clause = sentence[start:end]
    if data.negations.exists(data.negation_exceptions.sub(" ", clause)):
        return False
    committed = data.promise_verbs.exists(clause)
    if not committed and data.restatement.exists(clause):
        return False  # "ご注文のキャンセルをご希望とのこと、承知いたしました。"
    if not committed and data.soft_negations.exists(sentence):
        return False
    # In a question only an earlier clause with a promise verb binds ("给您补发，您看可以吗？").
    return not (data.question.search(sentence) and (end == len(sentence) or not committed))


def _finding(
    name: str, verdicts: Mapping[str, str], ctx: DraftContext, start: int, end: int
) -> Finding:
    label = _LABELS.get(name, name.replace("_", " "))
    held = verdicts.get(_VERDICT_OF.get(name, name)) == "needs_approval" or (
        name == "any_refund" and any(verdicts.get(k) == "needs_approval" for k in _REFUND_KINDS)
    )
    if held:
        return Finding(
            "promise-needs-approval",
            "warning",
            start,
            end,
            f"The reply offers {label}, which needs a supervisor's approval first.",
            "Get the approval before promising it, or remove it.",
        )
    if not ctx.remedies:
        return Finding(
            "promise-unchecked",
            "warning",
            start,
            end,
            f"The reply offers {label}, but there is no policy decision to check it.",
            "Run the policy check for this order first.",
        )
    allowed = [r.name.replace("_", " ") for r in ctx.remedies if r.verdict == "allowed"]
    hint = f"Allowed today: {', '.join(allowed)}." if allowed else "Nothing is allowed today."
    return Finding(
        "promise-not-allowed",
        "blocking",
        start,
        end,
        f"The reply offers {label}, which the policy decision does not allow.",
        hint,
    )


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value).lstrip("0")


def _known_amounts(ctx: DraftContext) -> set[str]:
    amounts: list[Decimal] = [r.amount for r in ctx.remedies if r.amount is not None]
    if ctx.order and ctx.order.total is not None:
        amounts.append(ctx.order.total)
    out = set()
    for a in amounts:
        out.add(_digits(f"{a:.2f}"))
        out.add(_digits(f"{a:,.2f}"))
        if a == a.to_integral_value():
            out.add(_digits(f"{a:.0f}"))
    return out


def check_amounts(text: str, ctx: DraftContext) -> Iterator[Finding]:
    """Money figures in the reply that are not the order total or a decided remedy amount."""
    known = _known_amounts(ctx)
    for m in _MONEY.finditer(text):
        if _digits(m.group()) not in known:
            yield Finding(
                "amount-not-in-facts",
                "blocking",
                m.start(),
                m.end(),
                f"The amount {m.group().strip()} is not the order total or an amount "
                "the policy decision allows.",
                "Use only the amounts from the order and the decision.",
            )
