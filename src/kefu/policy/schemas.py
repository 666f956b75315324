"""Pydantic at the edge: the request body the API and CLI accept, and JSON for results."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from kefu.core.money import Money
from kefu.policy.actions import ExecutionResult
from kefu.policy.types import (
    Decision,
    ExchangeLine,
    ReasonCategory,
    Remedy,
    RemedyRequest,
    RequestLine,
    VariantInfo,
)

Short = Annotated[str, Field(max_length=200)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LineIn(_In):
    sku: Annotated[str, Field(min_length=1, max_length=200)]
    quantity: Annotated[int, Field(ge=1, le=10_000)] = 1


class ExchangeIn(_In):
    from_sku: Annotated[str, Field(min_length=1, max_length=200)]
    to_sku: Annotated[str, Field(min_length=1, max_length=200)]
    quantity: Annotated[int, Field(ge=1, le=10_000)] = 1


class MoneyIn(_In):
    amount: Annotated[Decimal, Field(allow_inf_nan=False, max_digits=18)]
    currency: Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")]


class RemedyRequestIn(_In):
    """Body of ``POST /policy/evaluate`` and ``POST /orders/{id}/actions``."""

    remedy: Remedy
    lines: Annotated[list[LineIn], Field(max_length=200)] = []
    exchanges: Annotated[list[ExchangeIn], Field(max_length=200)] = []
    amount: MoneyIn | None = None
    reason: Annotated[str, Field(max_length=2000)] = ""
    reason_category: ReasonCategory = ReasonCategory.OTHER
    payment_method_id: Short = ""
    new_address: Annotated[
        dict[Short, Annotated[str, Field(max_length=500)]], Field(max_length=20)
    ] = {}
    requester_customer_id: Short = ""
    evidence: Annotated[list[Short], Field(max_length=20)] = []

    def to_request(self) -> RemedyRequest:
        """The engine's request; target variants are looked up by the executor at run time."""
        return RemedyRequest(
            remedy=self.remedy,
            lines=tuple(RequestLine(x.sku, x.quantity) for x in self.lines),
            exchanges=tuple(
                # Placeholder until the catalogue is read: unknown and unavailable.
                ExchangeLine(x.from_sku, VariantInfo(x.to_sku, "", Decimal(0), False), x.quantity)
                for x in self.exchanges
            ),
            amount=Money(self.amount.amount, self.amount.currency) if self.amount else None,
            reason=self.reason,
            reason_category=self.reason_category,
            payment_method_id=self.payment_method_id,
            new_address=tuple(sorted(self.new_address.items())),
            requester_customer_id=self.requester_customer_id,
            evidence=tuple(self.evidence),
        )


class ActionIn(RemedyRequestIn):
    """An action body also carries the idempotency key."""

    request_key: Annotated[str, Field(min_length=1, max_length=200)]


def plain(value: Any) -> Any:
    """Dataclass trees as JSON-ready values: Money as {amount, currency}, Decimal as text."""
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, dict):
        if set(value) == {"amount", "currency"} and isinstance(value["amount"], Decimal):
            return {"amount": str(value["amount"]), "currency": value["currency"]}
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """A decision as JSON: requested remedy first, every remedy, running clocks."""
    out: dict[str, Any] = plain(asdict(decision))
    return out


def execution_to_dict(result: ExecutionResult) -> dict[str, Any]:
    """An execution result as JSON (status, code, reasons, decision, receipt, approval)."""
    out: dict[str, Any] = plain(asdict(result))
    return out
