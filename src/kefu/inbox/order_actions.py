"""``DbOrderActions``: the policy executor's ``OrderActions`` seam over Kefu's own database.

Each write runs in its own transaction: the order row is locked, the change is made, and the
``order_actions`` row holding the request key and the audit row are added before commit. A
failure anywhere rolls all of it back; a concurrent retry with the same key hits the unique
constraint and gets the first outcome back. An approved request also locks its approval row:
the approval is marked approved and the key's pending row becomes the executed outcome in the
same transaction, so two approvers at once run the remedy once.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kefu import policy
from kefu.errors import Conflict, NotFound
from kefu.inbox.order_action_writes import apply_remedy
from kefu.inbox.snapshots import order_snapshot
from kefu.orders.models import Order
from kefu.policy.codec import from_data, to_data
from kefu.policy.models import (
    Approval,
    CatalogueVariant,
    CustomerPaymentMethod,
    OrderAction,
    OrderRemedyState,
)
from kefu.shops.models import Shop
from kefu.storage import audit


class DbOrderActions:
    """Orders, wallets, catalogue, outcomes and approvals of one shop, in the database."""

    def __init__(self, *, sessions: sessionmaker[Session], shop_id: str) -> None:
        self._sessions = sessions
        self._shop_id = shop_id  # whose catalogue ``load_variant`` reads

    # reads -------------------------------------------------------------------------------
    def load_order(self, *, order_id: str) -> policy.OrderSnapshot | None:
        with self._sessions() as db:
            order = db.get(Order, order_id)
            return None if order is None else snapshot_of(db=db, order=order)

    def load_variant(self, *, sku: str) -> policy.VariantInfo | None:
        with self._sessions() as db:
            row = db.scalar(
                select(CatalogueVariant).where(
                    CatalogueVariant.shop_id == self._shop_id, CatalogueVariant.sku == sku
                )
            )
            if row is None:
                return None
            return policy.VariantInfo(
                row.sku, row.product_id, row.unit_price, row.available, row.title
            )

    def find_outcome(self, *, shop_id: str, request_key: str) -> policy.StoredOutcome | None:
        with self._sessions() as db:
            row = db.scalar(
                select(OrderAction).where(
                    OrderAction.shop_id == shop_id, OrderAction.request_key == request_key
                )
            )
            if row is None:
                return None
            approval = db.get(Approval, row.approval_id) if row.approval_id else None
            return policy.StoredOutcome(
                row.fingerprint,
                from_data(policy.RemedyDecision, row.decision),
                from_data(policy.ActionReceipt, row.result) if row.result else None,
                approval_of(approval) if approval else None,
            )

    def get_approval(self, *, approval_id: str) -> policy.ApprovalRequest | None:
        with self._sessions() as db:
            row = db.get(Approval, approval_id)
            return approval_of(row) if row else None

    # writes ------------------------------------------------------------------------------
    def _commit(self, plan: policy.ActionPlan) -> policy.ActionReceipt:
        try:
            with self._sessions() as db, db.begin():
                order = db.scalar(select(Order).where(Order.id == plan.order_id).with_for_update())
                if order is None:
                    raise NotFound(f"Order {plan.order_id} was not found.")
                if plan.approval is not None:
                    approval = _lock_open_approval(db, plan.approval)
                elif _key_taken(db, plan):  # a concurrent retry committed while we waited
                    raise _KeyTaken
                receipt = apply_remedy(db=db, order=order, plan=plan)
                _record_outcome(db, plan, order.id, receipt)
                if plan.approval is not None:
                    _close(db, approval, plan.approval, reference=receipt.reference)
                db.flush()
        except (IntegrityError, _KeyTaken):
            return self._raced(plan)
        return receipt

    def _raced(self, plan: policy.ActionPlan) -> policy.ActionReceipt:
        """Another request with the same key committed first: its outcome is ours."""
        stored = self.find_outcome(shop_id=plan.shop_id, request_key=plan.request_key)
        if stored is not None and stored.fingerprint == plan.fingerprint and stored.receipt:
            return stored.receipt
        raise Conflict(
            f"Request key {plan.request_key!r} was used at the same time by another request."
        )

    def cancel_order(self, *, plan: policy.ActionPlan) -> policy.ActionReceipt:
        return self._commit(plan)

    def change_address(self, *, plan: policy.ActionPlan) -> policy.ActionReceipt:
        return self._commit(plan)

    def change_items(self, *, plan: policy.ActionPlan) -> policy.ActionReceipt:
        return self._commit(plan)

    def change_payment(self, *, plan: policy.ActionPlan) -> policy.ActionReceipt:
        return self._commit(plan)

    def record_refund(self, *, plan: policy.ActionPlan) -> policy.ActionReceipt:
        return self._commit(plan)

    def authorise_return(self, *, plan: policy.ActionPlan) -> policy.ActionReceipt:
        return self._commit(plan)

    def create_replacement(self, *, plan: policy.ActionPlan) -> policy.ActionReceipt:
        return self._commit(plan)

    def exchange_items(self, *, plan: policy.ActionPlan) -> policy.ActionReceipt:
        return self._commit(plan)

    def grant_credit(self, *, plan: policy.ActionPlan) -> policy.ActionReceipt:
        return self._commit(plan)

    def escalate(self, *, plan: policy.ActionPlan) -> policy.ActionReceipt:
        return self._commit(plan)

    def request_approval(
        self, *, plan: policy.ActionPlan, required_role: str
    ) -> policy.ApprovalRequest:
        try:
            with self._sessions() as db, db.begin():
                row = Approval(
                    shop_id=plan.shop_id,
                    order_id=plan.order_id,
                    request_key=plan.request_key,
                    fingerprint=plan.fingerprint,
                    remedy=plan.request.remedy.value,
                    request=to_data(plan.request),
                    decision=to_data(plan.decision),
                    required_role=required_role,
                    status=policy.ApprovalStatus.PENDING.value,
                    requested_by=plan.actor_id,
                    requested_at=plan.at,
                )
                db.add(row)
                db.flush()
                db.add(
                    OrderAction(
                        shop_id=plan.shop_id,
                        order_id=plan.order_id,
                        request_key=plan.request_key,
                        fingerprint=plan.fingerprint,
                        remedy=plan.request.remedy.value,
                        status="needs_approval",
                        decision=to_data(plan.decision),
                        result={},
                        approval_id=row.id,
                        actor=plan.actor_id,
                        actor_role=plan.actor_role,
                        created_at=plan.at,
                    )
                )
                audit.record(
                    db=db,
                    at=plan.at,
                    entity_type="approval",
                    entity_id=row.id,
                    action="approval.requested",
                    actor=plan.actor_id or "system",
                    shop_id=plan.shop_id,
                    reason=plan.request.reason[:500],
                    changes={
                        "order_id": plan.order_id,
                        "remedy": plan.request.remedy.value,
                        "request_key": plan.request_key,
                        "required_role": required_role,
                    },
                )
                db.flush()
                return approval_of(row)
        except IntegrityError:
            stored = self.find_outcome(shop_id=plan.shop_id, request_key=plan.request_key)
            if stored and stored.fingerprint == plan.fingerprint and stored.approval:
                return stored.approval
            raise Conflict(
                f"Request key {plan.request_key!r} was used at the same time by another request."
            ) from None

    def close_approval(self, *, approval: policy.ApprovalRequest) -> None:
        with self._sessions() as db, db.begin():
            row = db.scalar(select(Approval).where(Approval.id == approval.id).with_for_update())
            if row is None:
                raise NotFound(f"Approval {approval.id} was not found.")
            if row.status == approval.status.value:
                return  # two deciders at once, the same way: the first one's record stands
            if row.status != policy.ApprovalStatus.PENDING.value:
                raise Conflict(f"Approval {approval.id} is already {row.status}.")
            _close(db, row, approval)


def _lock_open_approval(db: Session, approval: policy.ApprovalRequest) -> Approval:
    """The approval's row, locked; _KeyTaken when it already ran, Conflict when rejected."""
    row = db.scalar(select(Approval).where(Approval.id == approval.id).with_for_update())
    if row is None:
        raise NotFound(f"Approval {approval.id} was not found.")
    if row.status == policy.ApprovalStatus.APPROVED.value:
        raise _KeyTaken  # approved by a concurrent call: its outcome is ours
    if row.status != policy.ApprovalStatus.PENDING.value:
        raise Conflict(f"Approval {approval.id} is already {row.status}.")
    return row


