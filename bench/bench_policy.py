"""Policy conformance on τ²-bench retail: gold write actions must pass, violations must be refused.

The store's policy (policy.md) is encoded by hand as ``kefu/policy/packs/tau2_retail.yaml``. Here
the benchmark's orders are loaded at run time, each task's gold write actions are replayed in
order through ``execute_remedy`` + ``InMemoryOrderActions`` (a fresh store per task), and then
violations the policy forbids are generated from the database and must be refused by the
expected rule. A status-only baseline (the rule most helpdesks hard-code) is scored on the same
violations. Decision latency is timed on ``evaluate``: all remedies of the pack for one order,
and the requested remedy alone.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench._common import Result, dataset_path, latency_results
from kefu.policy import (
    ExchangeLine,
    ExecutionResult,
    ExecutionStatus,
    InMemoryOrderActions,
    OrderItem,
    OrderSnapshot,
    OrderStatus,
    PaymentMethodInfo,
    Remedy,
    RemedyRequest,
    RequestLine,
    ShopPolicy,
    VariantInfo,
    evaluate,
    execute_remedy,
    pack_by_id,
)

DATASET = "tau2_bench_retail"
SHOP = "tau2-shop"
# τ² orders carry no timestamps and its policy has no time windows; any fixed instant will do.
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
PLACED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
POLICY = ShopPolicy(currency="USD")
_STATUS = {
    "pending": OrderStatus.PENDING,
    "processed": OrderStatus.PROCESSING,
    "delivered": OrderStatus.DELIVERED,
    "cancelled": OrderStatus.CANCELLED,
}
ORDER_ACTIONS = {
    "cancel_pending_order",
    "modify_pending_order_address",
    "modify_pending_order_payment",
    "modify_pending_order_items",
    "return_delivered_order_items",
    "exchange_delivered_order_items",
    "transfer_to_human_agents",
}


@dataclass(frozen=True)
class Store:
    orders: dict[str, OrderSnapshot]
    variants: dict[str, VariantInfo]
    by_user: dict[str, list[str]]
    products: dict[str, list[VariantInfo]]


def load_store(path: Path) -> Store:
    """Read db.json into order snapshots and catalogue variants."""
    db = json.loads((path / "db.json").read_text(encoding="utf-8"))
    variants: dict[str, VariantInfo] = {}
    products: dict[str, list[VariantInfo]] = {}
    for product in db["products"].values():
        for v in product["variants"].values():
            info = VariantInfo(
                v["item_id"],
                product["product_id"],
                _dec(v["price"]),
                bool(v["available"]),
                product["name"],
            )
            variants[info.sku] = info
            products.setdefault(info.product_id, []).append(info)
    orders = {o["order_id"]: _snapshot(o, db["users"][o["user_id"]]) for o in db["orders"].values()}
    by_user: dict[str, list[str]] = {}
    for order in orders.values():
        by_user.setdefault(order.customer_id, []).append(order.order_id)
    return Store(orders, variants, by_user, products)


def _dec(value: float) -> Decimal:
    return Decimal(str(value))


def _snapshot(raw: dict[str, Any], user: dict[str, Any]) -> OrderSnapshot:
    counts = Counter(it["item_id"] for it in raw["items"])
    items, seen = [], set()
    for it in raw["items"]:
        if it["item_id"] not in seen:
            seen.add(it["item_id"])
            items.append(
                OrderItem(
                    it["item_id"],
                    it["name"],
                    counts[it["item_id"]],
                    _dec(it["price"]),
                    category=it["name"],
                    product_id=it["product_id"],
                )
            )
    paid = sum(
        (_dec(p["amount"]) for p in raw["payment_history"] if p["transaction_type"] == "payment"),
        Decimal(0),
    )
    refunded = sum(
        (_dec(p["amount"]) for p in raw["payment_history"] if p["transaction_type"] == "refund"),
        Decimal(0),
    )
    methods = tuple(
        PaymentMethodInfo(pm["id"], pm["source"], _dec(pm["balance"]) if "balance" in pm else None)
        for pm in user["payment_methods"].values()
    )
    return OrderSnapshot(
        order_id=raw["order_id"],
        platform="tau2_retail",
        currency="USD",
        status=_STATUS[raw["status"]],
        placed_at=PLACED,
        items=tuple(items),
        total=paid,
        shop_id=SHOP,
        customer_id=raw["user_id"],
        payment_method_id=raw["payment_history"][0]["payment_method_id"],
        amount_refunded=refunded,
        customer_payment_methods=methods,
        address=tuple(sorted(raw["address"].items())),
    )


def store_for(store: Store, users: set[str]) -> InMemoryOrderActions:
    """A fresh in-memory store holding these users' orders and the whole catalogue."""
    orders = [store.orders[o] for u in users for o in store.by_user.get(u, [])]
    return InMemoryOrderActions(orders=orders, variants=store.variants.values())


