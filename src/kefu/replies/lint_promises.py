"""Linter checks against the policy decision: promised remedies and money amounts."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal

from kefu.replies.lint_data import lint_data
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
_REFUND_KINDS = {
    "full_refund",
    "partial_refund",
    "return_and_refund",
    "refund_without_return",
    "cancel",
}
_CUR_CODE = r"\b(?:USD|EUR|GBP|CNY|RMB|JPY|RUB|BRL|SAR|AED)\b"
_NUM = r"\d(?:[\d.,\u00a0\u202f ]*\d)?"
_MONEY = re.compile(
    rf"(?:US\$|CN¥|R\$|A\$|C\$|[$€£¥₽]|{_CUR_CODE})\s?{_NUM}"
    rf"|{_NUM}\s?(?:US\$|CN¥|R\$|[$€£¥₽元円]|руб|ريال|{_CUR_CODE})"
)


def check_promises(text: str, ctx: DraftContext) -> Iterator[Finding]:
    """Remedies named as offers that the decision denies, holds for approval, or lacks."""
    data = lint_data()
    verdicts = {r.name: r.verdict for r in ctx.remedies}
    allowed = {n for n, v in verdicts.items() if v == "allowed"}
    hits = [m.start() for m in data.any_promise.finditer(text)]
    if not hits:
        return
    for sm in _SENTENCE.finditer(text):
        if not any(sm.start() <= h < sm.end() for h in hits):
            continue
        sentence = sm.group()
        if data.restatement.exists(sentence) and not data.promise_verbs.exists(sentence):
            continue
        if data.negations.exists(data.negation_exceptions.sub(" ", sentence)):
            continue
        found = {name: m for name, p in data.promises.items() if (m := p.search(sentence))}
        covered = set().union(*(_IMPLIES.get(n, set()) for n in found if n in allowed))
        for name, m in found.items():
            if name in allowed or name in covered:
                continue
            if name == "any_refund" and allowed & _REFUND_KINDS:
                continue
            yield _finding(name, verdicts, ctx, sm.start() + m.start(), sm.start() + m.end())


def _finding(
    name: str, verdicts: Mapping[str, str], ctx: DraftContext, start: int, end: int
) -> Finding:
    label = "a refund" if name == "any_refund" else name.replace("_", " ")
    held = verdicts.get(name) == "needs_approval" or (
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
