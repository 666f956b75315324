"""``InMemoryOrderActions``: the reference implementation of the OrderActions seam.

Each write builds the new order and wallet first and swaps them in together with the outcome
record under one lock, so a failure part-way leaves nothing half-applied.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal

from kefu.core.money import Money
from kefu.errors import Conflict, NotFound
from kefu.policy.actions import (
    ActionPlan,
    ActionReceipt,
    ApprovalRequest,
    ApprovalStatus,
    StoredOutcome,
)
from kefu.policy.types import (
    OrderItem,
    OrderSnapshot,
    OrderStatus,
    PaymentMethodInfo,
    VariantInfo,
)

Change = tuple[OrderSnapshot, dict[str, PaymentMethodInfo], ActionReceipt]


class InMemoryOrderActions:
    """Orders, customer wallets and a catalogue held in memory (tests, benchmarks, demos)."""

    def __init__(
        self,
        *,
        orders: Iterable[OrderSnapshot] = (),
        variants: Iterable[VariantInfo] = (),
    ) -> None:
        self._lock = threading.Lock()
        self._orders: dict[str, OrderSnapshot] = {}
        self._wallets: dict[str, dict[str, PaymentMethodInfo]] = {}
        self._variants = {v.sku: v for v in variants}
        self._outcomes: dict[tuple[str, str], StoredOutcome] = {}
        self._approvals: dict[str, ApprovalRequest] = {}
        # (customer id, amount) of goodwill granted
        self.credits: list[tuple[str, Money]] = []
        # Orders a write creates (replacements); added together with the write on commit.
        self._new_orders: list[OrderSnapshot] = []
        for order in orders:
            self.add_order(order)

    def add_order(self, order: OrderSnapshot) -> None:
        """Store an order; its payment methods join the customer's wallet."""
        wallet = self._wallets.setdefault(order.customer_id, {})
        for method in order.customer_payment_methods:
            wallet.setdefault(method.id, method)
        self._orders[order.order_id] = replace(order, customer_payment_methods=())

    def set_variant(self, variant: VariantInfo) -> None:
        """Add or update a catalogue variant."""
        self._variants[variant.sku] = variant

    # reads -------------------------------------------------------------------------------
    def load_order(self, *, order_id: str) -> OrderSnapshot | None:
        order = self._orders.get(order_id)
        if order is None:
            return None
        methods = tuple(self._wallets.get(order.customer_id, {}).values())
        return replace(order, customer_payment_methods=methods)

    def load_variant(self, *, sku: str) -> VariantInfo | None:
        return self._variants.get(sku)

    def find_outcome(self, *, shop_id: str, request_key: str) -> StoredOutcome | None:
        return self._outcomes.get((shop_id, request_key))

    def get_approval(self, *, approval_id: str) -> ApprovalRequest | None:
        return self._approvals.get(approval_id)

    def approvals(self) -> tuple[ApprovalRequest, ...]:
        """Every approval request, oldest first."""
        return tuple(self._approvals.values())

    # writes ------------------------------------------------------------------------------
    def _commit(
        self,
        plan: ActionPlan,
        build: Callable[[OrderSnapshot, dict[str, PaymentMethodInfo]], Change],
    ) -> ActionReceipt:
        with self._lock:
            if plan.approval is not None:
                done = self._check_open(plan, plan.approval)
                if done is not None:
                    return done
            order = self.load_order(order_id=plan.order_id)
            if order is None:
                raise LookupError(f"order {plan.order_id} vanished")
            wallet = dict(self._wallets.get(order.customer_id, {}))
            self._new_orders = []
            new_order, new_wallet, receipt = build(order, wallet)
            # Everything computed: now swap it all in at once.
            for extra in self._new_orders:
                self._orders[extra.order_id] = extra
            self._orders[plan.order_id] = replace(new_order, customer_payment_methods=())
            self._wallets[order.customer_id] = new_wallet
            self._outcomes[(plan.shop_id, plan.request_key)] = StoredOutcome(
                plan.fingerprint, plan.decision, receipt, plan.approval
            )
            if plan.approval is not None:
                self._approvals[plan.approval.id] = plan.approval
            return receipt

    def _check_open(self, plan: ActionPlan, approval: ApprovalRequest) -> ActionReceipt | None:
        """None when the approval is still pending, else the receipt it already ran."""
        current = self._approvals.get(approval.id)
        if current is None:
            raise NotFound(f"Approval {approval.id} was not found.")
        if current.status is ApprovalStatus.PENDING:
            return None
        stored = self._outcomes.get((plan.shop_id, plan.request_key))
        if current.status is ApprovalStatus.APPROVED and stored and stored.receipt:
            return stored.receipt
        raise Conflict(f"Approval {current.id} is already {current.status.value}.")

    def _receipt(
        self,
        plan: ActionPlan,
        order: OrderSnapshot,
        prefix: str,
        *,
        refund: Money | None = None,
        charged: Money | None = None,
        note: str = "",
    ) -> ActionReceipt:
        number = sum(1 for (shop, _k) in self._outcomes if shop == plan.shop_id) + 1
        ref = f"{prefix}-{order.order_id.lstrip('#')}-{number:04d}"
        return ActionReceipt(
            plan.request.remedy.value,
            order.order_id,
            ref,
            order.status,
            plan.at,
            refund=refund,
            charged=charged,
            note=note,
        )

    def cancel_order(self, *, plan: ActionPlan) -> ActionReceipt:
        def build(order: OrderSnapshot, wallet: dict[str, PaymentMethodInfo]) -> Change:
            refund = (
                plan.decision.refund.total
                if plan.decision.refund
                else Money(Decimal(0), order.currency)
            )
            _credit(wallet, order.payment_method_id, refund.amount)
            new = replace(
                order,
                status=OrderStatus.CANCELLED,
                amount_refunded=order.amount_refunded + refund.amount,
            )
            return new, wallet, self._receipt(plan, new, "CXL", refund=refund)

        return self._commit(plan, build)

    def change_address(self, *, plan: ActionPlan) -> ActionReceipt:
        def build(order: OrderSnapshot, wallet: dict[str, PaymentMethodInfo]) -> Change:
            new = replace(order, address=plan.request.new_address)
            return new, wallet, self._receipt(plan, new, "ADR")

        return self._commit(plan, build)

    def change_payment(self, *, plan: ActionPlan) -> ActionReceipt:
        def build(order: OrderSnapshot, wallet: dict[str, PaymentMethodInfo]) -> Change:
            due = order.total - order.amount_refunded
            _charge(wallet, plan.request.payment_method_id, due)
            _credit(wallet, order.payment_method_id, due)
            new = replace(order, payment_method_id=plan.request.payment_method_id)
            return new, wallet, self._receipt(plan, new, "PAY", charged=Money(due, order.currency))

        return self._commit(plan, build)

    def change_items(self, *, plan: ActionPlan) -> ActionReceipt:
        def build(order: OrderSnapshot, wallet: dict[str, PaymentMethodInfo]) -> Change:
            new, diff = _swap_items(order, plan)
            new = replace(new, modified=order.modified | {"items"})
            receipt = self._settle(plan, new, wallet, diff, "MOD")
            return new, wallet, receipt

        return self._commit(plan, build)

    def exchange_items(self, *, plan: ActionPlan) -> ActionReceipt:
        def build(order: OrderSnapshot, wallet: dict[str, PaymentMethodInfo]) -> Change:
            _swapped, diff = _swap_items(order, plan)
            new = replace(
                order,
                status=OrderStatus.EXCHANGE_REQUESTED,
                modified=order.modified | {"exchange"},
                return_requested_at=plan.at,
            )
            return new, wallet, self._settle(plan, new, wallet, diff, "RMA")

        return self._commit(plan, build)

    def _settle(
        self,
        plan: ActionPlan,
        order: OrderSnapshot,
        wallet: dict[str, PaymentMethodInfo],
        diff: Decimal,
        prefix: str,
    ) -> ActionReceipt:
        method = plan.request.payment_method_id or order.payment_method_id
        if diff > 0:
            _charge(wallet, method, diff)
            return self._receipt(plan, order, prefix, charged=Money(diff, order.currency))
        if diff < 0:
            _credit(wallet, method, -diff)
            return self._receipt(plan, order, prefix, refund=Money(-diff, order.currency))
        return self._receipt(plan, order, prefix)

    def record_refund(self, *, plan: ActionPlan) -> ActionReceipt:
        def build(order: OrderSnapshot, wallet: dict[str, PaymentMethodInfo]) -> Change:
            refund = (
                plan.decision.refund.total
                if plan.decision.refund
                else Money(Decimal(0), order.currency)
            )
            _credit(wallet, plan.decision.refund_to, refund.amount)
            refunded = order.amount_refunded + refund.amount
            # A partial refund is money, not a step of delivery: the order stays where it is.
            status = OrderStatus.REFUNDED if refunded >= order.total else order.status
            new = replace(_mark_refunded(order, plan), amount_refunded=refunded, status=status)
            return new, wallet, self._receipt(plan, new, "RF", refund=refund)

        return self._commit(plan, build)

    def authorise_return(self, *, plan: ActionPlan) -> ActionReceipt:
        def build(order: OrderSnapshot, wallet: dict[str, PaymentMethodInfo]) -> Change:
            refund = (
                plan.decision.refund.total
                if plan.decision.refund
                else Money(Decimal(0), order.currency)
            )
            # The refund is owed once the parcel is back; reserve it now so it cannot be paid twice.
            new = replace(
                _mark_refunded(order, plan),
                status=OrderStatus.RETURN_REQUESTED,
                return_requested_at=plan.at,
                amount_refunded=order.amount_refunded + refund.amount,
            )
            return (
                new,
                wallet,
                self._receipt(
                    plan, new, "RMA", refund=refund, note="refund due when the return arrives"
                ),
            )

        return self._commit(plan, build)

    def create_replacement(self, *, plan: ActionPlan) -> ActionReceipt:
        def build(order: OrderSnapshot, wallet: dict[str, PaymentMethodInfo]) -> Change:
            wanted = {line.sku: line.quantity for line in plan.request.lines}
            items = tuple(
                replace(
                    it,
                    quantity=wanted.get(it.sku, it.quantity),
                    refunded_quantity=0,
                    unit_price=Decimal(0),
                )
                for it in order.items
                if not wanted or it.sku in wanted
            )
            number = sum(1 for o in self._orders if o.startswith(f"{order.order_id}-R")) + 1
            new_id = f"{order.order_id}-R{number}"
            self._new_orders.append(
                replace(
                    order,
                    order_id=new_id,
                    status=OrderStatus.PENDING,
                    placed_at=plan.at,
                    items=items,
                    total=Decimal(0),
                    shipping_fee=Decimal(0),
                    discount=Decimal(0),
                    amount_refunded=Decimal(0),
                    shipped_at=None,
                    delivered_at=None,
                    promised_delivery_at=None,
                    modified=frozenset(),
                    return_requested_at=None,
                    return_received_at=None,
                    dispute_opened_at=None,
                    after_sales_requested_at=None,
                )
            )
            receipt = self._receipt(plan, order, "RPL", note=f"replacement order {new_id}")
            return order, wallet, replace(receipt, reference=new_id)

        return self._commit(plan, build)

    def grant_credit(self, *, plan: ActionPlan) -> ActionReceipt:
        def build(order: OrderSnapshot, wallet: dict[str, PaymentMethodInfo]) -> Change:
            amount = (
                plan.decision.refund.total
                if plan.decision.refund
                else Money(Decimal(0), order.currency)
            )
            self.credits.append((order.customer_id, amount))
            return order, wallet, self._receipt(plan, order, "CR", refund=amount)

        return self._commit(plan, build)

    def escalate(self, *, plan: ActionPlan) -> ActionReceipt:
        def build(order: OrderSnapshot, wallet: dict[str, PaymentMethodInfo]) -> Change:
            return order, wallet, self._receipt(plan, order, "ESC", note=plan.request.reason)

        return self._commit(plan, build)

    def request_approval(self, *, plan: ActionPlan, required_role: str) -> ApprovalRequest:
        with self._lock:
            approval = ApprovalRequest(
                id=f"APR-{len(self._approvals) + 1:05d}",
                shop_id=plan.shop_id,
                order_id=plan.order_id,
                request_key=plan.request_key,
                fingerprint=plan.fingerprint,
                request=plan.request,
                decision=plan.decision,
                required_role=required_role,
                requested_by=plan.actor_id,
                requested_at=plan.at,
            )
            self._approvals[approval.id] = approval
            self._outcomes[(plan.shop_id, plan.request_key)] = StoredOutcome(
                plan.fingerprint, plan.decision, None, approval
            )
            return approval

    def close_approval(self, *, approval: ApprovalRequest) -> None:
        with self._lock:
            current = self._approvals.get(approval.id)
            if current is None:
                raise NotFound(f"Approval {approval.id} was not found.")
            if current.status is approval.status:
                return
            if current.status is not ApprovalStatus.PENDING:
                raise Conflict(f"Approval {approval.id} is already {current.status.value}.")
            self._approvals[approval.id] = approval