def to_request(
    store: Store, name: str, args: dict[str, Any], requester: str
) -> tuple[str, RemedyRequest]:
    """One τ² write tool call as (order id, Kefu remedy request)."""
    order_id = args.get("order_id", "")
    pm = args.get("payment_method_id", "")
    if name == "cancel_pending_order":
        return order_id, RemedyRequest(
            Remedy.CANCEL, reason=args["reason"], requester_customer_id=requester
        )
    if name == "modify_pending_order_address":
        address = tuple(sorted((k, v) for k, v in args.items() if k != "order_id"))
        return order_id, RemedyRequest(
            Remedy.CHANGE_ADDRESS, new_address=address, requester_customer_id=requester
        )
    if name == "modify_pending_order_payment":
        return order_id, RemedyRequest(
            Remedy.CHANGE_PAYMENT, payment_method_id=pm, requester_customer_id=requester
        )
    if name == "return_delivered_order_items":
        lines = tuple(RequestLine(sku, n) for sku, n in Counter(args["item_ids"]).items())
        return order_id, RemedyRequest(
            Remedy.RETURN_AND_REFUND,
            lines=lines,
            payment_method_id=pm,
            requester_customer_id=requester,
        )
    if name in {"modify_pending_order_items", "exchange_delivered_order_items"}:
        pairs = Counter(zip(args["item_ids"], args["new_item_ids"], strict=True))
        lines = tuple(ExchangeLine(a, _variant(store, b), n) for (a, b), n in pairs.items())
        remedy = Remedy.CHANGE_ITEMS if name.startswith("modify") else Remedy.EXCHANGE
        return order_id, RemedyRequest(
            remedy, exchanges=lines, payment_method_id=pm, requester_customer_id=requester
        )
    if name == "transfer_to_human_agents":
        return order_id, RemedyRequest(
            Remedy.ESCALATE, reason=args["summary"], requester_customer_id=requester
        )
    raise ValueError(f"not an order action: {name}")


def _variant(store: Store, sku: str) -> VariantInfo:
    return store.variants.get(sku) or VariantInfo(sku, "", Decimal(0), False)


def _task_user(store: Store, actions: list[dict[str, Any]]) -> str:
    for action in actions:
        args = action["arguments"]
        if "user_id" in args:
            return str(args["user_id"])
        if args.get("order_id") in store.orders:
            return store.orders[args["order_id"]].customer_id
    return ""


def replay_gold(store: Store, tasks: list[dict[str, Any]]) -> tuple[int, int, int, list[str]]:
    """(allowed, order actions, profile actions not covered, failure notes) over all tasks."""
    allowed = total = profile = 0
    failures: list[str] = []
    pack = pack_by_id("tau2_retail")
    for task in tasks:
        actions = task["evaluation_criteria"]["actions"] or []
        user = _task_user(store, actions)
        fake = store_for(store, {user})
        last_order = next(iter(store.by_user.get(user, [])), "")
        for n, action in enumerate(actions):
            name, args = action["name"], action["arguments"]
            if args.get("order_id"):
                last_order = args["order_id"]
            if name == "modify_user_address" or (
                name == "transfer_to_human_agents" and not last_order
            ):
                profile += 1  # not about an order: Kefu's order executor has nothing to act on
                continue
            if name not in ORDER_ACTIONS:
                continue
            total += 1
            order_id, request = to_request(
                store,
                name,
                {**args, "order_id": last_order} if name == "transfer_to_human_agents" else args,
                user,
            )
            result = execute_remedy(
                actions=fake,
                shop_id=SHOP,
                order_id=order_id,
                request=request,
                request_key=f"{task['id']}-{n}",
                shop_policy=POLICY,
                now=NOW,
                actor_id="bench",
                pack=pack,
            )
            if result.status is ExecutionStatus.EXECUTED:
                allowed += 1
            else:
                failures.append(f"task {task['id']} {name}: {result.rule_id} {result.reasons}")
    return allowed, total, profile, failures


