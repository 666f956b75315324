"""Typed values that ``kefu.nlu`` takes and returns (the "Triage result" of ARCHITECTURE.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

INTENTS: tuple[str, ...] = (
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
    "product_question",
    "shipping_question",
    "price_promotion",
    "payment_issue",
    "invoice_request",
    "account_issue",
    "complaint",
    "praise",
    "other",
)
RISKS: tuple[str, ...] = (
    "negative_review_threat",
    "dispute_threat",
    "chargeback_threat",
    "legal_threat",
    "churn_threat",
)
EMOTIONS: tuple[str, ...] = ("anger", "anxiety", "disappointment", "confusion", "gratitude")
Platform = Literal["amazon", "aliexpress", "pinduoduo", "temu", "shopify", "webchat", "email"]
Urgency = Literal["low", "normal", "high"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class IntentScore(_Frozen):
    """One ranked intent with its calibrated probability."""

    name: str
    confidence: float


class Entity(_Frozen):
    """A span of the scanned text; ``start``/``end`` are Python string offsets (end exclusive)."""

    type: str
    value: str
    start: int
    end: int
    platform: str | None = Field(default=None, description="marketplace or carrier, when known")
    normalized: str | None = Field(
        default=None, description="money '45.99 EUR', duration ISO 8601 'P3W', phone E.164"
    )
    check_digit: Literal["valid", "invalid"] | None = Field(
        default=None,
        description="for formats whose check digit the carrier defines: 'invalid' is a number "
        "taken on the strength of the words around it, quite possibly mistyped",
    )

    @model_serializer(mode="wrap")
    def _drop_null_platform(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        # The documented shape has ``platform`` (and our ``normalized``, ``check_digit``) only
        # when known.
        data: dict[str, object] = handler(self)
        for key in ("platform", "normalized", "check_digit"):
            if data.get(key) is None:
                data.pop(key, None)
        return data


class Sentiment(_Frozen):
    """Polarity label and a score in [-1, 1]."""

    label: Literal["positive", "neutral", "negative"]
    score: float


class Priority(_Frozen):
    """Queue priority 0-100 and the human-readable reasons that produced it."""

    score: int
    factors: list[str]


class Span(_Frozen):
    """A character span of the text with the cue that matched (for abusive words)."""

    start: int
    end: int
    text: str


class TriageContext(_Frozen):
    """What the caller knows about the shop and order; every field is optional."""

    platform: str | None = Field(default=None, description="amazon, aliexpress, temu, ...")
    languages: tuple[str, ...] | None = Field(default=None, description="ISO 639-1 codes allowed")
    preferred_languages: tuple[str, ...] | None = Field(
        default=None,
        description="the shop's languages: they decide only what the text cannot (a two-letter "
        "'ok'), never over the message's own script or words",
    )
    order_value: Decimal | None = None
    currency: str | None = None
    repeat_contacts: int = 0
    hours_to_platform_deadline: float | None = None
    promised_delivery_days_late: int | None = None


class Triage(_Frozen):
    """Everything Kefu hears in one message.

    Beyond the documented shape it carries ``low_confidence`` (the intent model was unsure, so
    ``intent`` is ``other``), ``abusive_spans`` (where the abusive words are), ``truncated``
    (the classifiers saw only the first ``CLASSIFIER_CHAR_CAP`` characters), ``safety`` (a
    product hazard is told), ``privacy`` (personal data exposed: another buyer's invoice in the
    parcel, a scam call that knew the order, someone else in the account) and ``needed_soon``
    (urgent by a near day, event or supply running out rather than by urgent words). The last
    three are kept so that the priority can be scored again at ingest, with the shop's context,
    without losing what the text said.
    """

    language: str
    intent: str
    intents: list[IntentScore]
    entities: list[Entity]
    sentiment: Sentiment
    emotions: list[str]
    urgency: Urgency
    abusive: bool
    risks: list[str]
    priority: Priority
    low_confidence: bool = False
    abusive_spans: list[Span] = Field(default_factory=list)
    truncated: bool = False
    safety: bool = False
    privacy: bool = False
    needed_soon: bool = False
