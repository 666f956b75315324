"""The seam through which a decided remedy is carried out, and the values that cross it.

``OrderActions`` is what the executor needs from the world: read an order, resolve a catalogue
variant, remember outcomes by request key, and perform each kind of remedy. Every write method
must store ``plan.request_key`` with its outcome in the same transaction as the change itself,
so a retry never applies a remedy twice; a write that cannot complete raises (ValueError when a
stored-value balance cannot cover a charge) and changes nothing. When ``plan.approval`` is set,
the write runs an approved request: in that same transaction it records the approval as given
(approved, by whom, when) and turns the request key's pending outcome into the executed one;
if the approval is no longer pending it changes nothing and returns the receipt already stored
(approved by someone else meanwhile) or raises Conflict (rejected meanwhile).
``tests/policy/test_executor.py`` is the contract suite: add a factory for a new implementation
to its ``FACTORIES``. ``InMemoryOrderActions`` is the reference fake; a database-backed or
marketplace-backed implementation must behave the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from kefu.core.money import Money
from kefu.errors import Conflict, InvalidInput, KefuError, NotFound, PermissionDenied
from kefu.policy.types import (
    OrderSnapshot,
    OrderStatus,
    Reason,
    RemedyDecision,
    RemedyRequest,
    VariantInfo,
)


@dataclass(frozen=True, slots=True)
class ActionReceipt:
    """What was done: the reference a customer or marketplace can quote back."""

    remedy: str
    order_id: str
    reference: str  # refund id, RMA number, replacement order id, ...
    new_status: OrderStatus
    at: datetime
    refund: Money | None = None
    charged: Money | None = None
    note: str = ""


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    """A remedy above the actor's authority, waiting for someone who may grant it."""

    id: str
    shop_id: str
    order_id: str
    request_key: str
    fingerprint: str
    request: RemedyRequest
    decision: RemedyDecision
    required_role: str
    requested_by: str
    requested_at: datetime
    status: ApprovalStatus = ApprovalStatus.PENDING
    decided_by: str = ""
    decided_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """A remedy the policy allowed, ready for the seam to perform."""

    request_key: str
    fingerprint: str
    shop_id: str
    order_id: str
    request: RemedyRequest
    decision: RemedyDecision
    actor_id: str
    actor_role: str
    at: datetime
    # Set when a supervisor's approval runs the remedy: the approval as it is to be recorded.
    approval: ApprovalRequest | None = None


class ExecutionStatus(StrEnum):
    EXECUTED = "executed"
    NEEDS_APPROVAL = "needs_approval"
    REFUSED = "refused"


class RefusalCode(StrEnum):
    UNKNOWN_ORDER = "unknown_order"
    UNKNOWN_APPROVAL = "unknown_approval"
    OTHER_SHOP = "other_shop"
    KEY_CONFLICT = "key_conflict"
    INVALID_INPUT = "invalid_input"
    POLICY_DENIED = "policy_denied"
    NOT_ALLOWED_TO_APPROVE = "not_allowed_to_approve"
    APPROVAL_CLOSED = "approval_closed"


_ERRORS: dict[RefusalCode, type[KefuError]] = {
    RefusalCode.UNKNOWN_ORDER: NotFound,
    RefusalCode.UNKNOWN_APPROVAL: NotFound,
    RefusalCode.OTHER_SHOP: NotFound,
    RefusalCode.KEY_CONFLICT: Conflict,
    RefusalCode.INVALID_INPUT: InvalidInput,
    RefusalCode.POLICY_DENIED: Conflict,
    RefusalCode.NOT_ALLOWED_TO_APPROVE: PermissionDenied,
    RefusalCode.APPROVAL_CLOSED: Conflict,
}


@dataclass(frozen=True, slots=True)
class ExecutionResult:
    status: ExecutionStatus
    request_key: str
    reasons: tuple[Reason, ...] = ()
    code: RefusalCode | None = None
    decision: RemedyDecision | None = None
    receipt: ActionReceipt | None = None
    approval: ApprovalRequest | None = None
    replayed: bool = False  # True: the same request was seen before; nothing was done again

    @property
    def rule_id(self) -> str:
        """The rule that decided the outcome ('' when none applies)."""
        return self.reasons[0].rule_id if self.reasons else ""

    def raise_for_refusal(self) -> None:
        """Raise the matching KefuError (404/409/422/403) when the request was refused."""
        if self.status is ExecutionStatus.REFUSED and self.code is not None:
            detail = " ".join(r.en for r in self.reasons) or self.code.value
            raise _ERRORS[self.code](detail)


@dataclass(frozen=True, slots=True)
class StoredOutcome:
    """What a request key already produced."""

    fingerprint: str
    decision: RemedyDecision
    receipt: ActionReceipt | None = None
    approval: ApprovalRequest | None = None


class OrderActions(Protocol):
    """Everything the executor needs to read and change orders."""

    def load_order(self, *, order_id: str) -> OrderSnapshot | None: ...

    def load_variant(self, *, sku: str) -> VariantInfo | None: ...

    def find_outcome(self, *, shop_id: str, request_key: str) -> StoredOutcome | None: ...

    def cancel_order(self, *, plan: ActionPlan) -> ActionReceipt: ...

    def change_address(self, *, plan: ActionPlan) -> ActionReceipt: ...

    def change_items(self, *, plan: ActionPlan) -> ActionReceipt: ...

    def change_payment(self, *, plan: ActionPlan) -> ActionReceipt: ...

    def record_refund(self, *, plan: ActionPlan) -> ActionReceipt: ...

    def authorise_return(self, *, plan: ActionPlan) -> ActionReceipt: ...

    def create_replacement(self, *, plan: ActionPlan) -> ActionReceipt: ...

    def exchange_items(self, *, plan: ActionPlan) -> ActionReceipt: ...

    def grant_credit(self, *, plan: ActionPlan) -> ActionReceipt: ...

    def escalate(self, *, plan: ActionPlan) -> ActionReceipt: ...

    def request_approval(self, *, plan: ActionPlan, required_role: str) -> ApprovalRequest: ...

    def get_approval(self, *, approval_id: str) -> ApprovalRequest | None: ...

    # Records a rejection: again for the same outcome is a no-op, Conflict if decided otherwise.
    def close_approval(self, *, approval: ApprovalRequest) -> None: ...