def _record_outcome(
    db: Session, plan: policy.ActionPlan, order_id: str, receipt: policy.ActionReceipt
) -> None:
    """Store the request key's executed outcome (an approved request's pending row turns)."""
    row = None
    if plan.approval is not None:
        row = db.scalar(
            select(OrderAction)
            .where(OrderAction.shop_id == plan.shop_id, OrderAction.request_key == plan.request_key)
            .with_for_update()
        )
    if row is None:
        row = OrderAction(
            shop_id=plan.shop_id,
            order_id=order_id,
            request_key=plan.request_key,
            fingerprint=plan.fingerprint,
            remedy=plan.request.remedy.value,
            actor=plan.actor_id,
            actor_role=plan.actor_role,
            created_at=plan.at,
        )
        db.add(row)
    row.status = "executed"
    row.reference = receipt.reference
    row.decision = to_data(plan.decision)
    row.result = to_data(receipt)
    if plan.approval is not None:
        row.approval_id = plan.approval.id


def _close(
    db: Session, row: Approval, approval: policy.ApprovalRequest, *, reference: str = ""
) -> None:
    """Record the decision on the locked row, with its audit event."""
    row.status = approval.status.value
    row.decided_by = approval.decided_by
    row.decided_at = approval.decided_at
    row.note = approval.note[:2000]
    changes = {"order_id": row.order_id, "remedy": row.remedy, "status": row.status}
    if reference:
        changes["reference"] = reference
    audit.record(
        db=db,
        at=approval.decided_at or approval.requested_at,
        entity_type="approval",
        entity_id=row.id,
        action=f"approval.{approval.status.value}",
        actor=approval.decided_by or "system",
        shop_id=row.shop_id,
        reason=approval.note[:500],
        changes={**changes, "request_key": row.request_key},
    )