@dataclass(frozen=True)
class Violation:
    kind: str
    expected_rule: str
    users: frozenset[str]
    steps: tuple[tuple[str, RemedyRequest], ...]  # all but the last must succeed
    status_only_refuses: bool  # would a status-only rule set catch it?


def generate_violations(store: Store, *, per_kind: int, seed: int = 7) -> list[Violation]:
    """Requests τ²'s policy forbids, built from real orders of the benchmark database."""
    rng = random.Random(seed)
    out: list[Violation] = []
    for make in _MAKERS:
        made = [v for v in (make(store, o) for o in _shuffled(store, rng)) if v is not None]
        out += made[:per_kind]
    return out


def _shuffled(store: Store, rng: random.Random) -> Iterator[OrderSnapshot]:
    ids = sorted(store.orders)
    rng.shuffle(ids)
    return (store.orders[i] for i in ids)


def run_violation(store: Store, violation: Violation) -> ExecutionResult | None:
    """Execute the setup steps and the violating step; None when a setup step failed."""
    fake = store_for(store, set(violation.users))
    pack = pack_by_id("tau2_retail")
    result: ExecutionResult | None = None
    for n, (order_id, request) in enumerate(violation.steps):
        result = execute_remedy(
            actions=fake,
            shop_id=SHOP,
            order_id=order_id,
            request=request,
            request_key=f"v{n}",
            shop_policy=POLICY,
            now=NOW,
            pack=pack,
        )
        if n < len(violation.steps) - 1 and result.status is not ExecutionStatus.EXECUTED:
            return None
    return result


def run(*, quick: bool = False) -> list[Result]:
    """Gold actions allowed, violations refused by the right rule, and decision latency."""
    path = dataset_path(DATASET)
    store = load_store(path)
    tasks = json.loads((path / "tasks.json").read_text(encoding="utf-8"))
    allowed, total, profile, failures = replay_gold(store, tasks)
    refused_by = Counter(f.split(": ", 1)[1].split(" ", 1)[0] for f in failures)
    violations = generate_violations(store, per_kind=5 if quick else 25)
    right = refused = baseline = 0
    for violation in violations:
        result = run_violation(store, violation)
        if result is not None and result.status is ExecutionStatus.REFUSED:
            refused += 1
            right += result.rule_id == violation.expected_rule
        baseline += violation.status_only_refuses
    rows = [
        Result(DATASET, "kefu", "gold_actions_allowed", allowed, "count"),
        Result(DATASET, "kefu", "gold_actions_total", total, "count"),
        Result(DATASET, "kefu", "gold_allowed_rate", allowed / total if total else 0.0, "ratio"),
        Result(DATASET, "kefu", "gold_non_order_actions_not_covered", profile, "count"),
        Result(DATASET, "kefu", "violations_refused_right_rule", right, "count"),
        Result(DATASET, "kefu", "violations_refused_any_rule", refused, "count"),
        Result(DATASET, "kefu", "violations_total", len(violations), "count"),
        Result(DATASET, "kefu", "violations_refused_rate", right / len(violations), "ratio"),
        Result(DATASET, "baseline_status_only", "violations_refused", baseline, "count"),
        Result(
            DATASET,
            "baseline_status_only",
            "violations_refused_rate",
            baseline / len(violations),
            "ratio",
        ),
    ]
    rows += [
        Result(DATASET, "kefu", f"gold_refused_by:{rule}", n, "count")
        for rule, n in sorted(refused_by.items())
    ]
    count = 500 if quick else 3000
    rows += latency_results(
        DATASET, "kefu_evaluate_all_remedies", _latencies(store, count, all_remedies=True)
    )
    return rows + latency_results(
        DATASET, "kefu_evaluate_one_remedy", _latencies(store, count, all_remedies=False)
    )


def _latencies(store: Store, count: int, *, all_remedies: bool) -> list[float]:
    """Milliseconds per decision over ``count`` calls, cycling through the benchmark's orders."""
    pack = pack_by_id("tau2_retail")
    orders = sorted(store.orders.values(), key=lambda o: o.order_id)
    out = []
    for n in range(count):
        order = orders[n % len(orders)]
        request = RemedyRequest(Remedy.RETURN_AND_REFUND, requester_customer_id=order.customer_id)
        start = time.perf_counter()
        evaluate(order, request, POLICY, NOW, pack=pack, all_remedies=all_remedies)
        out.append((time.perf_counter() - start) * 1000)
    return out


# --- violation makers: each looks at one order and builds a forbidden request, or None ----------

