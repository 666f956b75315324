"""Queue priority 0-100 as a sum of named points, so an agent sees why a message is on top."""

from __future__ import annotations

from decimal import Decimal

from kefu.nlu.schemas import Priority, Sentiment, TriageContext

# Cancelling or changing an order (address, size) is worth most before it ships: later it
# becomes a return or a parcel at the old address. At 24/22 they sat below every complaint and
# level with a first "it arrived broken", which can wait an hour without getting worse.
INTENT_POINTS = {
    "delivered_not_received": 30, "cancel_order": 30, "change_order": 28, "wrong_item": 25,
    "missing_item": 25, "quality_issue": 25, "refund_request": 25, "payment_issue": 25,
    "complaint": 25, "shipping_delay": 22, "account_issue": 15, "return_request": 15,
    "exchange_request": 15, "order_status": 12, "product_question": 12, "shipping_question": 10,
    "invoice_request": 8, "price_promotion": 8, "other": 5, "praise": 2,
}  # fmt: skip
RISK_POINTS = {
    "legal_threat": 25, "chargeback_threat": 25, "dispute_threat": 25,
    "negative_review_threat": 15, "churn_threat": 8,
}  # fmt: skip
EMOTION_POINTS = {"anger": 10, "anxiety": 5, "disappointment": 5}
# A product that burned, sparked or hurt someone goes first, however calmly it is told: above
# a legal threat, and enough to lift a calm "the charger smelled of burning" over a shouted
# wrong colour.
SAFETY_POINTS = 40
# Personal data exposed (another buyer's invoice in the parcel, a scam call that knew the order,
# someone else in the account) puts the shop under data-protection duties with short clocks
# (GDPR: 72 hours to report a breach) and the customer at risk of fraud: above a legal threat,
# under a physical hazard.
PRIVACY_POINTS = 30
# Anger, a harsh tone and insults are one signal said three ways; together they count no more
# than anger alone. Summed (up to 30) they put a shouted insult about a $6 lipstick shade 12
# points over a calm parcel marked delivered that never came, on a $320 order.
FEELING_CAP = 10
# One plain complaint word is no tone: "My mug arrived broken" reads -0.46 and, at a bar of
# -0.2, its 5 points tied the calm report with a cancellation before shipping (30).
NEGATIVE_TONE_BELOW = -0.5
PLATFORM_NAMES = {
    "amazon": "Amazon", "aliexpress": "AliExpress", "pinduoduo": "Pinduoduo", "temu": "Temu",
    "shopify": "Shopify", "webchat": "web chat", "email": "email",
}  # fmt: skip


def _deadline_points(hours: float) -> int:
    # A tie-breaker within a tier, not a tier of its own (under the 10 points between a routine
    # request and a problem). Ingest measures the deadline when the message arrives, so on
    # Pinduoduo (3 minutes) and web chat (15 minutes) every message with an order is "due in
    # minutes": at 25 points (a legal threat's weight) that lifted a linked "where is it" or
    # "how do I return this" over an unlinked cancellation or a $1,800 laptop that arrived
    # broken. A passed deadline still counts most.
    if hours <= 0:
        return 10
    for limit, points in ((2, 8), (6, 6), (12, 4), (24, 2)):
        if hours <= limit:
            return points
    return 0


def _deadline_text(where: str, hours: float) -> str:
    if hours <= 0:
        return f"{where} reply deadline passed"
    if hours < 1:
        return f"{where} reply deadline in {max(1, round(hours * 60))} min"
    return f"{where} reply deadline in {hours:g} h"


# Roughly how many units of a currency make one US dollar, so that the value steps below mean
# about the same in every shop: a 150 CNY order (about 20 USD) was "big" like a 150 USD one.
# Currencies not listed (USD, EUR, GBP, CAD, AUD, CHF, ...) count as they are.
_UNITS_PER_USD = {
    "CNY": 7, "RMB": 7, "HKD": 8, "TWD": 32, "JPY": 150, "KRW": 1350, "INR": 83, "RUB": 90,
    "BRL": 5, "MXN": 17, "PLN": 4, "SEK": 10, "NOK": 10, "DKK": 7, "CZK": 23, "HUF": 360,
    "TRY": 32, "THB": 35, "PHP": 56, "IDR": 15600, "VND": 24500, "SAR": 4, "AED": 4,
    "ZAR": 18, "MYR": 4.5,
}  # fmt: skip


