"""The changes each remedy makes to stored rows, run inside ``DbOrderActions``' transaction.

Every function takes the locked order and the plan, changes rows through the session and
returns the receipt; raising anywhere rolls the whole transaction back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kefu import policy
from kefu.core.money import Money
from kefu.errors import Conflict
from kefu.orders.models import Order, OrderItem
from kefu.policy.codec import to_data
from kefu.policy.models import CustomerPaymentMethod, OrderAction, OrderRemedyState
from kefu.storage import audit


# the writes, each inside ``_commit``'s transaction -------------------------------------------
def _audit_row(db: Session, plan: policy.ActionPlan, order_id: str, receipt: Any) -> None:
    audit.record(
        db=db,
        at=plan.at,
        entity_type="order",
        entity_id=order_id,
        action=f"remedy.{plan.request.remedy.value}",
        actor=plan.actor_id or "system",
        shop_id=plan.shop_id,
        reason=plan.request.reason[:500],
        changes={
            "request_key": plan.request_key,
            "role": plan.actor_role,
            "rule_id": plan.decision.rule_id,
            "receipt": to_data(receipt),
        },
    )


def _receipt(
    db: Session,
    plan: policy.ActionPlan,
    order: Order,
    prefix: str,
    *,
    refund: Decimal | None = None,
    charged: Decimal | None = None,
    note: str = "",
) -> policy.ActionReceipt:
    done = db.scalar(select(func.count()).where(OrderAction.order_id == order.id)) or 0
    return policy.ActionReceipt(
        plan.request.remedy.value,
        order.external_id,
        f"{prefix}-{order.external_id.lstrip('#')}-{done + 1:04d}",
        policy.OrderStatus(order.status),
        plan.at,
        refund=None if refund is None else Money(refund, order.currency),
        charged=None if charged is None else Money(charged, order.currency),
        note=note,
    )


def _state(db: Session, order: Order) -> OrderRemedyState:
    state = db.get(OrderRemedyState, order.id)
    if state is None:
        state = OrderRemedyState(order_id=order.id, address={}, modified=[])
        db.add(state)
    return state


def _method(db: Session, order: Order, method_id: str) -> CustomerPaymentMethod | None:
    if not order.customer_id or not method_id:
        return None
    return db.scalar(
        select(CustomerPaymentMethod)
        .where(
            CustomerPaymentMethod.customer_id == order.customer_id,
            CustomerPaymentMethod.method_id == method_id,
        )
        .with_for_update()
    )


def _credit(db: Session, order: Order, method_id: str, amount: Decimal) -> None:
    method = _method(db, order, method_id)
    if method is not None and method.balance is not None:
        method.balance = method.balance + amount


def _charge(db: Session, order: Order, method_id: str, amount: Decimal) -> None:
    method = _method(db, order, method_id)
    if method is not None and method.balance is not None:
        if method.balance < amount:
            raise ValueError(f"balance of {method_id} does not cover {amount}")
        method.balance = method.balance - amount


def _refund_amount(plan: policy.ActionPlan, order: Order) -> Decimal:
    """The decided refund, refused if the order changed so that it would now exceed the total."""
    amount = plan.decision.refund.total.amount if plan.decision.refund else Decimal(0)
    if order.amount_refunded + amount > order.total:
        raise Conflict(
            f"Order {order.external_id} changed since the decision: refunding {amount} would "
            f"exceed its total. Nothing was done; evaluate again."
        )
    return amount


def _mark_refunded(order: Order, plan: policy.ActionPlan) -> None:
    wanted: dict[str, int] = {}
    for line in plan.request.lines:
        wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
    for item in order.items:
        extra = wanted.get(item.sku, 0) if plan.request.lines else item.quantity
        item.refunded_quantity = min(item.quantity, max(item.refunded_quantity, 0) + extra)


def _cancel(db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    refund = _refund_amount(plan, order)
    _credit(db, order, order.payment_method or "", refund)
    order.status = policy.OrderStatus.CANCELLED.value
    order.amount_refunded = order.amount_refunded + refund
    return _receipt(db, plan, order, "CXL", refund=refund)


def _change_address(db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    _state(db, order).address = dict(plan.request.new_address)
    return _receipt(db, plan, order, "ADR")


def _change_payment(db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    due = order.total - order.amount_refunded
    _charge(db, order, plan.request.payment_method_id, due)
    _credit(db, order, order.payment_method or "", due)
    order.payment_method = plan.request.payment_method_id
    return _receipt(db, plan, order, "PAY", charged=due)


def _refund(db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    refund = _refund_amount(plan, order)
    _credit(db, order, plan.decision.refund_to, refund)
    order.amount_refunded = order.amount_refunded + refund
    # A partial refund is money, not a step of delivery: a delivered order stays delivered
    # (drafts and the policy read the status as where the parcel is); the amount is recorded.
    if order.amount_refunded >= order.total:
        order.status = policy.OrderStatus.REFUNDED.value
    if plan.request.remedy is not policy.Remedy.PARTIAL_REFUND:
        _mark_refunded(order, plan)
    return _receipt(db, plan, order, "RF", refund=refund)


def _authorise_return(db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    # The refund is owed once the parcel is back; reserve it now so it cannot be paid twice.
    refund = _refund_amount(plan, order)
    _mark_refunded(order, plan)
    order.status = policy.OrderStatus.RETURN_REQUESTED.value
    order.amount_refunded = order.amount_refunded + refund
    _state(db, order).return_requested_at = plan.at
    note = "refund due when the return arrives"
    return _receipt(db, plan, order, "RMA", refund=refund, note=note)


def _replacement(db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    wanted = {line.sku: line.quantity for line in plan.request.lines}
    earlier = db.scalar(
        select(func.count()).where(
            Order.shop_id == order.shop_id, Order.external_id.like(f"{order.external_id}-R%")
        )
    )
    external_id = f"{order.external_id}-R{(earlier or 0) + 1}"
    new = Order(
        shop_id=order.shop_id,
        external_id=external_id[:64],
        customer_id=order.customer_id,
        status=policy.OrderStatus.PENDING.value,
        currency=order.currency,
        payment_method=order.payment_method,
        placed_at=plan.at,
        source_hash="",
        items=[
            OrderItem(
                position=i,
                sku=it.sku,
                asin=it.asin,
                title=it.title,
                category=it.category,
                quantity=wanted.get(it.sku, it.quantity),
                unit_price=Decimal(0),
            )
            for i, it in enumerate(x for x in order.items if not wanted or x.sku in wanted)
        ],
    )
    db.add(new)
    db.flush()  # the new order's id is the receipt's reference
    receipt = _receipt(db, plan, order, "RPL", note=f"replacement order {external_id}")
    return replace(receipt, reference=new.id)


def _swap_items(db: Session, order: Order, plan: policy.ActionPlan) -> Decimal:
    """Replace each exchanged unit by its new variant; returns the price change."""
    diff = Decimal(0)
    for line in plan.request.exchanges:
        old = next(it for it in order.items if it.sku == line.from_sku and it.quantity > 0)
        diff += (line.to.unit_price - old.unit_price) * line.quantity
        old.quantity -= line.quantity
        if old.quantity <= 0:
            order.items.remove(old)
        same = next((it for it in order.items if it.sku == line.to.sku), None)
        if same is not None:
            same.quantity += line.quantity
            continue
        order.items.append(
            OrderItem(
                position=max((it.position for it in order.items), default=-1) + 1,
                sku=line.to.sku,
                title=line.to.title or old.title,
                category=old.category,
                quantity=line.quantity,
                unit_price=line.to.unit_price,
            )
        )
    return diff


def _settle(
    db: Session, order: Order, plan: policy.ActionPlan, diff: Decimal, prefix: str
) -> policy.ActionReceipt:
    method = plan.request.payment_method_id or order.payment_method or ""
    if diff > 0:
        _charge(db, order, method, diff)
        return _receipt(db, plan, order, prefix, charged=diff)
    if diff < 0:
        _credit(db, order, method, -diff)
        return _receipt(db, plan, order, prefix, refund=-diff)
    return _receipt(db, plan, order, prefix)


def _change_items(db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    diff = _swap_items(db, order, plan)
    order.total = order.total + diff
    order.subtotal = order.subtotal + diff
    state = _state(db, order)
    state.modified = sorted({*state.modified, "items"})
    return _settle(db, order, plan, diff, "MOD")


def _exchange(db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    # Items stay as they are until the returned ones arrive; only the price change settles now.
    diff = Decimal(0)
    for line in plan.request.exchanges:
        old = next(it for it in order.items if it.sku == line.from_sku)
        diff += (line.to.unit_price - old.unit_price) * line.quantity
    order.status = "exchange_requested"
    state = _state(db, order)
    state.modified = sorted({*state.modified, "exchange"})
    state.return_requested_at = plan.at
    return _settle(db, order, plan, diff, "RMA")


def _credit_goodwill(db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    # The order_actions row is the credit's record; a marketplace adapter would issue it.
    amount = plan.decision.refund.total.amount if plan.decision.refund else Decimal(0)
    return _receipt(db, plan, order, "CR", refund=amount)


def _escalate(db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    return _receipt(db, plan, order, "ESC", note=plan.request.reason)


_WRITES: dict[
    policy.Remedy, Callable[[Session, Order, policy.ActionPlan], policy.ActionReceipt]
] = {
    policy.Remedy.CANCEL: _cancel,
    policy.Remedy.CHANGE_ADDRESS: _change_address,
    policy.Remedy.CHANGE_ITEMS: _change_items,
    policy.Remedy.CHANGE_PAYMENT: _change_payment,
    policy.Remedy.FULL_REFUND: _refund,
    policy.Remedy.PARTIAL_REFUND: _refund,
    policy.Remedy.REFUND_WITHOUT_RETURN: _refund,
    policy.Remedy.RETURN_AND_REFUND: _authorise_return,
    policy.Remedy.REPLACEMENT: _replacement,
    policy.Remedy.EXCHANGE: _exchange,
    policy.Remedy.GOODWILL_CREDIT: _credit_goodwill,
    policy.Remedy.ESCALATE: _escalate,
}


def apply_remedy(*, db: Session, order: Order, plan: policy.ActionPlan) -> policy.ActionReceipt:
    """Make the remedy's change to the locked order and add its audit row (no commit)."""
    receipt = _WRITES[plan.request.remedy](db, order, plan)
    _audit_row(db, plan, order.id, receipt)
    return receipt
