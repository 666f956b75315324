"""Use cases around remedies: evaluate, act, approve or reject, set a shop's policy.

Each function checks the caller's access to the order's shop first (another shop's order is
NotFound, like an unknown one), takes the caller's role in that shop as their authority, and
goes through ``kefu.policy``'s executor with ``DbOrderActions``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from kefu import policy
from kefu.accounts.enums import Role
from kefu.accounts.schemas import Principal
from kefu.core.money import Money
from kefu.errors import Conflict, InvalidInput, KefuError, NotFound, PermissionDenied
from kefu.inbox.order_actions import DbOrderActions, approval_of
from kefu.inbox.snapshots import shop_policy
from kefu.orders import service as orders
from kefu.orders.models import Order
from kefu.policy.models import Approval
from kefu.policy.validate import shop_policy_from_mapping, validate_policy_text
from kefu.shops import service as shops
from kefu.shops.models import Shop
from kefu.storage import audit


@dataclass(frozen=True, slots=True)
class _Target:
    order_id: str
    shop_id: str
    role: str
    terms: policy.ShopPolicy


def _target(db: Session, principal: Principal, order_ref: str) -> _Target:
    order = orders.get(db=db, order_id=order_ref, shop_ids=principal.shop_ids)
    shop = shops.get(db=db, ref=order.shop_id)
    role = principal.role_in(shop.id)
    return _Target(order.id, shop.id, role.value if role else "agent", shop_policy(shop))


def evaluate_for_order(
    *,
    sessions: sessionmaker[Session],
    principal: Principal,
    order_ref: str,
    request: policy.RemedyRequest,
    now: datetime,
) -> policy.Decision:
    """What the policy says for one of the caller's orders, without acting."""
    with sessions() as db:
        target = _target(db, principal, order_ref)
    return policy.evaluate_order(
        actions=DbOrderActions(sessions=sessions, shop_id=target.shop_id),
        shop_id=target.shop_id,
        order_id=target.order_id,
        request=request,
        shop_policy=target.terms,
        now=now,
        actor_role=target.role,
    )


def act_on_order(
    *,
    sessions: sessionmaker[Session],
    principal: Principal,
    order_ref: str,
    request: policy.RemedyRequest,
    request_key: str,
    now: datetime,
) -> policy.ExecutionResult:
    """Carry out a remedy with the caller's authority (or file it for approval); refusals raise."""
    with sessions() as db:
        target = _target(db, principal, order_ref)
    try:
        result = policy.execute_remedy(
            actions=DbOrderActions(sessions=sessions, shop_id=target.shop_id),
            shop_id=target.shop_id,
            order_id=target.order_id,
            request=request,
            request_key=request_key,
            shop_policy=target.terms,
            now=now,
            actor_id=principal.email,
            actor_role=target.role,
        )
    except ValueError as exc:  # the store could not complete the change; nothing was written
        raise Conflict(f"{exc}; nothing was done.") from exc
    raise_refusal(result)
    return result


def raise_refusal(result: policy.ExecutionResult) -> None:
    """Raise the refusal as a KefuError that carries the rule and both languages' reasons."""
    try:
        result.raise_for_refusal()
    except KefuError as exc:
        exc.extra = {
            "code": result.code.value if result.code else None,
            "rule_id": result.rule_id,
            "reasons": [{"rule_id": r.rule_id, "en": r.en, "zh": r.zh} for r in result.reasons],
        }
        raise


def list_approvals(
    *, db: Session, shop_ids: Collection[str], status: str | None = None, limit: int = 100
) -> list[policy.ApprovalRequest]:
    """Approval requests of the caller's shops, newest first."""
    query = select(Approval).where(Approval.shop_id.in_(list(shop_ids)))
    if status:
        query = query.where(Approval.status == status)
    query = query.order_by(Approval.requested_at.desc(), Approval.id).limit(limit)
    return [approval_of(row) for row in db.scalars(query)]


