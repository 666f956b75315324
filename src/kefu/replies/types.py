"""Typed inputs and outputs of the replies package.

These are kefu.replies' own value types: the DB-backed flow fills them from triage, order,
policy decision and knowledge hits, so this package never imports nlu or policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal

PLATFORMS = ("amazon", "aliexpress", "pinduoduo", "temu", "shopify", "webchat", "email")
REMEDY_NAMES = (
    "cancel",
    "change_address",
    "change_items",
    "full_refund",
    "partial_refund",
    "return_and_refund",
    "refund_without_return",
    "replacement",
    "exchange",
    "goodwill_credit",
    "escalate",
)
Verdict = Literal["allowed", "needs_approval", "denied"]
Severity = Literal["info", "warning", "blocking"]
EMOTION_NAMES = ("anger", "anxiety", "disappointment", "confusion", "gratitude")


def _tuple(value: Sequence[Any] | None) -> tuple[Any, ...]:
    return tuple(value) if value is not None else ()


@dataclass(frozen=True)
class Brand:
    """Shop voice settings: emoji, the 亲 address form, and who signs the reply."""

    emoji_allowed: bool = False
    qin_allowed: bool = False
    sign_off: str = ""


@dataclass(frozen=True)
class CustomerRef:
    """How to address the customer."""

    name: str | None = None
    first_name: str | None = None


@dataclass(frozen=True)
class Emotions:
    """Emotion scores in 0..1 from triage."""

    anger: float = 0.0
    anxiety: float = 0.0
    disappointment: float = 0.0
    confusion: float = 0.0
    gratitude: float = 0.0

    @classmethod
    def from_labels(cls, labels: Sequence[str]) -> Emotions:
        """Build from triage's label list (``["anxiety"]``): each named emotion scores 1."""
        return cls(**{name: 1.0 for name in labels if name in EMOTION_NAMES})

    def dominant(self, *, threshold: float = 0.4) -> str | None:
        """The strongest emotion at or above ``threshold``, or None."""
        scores = {name: float(getattr(self, name)) for name in EMOTION_NAMES}
        name = max(scores, key=lambda n: scores[n])
        return name if scores[name] >= threshold else None


@dataclass(frozen=True)
class OrderItem:
    title: str
    qty: int = 1


@dataclass(frozen=True)
class OrderFacts:
    """What we know about the order and its shipment."""

    order_id: str
    platform: str = ""
    status: str = "processing"
    items: Sequence[OrderItem] = ()
    total: Decimal | None = None
    currency: str = "USD"
    placed_date: date | None = None
    promised_date: date | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    last_tracking_status: str | None = None
    last_tracking_date: date | None = None
    delivered_date: date | None = None
    days_late: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _tuple(self.items))


@dataclass(frozen=True)
class RemedyOption:
    """One remedy as the policy decision states it for this order today."""

    name: str
    verdict: Verdict = "allowed"
    amount: Decimal | None = None
    currency: str | None = None
    deadline: date | None = None
    return_shipping_paid_by: Literal["customer", "seller", "platform"] | None = None
    evidence_required: Sequence[str] = ()
    rule_id: str | None = None
    completion_days: int | None = None
    keeps_item: bool | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "evidence_required", _tuple(self.evidence_required))


@dataclass(frozen=True)
class KnowledgeRef:
    article_id: str
    title: str
    snippet: str = ""


@dataclass(frozen=True)
class DraftContext:
    """Everything the composer may use; nothing else reaches the draft."""

    language: str
    platform: str
    shop_name: str = ""
    brand: Brand = field(default_factory=Brand)
    customer: CustomerRef = field(default_factory=CustomerRef)
    intent: str = "other"
    secondary_intents: Sequence[str] = ()
    emotions: Emotions = field(default_factory=Emotions)
    sentiment: str = "neutral"
    risks: Sequence[str] = ()
    customer_text: str = ""
    order: OrderFacts | None = None
    remedies: Sequence[RemedyOption] = ()
    citations: Sequence[KnowledgeRef] = ()
    now: datetime = field(default_factory=lambda: datetime(1970, 1, 1, tzinfo=UTC))
    missing: Sequence[str] = ()
    # The remedy the customer asked for, when the policy denies it; ``reason`` is the rule in
    # the draft's language (None when the policy has no text in that language).
    requested: RemedyOption | None = None

    def __post_init__(self) -> None:
        for name in ("secondary_intents", "risks", "remedies", "citations", "missing"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))


@dataclass(frozen=True)
class Finding:
    """One linter finding; ``start``/``end`` index into the checked text."""

    code: str
    severity: Severity
    start: int
    end: int
    message: str
    suggestion: str = ""


@dataclass(frozen=True)
class FactUsed:
    name: str
    value: str
    source: str


@dataclass(frozen=True)
class Sentence:
    """One part of the draft and where it came from (template key and facts/rules)."""

    kind: str
    text: str
    sources: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", _tuple(self.sources))


@dataclass(frozen=True)
class Draft:
    """A composed reply with its provenance and lint findings."""

    text: str
    language: str
    facts: Sequence[FactUsed] = ()
    remedies: Sequence[RemedyOption] = ()
    citations: Sequence[KnowledgeRef] = ()
    lint: Sequence[Finding] = ()
    fell_back_to_english: bool = False
    notes: Sequence[str] = ()
    sentences: Sequence[Sentence] = ()

    def __post_init__(self) -> None:
        for name in ("facts", "remedies", "citations", "lint", "notes", "sentences"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))

    @property
    def blocking(self) -> bool:
        """True when a lint finding would stop the send."""
        return any(f.severity == "blocking" for f in self.lint)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (Decimal and dates as strings)."""
        data: dict[str, Any] = _jsonable(asdict(self))
        return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def finding_dict(finding: Finding) -> dict[str, Any]:
    """JSON-ready form of one finding."""
    return asdict(finding)
