"""The reply linter: checks a draft or an agent's reply before it is sent.

Blocking findings stop a send (unresolved placeholders, promises the decision does not allow,
amounts not in the facts, platform-rule breaches marked blocking); warnings coach the writer.
Pure: text and typed context in, findings out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from kefu.replies.lint_data import lint_data
from kefu.replies.lint_promises import check_amounts, check_promises
from kefu.replies.matcher import Matcher
from kefu.replies.template_set import TEMPLATE_LANGUAGES, normalize_language, rules_for
from kefu.replies.types import Brand, DraftContext, Finding

_PLACEHOLDER = re.compile(
    r"\{\{[^{}\n]{0,60}\}\}|\{[^{}\n]{0,60}\}|\$\{[^}\n]{0,60}\}|\[\[[^\]\n]{0,60}\]\]"
    r"|\[(?:[A-Z_]{3,}(?: [A-Z_]+)*)\]|<<[^>\n]{0,60}>>|%\(\w+\)s"
)
_EXCLAIM = re.compile(r"[!！]")
_CAPS = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-ÞА-ЯЁ]{3,}(?![\w-])")
_EMOJI = re.compile("[\U0001f300-\U0001faff\U0001f000-\U0001f2ff\u2600-\u27bf\ufe0f]")
_QIN = re.compile(r"亲亲|亲爱的|(?<![父母双乡相血近])亲(?=[，,～~！!。、\s们]|$)")
_NEWLINES = re.compile(r"\n(?:[ \t]*\n){2,}")
_QUESTION_SPLIT = re.compile(r"[^.!?。！？؟\n]*[?？؟]|[^.!?。！？؟\n]+")
_LINKISH = re.compile(r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE)
MAX_TEXT = 64 * 1024


def lint(
    text: str,
    *,
    language: str,
    platform: str,
    ctx: DraftContext | None = None,
    brand: Brand | None = None,
) -> list[Finding]:
    """Findings for one reply, sorted by position; never raises on odd input."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> '?', same length
    if not text.strip():
        return [Finding("empty", "blocking", 0, len(text), "The reply is empty.", "Write a reply.")]
    if len(text) > MAX_TEXT:
        return [
            Finding(
                "too-long",
                "blocking",
                MAX_TEXT,
                len(text),
                "The reply is over 64 KB.",
                "Shorten the reply.",
            )
        ]
    lang = normalize_language(language)
    lang = lang if lang in TEMPLATE_LANGUAGES else "en"
    brand = brand or (ctx.brand if ctx else None)
    findings = [
        *_placeholders(text),
        *_words(text, lang),
        *_punctuation(text, _known_words(ctx)),
        *_brand(text, brand),
        *_platform(text, platform, ctx),
    ]
    if ctx is not None:
        findings += check_promises(text, ctx)
        findings += check_amounts(text, ctx)
        findings += _context_checks(text, lang, ctx)
    return sorted(findings, key=lambda f: (f.start, f.end, f.code))


def _placeholders(text: str) -> Iterator[Finding]:
    for m in _PLACEHOLDER.finditer(text):
        yield Finding(
            "unresolved-placeholder",
            "blocking",
            m.start(),
            m.end(),
            f"Placeholder {m.group()} was not filled in.",
            "Replace it with the real value or remove it.",
        )


@functools.lru_cache(maxsize=16)
def _link_spans(text: str) -> tuple[tuple[int, int], ...]:
    if "@" not in text and "http" not in text and "www." not in text:
        return ()
    return tuple(m.span() for m in _LINKISH.finditer(text))


