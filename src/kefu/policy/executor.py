"""Carry out a remedy safely: re-check the policy now, once per request key, within authority."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from kefu.core.clock import ensure_utc
from kefu.errors import NotFound
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
from kefu.policy.engine import evaluate, evaluate_remedy
from kefu.policy.pack import PolicyPack, load_pack
from kefu.policy.types import (
    ROLES,
    Decision,
    Reason,
    Remedy,
    RemedyDecision,
    RemedyRequest,
    ShopPolicy,
    Verdict,
)

_MAX_KEY = 200


def fingerprint_of(*, shop_id: str, order_id: str, request: RemedyRequest) -> str:
    """A stable hash of what was asked, to tell a retry from a different request."""
    payload = {"shop": shop_id, "order": order_id, "request": asdict(request)}
    text = json.dumps(payload, sort_keys=True, default=_plain, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return sorted(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def _refused(key: str, code: RefusalCode, rule: str, en: str, zh: str) -> ExecutionResult:
    return ExecutionResult(ExecutionStatus.REFUSED, key, (Reason(rule, en, zh),), code)


def execute_remedy(
    *,
    actions: OrderActions,
    shop_id: str,
    order_id: str,
    request: RemedyRequest,
    request_key: str,
    shop_policy: ShopPolicy,
    now: datetime,
    actor_id: str = "",
    actor_role: str = "agent",
    pack: PolicyPack | None = None,
) -> ExecutionResult:
    """Re-check the policy against the order as it is now, then do it or ask for approval."""
    key = request_key.strip()
    if not key or len(key) > _MAX_KEY or not key.isprintable():
        return _refused(
            key[:_MAX_KEY],
            RefusalCode.INVALID_INPUT,
            "kefu.input.request_key",
            f"A request key of 1 to {_MAX_KEY} printable characters is required.",
            f"需要 1 到 {_MAX_KEY} 个可打印字符的请求编号。",
        )
    fingerprint = fingerprint_of(shop_id=shop_id, order_id=order_id, request=request)
    stored = actions.find_outcome(shop_id=shop_id, request_key=key)
    if stored is not None:
        if stored.fingerprint != fingerprint:
            return _refused(
                key,
                RefusalCode.KEY_CONFLICT,
                "kefu.idempotency.key_reused",
                f"Request key {key!r} was already used for a different request; "
                "nothing was done. Use a new key for a new request.",
                f"请求编号 {key} 已用于另一个不同的请求，本次未做任何操作，请换一个新编号。",
            )
        return _replay(key, stored)
    checked = _check_now(
        actions, shop_id, order_id, request, key, shop_policy, now, actor_role, pack
    )
    if isinstance(checked, ExecutionResult):
        return checked
    refreshed, decision = checked
    plan = ActionPlan(
        key,
        fingerprint,
        shop_id,
        order_id,
        refreshed,
        decision,
        actor_id,
        actor_role,
        ensure_utc(now),
    )
    if decision.verdict is Verdict.NEEDS_APPROVAL:
        approval = actions.request_approval(
            plan=plan, required_role=decision.required_role or "admin"
        )
        return ExecutionResult(
            ExecutionStatus.NEEDS_APPROVAL, key, decision.reasons, None, decision, approval=approval
        )
    receipt = _perform(actions, plan)
    return ExecutionResult(ExecutionStatus.EXECUTED, key, decision.reasons, None, decision, receipt)


def _replay(key: str, stored: StoredOutcome) -> ExecutionResult:
    status = ExecutionStatus.EXECUTED if stored.receipt else ExecutionStatus.NEEDS_APPROVAL
    return ExecutionResult(
        status,
        key,
        stored.decision.reasons,
        None,
        stored.decision,
        stored.receipt,
        stored.approval,
        replayed=True,
    )


def _check_now(
    actions: OrderActions,
    shop_id: str,
    order_id: str,
    request: RemedyRequest,
    key: str,
    shop_policy: ShopPolicy,
    now: datetime,
    actor_role: str,
    pack: PolicyPack | None,
) -> tuple[RemedyRequest, RemedyDecision] | ExecutionResult:
    """The request with fresh catalogue data and the policy's decision on the order as it is now.

    A refusal (unknown order, another shop's, unknown variant, denied by policy) is returned.
    """
    order = actions.load_order(order_id=order_id)
    if order is None:
        return _refused(
            key,
            RefusalCode.UNKNOWN_ORDER,
            "kefu.input.unknown_order",
            f"Order {order_id} was not found.",
            f"没有找到订单 {order_id}。",
        )
    if order.shop_id != shop_id:
        return _refused(
            key,
            RefusalCode.OTHER_SHOP,
            "kefu.input.other_shop",
            f"Order {order_id} was not found in this shop.",
            f"本店铺没有订单 {order_id}。",
        )
    refreshed = _refresh_variants(actions, request)
    if isinstance(refreshed, ExecutionResult):
        return replace(refreshed, request_key=key)
    decision = evaluate_remedy(
        order=order,
        request=refreshed,
        shop=shop_policy,
        now=ensure_utc(now),
        pack=pack or load_pack(order.platform, order.region or None),
        actor_role=actor_role,
    )
    if decision.verdict is Verdict.DENIED:
        code = (
            RefusalCode.INVALID_INPUT
            if decision.rule_id.startswith("kefu.input.")
            else RefusalCode.POLICY_DENIED
        )
        return ExecutionResult(ExecutionStatus.REFUSED, key, decision.reasons, code, decision)
    return refreshed, decision


def evaluate_order(
    *,
    actions: OrderActions,
    shop_id: str,
    order_id: str,
    request: RemedyRequest,
    shop_policy: ShopPolicy,
    now: datetime,
    actor_role: str = "agent",
    pack: PolicyPack | None = None,
) -> Decision:
    """Show what the policy says for a stored order, without acting (NotFound, InvalidInput)."""
    order = actions.load_order(order_id=order_id)
    if order is None or order.shop_id != shop_id:
        raise NotFound(f"Order {order_id} was not found in this shop.")
    refreshed = _refresh_variants(actions, request)
    if isinstance(refreshed, ExecutionResult):
        refreshed.raise_for_refusal()
        raise AssertionError("unreachable: a refusal always raises")
    return evaluate(order, refreshed, shop_policy, now, actor_role=actor_role, pack=pack)


def _refresh_variants(
    actions: OrderActions, request: RemedyRequest
) -> RemedyRequest | ExecutionResult:
    """Availability and price come from the catalogue now, not from when the request was made."""
    if not request.exchanges:
        return request
    lines = []
    for line in request.exchanges:
        fresh = actions.load_variant(sku=line.to.sku)
        if fresh is None:
            return _refused(
                "",
                RefusalCode.INVALID_INPUT,
                "kefu.input.unknown_variant",
                f"There is no product option {line.to.sku}.",
                f"没有款式 {line.to.sku}。",
            )
        lines.append(replace(line, to=fresh))
    return replace(request, exchanges=tuple(lines))


def _perform(actions: OrderActions, plan: ActionPlan) -> ActionReceipt:
    table: dict[Remedy, Callable[..., ActionReceipt]] = {
        Remedy.CANCEL: actions.cancel_order,
        Remedy.CHANGE_ADDRESS: actions.change_address,
        Remedy.CHANGE_ITEMS: actions.change_items,
        Remedy.CHANGE_PAYMENT: actions.change_payment,
        Remedy.FULL_REFUND: actions.record_refund,
        Remedy.PARTIAL_REFUND: actions.record_refund,
        Remedy.REFUND_WITHOUT_RETURN: actions.record_refund,
        Remedy.RETURN_AND_REFUND: actions.authorise_return,
        Remedy.REPLACEMENT: actions.create_replacement,
        Remedy.EXCHANGE: actions.exchange_items,
        Remedy.GOODWILL_CREDIT: actions.grant_credit,
        Remedy.ESCALATE: actions.escalate,
    }
    return table[plan.request.remedy](plan=plan)


def decide_approval(
    *,
    actions: OrderActions,
    approval_id: str,
    approve: bool,
    approver_id: str,
    approver_role: str,
    shop_policy: ShopPolicy,
    now: datetime,
    note: str = "",
    pack: PolicyPack | None = None,
) -> ExecutionResult:
    """A supervisor or admin approves (the remedy runs once, re-checked now) or rejects a request.

    Deciding again the way it was decided replays the outcome; the other way is refused.
    """
    approval = actions.get_approval(approval_id=approval_id)
    if approval is None:
        return _refused(
            "",
            RefusalCode.UNKNOWN_APPROVAL,
            "kefu.approval.unknown",
            f"Approval {approval_id} was not found.",
            f"没有找到审批单 {approval_id}。",
        )
    if not _outranks(approver_role, approval.required_role):
        return _not_allowed(approval.request_key, approval.required_role)
    wanted = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    if approval.status is not ApprovalStatus.PENDING:
        return _decided_before(actions, approval, wanted)
    decided = replace(
        approval, status=wanted, decided_by=approver_id, decided_at=ensure_utc(now), note=note
    )
    if not approve:
        actions.close_approval(approval=decided)
        return _rejection(actions.get_approval(approval_id=approval_id) or decided)
    return _run_approved(actions, decided, approver_role, shop_policy, now, pack)


def _run_approved(
    actions: OrderActions,
    approval: ApprovalRequest,
    actor_role: str,
    shop_policy: ShopPolicy,
    now: datetime,
    pack: PolicyPack | None,
) -> ExecutionResult:
    """Run an approved request under its own key, once; the approval is recorded with it."""
    key, role = approval.request_key, approval.decided_by
    checked = _check_now(
        actions,
        approval.shop_id,
        approval.order_id,
        approval.request,
        key,
        shop_policy,
        now,
        actor_role,
        pack,
    )
    if isinstance(checked, ExecutionResult):
        current = actions.get_approval(approval_id=approval.id)
        if current is not None and current.status is not ApprovalStatus.PENDING:
            # Decided by someone else meanwhile: what they ran is what the policy now sees.
            return _decided_before(actions, current, ApprovalStatus.APPROVED)
        return checked  # the order changed so that the policy now refuses; still pending
    request, decision = checked
    if decision.verdict is Verdict.NEEDS_APPROVAL:
        needed = decision.required_role or approval.required_role
        if not _outranks(actor_role, needed):
            return _not_allowed(key, needed)
        granted = Reason(
            "kefu.approval.approved",
            f"Approved by {role}.",
            f"已由 {role} 审批通过。",
        )
        decision = replace(
            decision,
            verdict=Verdict.ALLOWED,
            rule_id=granted.rule_id,
            reasons=(granted, *decision.reasons),
        )
    plan = ActionPlan(
        key,
        approval.fingerprint,
        approval.shop_id,
        approval.order_id,
        request,
        decision,
        role,
        actor_role,
        ensure_utc(now),
        approval=approval,
    )
    receipt = _perform(actions, plan)
    recorded = actions.get_approval(approval_id=approval.id) or approval
    return ExecutionResult(
        ExecutionStatus.EXECUTED, key, decision.reasons, None, decision, receipt, recorded
    )


def _decided_before(
    actions: OrderActions, approval: ApprovalRequest, wanted: ApprovalStatus
) -> ExecutionResult:
    """Deciding a closed approval again the same way replays its outcome; otherwise refused."""
    if approval.status is wanted is ApprovalStatus.REJECTED:
        return _rejection(approval)
    stored = actions.find_outcome(shop_id=approval.shop_id, request_key=approval.request_key)
    if approval.status is wanted and stored is not None and stored.receipt is not None:
        return replace(_replay(approval.request_key, stored), approval=approval)
    return _refused(
        approval.request_key,
        RefusalCode.APPROVAL_CLOSED,
        "kefu.approval.closed",
        f"Approval {approval.id} is already {approval.status.value}.",
        f"审批单 {approval.id} 已经处理过了。",
    )


def _not_allowed(key: str, required: str) -> ExecutionResult:
    return _refused(
        key,
        RefusalCode.NOT_ALLOWED_TO_APPROVE,
        "kefu.approval.role",
        f"Only a {required} or above may decide.",
        "当前角色无权审批此请求。",
    )


def _rejection(approval: ApprovalRequest) -> ExecutionResult:
    note = approval.note
    return _refused(
        approval.request_key,
        RefusalCode.POLICY_DENIED,
        "kefu.approval.rejected",
        f"Rejected by {approval.decided_by}. {note}".strip(),
        f"审批未通过。{note}".strip(),
    )


def _outranks(role: str, required: str) -> bool:
    return role in ROLES and required in ROLES and ROLES.index(role) >= ROLES.index(required)


__all__ = [
    "ApprovalRequest",
    "decide_approval",
    "evaluate_order",
    "execute_remedy",
    "fingerprint_of",
]
