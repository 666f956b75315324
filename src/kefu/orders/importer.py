"""Turning CSV/JSONL rows into validated ``OrderIn`` values.

CSV has one row per order line; rows sharing ``order_id`` make one order, and must agree on
the order's own fields. JSONL has one order per line, in the ``OrderIn`` shape; an order id
seen on an earlier line is reported, not imported again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Any

from pydantic import TypeAdapter, ValidationError

from kefu.core.tabular import RowProblem, reason_of
from kefu.orders.schemas import OrderIn

# A CSV header with none of these cannot give a single order.
REQUIRED_COLUMNS = ("order_id", "placed_at", "currency")
# Where a CSV line names its order, in order of preference (see ``_order_key``).
ORDER_KEY_COLUMNS = ("order_id", "external_id")
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

_Line = tuple[int, dict[str, Any]]


# The CSV rows an order's items and its shipments came from, to report problems on them.
_Rows = tuple[list[int], list[int]]
_Getter = Callable[[dict[str, Any]], Any]
_Candidate = tuple[int, dict[str, Any], _Rows | None]


def _order_key(record: dict[str, Any]) -> str | None:
    return next((v for c in ORDER_KEY_COLUMNS if (v := record.get(c))), None)


def _csv_groups(
    lines: Iterable[_Line], lines_per_order: Mapping[str, int] | None
) -> Iterator[list[_Line]]:
    """The lines of each order id: an order as soon as its last line is read, when
    ``lines_per_order`` (from ``csv_key_counts``) says how many it has; any other at the end,
    in the order of their first lines. A large export is thus read in the memory of the orders
    whose lines are still coming, not of the whole file (200,000 orders: 770 MB before)."""
    held: dict[str, list[_Line]] = {}
    expected = lines_per_order or {}
    for number, record in lines:
        key = _order_key(record)
        if key is None:
            yield [(number, record)]  # no order id: refused alone
            continue
        group = held.setdefault(key, [])
        group.append((number, record))
        if expected.get(key) == len(group):
            del held[key]
            yield group
    yield from held.values()


def _conflict(key: str | None, field: str, here: str, there: str, row: int) -> str:
    return f"order {key} not imported: {field} is {here!r} here but {there!r} on row {row}"


def _order_fields(lines: list[_Line], order: dict[str, Any], same: _Getter) -> list[RowProblem]:
    """Fill the order's own fields from its lines; a problem per line that disagrees."""
    first_row, first = lines[0]
    order.update({f: v for f in _ORDER_FIELDS if (v := first.get(f)) is not None})
    head = same(first)
    origin: dict[str, int] = {}
    problems = []
    for number, record in lines[1:]:
        if same(record) == head:
            continue  # the usual case: every line repeats the order's fields
        # An empty cell repeats the order's value; a value given only on a later line counts.
        for field in _ORDER_FIELDS:
            value, held = record.get(field), order.get(field)
            if value is None or value == held:
                continue
            if held is None:
                order[field], origin[field] = value, number
            else:
                there = origin.get(field, first_row)
                reason = _conflict(order["external_id"], field, value, held, there)
                problems.append(RowProblem(number, field, reason))
    return problems


def _shipments(lines: list[_Line], order: dict[str, Any], rows: list[int]) -> list[RowProblem]:
    """One shipment per tracking number, in the order the lines name them."""
    found: dict[str, tuple[dict[str, Any], int]] = {}
    problems = []
    for number, record in lines:
        tracking = record.get("tracking_number")
        if tracking is None:
            continue
        carrier = record.get("carrier")
        if tracking not in found:
            found[tracking] = ({"carrier": carrier, "tracking_number": tracking}, number)
            rows.append(number)
            continue
        shipment, there = found[tracking]
        if shipment["carrier"] is None:
            shipment["carrier"] = carrier
        elif carrier is not None and carrier != shipment["carrier"]:
            reason = _conflict(order["external_id"], "carrier", carrier, shipment["carrier"], there)
            problems.append(RowProblem(number, "carrier", reason))
    for shipment, _ in found.values():
        shipment["carrier"] = shipment["carrier"] or "unknown"
    if found:
        order["shipments"] = [shipment for shipment, _ in found.values()]
    return problems


def _csv_order(lines: list[_Line], same: _Getter) -> _Candidate | list[RowProblem]:
    """The order the lines of one order id make, or why it is not imported."""
    first_row, first = lines[0]
    order: dict[str, Any] = {"external_id": _order_key(first)}
    if len(lines) > 1:
        return _merged_order(lines, order, same)
    # Most orders have one line: the same order, built without the merging.
    order.update({f: v for f in _ORDER_FIELDS if (v := first.get(f)) is not None})
    item = {f: v for f in _ITEM_FIELDS if (v := first.get(f)) is not None}
    order["items"] = [item] if item else []
    if (tracking := first.get("tracking_number")) is not None:
        carrier = first.get("carrier") or "unknown"
        order["shipments"] = [{"carrier": carrier, "tracking_number": tracking}]
    rows = [first_row]
    return first_row, order, (rows, rows)