def decide_approval(
    *,
    sessions: sessionmaker[Session],
    principal: Principal,
    approval_id: str,
    approve: bool,
    note: str,
    now: datetime,
) -> tuple[policy.ExecutionResult, policy.ApprovalRequest]:
    """A supervisor or admin of the shop approves (runs, re-checked now) or rejects a request."""
    with sessions() as db:
        row = db.get(Approval, approval_id)
        if row is None or row.shop_id not in principal.shop_ids:
            raise NotFound(f"approval {approval_id!r} not found")
        if not principal.has_role(row.shop_id, Role.SUPERVISOR):
            raise PermissionDenied("only a supervisor or admin of this shop may decide approvals")
        role = principal.role_in(row.shop_id)
        shop = shops.get(db=db, ref=row.shop_id)
        terms = shop_policy(shop)
    actions = DbOrderActions(sessions=sessions, shop_id=shop.id)
    try:
        result = policy.decide_approval(
            actions=actions,
            approval_id=approval_id,
            approve=approve,
            approver_id=principal.email,
            approver_role=role.value if role else "agent",
            shop_policy=terms,
            now=now,
            note=note,
        )
    except ValueError as exc:
        raise Conflict(f"{exc}; nothing was done.") from exc
    if approve or result.rule_id != "kefu.approval.rejected":
        raise_refusal(result)
    approval = actions.get_approval(approval_id=approval_id)
    if approval is None:  # deleted with its order in the meantime
        raise NotFound(f"approval {approval_id!r} not found")
    return result, approval


def set_shop_policy(
    *,
    sessions: sessionmaker[Session],
    principal: Principal,
    shop_ref: str,
    body: bytes,
    content_type: str,
    now: datetime,
) -> tuple[Shop, policy.ShopPolicy]:
    """Store an admin's policy overrides (JSON object or YAML text) after validating them."""
    overrides = parse_overrides(body, content_type)
    with sessions() as db, db.begin():
        shop = shops.get(db=db, ref=shop_ref, shop_ids=principal.shop_ids)
        if not principal.has_role(shop.id, Role.ADMIN):
            raise PermissionDenied("only an admin of this shop may change its policy")
        before = dict(shop.policy_overrides or {})
        shop.policy_overrides = overrides
        terms = shop_policy(shop)
        audit.record(
            db=db,
            at=now,
            entity_type="shop",
            entity_id=shop.id,
            action="policy.updated",
            actor=principal.email,
            shop_id=shop.id,
            changes={"before": before, "after": overrides},
        )
    return shop, terms


def parse_overrides(body: bytes, content_type: str) -> dict[str, Any]:
    """Overrides from a request body; InvalidInput lists every problem with line and key."""
    if "json" in content_type:
        try:
            data = json.loads(body.decode("utf-8"), parse_float=_finite, parse_constant=_finite)
        except (UnicodeDecodeError, ValueError) as exc:
            raise InvalidInput(f"body is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise InvalidInput("policy overrides must be a JSON object")
        data = {**{k: v for k, v in data.items() if k != "kind"}, "kind": "shop_policy"}
        shop_policy_from_mapping(data)  # raises with problems by key and line
    else:
        if not re.search(rb"^kind\s*:", body, re.MULTILINE):
            body = body.rstrip(b"\n") + b"\nkind: shop_policy\n"  # appended: lines keep numbers
        problems = validate_policy_text(body)
        if problems:
            rows = [{"line": p.line, "key": p.key, "message": p.message} for p in problems]
            raise InvalidInput("; ".join(map(str, problems)), extra={"problems": rows})
        data = yaml.safe_load(body.decode("utf-8"))
        if data.get("kind") != "shop_policy":
            raise InvalidInput("a shop policy needs 'kind: shop_policy'", field="kind")
    overrides = {k: v for k, v in data.items() if k != "kind"}
    try:  # stored as JSON: no dates, no infinities
        plain: dict[str, Any] = json.loads(json.dumps(overrides, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"values must be plain finite numbers, text or lists: {exc}") from exc
    return plain


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is not a finite number")
    return value


def evaluate_as_operator(
    *,
    sessions: sessionmaker[Session],
    order_ref: str,
    request: policy.RemedyRequest,
    role: str,
    now: datetime,
    shop_ref: str | None = None,
    amount: Decimal | None = None,
) -> policy.Decision:
    """Evaluate for someone at the server's console (``kefu policy check``), acting as ``role``.

    ``amount`` is in the order's currency.
    """
    with sessions() as db:
        shop_ids = [shops.get(db=db, ref=shop_ref).id] if shop_ref else None
        query = select(Order.shop_id, Order.currency).where(
            or_(Order.id == order_ref, Order.external_id == order_ref)
        )
        if shop_ids:
            query = query.where(Order.shop_id.in_(shop_ids))
        found = sorted({(shop_id, currency) for shop_id, currency in db.execute(query.limit(10))})
    if not found:
        raise NotFound(f"order {order_ref!r} not found")
    if len(found) > 1:
        raise InvalidInput(f"order {order_ref!r} exists in several shops; name one with --shop")
    shop_id, currency = found[0]
    if amount is not None:
        request = replace(request, amount=Money(amount, currency))
    operator = Principal(user_id="console", email="console", shop_roles={shop_id: Role(role)})
    return evaluate_for_order(
        sessions=sessions, principal=operator, order_ref=order_ref, request=request, now=now
    )
