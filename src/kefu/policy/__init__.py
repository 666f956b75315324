"""Kefu's policy engine: which remedies a customer may get for an order today, and why.

Pure: values in (order snapshot, request, shop policy, ``now``), a decision with reasons out.
Platform and law rules live as versioned YAML packs in ``kefu/policy/packs``; the executor carries
out an allowed remedy through the ``OrderActions`` seam, idempotently and within authority.
"""

from kefu.policy.actions import (
    ActionPlan,
    ActionReceipt,
    ApprovalRequest,
    ApprovalStatus,
    ExecutionResult,
    ExecutionStatus,
    OrderActions,
    RefusalCode,
    StoredOutcome,
)
from kefu.policy.engine import evaluate, evaluate_remedy, running_clocks
from kefu.policy.executor import decide_approval, evaluate_order, execute_remedy, fingerprint_of
from kefu.policy.memory import InMemoryOrderActions
from kefu.policy.pack import PolicyPack, available_packs, load_pack, load_pack_file, pack_by_id
from kefu.policy.render import render_pack_article
from kefu.policy.schemas import (
    ActionIn,
    RemedyRequestIn,
    decision_to_dict,
    execution_to_dict,
)
from kefu.policy.types import (
    Decision,
    ExchangeLine,
    OrderItem,
    OrderSnapshot,
    OrderStatus,
    PaymentMethodInfo,
    Reason,
    ReasonCategory,
    RefundBreakdown,
    Remedy,
    RemedyDecision,
    RemedyRequest,
    RequestLine,
    RunningClock,
    ShopPolicy,
    VariantInfo,
    Verdict,
)
from kefu.policy.validate import (
    Problem,
    shop_policy_from_file,
    shop_policy_from_mapping,
    validate_policy_file,
)

__all__ = [
    "ActionIn",
    "ActionPlan",
    "ActionReceipt",
    "ApprovalRequest",
    "ApprovalStatus",
    "Decision",
    "ExchangeLine",
    "ExecutionResult",
    "ExecutionStatus",
    "InMemoryOrderActions",
    "OrderActions",
    "OrderItem",
    "OrderSnapshot",
    "OrderStatus",
    "PaymentMethodInfo",
    "PolicyPack",
    "Problem",
    "Reason",
    "ReasonCategory",
    "RefundBreakdown",
    "RefusalCode",
    "Remedy",
    "RemedyDecision",
    "RemedyRequest",
    "RemedyRequestIn",
    "RequestLine",
    "RunningClock",
    "ShopPolicy",
    "StoredOutcome",
    "VariantInfo",
    "Verdict",
    "available_packs",
    "decide_approval",
    "decision_to_dict",
    "evaluate",
    "evaluate_order",
    "evaluate_remedy",
    "execute_remedy",
    "execution_to_dict",
    "fingerprint_of",
    "load_pack",
    "load_pack_file",
    "pack_by_id",
    "render_pack_article",
    "running_clocks",
    "shop_policy_from_file",
    "shop_policy_from_mapping",
    "validate_policy_file",
]
