"""Bulk-writing tools."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kefu.customers.bulk import upsert_customers
from kefu.customers.models import Customer, CustomerIdentity
from kefu.customers.schemas import CustomerIn
from kefu.services import Services
from kefu.storage.bulk import BulkResult, among, id_stream, rows_by_key
from tests.conftest import Tenant


def test_generated_ids_are_distinct_time_ordered_uuid7_hex() -> None:
    ids = id_stream()
    before_ms = time.time_ns() // 1_000_000
    batch = [next(ids) for _ in range(3000)]  # crosses the 1,024-id refills
    after_ms = time.time_ns() // 1_000_000
    assert len(set(batch)) == 3000
    parsed = [uuid.UUID(i) for i in batch]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 and u.hex == i
               for u, i in zip(parsed, batch, strict=True))  # fmt: skip
    assert all(before_ms <= u.int >> 80 <= after_ms for u in parsed)
    # Increasing as long as the clock does not step back (it did not within this test).
    assert batch == sorted(batch)


def test_results_add_up() -> None:
    assert BulkResult(1, 2, 3) + BulkResult(10, 20, 30) == BulkResult(11, 22, 33)


def test_rows_by_key_matches_whole_keys_not_single_columns(
    services: Services, tenant: Tenant
) -> None:
    with services.sessions() as db, db.begin():
        [(customer, _)] = upsert_customers(
            db=db,
            shop_id=tenant.shop_a,
            customers=[CustomerIn(external_id="A1", email="b@example.org")],
        )
    wanted = {
        CustomerIdentity.kind: ["external_id", "email", "email"],
        CustomerIdentity.value: ["b@example.org", "b@example.org", "A1"],
    }
    with services.sessions() as db:
        rows = rows_by_key(
            db,
            [CustomerIdentity.kind, CustomerIdentity.value, CustomerIdentity.customer_id],
            wanted,
            CustomerIdentity.shop_id == tenant.shop_a,
        )
        other_shop = rows_by_key(
            db, [CustomerIdentity.value], wanted, CustomerIdentity.shop_id == tenant.shop_b
        )
    # ("email", "b@...") is a key; ("external_id", "b@...") and ("email", "A1") only mix them.
    assert rows == [("email", "b@example.org", customer)]
    assert other_shop == []


AWKWARD = ['a"b', "c\\d", "e,f", "{g}", " h ", "NULL", "", "佳佳@例子.中国", "i\nj", "'k'"]


def test_rows_by_key_finds_values_with_quotes_commas_braces_and_backslashes(
    services: Services, tenant: Tenant
) -> None:
    with services.sessions() as db, db.begin():
        db.execute(
            insert(CustomerIdentity),
            [
                {"id": f"{n:032d}", "shop_id": tenant.shop_a, "customer_id": customer,
                 "kind": "external_id", "value": value}
                for n, value in enumerate(AWKWARD)
                for customer in [_customer(db, tenant.shop_a, n)]
            ],
        )  # fmt: skip
    with services.sessions() as db:
        rows = rows_by_key(
            db,
            [CustomerIdentity.value],
            {
                CustomerIdentity.kind: ["external_id"] * (len(AWKWARD) + 1),
                CustomerIdentity.value: [*AWKWARD, "absent"],
            },
            CustomerIdentity.shop_id == tenant.shop_a,
        )
        found_among = db.scalars(
            select(CustomerIdentity.value).where(among(db, CustomerIdentity.value, AWKWARD))
        ).all()
    assert sorted(value for (value,) in rows) == sorted(AWKWARD)
    assert sorted(found_among) == sorted(AWKWARD)


def _customer(db: Session, shop_id: str, n: int) -> str:
    customer_id = f"c{n:031d}"
    db.execute(insert(Customer).values(id=customer_id, shop_id=shop_id, external_id=f"X{n}"))
    return customer_id


def test_key_lists_reach_postgresql_as_one_array_value(services: Services) -> None:
    # Typed varchar, the parameter stayed a cast the executor redid for each row it filtered:
    # re-importing 20,000 customers, whose look-up of stored rows filters by 3,000 ids, fell
    # from 20,000 to 225 rows/s.
    if services.engine.dialect.name != "postgresql":
        pytest.skip("a query plan is PostgreSQL's")
    with services.sessions() as db:
        query = select(Customer.id).where(among(db, Customer.id, ["a" * 32, 'b"' * 16]))
        compiled = query.compile(dialect=db.get_bind().dialect)
        plan = (
            db.connection()
            .exec_driver_sql("EXPLAIN (VERBOSE) " + str(compiled), compiled.params)
            .scalars()
            .all()
        )
    text = "\n".join(plan)
    assert "::text[]" in text and "cstring" not in text, text