def _credit(wallet: dict[str, PaymentMethodInfo], method_id: str, amount: Decimal) -> None:
    method = wallet.get(method_id)
    if method is not None and method.balance is not None:
        wallet[method_id] = replace(method, balance=method.balance + amount)


def _charge(wallet: dict[str, PaymentMethodInfo], method_id: str, amount: Decimal) -> None:
    method = wallet.get(method_id)
    if method is not None and method.balance is not None:
        if method.balance < amount:
            raise ValueError(f"balance of {method_id} does not cover {amount}")
        wallet[method_id] = replace(method, balance=method.balance - amount)


def _mark_refunded(order: OrderSnapshot, plan: ActionPlan) -> OrderSnapshot:
    wanted: dict[str, int] = {}
    lines = plan.request.lines
    for line in lines:
        wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
    if not lines:
        wanted = {it.sku: it.quantity - it.refunded_quantity for it in order.items}
    items = tuple(
        replace(it, refunded_quantity=it.refunded_quantity + wanted.get(it.sku, 0))
        for it in order.items
    )
    return replace(order, items=items)


def _swap_items(order: OrderSnapshot, plan: ActionPlan) -> tuple[OrderSnapshot, Decimal]:
    """Replace each exchanged unit by its new variant; returns the order and the price change."""
    items: list[OrderItem] = list(order.items)
    diff = Decimal(0)
    for line in plan.request.exchanges:
        idx = next(i for i, it in enumerate(items) if it.sku == line.from_sku)
        old = items[idx]
        diff += (line.to.unit_price - old.unit_price) * line.quantity
        rest = old.quantity - line.quantity
        items[idx : idx + 1] = [replace(old, quantity=rest)] if rest > 0 else []
        existing = next((i for i, it in enumerate(items) if it.sku == line.to.sku), None)
        if existing is not None:
            items[existing] = replace(
                items[existing], quantity=items[existing].quantity + line.quantity
            )
        else:
            items.append(
                OrderItem(
                    sku=line.to.sku,
                    title=line.to.title or old.title,
                    quantity=line.quantity,
                    unit_price=line.to.unit_price,
                    category=old.category,
                    product_id=line.to.product_id,
                )
            )
    return replace(order, items=tuple(items), total=order.total + diff), diff
