"""DbOrderActions under concurrency, and shop overrides read from the shop row."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from kefu.core.money import Money
from kefu.errors import Conflict, InvalidInput
from kefu.inbox.order_actions import DbOrderActions
from kefu.inbox.snapshots import shop_policy
from kefu.policy import (
    ApprovalStatus,
    ExecutionResult,
    ExecutionStatus,
    OrderStatus,
    ReasonCategory,
    Remedy,
    RemedyRequest,
    ShopPolicy,
    decide_approval,
    execute_remedy,
)
from kefu.policy.models import OrderAction
from kefu.services import Services
from kefu.shops.models import Shop
from kefu.storage.audit import AuditEvent
from tests.policy.db_store import seed_order
from tests.policy.factories import MUG_RED, D, order, utc

NOW = utc(2026, 11, 10)
ORDER_ID = "113-0000001-0000001"


def run(actions: DbOrderActions, request: RemedyRequest, key: str) -> ExecutionResult | Conflict:
    try:
        return execute_remedy(
            actions=actions,
            shop_id="shop-1",
            order_id=ORDER_ID,
            request=request,
            request_key=key,
            shop_policy=ShopPolicy(),
            now=NOW,
            actor_id="agent-7",
        )
    except Conflict as exc:  # the store refused: the order changed under the decision
        return exc


def count(services: Services, model: type[OrderAction] | type[AuditEvent]) -> int:
    with services.sessions() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def test_concurrent_retries_of_one_key_refund_once(services: Services) -> None:
    actions = seed_order(services.sessions, order(), [MUG_RED])
    request = RemedyRequest(Remedy.PARTIAL_REFUND, amount=Money(D(10), "USD"))
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: run(actions, request, "same"), range(4)))
    receipts = {r.receipt for r in results if isinstance(r, ExecutionResult)}
    assert len(receipts) == 1 and None not in receipts
    current = actions.load_order(order_id=ORDER_ID)
    assert current is not None and current.amount_refunded == D(10)
    assert count(services, OrderAction) == 1 and count(services, AuditEvent) == 1


def test_concurrent_full_refunds_under_different_keys_never_exceed_the_total(
    services: Services,
) -> None:
    # Returned: the item is back, so the full refund is allowed without approval.
    actions = seed_order(services.sessions, order(status=OrderStatus.RETURNED), [MUG_RED])
    request = RemedyRequest(Remedy.FULL_REFUND)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda n: run(actions, request, f"k{n}"), range(3)))
    done = [r for r in results if isinstance(r, ExecutionResult) and r.receipt]
    assert len(done) == 1
    assert all(
        isinstance(r, Conflict) or r.status is ExecutionStatus.REFUSED
        for r in results
        if r not in done
    )
    current = actions.load_order(order_id=ORDER_ID)
    assert current is not None and current.amount_refunded == current.total
    assert count(services, OrderAction) == 1


def test_concurrent_approvals_of_one_request_run_it_once(services: Services) -> None:
    actions = seed_order(services.sessions, order(platform="shopify"), [MUG_RED])
    request = RemedyRequest(Remedy.REFUND_WITHOUT_RETURN, reason_category=ReasonCategory.DAMAGED)
    asked = run(actions, request, "rwr")
    assert isinstance(asked, ExecutionResult) and asked.approval is not None
    approval_id = asked.approval.id

    def approve(n: int) -> ExecutionResult | Conflict:
        try:
            return decide_approval(
                actions=actions,
                approval_id=approval_id,
                approve=True,
                approver_id=f"admin-{n}",
                approver_role="admin",
                shop_policy=ShopPolicy(),
                now=NOW,
            )
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(approve, range(4)))
    receipts = {r.receipt for r in results if isinstance(r, ExecutionResult)}
    assert len(receipts) == 1 and None not in receipts, results
    current = actions.load_order(order_id=ORDER_ID)
    assert current is not None and current.amount_refunded == current.total
    approval = actions.get_approval(approval_id=approval_id)
    assert approval is not None and approval.status is ApprovalStatus.APPROVED
    assert count(services, OrderAction) == 1  # the request's own row, now executed
    with services.sessions() as db:
        events = db.scalars(select(AuditEvent.action)).all()
    assert sorted(events) == [
        "approval.approved",
        "approval.requested",
        "remedy.refund_without_return",
    ]


def test_shop_policy_reads_validated_overrides(services: Services) -> None:
    seed_order(services.sessions, order())
    with services.sessions() as db, db.begin():
        shop = db.get_one(Shop, "shop-1")
        shop.policy_overrides = {"return_window_days": 60, "goodwill_limits": {"agent": 5}}
    with services.sessions() as db:
        terms = shop_policy(db.get_one(Shop, "shop-1"))
    assert terms.return_window_days == 60 and terms.currency == "USD"
    assert terms.limit("goodwill", "agent") == D(5)
    assert terms.limit("goodwill", "supervisor") == D(100)
    broken = Shop(slug="x", name="x", platform="amazon", policy_overrides={"colour": "red"})
    with pytest.raises(InvalidInput, match="colour"):
        shop_policy(broken)