class _KeyTaken(Exception):
    """The request key was committed by another transaction after our first look."""


def _key_taken(db: Session, plan: policy.ActionPlan) -> bool:
    query = select(OrderAction.id).where(
        OrderAction.shop_id == plan.shop_id, OrderAction.request_key == plan.request_key
    )
    return db.scalar(query) is not None


# snapshots ---------------------------------------------------------------------------------
def snapshot_of(*, db: Session, order: Order) -> policy.OrderSnapshot:
    """The policy engine's view of a stored order, with wallet, address and product ids."""
    shop = db.get(Shop, order.shop_id)
    if shop is None:
        raise NotFound(f"shop of order {order.id} is gone")
    base = order_snapshot(order, shop)
    state = db.get(OrderRemedyState, order.id)
    skus = [it.sku for it in order.items]
    query = select(CatalogueVariant.sku, CatalogueVariant.product_id).where(
        CatalogueVariant.shop_id == order.shop_id, CatalogueVariant.sku.in_(skus)
    )
    products: dict[str, str] = dict(db.execute(query).all())
    wallet: tuple[policy.PaymentMethodInfo, ...] = ()
    if order.customer_id:
        rows = db.scalars(
            select(CustomerPaymentMethod)
            .where(CustomerPaymentMethod.customer_id == order.customer_id)
            .order_by(CustomerPaymentMethod.method_id)
        )
        wallet = tuple(policy.PaymentMethodInfo(m.method_id, m.kind, m.balance) for m in rows)
    snapshot = replace(
        base,
        items=tuple(replace(it, product_id=products.get(it.sku, "")) for it in base.items),
        customer_payment_methods=wallet,
    )
    if state is None:
        return snapshot
    return replace(
        snapshot,
        address=tuple(sorted((str(k), str(v)) for k, v in state.address.items())),
        modified=frozenset(state.modified),
        return_requested_at=state.return_requested_at,
        return_received_at=state.return_received_at,
        dispute_opened_at=state.dispute_opened_at,
        after_sales_requested_at=state.after_sales_requested_at,
    )


def approval_of(row: Approval) -> policy.ApprovalRequest:
    """A stored approval as the executor's value."""
    return policy.ApprovalRequest(
        id=row.id,
        shop_id=row.shop_id,
        order_id=row.order_id,
        request_key=row.request_key,
        fingerprint=row.fingerprint,
        request=from_data(policy.RemedyRequest, row.request),
        decision=from_data(policy.RemedyDecision, row.decision),
        required_role=row.required_role,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        status=policy.ApprovalStatus(row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        note=row.note,
    )
