"""``kefu bench replies``: draft hundreds of generated scenarios and check each draft.

Scenarios combine hand-written pieces (bench/replies_scenarios.py): order states x intents x
languages x platforms, with a plausible policy decision per case that deliberately includes denied
and approval-only remedies. Checks are made from the scenario's own truth (order id, carrier,
tracking number, dates, which remedies are denied), language by lingua limited to the nine
template languages, and platform rules by a checker written here independently of the linter.
The baseline is a canned English acknowledgement, as many shops send today.
"""

from __future__ import annotations

import itertools
import random
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from lingua import Language, LanguageDetectorBuilder

from bench._common import Result, latency_results, percentile
from bench.replies_scenarios import (
    AGENT_REPLIES,
    AGENT_REPLIES_HOLDOUT,
    AGENT_REPLIES_HOLDOUT_V3,
    ARTICLES,
    CARRIERS,
    CLEAN_REPLIES,
    CLEAN_REPLIES_HOLDOUT,
    CLEAN_REPLIES_HOLDOUT_V3,
    CURRENCY,
    DECISIONS,
    ITEMS,
    MESSAGES,
    NAMES,
    ORDER_IDS,
    TRACKING_STATUS,
)
from kefu.replies import (
    TEMPLATE_LANGUAGES,
    Brand,
    CustomerRef,
    Draft,
    DraftContext,
    Emotions,
    KnowledgeRef,
    OrderFacts,
    OrderItem,
    RemedyOption,
    compose_draft,
    lint,
)
from kefu.replies.composer import NEEDS_ORDER, NO_FACTS_INTENTS
from kefu.replies.template_set import load_templates

DATASET = "replies_scenarios_v1"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
STATES_FOR = {
    "order_status": ["processing", "in_transit", "late", "none"],
    "shipping_delay": ["late", "none"],
    "delivered_not_received": ["delivered"],
    "cancel_order": ["processing", "in_transit", "none"],
    "return_request": ["delivered", "none"],
    "refund_request": ["processing", "late", "delivered", "none"],
    "quality_issue": ["delivered"],
    "wrong_item": ["delivered"],
    "product_question": ["none", "delivered"],
    "praise": ["delivered"],
}
_A, _N, _D = "allowed", "needs_approval", "denied"
PLATFORMS = ["amazon", "aliexpress", "pinduoduo", "temu", "shopify", "webchat", "email"]
_LINGUA = {
    "en": Language.ENGLISH,
    "zh": Language.CHINESE,
    "es": Language.SPANISH,
    "fr": Language.FRENCH,
    "de": Language.GERMAN,
    "pt": Language.PORTUGUESE,
    "ru": Language.RUSSIAN,
    "ar": Language.ARABIC,
    "ja": Language.JAPANESE,
}


@dataclass(frozen=True)
class Scenario:
    ctx: DraftContext
    state: str
    denied: tuple[str, ...]


def _fill(pattern: str, rng: random.Random) -> str:
    def one(m: re.Match[str]) -> str:
        kind, n = m.group(1), int(m.group(2))
        pool = "0123456789" if kind == "d" else "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        return "".join(rng.choice(pool) for _ in range(n))

    return re.sub(r"\{([da])(\d+)\}", one, pattern)


def _order(state: str, lang: str, platform: str, rng: random.Random) -> OrderFacts | None:
    if state == "none":
        return None
    carrier, pattern = rng.choice(CARRIERS[platform])
    currency = "CNY" if platform == "pinduoduo" else CURRENCY[lang]
    total = Decimal(rng.randrange(1500, 25000)) / 100
    if currency == "JPY":
        total = Decimal(rng.randrange(15, 250) * 100)
    placed = (NOW - timedelta(days=rng.randint(6, 20))).date()
    shipped = state in ("in_transit", "late", "delivered")
    promised = NOW.date() + timedelta(days=rng.randint(1, 5))
    days_late = None
    if state == "late":
        days_late = rng.randint(1, 9)
        promised = NOW.date() - timedelta(days=days_late)
    return OrderFacts(
        order_id=_fill(ORDER_IDS[platform], rng),
        platform=platform,
        status={
            "processing": "paid",
            "in_transit": "in_transit",
            "late": "in_transit",
            "delivered": "delivered",
        }[state],
        items=[OrderItem(rng.choice(ITEMS[lang]), rng.choice([1, 1, 2]))],
        total=total,
        currency=currency,
        placed_date=placed,
        promised_date=promised,
        carrier=carrier if shipped else None,
        tracking_number=_fill(pattern, rng) if shipped else None,
        tracking_url="https://track.example.net/p/1" if shipped else None,
        last_tracking_status=TRACKING_STATUS[lang] if state in ("in_transit", "late") else None,
        last_tracking_date=(NOW - timedelta(days=1)).date() if shipped else None,
        delivered_date=(NOW - timedelta(days=2)).date() if state == "delivered" else None,
        days_late=days_late,
    )


