"""Values the policy engine takes and returns: order snapshot, request, shop policy, decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from kefu.core.money import Money


class Remedy(StrEnum):
    CANCEL = "cancel"
    CHANGE_ADDRESS = "change_address"
    CHANGE_ITEMS = "change_items"
    CHANGE_PAYMENT = "change_payment"
    FULL_REFUND = "full_refund"
    PARTIAL_REFUND = "partial_refund"
    RETURN_AND_REFUND = "return_and_refund"
    REFUND_WITHOUT_RETURN = "refund_without_return"
    REPLACEMENT = "replacement"
    EXCHANGE = "exchange"
    GOODWILL_CREDIT = "goodwill_credit"
    ESCALATE = "escalate"


class Verdict(StrEnum):
    ALLOWED = "allowed"
    NEEDS_APPROVAL = "needs_approval"
    DENIED = "denied"


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURN_REQUESTED = "return_requested"
    EXCHANGE_REQUESTED = "exchange_requested"
    RETURNED = "returned"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class ReasonCategory(StrEnum):
    """Why the customer asks; decides who pays return shipping and what evidence is needed."""

    CHANGE_OF_MIND = "change_of_mind"
    DEFECTIVE = "defective"
    DAMAGED = "damaged"
    NOT_AS_DESCRIBED = "not_as_described"
    WRONG_ITEM = "wrong_item"
    MISSING_ITEM = "missing_item"
    NOT_RECEIVED = "not_received"
    LATE = "late"
    OTHER = "other"


SELLER_FAULT = frozenset(
    {
        ReasonCategory.DEFECTIVE,
        ReasonCategory.DAMAGED,
        ReasonCategory.NOT_AS_DESCRIBED,
        ReasonCategory.WRONG_ITEM,
        ReasonCategory.MISSING_ITEM,
        ReasonCategory.NOT_RECEIVED,
        ReasonCategory.LATE,
    }
)

ROLES = ("agent", "supervisor", "admin")


@dataclass(frozen=True, slots=True)
class OrderItem:
    sku: str
    title: str
    quantity: int
    unit_price: Decimal
    category: str = ""
    product_id: str = ""
    refunded_quantity: int = 0
    returnable: bool | None = None  # None: decided by category rules


@dataclass(frozen=True, slots=True)
class PaymentMethodInfo:
    id: str
    kind: str  # credit_card, paypal, gift_card, platform_balance, ...
    balance: Decimal | None = None  # gift cards and store credit only


@dataclass(frozen=True, slots=True)
class VariantInfo:
    """A catalogue variant an item could be changed into, resolved by the caller."""

    sku: str
    product_id: str
    unit_price: Decimal
    available: bool
    title: str = ""


@dataclass(frozen=True, slots=True)
class OrderSnapshot:
    order_id: str
    platform: str
    currency: str
    status: OrderStatus
    placed_at: datetime
    items: tuple[OrderItem, ...]
    total: Decimal
    shop_id: str = ""
    region: str = ""
    customer_id: str = ""
    payment_method_id: str = ""
    shipping_fee: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)
    amount_refunded: Decimal = Decimal(0)
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    promised_delivery_at: datetime | None = None
    return_requested_at: datetime | None = None
    return_received_at: datetime | None = None
    dispute_opened_at: datetime | None = None
    after_sales_requested_at: datetime | None = None
    modified: frozenset[str] = frozenset()  # e.g. {"items"}: changes already made once
    customer_payment_methods: tuple[PaymentMethodInfo, ...] = ()
    address: tuple[tuple[str, str], ...] = ()

    def item(self, sku: str) -> OrderItem | None:
        """The order line with this SKU, if any."""
        return next((it for it in self.items if it.sku == sku), None)

    def payment_method(self, method_id: str) -> PaymentMethodInfo | None:
        """One of the customer's payment methods, if it is theirs."""
        return next((pm for pm in self.customer_payment_methods if pm.id == method_id), None)


@dataclass(frozen=True, slots=True)
class RequestLine:
    sku: str
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class ExchangeLine:
    from_sku: str
    to: VariantInfo
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class RemedyRequest:
    remedy: Remedy
    lines: tuple[RequestLine, ...] = ()  # empty: the whole order
    exchanges: tuple[ExchangeLine, ...] = ()
    amount: Money | None = None
    reason: str = ""
    reason_category: ReasonCategory = ReasonCategory.OTHER
    payment_method_id: str = ""
    new_address: tuple[tuple[str, str], ...] = ()
    requester_customer_id: str = ""  # who asks; "" when an agent acts unprompted
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ShopPolicy:
    """A shop's own terms on top of the platform pack; it may only be kinder to the customer."""

    currency: str = "USD"
    return_window_days: int | None = None
    free_return_shipping: bool = False
    restocking_fee_pct: Decimal = Decimal(0)
    non_returnable_categories: frozenset[str] = frozenset()
    returnless_refund_under: Decimal | None = None
    goodwill_limits: tuple[tuple[str, Decimal | None], ...] = (
        ("agent", Decimal(20)),
        ("supervisor", Decimal(100)),
        ("admin", None),
    )
    refund_limits: tuple[tuple[str, Decimal | None], ...] = (
        ("agent", None),
        ("supervisor", None),
        ("admin", None),
    )

    def limit(self, kind: str, role: str) -> Decimal | None:
        """The most this role may grant without approval (None: no limit)."""
        table = dict(self.goodwill_limits if kind == "goodwill" else self.refund_limits)
        if role not in table:
            return Decimal(0)
        return table[role]


@dataclass(frozen=True, slots=True)
class Reason:
    rule_id: str
    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class RunningClock:
    name: str
    label_en: str
    label_zh: str
    deadline: datetime
    overdue: bool


@dataclass(frozen=True, slots=True)
class RefundBreakdown:
    items: Money
    discount_share: Money
    shipping_share: Money
    restocking_fee: Money
    total: Money


@dataclass(frozen=True, slots=True)
class RemedyDecision:
    remedy: Remedy
    verdict: Verdict
    rule_id: str
    reasons: tuple[Reason, ...]
    deadline: datetime | None = None
    return_shipping_paid_by: str | None = None  # "customer", "seller" or None (nothing to ship)
    evidence_required: tuple[str, ...] = ()
    refund: RefundBreakdown | None = None
    price_difference: Money | None = None  # >0 the customer pays, <0 the customer gets back
    required_role: str | None = None  # who may approve when verdict is needs_approval
    refund_to: str = ""  # payment method id the money goes to
    clocks_started: tuple[RunningClock, ...] = ()  # platform clocks granting this would start

    @property
    def allowed(self) -> bool:
        return self.verdict is Verdict.ALLOWED


@dataclass(frozen=True, slots=True)
class Decision:
    order_id: str
    pack_id: str
    evaluated_at: datetime
    requested: RemedyDecision
    remedies: tuple[RemedyDecision, ...] = ()
    clocks: tuple[RunningClock, ...] = field(default=())
    # The platform clock's zone: a deadline is the end of a day there ("return by 19 Dec").
    timezone: str = "UTC"

    def for_remedy(self, remedy: Remedy) -> RemedyDecision | None:
        """The decision on one remedy, if it was evaluated."""
        return next((d for d in self.remedies if d.remedy is remedy), None)
