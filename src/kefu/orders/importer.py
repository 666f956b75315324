"""Turning CSV/JSONL rows into validated ``OrderIn`` values.

CSV has one row per order line; rows sharing ``order_id`` make one order. JSONL has one order
per line, in the ``OrderIn`` shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from pydantic import TypeAdapter, ValidationError

from kefu.core.tabular import RowProblem, problems_from
from kefu.orders.schemas import OrderIn

_ORDER_FIELDS = (
    "customer_external_id",
    "customer_email",
    "customer_name",
    "status",
    "currency",
    "placed_at",
    "shipping_fee",
    "discount",
    "total",
    "payment_method",
    "promised_delivery_at",
    "delivered_at",
)
_ITEM_FIELDS = ("sku", "asin", "title", "category", "quantity", "unit_price")
# One pydantic call per chunk instead of per order; a chunk holding a bad order is validated
# again order by order, so every row gets exactly the problems it would get alone. A chunk is
# small because pydantic holds the interpreter for the whole call, while the import's writer
# thread waits for it after every database round trip (20 orders: about 0.15 ms).
_ORDER_LIST = TypeAdapter(list[OrderIn])
_CHUNK = 20


def _order_key(record: dict[str, Any]) -> str | None:
    return record.get("order_id") or record.get("external_id")


def _group_csv(
    rows: Iterable[tuple[int, dict[str, Any]]],
) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, record in rows:
        groups.setdefault(_order_key(record) or f"\0row{number}", []).append((number, record))
    return groups


def _csv_order(lines: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    first = lines[0][1]
    order: dict[str, Any] = {"external_id": _order_key(first)}
    order.update({f: v for f in _ORDER_FIELDS if (v := first.get(f)) is not None})
    order["items"] = [
        {f: v for f in _ITEM_FIELDS if (v := rec.get(f)) is not None}
        for _, rec in lines
        if rec.get("sku")
    ]
    tracked = [rec for _, rec in lines if rec.get("tracking_number")]
    if tracked:
        order["shipments"] = [
            {
                "carrier": tracked[0].get("carrier") or "unknown",
                "tracking_number": tracked[0]["tracking_number"],
            }
        ]
    return order


def _validate(
    candidates: Iterable[tuple[int, dict[str, Any]]],
) -> Iterator[tuple[int, OrderIn] | RowProblem]:
    it = iter(candidates)
    while chunk := list(islice(it, _CHUNK)):
        try:
            orders = _ORDER_LIST.validate_python([record for _, record in chunk])
        except ValidationError:
            yield from _validate_each(chunk)
            continue
        yield from zip((number for number, _ in chunk), orders, strict=True)


def _validate_each(
    chunk: list[tuple[int, dict[str, Any]]],
) -> Iterator[tuple[int, OrderIn] | RowProblem]:
    for number, record in chunk:
        try:
            yield number, OrderIn.model_validate(record)
        except ValidationError as exc:
            yield from problems_from(exc, number)


def parse_orders(
    rows: Iterable[tuple[int, dict[str, Any] | RowProblem]], *, csv_layout: bool
) -> Iterator[tuple[int, OrderIn] | RowProblem]:
    """Validate rows into orders; yield a problem for each bad row instead of raising."""
    good: list[tuple[int, dict[str, Any]]] = []
    for number, record in rows:
        if isinstance(record, RowProblem):
            yield record
        else:
            good.append((number, record))
    if csv_layout:
        # Orders are built chunk by chunk: the first batch can be written sooner.
        grouped = _group_csv(good).values()
        yield from _validate((lines[0][0], _csv_order(lines)) for lines in grouped)
    else:
        yield from _validate(good)