def _decide(
    intent: str, state: str, order: OrderFacts | None, rng: random.Random
) -> list[RemedyOption]:
    """A plausible decision for the case, with denied and approval-only remedies mixed in."""
    if order is None:
        return []
    total, cur = order.total or Decimal(0), order.currency
    money = {
        "total": total,
        "part": (total * Decimal("0.2")).quantize(Decimal("1" if cur == "JPY" else "0.01")),
    }
    spec = DECISIONS.get((intent, state), [])
    if intent in ("shipping_delay", "order_status") and state == "late":
        spec = DECISIONS[("late", "*")]
    decision = []
    for name, verdict, extra in spec:
        kwargs = dict(extra)
        if "amount" in kwargs:
            kwargs["amount"], kwargs["currency"] = money[kwargs["amount"]], cur
        if kwargs.pop("deadline_days", None):
            kwargs["deadline"] = (NOW + timedelta(days=14)).date()
        verdict = rng.choice([_N, _D]) if verdict == "either" else verdict
        decision.append(RemedyOption(name, verdict, **kwargs))
    # Flip one allowed remedy to denied now and then: drafts must follow the decision.
    allowed = [i for i, r in enumerate(decision) if r.verdict == _A]
    if len(allowed) > 1 and rng.random() < 0.3:
        i = rng.choice(allowed)
        decision[i] = RemedyOption(decision[i].name, _D, reason="flipped by the benchmark")
    return decision


def _emotions(intent: str, rng: random.Random) -> tuple[Emotions, str]:
    if intent == "praise":
        return Emotions(gratitude=0.9), "positive"
    if intent in ("shipping_delay", "delivered_not_received", "quality_issue", "wrong_item"):
        return rng.choice(
            [Emotions(anger=0.8), Emotions(disappointment=0.7), Emotions(anxiety=0.6)]
        ), "negative"
    return rng.choice([Emotions(), Emotions(anxiety=0.6), Emotions(confusion=0.5)]), "neutral"


def scenarios(*, limit: int, seed: int = 20261123) -> list[Scenario]:
    """Deterministic sample of the valid combinations."""
    rng = random.Random(seed)
    combos = [
        (lang, platform, intent, state)
        for lang, platform, intent in itertools.product(TEMPLATE_LANGUAGES, PLATFORMS, STATES_FOR)
        for state in STATES_FOR[intent]
        if platform != "pinduoduo" or lang == "zh"  # Pinduoduo buyers write Chinese
    ]
    rng.shuffle(combos)
    out = []
    for lang, platform, intent, state in combos[:limit]:
        order = _order(state, lang, platform, rng)
        remedies = _decide(intent, state, order, rng)
        emotions, sentiment = _emotions(intent, rng)
        missing = (
            ["refund_or_replacement"] if intent == "quality_issue" and rng.random() < 0.4 else []
        )
        title, snippet = ARTICLES[lang]
        ctx = DraftContext(
            language=lang,
            platform=platform,
            shop_name="Northwind Goods",
            brand=Brand(
                emoji_allowed=rng.random() < 0.5,
                qin_allowed=rng.random() < 0.5,
                sign_off=rng.choice(["Mia", "Leo", ""]),
            ),
            customer=CustomerRef(name=rng.choice(NAMES[lang])),
            intent=intent,
            emotions=emotions,
            sentiment=sentiment,
            customer_text=MESSAGES[intent][lang],
            order=order,
            remedies=remedies,
            missing=missing,
            now=NOW,
            citations=[KnowledgeRef("kb-care", title, snippet)]
            if intent == "product_question"
            else [],
        )
        denied = tuple(r.name for r in remedies if r.verdict != "allowed")
        out.append(Scenario(ctx, state, denied))
    return out


