"""The policy-pack file format: strict pydantic models, so a typo is an error, not a no-op.

A pack lists named ``values`` (each with source, as_of and confidence), the platform ``clocks``
that start on order events, ``common_checks`` run for every remedy, and per remedy an ordered list
of ``checks``. The first check that fails decides the verdict; when all pass the ``allow`` rule
decides. Numbers in checks may be literals or ``$name`` references to ``values``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kefu.policy.types import OrderStatus, ReasonCategory, Remedy

Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")]
Ref = Annotated[str, Field(pattern=r"^\$[a-z][a-z0-9_]*$")]
Number = int | Ref
Event = Literal[
    "placed_at",
    "shipped_at",
    "delivered_at",
    "promised_delivery_at",
    "return_requested_at",
    "return_received_at",
    "dispute_opened_at",
    "after_sales_requested_at",
]
CheckVerdict = Literal["denied", "needs_approval"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(_Strict):
    en: Annotated[str, Field(min_length=1)]
    zh: Annotated[str, Field(min_length=1)]


class PackValue(_Strict):
    value: int | float | bool | str | list[str]
    unit: str = ""
    source: Annotated[str, Field(min_length=1)]
    as_of: date
    confidence: Literal["high", "medium", "low"]
    note: Text | None = None


class ClockSpec(_Strict):
    id: str
    starts: Event
    stops: Event | None = None  # the clock no longer runs once this has happened
    duration: Number
    unit: Literal["hours", "days", "business_days"]
    label: Text


class _Check(_Strict):
    rule: Annotated[str, Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]
    verdict: CheckVerdict = "denied"
    reason: Text
    remedies: list[Remedy] | None = None  # common checks only: limit to these remedies
    only_for: list[ReasonCategory] = []  # run only when the request gives one of these reasons
    when_status: list[OrderStatus] = []  # run only when the order is in one of these statuses


class StatusIn(_Check):
    check: Literal["status_in"]
    statuses: list[OrderStatus]


class NotModified(_Check):
    check: Literal["not_modified"]
    what: str


class ReasonIn(_Check):
    check: Literal["reason_in"]
    reasons: list[str] | Ref


class ReasonCategoryIn(_Check):
    check: Literal["reason_category_in"]
    categories: list[ReasonCategory]


class WithinDays(_Check):
    check: Literal["within_days"]
    from_: Event = Field(alias="from")
    days: Number
    business_days: bool = False
    roll_to_working_day: bool = False
    shop_window: bool = False  # a longer shop return window replaces the pack's


class AfterDays(_Check):
    check: Literal["after_days"]
    from_: Event = Field(alias="from")
    days: Number
    business_days: bool = False


class ItemsReturnable(_Check):
    check: Literal["items_returnable"]
    excluded_categories: list[str] | Ref = []


class SameProduct(_Check):
    check: Literal["same_product"]


class VariantAvailable(_Check):
    check: Literal["variant_available"]


class RefundTo(_Check):
    check: Literal["refund_to"]
    allowed: list[Literal["original", "gift_card", "store_credit", "any_owned"]]


class PaymentOwned(_Check):
    check: Literal["payment_owned"]


class PaymentDiffers(_Check):
    check: Literal["payment_differs"]


class GiftCardCovers(_Check):
    check: Literal["gift_card_covers"]


class RequesterIsCustomer(_Check):
    check: Literal["requester_is_customer"]


class AmountAtMost(_Check):
    check: Literal["amount_at_most"]
    limit: Number | None = None
    shop_returnless: bool = False  # the shop's returnless-refund threshold, when set


class Never(_Check):
    """A remedy the platform does not allow at all; the reason says what to offer instead."""

    check: Literal["never"]


class Follows(_Check):
    """Another remedy's checks decide (its verdict; its reason fills ``{why}``).

    For a remedy that stands for another one, e.g. a full refund of a delivered order is a
    refund the customer may keep the item for, so it may never pass where the return is denied.
    """

    check: Literal["follows"]
    remedy: Remedy


class EvidenceProvided(_Check):
    check: Literal["evidence_provided"]
    kinds: list[str]


CheckSpec = Annotated[
    StatusIn
    | NotModified
    | ReasonIn
    | ReasonCategoryIn
    | WithinDays
    | AfterDays
    | ItemsReturnable
    | SameProduct
    | VariantAvailable
    | RefundTo
    | PaymentOwned
    | PaymentDiffers
    | GiftCardCovers
    | RequesterIsCustomer
    | AmountAtMost
    | Never
    | Follows
    | EvidenceProvided,
    Field(discriminator="check"),
]


class AllowSpec(_Strict):
    rule: str
    reason: Text


class RemedySpec(_Strict):
    summary: Text
    checks: list[CheckSpec] = []
    allow: AllowSpec
    return_shipping: Literal["none", "buyer", "seller", "seller_if_fault"] = "none"
    evidence_if_fault: list[str] = []
    refund: Literal["none", "full_order", "items", "amount", "price_difference"] = "none"
    refund_shipping: Literal["never", "always", "full_order_only", "seller_fault"] = "never"
    authority: Literal["none", "refund", "goodwill"] = "none"
    starts_clocks: list[str] = []


class PackModel(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    version: int
    kind: Literal["platform", "law", "shop"]
    platform: str
    region: str | None = None
    fallback: bool = False  # used for this platform when no pack matches the buyer's region
    title: Text
    summary: Text
    timezone: str
    currency: Currency | None = None
    floors: list[str] = []
    floors_by_region: dict[str, list[str]] = {}
    holidays: list[date] = []
    sources: dict[str, str] = {}
    values: dict[str, PackValue] = {}
    clocks: list[ClockSpec] = []
    common_checks: list[CheckSpec] = []
    remedies: dict[Remedy, RemedySpec]

    @model_validator(mode="after")
    def _references_resolve(self) -> PackModel:
        missing = sorted(
            _refs(self.model_dump(by_alias=True, exclude={"values"})) - set(self.values)
        )
        if missing:
            raise ValueError(f"unknown value reference(s): {', '.join('$' + m for m in missing)}")
        _check_follows(self)
        clock_ids = {c.id for c in self.clocks}
        for name, spec in self.remedies.items():
            for clock in spec.starts_clocks:
                if clock not in clock_ids:
                    raise ValueError(f"remedy {name.value} starts unknown clock {clock!r}")
        return self


def _check_follows(pack: PackModel) -> None:
    """A followed remedy must exist and decide by its own checks (no chains, no loops)."""
    for name, spec in pack.remedies.items():
        for check in (*pack.common_checks, *spec.checks):
            if not isinstance(check, Follows):
                continue
            target = pack.remedies.get(check.remedy)
            if target is None or check.remedy is name:
                raise ValueError(
                    f"remedy {name.value} follows {check.remedy.value}, not in the pack"
                )
            if any(isinstance(c, Follows) for c in (*pack.common_checks, *target.checks)):
                raise ValueError(
                    f"remedy {check.remedy.value} followed by {name.value} follows another"
                )


def _refs(node: Any) -> set[str]:
    if isinstance(node, str):
        return {node[1:]} if node.startswith("$") else set()
    if isinstance(node, dict):
        return set().union(*(_refs(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set()


class ShopPolicyModel(_Strict):
    """A shop's override file (``kind: shop_policy``)."""

    kind: Literal["shop_policy"]
    currency: Currency = "USD"
    return_window_days: Annotated[int, Field(ge=0, le=3650)] | None = None
    free_return_shipping: bool = False
    restocking_fee_pct: Annotated[float, Field(ge=0, le=100)] = 0
    non_returnable_categories: list[str] = []
    returnless_refund_under: Annotated[float, Field(ge=0)] | None = None
    goodwill_limits: dict[Literal["agent", "supervisor", "admin"], float | None] = {}
    refund_limits: dict[Literal["agent", "supervisor", "admin"], float | None] = {}