def _value_points(value: Decimal, currency: str | None) -> int:
    # A 1,900 USD laptop that arrived faulty got the same +10 as a 500 USD order and ranked
    # below a 19 CNY chipped bowl reported with disappointment (tone and emotion add up to 15);
    # the top step makes a big loss count.
    units = _UNITS_PER_USD.get((currency or "").upper(), 1)
    usd = value / Decimal(str(units))
    return 15 if usd >= 1000 else 10 if usd >= 500 else 5 if usd >= 100 else 0


def _context_points(context: TriageContext) -> list[tuple[int, str]]:
    items: list[tuple[int, str]] = []
    if context.hours_to_platform_deadline is not None:
        hours = context.hours_to_platform_deadline
        where = PLATFORM_NAMES.get(context.platform or "", "platform")
        items.append((_deadline_points(hours), _deadline_text(where, hours)))
    if context.promised_delivery_days_late:
        days = context.promised_delivery_days_late
        items.append(
            (min(15, 3 + 2 * days), f"delivery late by {days} day{'s' if days != 1 else ''}")
        )
    if context.repeat_contacts > 0:
        n = context.repeat_contacts
        # A customer chasing for the third or fourth time is one step from a platform claim; at
        # 5 a contact (cap 15) "fourth message, where is my refund" ranked below a first-time
        # review threat and a first "it arrived broken".
        items.append((min(24, 8 * n), f"customer has written {n + 1} times about this"))
    if context.order_value is not None:
        shown = f"{context.order_value} {context.currency or ''}".strip()
        points = _value_points(context.order_value, context.currency)
        items.append((points, f"order value {shown}"))
    return items


def _capped_feelings(
    sentiment: Sentiment, emotions: list[str], abusive: bool
) -> list[tuple[int, str]]:
    """Emotion, tone and insult points, cut back largest first to ``FEELING_CAP`` in all."""
    items = [(EMOTION_POINTS[e], f"customer shows {e}") for e in emotions if e in EMOTION_POINTS]
    if sentiment.score < NEGATIVE_TONE_BELOW:
        items.append((round(-10 * sentiment.score), "negative tone"))
    if abusive:
        items.append((5, "abusive language (supervisor may need to see it)"))
    room, kept = FEELING_CAP, []
    for points, text in sorted(items, key=lambda i: -i[0]):
        kept.append((min(points, room), text))
        room -= kept[-1][0]
    return kept


def score_priority(
    *,
    intent: str,
    sentiment: Sentiment,
    emotions: list[str],
    urgent: bool,
    risks: list[str],
    abusive: bool,
    context: TriageContext | None,
    safety: bool = False,
    needed_soon: bool = False,
    privacy: bool = False,
) -> Priority:
    """Sum the points of every factor, clamp to 0-100, list factors largest first.
    ``needed_soon`` says the urgency is a near day or event, not urgent words."""
    items: list[tuple[int, str]] = [
        (INTENT_POINTS.get(intent, 10), f"intent {intent.replace('_', ' ')}")
    ]
    items += [(RISK_POINTS[r], r.replace("_", " ")) for r in risks if r in RISK_POINTS]
    if safety:
        items.append((SAFETY_POINTS, "product safety hazard"))
    if privacy:
        items.append((PRIVACY_POINTS, "privacy incident"))
    items += _capped_feelings(sentiment, emotions, abusive)
    if urgent:
        items.append((12, "needed soon" if needed_soon else "urgent wording"))
    if context is not None:
        items += _context_points(context)
    kept = sorted((i for i in items if i[0] > 0), key=lambda i: -i[0])
    score = max(0, min(100, sum(p for p, _ in kept)))
    return Priority(score=score, factors=[f"{text} (+{points})" for points, text in kept])