_BREACH = {
    "amazon": re.compile(
        r"https?://|www\.|\S+@\S+\.\w|[\U0001f300-\U0001faff\u2600-\u27bf]|\n\s*\n\s*\n"
        r"|review|好评|coupon|优惠券",
        re.IGNORECASE,
    ),
    "pinduoduo": re.compile(
        r"https?://|www\.|微信|wechat|\bQQ\b|whatsapp|好评返现|1[3-9]\d{9}\b", re.IGNORECASE
    ),
    "temu": re.compile(r"https?://|www\.|wechat|whatsapp|\S+@\S+\.\w", re.IGNORECASE),
    "aliexpress": re.compile(
        r"paypal|western union|confirm (?:the )?receipt|确认收货", re.IGNORECASE
    ),
}


def _breached(draft_text: str, platform: str, findings: list[str]) -> bool:
    own = _BREACH.get(platform)
    return bool(own and own.search(draft_text)) or any(c.startswith("platform-") for c in findings)


def _tracking_ok(text: str, sc: Scenario) -> bool:
    order = sc.ctx.order
    assert order is not None
    t = load_templates(sc.ctx.language)
    ok = bool(order.carrier and order.carrier in text and order.tracking_number in text)
    if sc.state == "delivered" and order.delivered_date:
        ok = ok and t.date(order.delivered_date) in text
    if sc.state in ("in_transit", "late") and order.last_tracking_status:
        ok = ok and order.last_tracking_status in text
    return ok


def _offers_denied(draft: Draft, sc: Scenario) -> bool:
    """A denied or approval-only remedy among the offers, or its option line in the text."""
    if any(r.name in sc.denied for r in draft.remedies):
        return True
    t = load_templates(draft.language)
    order = sc.ctx.order
    for r in sc.ctx.remedies:
        if r.name not in sc.denied:
            continue
        key = f"remedy.names.{r.name}"
        node = t.raw(key)
        amount = r.amount if r.amount is not None else (order.total if order else None)
        money = t.money(amount, order.currency) if amount is not None and order else ""
        keys = [f"{key}.amount", f"{key}.plain"] if isinstance(node, dict) else [key]
        lines = [t.text(k, register="formal", amount=money) for k in keys]
        lines += [t.text(k, register="casual", amount=money) for k in keys]
        if any(line in draft.text for line in lines):
            return True
    return False


def _evaluate(
    texts: list[str], drafts: list[Draft] | None, items: list[Scenario], system: str
) -> list[Result]:
    detector = LanguageDetectorBuilder.from_languages(*_LINGUA.values()).build()
    by_lang: dict[str, list[bool]] = {}
    right = ids = ids_n = track = track_n = denied = blocking = breaches = 0
    one_q = one_q_n = next_ok = next_n = 0
    for i, (text, sc) in enumerate(zip(texts, items, strict=True)):
        ctx = sc.ctx
        found = detector.detect_language_of(text)
        hit = found == _LINGUA[ctx.language]
        right += hit
        by_lang.setdefault(ctx.language, []).append(hit)
        findings = (
            list(drafts[i].lint)
            if drafts
            else lint(text, language="en", platform=ctx.platform, ctx=ctx)
        )
        codes = [f.code for f in findings]
        if ctx.order and ctx.intent not in NO_FACTS_INTENTS:
            ids_n += 1
            ids += ctx.order.order_id in text
            if sc.state in ("in_transit", "late", "delivered"):
                track_n += 1
                track += _tracking_ok(text, sc)
        elif ctx.intent in NEEDS_ORDER:
            one_q_n += 1
            one_q += len(re.findall(r"[?？؟]", text)) == 1
        if drafts:
            denied += _offers_denied(drafts[i], sc)
        blocking += any(f.severity == "blocking" for f in findings)
        breaches += _breached(text, ctx.platform, codes)
        if ctx.intent != "praise":
            next_n += 1
            next_ok += "missing-next-step" not in codes
    n = len(items)
    rows = [
        ("scenarios", n, "count"),
        ("right_language", right / n, "ratio"),
        ("right_language_worst_language", min(sum(v) / len(v) for v in by_lang.values()), "ratio"),
        ("order_id_present", ids / max(ids_n, 1), "ratio"),
        ("tracking_facts_correct", track / max(track_n, 1), "ratio"),
        ("denied_remedy_offered", denied, "count"),
        ("blocking_lint_findings", blocking, "count"),
        ("platform_rule_breaches", breaches, "count"),
        ("one_question_when_order_missing", one_q / max(one_q_n, 1), "ratio"),
        ("next_step_with_time", next_ok / max(next_n, 1), "ratio"),
    ]
    return [Result(DATASET, system, m, float(v), u) for m, v, u in rows]