Maker = Callable[[Store, OrderSnapshot], Violation | None]


def _v(
    kind: str,
    rule: str,
    order: OrderSnapshot,
    *steps: RemedyRequest,
    baseline: bool,
    users: frozenset[str] | None = None,
) -> Violation:
    return Violation(
        kind,
        rule,
        users or frozenset({order.customer_id}),
        tuple((order.order_id, s) for s in steps),
        baseline,
    )


def _req(remedy: Remedy, order: OrderSnapshot, **kw: Any) -> RemedyRequest:
    return RemedyRequest(remedy, requester_customer_id=kw.pop("who", order.customer_id), **kw)


def _alternatives(store: Store, order: OrderSnapshot, *, available: bool) -> list[ExchangeLine]:
    out = []
    for item in order.items:
        for v in store.products.get(item.product_id, []):
            if v.sku != item.sku and v.available is available:
                out.append(ExchangeLine(item.sku, v, 1))
    return out


def _cancel_not_pending(store: Store, o: OrderSnapshot) -> Violation | None:
    if o.status is OrderStatus.PENDING:
        return None
    return _v(
        "cancel_not_pending",
        "tau2.cancel.pending_only",
        o,
        _req(Remedy.CANCEL, o, reason="no longer needed"),
        baseline=True,
    )


def _cancel_bad_reason(store: Store, o: OrderSnapshot) -> Violation | None:
    if o.status is not OrderStatus.PENDING:
        return None
    return _v(
        "cancel_bad_reason",
        "tau2.cancel.reason",
        o,
        _req(Remedy.CANCEL, o, reason="found it cheaper elsewhere"),
        baseline=False,
    )


def _return_pending(store: Store, o: OrderSnapshot) -> Violation | None:
    if o.status is not OrderStatus.PENDING:
        return None
    return _v(
        "return_pending",
        "tau2.return.delivered_only",
        o,
        _req(Remedy.RETURN_AND_REFUND, o, lines=(RequestLine(o.items[0].sku),)),
        baseline=True,
    )


def _exchange_unavailable(store: Store, o: OrderSnapshot) -> Violation | None:
    alts = _alternatives(store, o, available=False)
    if o.status is not OrderStatus.DELIVERED or not alts:
        return None
    return _v(
        "exchange_unavailable",
        "tau2.variant_must_be_available",
        o,
        _req(Remedy.EXCHANGE, o, exchanges=(alts[0],)),
        baseline=False,
    )


def _exchange_other_product(store: Store, o: OrderSnapshot) -> Violation | None:
    if o.status is not OrderStatus.DELIVERED:
        return None
    item = o.items[0]
    other = next(
        v for v in store.variants.values() if v.product_id != item.product_id and v.available
    )
    return _v(
        "exchange_other_product",
        "tau2.same_product_only",
        o,
        _req(Remedy.EXCHANGE, o, exchanges=(ExchangeLine(item.sku, other, 1),)),
        baseline=False,
    )


def _refund_wrong_method(store: Store, o: OrderSnapshot) -> Violation | None:
    wrong = [
        m
        for m in o.customer_payment_methods
        if m.id != o.payment_method_id and m.kind != "gift_card"
    ]
    if o.status is not OrderStatus.DELIVERED or not wrong:
        return None
    return _v(
        "refund_to_disallowed_method",
        "tau2.return.refund_method",
        o,
        _req(
            Remedy.RETURN_AND_REFUND,
            o,
            lines=(RequestLine(o.items[0].sku),),
            payment_method_id=wrong[0].id,
        ),
        baseline=False,
    )


def _modify_setup(store: Store, o: OrderSnapshot) -> RemedyRequest | None:
    method = o.payment_method(o.payment_method_id)
    if o.status is not OrderStatus.PENDING or (method is not None and method.kind == "gift_card"):
        return None
    alts = _alternatives(store, o, available=True)
    return (
        _req(Remedy.CHANGE_ITEMS, o, exchanges=(alts[0],), payment_method_id=o.payment_method_id)
        if alts
        else None
    )


def _modify_twice(store: Store, o: OrderSnapshot) -> Violation | None:
    first = _modify_setup(store, o)
    if first is None:
        return None
    swap = first.exchanges[0]
    back = ExchangeLine(swap.to.sku, _variant(store, swap.from_sku), 1)  # now on the order
    second = _req(Remedy.CHANGE_ITEMS, o, exchanges=(back,), payment_method_id=o.payment_method_id)
    return _v("modify_items_twice", "tau2.modify_items.once", o, first, second, baseline=False)