def _merged_order(
    lines: list[_Line], order: dict[str, Any], same: _Getter
) -> _Candidate | list[RowProblem]:
    shipment_rows: list[int] = []
    problems = _order_fields(lines, order, same) + _shipments(lines, order, shipment_rows)
    if problems:
        return problems
    items, item_rows = [], []
    for number, record in lines:
        item = {f: v for f in _ITEM_FIELDS if (v := record.get(f)) is not None}
        if item:  # a line without item cells carries only the order's fields
            items.append(item)
            item_rows.append(number)
    order["items"] = items
    return lines[0][0], order, (item_rows, shipment_rows)


def _validate(chunk: list[_Candidate]) -> Iterator[tuple[int, OrderIn] | RowProblem]:
    try:
        orders = _ORDER_LIST.validate_python([record for _, record, _ in chunk])
    except ValidationError:
        yield from _validate_each(chunk)
        return
    yield from zip((number for number, _, _ in chunk), orders, strict=True)


def _validate_each(chunk: list[_Candidate]) -> Iterator[tuple[int, OrderIn] | RowProblem]:
    for number, record, rows in chunk:
        try:
            yield number, OrderIn.model_validate(record)
        except ValidationError as exc:
            yield from _problems(exc, number, rows)


def _problems(exc: ValidationError, row: int, rows: _Rows | None) -> Iterator[RowProblem]:
    """One problem per invalid field; on CSV, on the line and column it came from."""
    for error in exc.errors():
        loc = error["loc"]
        if rows is None:
            yield RowProblem(row, ".".join(str(part) for part in loc), reason_of(error))
        elif loc[:1] in (("items",), ("shipments",)) and len(loc) > 1 and isinstance(loc[1], int):
            at = rows[0 if loc[0] == "items" else 1][loc[1]]
            yield RowProblem(at, ".".join(str(part) for part in loc[2:]), reason_of(error))
        else:
            field = "order_id" if loc == ("external_id",) else ".".join(map(str, loc))
            yield RowProblem(row, field, reason_of(error))


def _csv_candidates(
    lines: Iterable[_Line], lines_per_order: Mapping[str, int] | None
) -> Iterator[_Candidate | RowProblem]:
    same: _Getter | None = None
    for order_lines in _csv_groups(lines, lines_per_order):
        if same is None:
            # Every record of a file has the header's keys: a line's order fields in one call.
            present = [f for f in _ORDER_FIELDS if f in order_lines[0][1]]
            same = itemgetter(*present) if present else lambda _: ()
        built = _csv_order(order_lines, same)
        if isinstance(built, list):
            yield from built
        else:
            yield built


def _first_of_each(records: Iterable[_Line]) -> Iterator[_Candidate | RowProblem]:
    seen: dict[str, int] = {}
    for number, record in records:
        key = record.get("external_id")
        if isinstance(key, str):  # anything else fails validation anyway
            first = seen.setdefault(key.strip(), number)
            if first != number:
                reason = f"order {key.strip()} is already on line {first}; that one is imported"
                yield RowProblem(number, "external_id", reason)
                continue
        yield number, record, None


def parse_orders(
    rows: Iterable[tuple[int, dict[str, Any] | RowProblem]],
    *,
    csv_layout: bool,
    lines_per_order: Mapping[str, int] | None = None,
) -> Iterator[tuple[int, OrderIn] | RowProblem]:
    """Validate rows into orders; yield a problem for each bad row instead of raising.

    Rows are read as the orders are taken; on CSV, ``lines_per_order`` lets an order go as
    soon as its last line is read (see ``_csv_groups``)."""
    unreadable: list[RowProblem] = []

    def records() -> Iterator[_Line]:
        for number, record in rows:
            if isinstance(record, RowProblem):
                unreadable.append(record)
            else:
                yield number, record

    candidates = (
        _csv_candidates(records(), lines_per_order) if csv_layout else _first_of_each(records())
    )
    chunk: list[_Candidate] = []
    for candidate in candidates:
        yield from unreadable
        unreadable.clear()
        if isinstance(candidate, RowProblem):
            yield candidate
            continue
        chunk.append(candidate)
        if len(chunk) == _CHUNK:
            yield from _validate(chunk)
            chunk = []
    yield from unreadable
    if chunk:
        yield from _validate(chunk)