def _baseline(sc: Scenario) -> str:
    ctx = sc.ctx
    about = f" about order {ctx.order.order_id}" if ctx.order else ""
    return (
        f"Hello {ctx.customer.name},\n\nThank you for contacting {ctx.shop_name}. We have "
        f"received your message{about} and will get back to you as soon as possible.\n\n"
        "Best regards"
    )


def _linter_results(
    name: str,
    bad: list[tuple[str, str, str, tuple[str, ...]]],
    clean: list[tuple[str, str, str]],
) -> list[Result]:
    """Does the linter catch what an agent gets wrong, and leave careful replies alone?"""
    ctx_for = {
        lang: DraftContext(
            language=lang,
            platform="shopify",
            intent="shipping_delay",
            now=NOW,
            remedies=[
                RemedyOption("partial_refund", _A, amount=Decimal("8.00"), currency="USD"),
                RemedyOption("full_refund", _D),
            ],
        )
        for lang in TEMPLATE_LANGUAGES
    }
    caught = 0
    for lang, platform, text, expected in bad:
        codes = {f.code for f in lint(text, language=lang, platform=platform, ctx=ctx_for[lang])}
        caught += set(expected) <= codes
    false_blocks = sum(
        any(f.severity == "blocking" for f in lint(t, language=lang, platform=p, ctx=ctx_for[lang]))
        for lang, p, t in clean
    )
    return [
        Result(name, "kefu_linter", "violations_caught", caught / len(bad), "ratio"),
        Result(name, "kefu_linter", "violations", float(len(bad)), "count"),
        Result(name, "kefu_linter", "clean_replies_blocked", float(false_blocks), "count"),
        Result(name, "kefu_linter", "clean_replies", float(len(clean)), "count"),
    ]


def run(*, quick: bool = False) -> list[Result]:
    """Draft every scenario, check it, and time the drafting (no LLM)."""
    items = scenarios(limit=120 if quick else 500)
    # Warm templates, locale data and compiled rules on other scenarios (a server process keeps
    # them loaded); the timed drafts below are not repeats of these.
    for sc in scenarios(limit=60, seed=7):
        compose_draft(sc.ctx)
    drafts, latencies, cpu = [], [], []
    for sc in items:
        start, cpu_start = time.perf_counter(), time.thread_time()
        drafts.append(compose_draft(sc.ctx))
        latencies.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - cpu_start) * 1000)
    results = _evaluate([d.text for d in drafts], drafts, items, "kefu")
    results.append(
        Result(
            DATASET,
            "kefu",
            "fell_back_to_english",
            float(sum(d.fell_back_to_english for d in drafts)),
            "count",
        )
    )
    results += latency_results(DATASET, "kefu", latencies)
    # CPU time of the drafting thread: what the code costs, without waits for a busy machine.
    results.append(Result(DATASET, "kefu", "cpu_time_p99", percentile(cpu, 99), "ms"))
    results += _evaluate([_baseline(sc) for sc in items], None, items, "baseline_generic_ack")
    # All three sets have been used to fix the linter, so they are development sets. Each later
    # set was held out for one measurement first: v2 16/22 caught, 0/11 clean replies blocked;
    # v3 13/20 caught, 0/10 blocked. A new held-out set must be written to measure again.
    results += _linter_results("agent_replies_dev_v1", AGENT_REPLIES, CLEAN_REPLIES)
    results += _linter_results("agent_replies_dev_v2", AGENT_REPLIES_HOLDOUT, CLEAN_REPLIES_HOLDOUT)
    results += _linter_results(
        "agent_replies_dev_v3", AGENT_REPLIES_HOLDOUT_V3, CLEAN_REPLIES_HOLDOUT_V3
    )
    return results