def _cancel_after_modify(store: Store, o: OrderSnapshot) -> Violation | None:
    first = _modify_setup(store, o)
    if first is None:
        return None
    return _v(
        "cancel_after_modify",
        "tau2.modify_items.locks_order",
        o,
        first,
        _req(Remedy.CANCEL, o, reason="ordered by mistake"),
        baseline=False,
    )


def _other_users_order(store: Store, o: OrderSnapshot) -> Violation | None:
    users = sorted(store.by_user)
    other = users[(users.index(o.customer_id) + 1) % len(users)]
    if o.status is OrderStatus.PENDING:
        step = _req(Remedy.CANCEL, o, reason="no longer needed", who=other)
    elif o.status is OrderStatus.DELIVERED:
        step = _req(Remedy.RETURN_AND_REFUND, o, lines=(RequestLine(o.items[0].sku),), who=other)
    else:
        return None
    return _v(
        "other_users_order",
        "tau2.one_customer_only",
        o,
        step,
        baseline=False,
        users=frozenset({o.customer_id, other}),
    )


def _exchange_twice(store: Store, o: OrderSnapshot) -> Violation | None:
    alts = _alternatives(store, o, available=True)
    method = o.payment_method(o.payment_method_id)
    if o.status is not OrderStatus.DELIVERED or not alts or (method and method.kind == "gift_card"):
        return None
    step = _req(Remedy.EXCHANGE, o, exchanges=(alts[0],), payment_method_id=o.payment_method_id)
    return _v("exchange_twice", "tau2.exchange.once", o, step, step, baseline=True)


def _gift_card_short(store: Store, o: OrderSnapshot) -> Violation | None:
    short = [
        m
        for m in o.customer_payment_methods
        if m.kind == "gift_card" and m.id != o.payment_method_id and (m.balance or 0) < o.total
    ]
    if o.status is not OrderStatus.PENDING or not short:
        return None
    return _v(
        "gift_card_short",
        "tau2.gift_card.balance",
        o,
        _req(Remedy.CHANGE_PAYMENT, o, payment_method_id=short[0].id),
        baseline=False,
    )


def _address_not_pending(store: Store, o: OrderSnapshot) -> Violation | None:
    if o.status is OrderStatus.PENDING:
        return None
    return _v(
        "change_address_not_pending",
        "tau2.modify.pending_only",
        o,
        _req(Remedy.CHANGE_ADDRESS, o, new_address=(("address1", "1 Main St"),)),
        baseline=True,
    )


def _foreign_payment(store: Store, o: OrderSnapshot) -> Violation | None:
    if o.status is not OrderStatus.PENDING:
        return None
    users = sorted(store.by_user)
    other = store.orders[store.by_user[users[(users.index(o.customer_id) + 1) % len(users)]][0]]
    theirs = [m for m in other.customer_payment_methods if m.kind != "gift_card"]
    if not theirs:
        return None
    return _v(
        "someone_elses_payment_method",
        "tau2.payment.must_be_customers",
        o,
        _req(Remedy.CHANGE_PAYMENT, o, payment_method_id=theirs[0].id),
        baseline=False,
    )


def _same_payment(store: Store, o: OrderSnapshot) -> Violation | None:
    if o.status is not OrderStatus.PENDING:
        return None
    return _v(
        "payment_unchanged",
        "tau2.change_payment.must_differ",
        o,
        _req(Remedy.CHANGE_PAYMENT, o, payment_method_id=o.payment_method_id),
        baseline=False,
    )


def _item_not_in_order(store: Store, o: OrderSnapshot) -> Violation | None:
    if o.status is not OrderStatus.DELIVERED:
        return None
    stranger = next(sku for sku in sorted(store.variants) if o.item(sku) is None)
    return _v(
        "item_not_in_order",
        "kefu.input.unknown_item",
        o,
        _req(Remedy.RETURN_AND_REFUND, o, lines=(RequestLine(stranger),)),
        baseline=False,
    )


_MAKERS: tuple[Maker, ...] = (
    _cancel_not_pending,
    _cancel_bad_reason,
    _return_pending,
    _exchange_unavailable,
    _exchange_other_product,
    _refund_wrong_method,
    _modify_twice,
    _cancel_after_modify,
    _other_users_order,
    _exchange_twice,
    _gift_card_short,
    _address_not_pending,
    _foreign_payment,
    _same_payment,
    _item_not_in_order,
)