def _outside(pattern: Matcher | re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches that are not inside a link or an e-mail address."""
    skip = _link_spans(text)
    for m in pattern.finditer(text):
        if not any(a <= m.start() < b for a, b in skip):
            yield m


def _words(text: str, lang: str) -> Iterator[Finding]:
    data = lint_data()
    jargon = data.jargon.get(lang)
    if jargon:
        for m in _outside(jargon, text):
            yield Finding(
                "jargon",
                "warning",
                m.start(),
                m.end(),
                f"'{m.group()}' is an internal term the customer may not know.",
                "Say it in everyday words.",
            )
    slang = data.slang.get(lang)
    if slang:
        pattern, plain = slang
        for m in _outside(pattern, text):
            better = plain.get(m.group().lower(), "")
            yield Finding(
                "slang",
                "warning",
                m.start(),
                m.end(),
                f"'{m.group()}' is slang or an unexplained abbreviation.",
                f"Write '{better}'." if better else "Leave it out.",
            )


def _known_words(ctx: DraftContext | None) -> frozenset[str]:
    """Upper-case words that come from names (shop, brand, items, carrier), not from shouting."""
    if ctx is None:
        return frozenset()
    names = [ctx.shop_name, ctx.brand.sign_off, ctx.customer.name or ""]
    if ctx.order:
        names += [ctx.order.carrier or "", *(i.title for i in ctx.order.items)]
    return frozenset(w.upper() for n in names for w in re.findall(r"\w+", n))


def _punctuation(text: str, known: frozenset[str] = frozenset()) -> Iterator[Finding]:
    marks = list(_EXCLAIM.finditer(text))
    for m in marks[1:]:
        yield Finding(
            "exclamation",
            "warning",
            m.start(),
            m.end(),
            "More than one exclamation mark in the reply.",
            "Keep at most one; calm punctuation reads as professional.",
        )
    acronyms = lint_data().acronyms
    shouted = [m for m in _outside(_CAPS, text) if m.group().upper() not in acronyms | known]
    for m in shouted:
        neighbours = [o for o in shouted if o is not m and abs(o.start() - m.start()) < 40]
        if len(m.group()) >= 5 or neighbours:
            yield Finding(
                "all-caps",
                "warning",
                m.start(),
                m.end(),
                "Words in capitals read as shouting.",
                "Write it in normal case.",
            )


def _brand(text: str, brand: Brand | None) -> Iterator[Finding]:
    if brand is None:
        return
    if not brand.qin_allowed:
        for m in _QIN.finditer(text):
            yield Finding(
                "brand-qin",
                "warning",
                m.start(),
                m.end(),
                f"'{m.group()}' is not used by this shop's brand voice.",
                "Address the customer as 您.",
            )
    if not brand.emoji_allowed:
        for m in _EMOJI.finditer(text):
            yield Finding(
                "brand-emoji",
                "warning",
                m.start(),
                m.end(),
                "This shop does not use emoji in replies.",
                "Remove the emoji.",
            )


def _platform(text: str, platform: str, ctx: DraftContext | None) -> Iterator[Finding]:
    rules = rules_for(platform)
    patterns = lint_data().platform
    for rule, severity in dict(rules.get("forbid") or {}).items():
        if rule == "emoji":
            matches = list(_EMOJI.finditer(text))
        elif rule in patterns:
            matches = [m for m in patterns[rule].finditer(text) if _counts(rule, m, platform, ctx)]
        else:
            continue
        for m in matches:
            yield Finding(
                f"platform-{rule.replace('_', '-')}",
                severity,
                m.start(),
                m.end(),
                f"{platform}: {_RULE_TEXT.get(rule, rule)} are not allowed in messages.",
                "Remove it.",
            )
    limit = rules.get("max_consecutive_line_breaks")
    if limit:
        for m in _NEWLINES.finditer(text):
            yield Finding(
                "platform-line-breaks",
                "blocking",
                m.start(),
                m.end(),
                f"{platform}: at most {limit} consecutive line breaks.",
                "Use a single blank line between paragraphs.",
            )


def _counts(rule: str, m: re.Match[str], platform: str, ctx: DraftContext | None) -> bool:
    value = m.group().lower()
    if rule == "external_link" and platform == "amazon" and "amazon." in value:
        return False
    if rule == "confirm_receipt_request" and ctx and ctx.order:
        return ctx.order.status.lower() not in ("delivered", "completed", "finish")
    return True


_RULE_TEXT = {
    "external_link": "external links",
    "email_address": "e-mail addresses",
    "phone_number": "phone numbers",
    "off_platform_contact": "off-platform contact details (WeChat, QQ, WhatsApp...)",
    "off_platform_payment": "payments outside the platform",
    "marketing": "marketing, coupons and cross-selling",
    "review_request": "requests for positive reviews or to change a review",
    "review_incentive": "incentives for reviews",
    "confirm_receipt_request": "requests to confirm receipt before delivery",
    "html_markup": "HTML markup",
    "emoji": "emoji",
}


def _context_checks(text: str, lang: str, ctx: DraftContext) -> Iterator[Finding]:
    data = lint_data()
    end = len(text)
    if ctx.intent != "praise" and not data.time_expr[lang].exists(text):
        yield Finding(
            "missing-next-step",
            "warning",
            end,
            end,
            "The reply does not say what happens next and when.",
            "Add the next step with a time, e.g. 'within 24 hours'.",
        )
    angry = ctx.emotions.anger >= 0.4 or ctx.emotions.dominant() == "anger"
    if angry and not data.empathy.exists(text):
        yield Finding(
            "missing-empathy",
            "warning",
            0,
            0,
            "The customer is angry and the reply does not acknowledge it.",
            "Start with a short apology or acknowledgement of the feeling.",
        )
    yield from _unanswered(text, ctx)


def _unanswered(text: str, ctx: DraftContext) -> Iterator[Finding]:
    data = lint_data()
    asked = [s.strip() for s in _QUESTION_SPLIT.findall(ctx.customer_text[:4000])]
    facts = [v for v in _fact_values(ctx) if v]
    for topic, (ask, answer) in data.topics.items():
        question = next((q for q in asked if q.endswith(("?", "？", "؟")) and ask.exists(q)), None)
        if question is None:
            continue
        extra = facts if topic == "tracking" else []
        if answer.exists(text) or any(v in text for v in extra):
            continue
        yield Finding(
            "question-unanswered",
            "warning",
            0,
            0,
            f'The customer asked ({topic}): "{question[:80]}" and the reply does not address it.',
            "Answer the question or say when you will.",
        )


def _fact_values(ctx: DraftContext) -> list[str]:
    o = ctx.order
    if o is None:
        return []
    return [o.tracking_number or "", o.carrier or ""]
