"""Executing remedies: re-check, idempotency, authority limits, bad input, nothing half-applied."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Engine

from kefu.core.money import Money
from kefu.errors import Conflict, InvalidInput, NotFound
from kefu.policy import (
    ApprovalStatus,
    ExchangeLine,
    ExecutionStatus,
    InMemoryOrderActions,
    OrderActions,
    OrderStatus,
    PaymentMethodInfo,
    ReasonCategory,
    RefusalCode,
    Remedy,
    RemedyRequest,
    RequestLine,
    ShopPolicy,
    VariantInfo,
    decide_approval,
    execute_remedy,
)
from kefu.storage.engine import make_engine, make_session_factory
from tests.conftest import NO_POSTGRES
from tests.policy.db_store import seed_order
from tests.policy.factories import MUG_GOLD, MUG_RED, MUG_SOLD_OUT, D, order, utc
from tests.support.databases import fresh_sqlite, truncate_all

NOW = utc(2026, 11, 10)
LIMITS = ShopPolicy(refund_limits=(("agent", D(20)), ("supervisor", D(40)), ("admin", None)))


StoreFactory = Callable[..., OrderActions]


def memory_store(**kw: object) -> OrderActions:
    return InMemoryOrderActions(orders=[order(**kw)], variants=[MUG_RED, MUG_GOLD, MUG_SOLD_OUT])


def database_store(request: pytest.FixtureRequest, dialect: str) -> Iterator[StoreFactory]:
    """DbOrderActions over a freshly migrated SQLite file or the test PostgreSQL database."""
    engines: list[Engine] = []

    def factory(**kw: object) -> OrderActions:
        if dialect == "sqlite":
            template = request.getfixturevalue("sqlite_template_path")
            url = fresh_sqlite(template, request.getfixturevalue("tmp_path"))
        else:
            url = request.getfixturevalue("postgres_database")
            if url is None:
                pytest.skip(NO_POSTGRES)
        engine = make_engine(url)
        if dialect == "postgres":
            truncate_all(engine)  # each call is a new store holding only this order
        engines.append(engine)
        return seed_order(
            make_session_factory(engine), order(**kw), [MUG_RED, MUG_GOLD, MUG_SOLD_OUT]
        )

    yield factory
    for engine in engines:
        engine.dispose()


# Every OrderActions implementation must pass this file: add its factory here (a factory takes
# ``order()`` overrides and returns a store holding that order and the three mug variants).
# "sqlite" and "postgres" build DbOrderActions over the migrated schema (see database_store).
FACTORIES = [
    pytest.param(memory_store, id="memory"),
    pytest.param("sqlite", id="db-sqlite"),
    pytest.param("postgres", id="db-postgres"),
]


@pytest.fixture(params=FACTORIES)
def store(request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    if isinstance(request.param, str):
        yield from database_store(request, request.param)
        return
    factory: StoreFactory = request.param
    yield factory


def run(fake: OrderActions, request: RemedyRequest, key: str = "k1", **kw: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {
        "actions": fake,
        "shop_id": "shop-1",
        "order_id": "113-0000001-0000001",
        "request": request,
        "request_key": key,
        "shop_policy": ShopPolicy(),
        "now": NOW,
        "actor_id": "agent-7",
    }
    args.update(kw)
    return execute_remedy(**args)  # type: ignore[arg-type]


PARTIAL_10 = RemedyRequest(Remedy.PARTIAL_REFUND, amount=Money(D(10), "USD"))


def test_partial_refund_is_recorded_once_per_key(store: StoreFactory) -> None:
    fake = store()
    first = run(fake, PARTIAL_10)
    again = run(fake, PARTIAL_10)
    assert first.status is ExecutionStatus.EXECUTED and first.receipt is not None
    assert again.replayed and again.receipt == first.receipt
    current = fake.load_order(order_id="113-0000001-0000001")
    assert current is not None and current.amount_refunded == D(10)
    assert current.status is OrderStatus.DELIVERED  # a partial refund does not undo delivery


def test_same_key_different_content_is_refused_and_changes_nothing(store: StoreFactory) -> None:
    fake = store()
    run(fake, PARTIAL_10)
    other = run(fake, replace(PARTIAL_10, amount=Money(D(12), "USD")))
    assert (other.status, other.code) == (ExecutionStatus.REFUSED, RefusalCode.KEY_CONFLICT)
    assert "different request" in other.reasons[0].en
    with pytest.raises(Conflict):
        other.raise_for_refusal()
    current = fake.load_order(order_id="113-0000001-0000001")
    assert current is not None and current.amount_refunded == D(10)


def test_return_gets_an_rma_and_policy_is_rechecked_at_execution_time(store: StoreFactory) -> None:
    fake = store()
    request = RemedyRequest(Remedy.RETURN_AND_REFUND, lines=(RequestLine("MUG-1", 1),))
    done = run(fake, request)
    assert done.receipt is not None and done.receipt.reference.startswith("RMA-")
    assert done.receipt.new_status is OrderStatus.RETURN_REQUESTED
    late = run(store(), request, key="k2", now=utc(2027, 1, 1))
    assert (late.status, late.rule_id) == (ExecutionStatus.REFUSED, "amazon.return.window")


def test_above_the_agents_limit_becomes_an_approval_request_not_an_action(
    store: StoreFactory,
) -> None:
    fake = store()
    big = RemedyRequest(Remedy.PARTIAL_REFUND, amount=Money(D(30), "USD"))
    asked = run(fake, big, shop_policy=LIMITS)
    assert asked.status is ExecutionStatus.NEEDS_APPROVAL and asked.receipt is None
    assert asked.approval is not None and asked.approval.required_role == "supervisor"
    assert fake.load_order(order_id="113-0000001-0000001").amount_refunded == D(0)  # type: ignore[union-attr]
    assert run(fake, big, shop_policy=LIMITS).replayed  # a retry does not file a second request

    denied = decide_approval(
        actions=fake,
        approval_id=asked.approval.id,
        approve=True,
        approver_id="agent-8",
        approver_role="agent",
        shop_policy=LIMITS,
        now=NOW,
    )
    assert denied.code is RefusalCode.NOT_ALLOWED_TO_APPROVE

    ok = decide_approval(
        actions=fake,
        approval_id=asked.approval.id,
        approve=True,
        approver_id="sup-1",
        approver_role="supervisor",
        shop_policy=LIMITS,
        now=NOW,
    )
    assert ok.status is ExecutionStatus.EXECUTED
    assert fake.load_order(order_id="113-0000001-0000001").amount_refunded == D(30)  # type: ignore[union-attr]
    assert fake.get_approval(approval_id=asked.approval.id).status is ApprovalStatus.APPROVED  # type: ignore[union-attr]
    twice = decide_approval(
        actions=fake,
        approval_id=asked.approval.id,
        approve=True,
        approver_id="sup-1",
        approver_role="supervisor",
        shop_policy=LIMITS,
        now=NOW,
    )
    assert twice.replayed and twice.receipt == ok.receipt  # a retry runs nothing again
    assert fake.load_order(order_id="113-0000001-0000001").amount_refunded == D(30)  # type: ignore[union-attr]


def test_rejected_approval_changes_nothing(store: StoreFactory) -> None:
    fake = store()
    asked = run(
        fake, RemedyRequest(Remedy.PARTIAL_REFUND, amount=Money(D(30), "USD")), shop_policy=LIMITS
    )
    assert asked.approval is not None
    no = decide_approval(
        actions=fake,
        approval_id=asked.approval.id,
        approve=False,
        approver_id="sup-1",
        approver_role="supervisor",
        shop_policy=LIMITS,
        now=NOW,
        note="Offer a replacement instead.",
    )
    assert no.status is ExecutionStatus.REFUSED and no.rule_id == "kefu.approval.rejected"
    assert fake.load_order(order_id="113-0000001-0000001").amount_refunded == D(0)  # type: ignore[union-attr]


RETURNLESS = RemedyRequest(Remedy.REFUND_WITHOUT_RETURN, reason_category=ReasonCategory.DAMAGED)


def decide(fake: OrderActions, approval_id: str, approve: bool = True, role: str = "admin"):  # type: ignore[no-untyped-def]
    return decide_approval(
        actions=fake,
        approval_id=approval_id,
        approve=approve,
        approver_id=f"{role}-1",
        approver_role=role,
        shop_policy=ShopPolicy(),
        now=utc(2026, 11, 11),
        note="photo checked",
    )


def test_a_pack_rule_approval_runs_once_under_its_own_key_and_is_recorded(
    store: StoreFactory,
) -> None:
    # Shopify's returnless-refund threshold asks for approval whoever asks: approving must
    # grant it, not file the same request again.
    fake = store(platform="shopify")
    asked = run(fake, RETURNLESS, actor_role="admin")
    assert asked.status is ExecutionStatus.NEEDS_APPROVAL and asked.approval is not None
    assert decide(fake, asked.approval.id, role="agent").code is RefusalCode.NOT_ALLOWED_TO_APPROVE

    ok = decide(fake, asked.approval.id)
    assert (ok.status, ok.request_key) == (ExecutionStatus.EXECUTED, "k1"), ok.reasons
    assert ok.receipt is not None and ok.receipt.refund is not None
    assert ok.rule_id == "kefu.approval.approved" and not ok.replayed
    assert ok.approval is not None and ok.approval.status is ApprovalStatus.APPROVED
    assert (ok.approval.decided_by, ok.approval.decided_at) == ("admin-1", utc(2026, 11, 11))
    assert ok.approval.note == "photo checked"
    refunded = fake.load_order(order_id="113-0000001-0000001").amount_refunded  # type: ignore[union-attr]
    assert refunded == ok.receipt.refund.amount > 0
    # The requester's retry and the approver's retry both see the one outcome.
    again = run(fake, RETURNLESS, actor_role="admin")
    assert again.replayed and again.status is ExecutionStatus.EXECUTED
    assert again.receipt == ok.receipt
    twice = decide(fake, asked.approval.id)
    assert twice.replayed and twice.receipt == ok.receipt and twice.approval == ok.approval
    assert decide(fake, asked.approval.id, approve=False).code is RefusalCode.APPROVAL_CLOSED
    assert fake.load_order(order_id="113-0000001-0000001").amount_refunded == refunded  # type: ignore[union-attr]
    assert fake.find_outcome(shop_id="shop-1", request_key="k1#approved") is None


def test_a_rejection_is_recorded_runs_nothing_and_cannot_be_approved_later(
    store: StoreFactory,
) -> None:
    fake = store(platform="shopify")
    asked = run(fake, RETURNLESS)
    assert asked.approval is not None
    no = decide(fake, asked.approval.id, approve=False)
    assert (no.status, no.rule_id) == (ExecutionStatus.REFUSED, "kefu.approval.rejected")
    closed = fake.get_approval(approval_id=asked.approval.id)
    assert closed is not None and closed.status is ApprovalStatus.REJECTED
    assert (closed.decided_by, closed.note) == ("admin-1", "photo checked")
    assert decide(fake, asked.approval.id, approve=False).rule_id == "kefu.approval.rejected"
    assert decide(fake, asked.approval.id).code is RefusalCode.APPROVAL_CLOSED
    assert fake.load_order(order_id="113-0000001-0000001").amount_refunded == D(0)  # type: ignore[union-attr]
    assert run(fake, RETURNLESS).receipt is None


@pytest.mark.parametrize(
    ("kw", "code", "rule", "error"),
    [
        ({"order_id": "999-nope"}, RefusalCode.UNKNOWN_ORDER, "kefu.input.unknown_order", NotFound),
        ({"shop_id": "shop-2"}, RefusalCode.OTHER_SHOP, "kefu.input.other_shop", NotFound),
        ({"request_key": "  "}, RefusalCode.INVALID_INPUT, "kefu.input.request_key", InvalidInput),
        (
            {"request": RemedyRequest(Remedy.PARTIAL_REFUND, amount=Money(D(-5), "USD"))},
            RefusalCode.INVALID_INPUT,
            "kefu.input.non_positive_amount",
            InvalidInput,
        ),
        (
            {"request": RemedyRequest(Remedy.PARTIAL_REFUND, amount=Money(D(51), "USD"))},
            RefusalCode.INVALID_INPUT,
            "kefu.input.over_total",
            InvalidInput,
        ),
        (
            {"request": RemedyRequest(Remedy.PARTIAL_REFUND, amount=Money(D(5), "CNY"))},
            RefusalCode.INVALID_INPUT,
            "kefu.input.currency_mismatch",
            InvalidInput,
        ),
        (
            {"request": RemedyRequest(Remedy.RETURN_AND_REFUND, lines=(RequestLine("SOCK"),))},
            RefusalCode.INVALID_INPUT,
            "kefu.input.unknown_item",
            InvalidInput,
        ),
        (
            {"request": RemedyRequest(Remedy.CANCEL)},
            RefusalCode.POLICY_DENIED,
            "amazon.before_shipment",
            Conflict,
        ),
    ],
)
def test_bad_input_is_refused_clearly(
    store: StoreFactory, kw: dict[str, object], code: RefusalCode, rule: str, error: type[Exception]
) -> None:
    fake = store()
    before = fake.load_order(order_id="113-0000001-0000001")
    args: dict[str, object] = {"request": PARTIAL_10, **kw}
    result = run(fake, **args)  # type: ignore[arg-type]
    assert (result.status, result.code, result.rule_id) == (ExecutionStatus.REFUSED, code, rule)
    assert result.reasons[0].en and result.reasons[0].zh
    with pytest.raises(error):
        result.raise_for_refusal()
    assert fake.load_order(order_id="113-0000001-0000001") == before


def test_exchange_uses_current_catalogue_and_unknown_variant_is_refused() -> None:
    # The request still says "available"; the catalogue, read at execution time, says sold out.
    fake = InMemoryOrderActions(
        orders=[order(platform="shopify")], variants=[replace(MUG_RED, available=False)]
    )
    request = RemedyRequest(Remedy.EXCHANGE, exchanges=(ExchangeLine("MUG-1", MUG_RED),))
    assert run(fake, request).rule_id == "shopify.variant_available"
    ghost = VariantInfo("MUG-99", "P-MUG", D(1), True)
    result = run(fake, RemedyRequest(Remedy.EXCHANGE, exchanges=(ExchangeLine("MUG-1", ghost),)))
    assert result.rule_id == "kefu.input.unknown_variant"


def test_a_failing_write_leaves_nothing_half_applied(store: StoreFactory) -> None:
    # Shopify's default pack has no gift-card check, so the store itself refuses the charge.
    fake = store(
        platform="shopify",
        status=OrderStatus.PAID,
        delivered_at=None,
        shipped_at=None,
        payment_method_id="gift-1",
        customer_payment_methods=(PaymentMethodInfo("gift-1", "gift_card", D(5)),),
    )
    before = fake.load_order(order_id="113-0000001-0000001")
    request = RemedyRequest(
        Remedy.CHANGE_ITEMS,
        exchanges=(ExchangeLine("MUG-1", MUG_GOLD, 2),),
        payment_method_id="gift-1",
    )
    with pytest.raises(ValueError, match="does not cover"):
        run(fake, request)
    assert fake.load_order(order_id="113-0000001-0000001") == before
    assert fake.find_outcome(shop_id="shop-1", request_key="k1") is None


def test_change_items_charges_the_difference_and_locks_a_second_edit(store: StoreFactory) -> None:
    fake = store(platform="shopify", status=OrderStatus.PAID, delivered_at=None, shipped_at=None)
    request = RemedyRequest(Remedy.CHANGE_ITEMS, exchanges=(ExchangeLine("MUG-1", MUG_RED, 2),))
    done = run(fake, request)
    assert done.receipt is not None and done.receipt.charged == Money(D(4), "USD")
    current = fake.load_order(order_id="113-0000001-0000001")
    assert current is not None and current.total == D(54) and "items" in current.modified
    assert {it.sku for it in current.items} == {"MUG-2", "LAMP-1"}


def test_replacement_creates_a_free_new_order_for_the_lines(store: StoreFactory) -> None:
    fake = store()
    request = RemedyRequest(
        Remedy.REPLACEMENT, lines=(RequestLine("MUG-1", 1),), reason_category=ReasonCategory.DAMAGED
    )
    done = run(fake, request)
    assert done.status is ExecutionStatus.EXECUTED and done.receipt is not None
    new = fake.load_order(order_id=done.receipt.reference)
    assert new is not None and new.total == D(0) and new.status is OrderStatus.PENDING
    assert [(it.sku, it.quantity) for it in new.items] == [("MUG-1", 1)]
