"""An identity names a customer of its own shop: the rules of its (customer, shop) key, which is
a foreign key on SQLite and statement-level triggers on PostgreSQL (migration 0009), hold the
same on both, for inserts, COPY, updates, deletions and concurrent transactions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kefu.customers.bulk import upsert_customers
from kefu.customers.models import Customer, CustomerIdentity
from kefu.customers.schemas import CustomerIn
from kefu.services import Services
from kefu.shops.models import Shop
from kefu.storage.bulk import id_stream, insert_rows, table_of
from tests.conftest import Tenant


def _customer(services: Services, shop_id: str, buyer: str) -> str:
    with services.sessions() as db, db.begin():
        row = CustomerIn(external_id=buyer, email=f"{buyer.lower()}@example.org")
        [(customer_id, _)] = upsert_customers(db=db, shop_id=shop_id, customers=[row])
    return customer_id


def _identity(shop_id: str, customer_id: str, value: str) -> dict[str, Any]:
    return {"id": next(id_stream()), "shop_id": shop_id, "customer_id": customer_id,
            "kind": "phone", "value": value}  # fmt: skip


def _identities(services: Services) -> list[tuple[str, str, str]]:
    with services.sessions() as db:
        rows = db.execute(
            select(CustomerIdentity.shop_id, CustomerIdentity.customer_id, CustomerIdentity.value)
        )
        return sorted((shop, customer, value) for shop, customer, value in rows)


def test_rows_naming_a_customer_of_another_shop_or_none_are_refused_whole(
    services: Services, tenant: Tenant
) -> None:
    ana = _customer(services, tenant.shop_a, "B1")
    before = _identities(services)
    good = _identity(tenant.shop_a, ana, "+15550001")
    for stray in (
        _identity(tenant.shop_b, ana, "+15550002"),  # Ana, but filed under shop B
        _identity(tenant.shop_a, "0" * 32, "+15550003"),  # nobody
    ):
        # insert_rows is COPY on PostgreSQL: the statement the bulk imports write with.
        with pytest.raises(IntegrityError), services.sessions() as db, db.begin():
            insert_rows(db, table_of(CustomerIdentity), [good, stray])
    assert _identities(services) == before
    with services.sessions() as db, db.begin():
        insert_rows(db, table_of(CustomerIdentity), [good])
    assert (tenant.shop_a, ana, "+15550001") in _identities(services)


def test_an_identity_cannot_be_moved_to_another_shops_customer(
    services: Services, tenant: Tenant
) -> None:
    ana = _customer(services, tenant.shop_a, "B1")
    bo = _customer(services, tenant.shop_b, "B2")
    before = _identities(services)
    with pytest.raises(IntegrityError), services.sessions() as db, db.begin():
        db.execute(
            update(CustomerIdentity)
            .where(CustomerIdentity.customer_id == ana)
            .values(customer_id=bo)
        )
    assert _identities(services) == before
    carl = _customer(services, tenant.shop_a, "B3")
    with services.sessions() as db, db.begin():  # within the shop, a merge may move them
        db.execute(
            update(CustomerIdentity)
            .where(CustomerIdentity.customer_id == ana)
            .values(customer_id=carl)
        )
    assert {cid for _, cid, _ in _identities(services)} == {bo, carl}


def test_deleting_customers_or_their_shop_deletes_their_identities(
    services: Services, tenant: Tenant
) -> None:
    ana = _customer(services, tenant.shop_a, "B1")
    _customer(services, tenant.shop_a, "B2")
    bo = _customer(services, tenant.shop_b, "B3")
    with services.sessions() as db, db.begin():
        db.execute(delete(Customer).where(Customer.id == ana))
    assert {cid for _, cid, _ in _identities(services)} == {bo, *_ids_of(services, "B2")}
    with services.sessions() as db, db.begin():
        db.execute(delete(Shop).where(Shop.id == tenant.shop_a))
    assert {cid for _, cid, _ in _identities(services)} == {bo}


def _ids_of(services: Services, buyer: str) -> set[str]:
    with services.sessions() as db:
        return set(db.scalars(select(Customer.id).where(Customer.external_id == buyer)))


def test_a_customer_named_by_identities_keeps_its_id_and_shop(
    services: Services, tenant: Tenant
) -> None:
    ana = _customer(services, tenant.shop_a, "B1")
    for change in ({"shop_id": tenant.shop_b}, {"id": "f" * 32}):
        with pytest.raises(IntegrityError), services.sessions() as db, db.begin():
            db.execute(update(Customer).where(Customer.id == ana).values(**change))
    with services.sessions() as db, db.begin():  # other columns change freely
        db.execute(update(Customer).where(Customer.id == ana).values(name="Ana Ruiz"))
        shop = db.scalar(select(Customer.shop_id).where(Customer.id == ana))
    assert shop == tenant.shop_a


def _waits_for(
    services: Services, first: Callable[[Session], Any], second: Callable[[Session], Any]
) -> BaseException | None:
    """Run ``first`` in an open transaction and ``second`` in another connection's; assert that
    ``second`` waits until ``first`` commits, and return what ``second`` raised, if anything."""
    outcome: list[BaseException | None] = []

    def run_second() -> None:
        try:
            with services.sessions() as db, db.begin():
                second(db)
            outcome.append(None)
        except BaseException as exc:  # handed to the test, which asserts on it
            outcome.append(exc)

    with services.sessions() as db, db.begin():
        first(db)
        thread = threading.Thread(target=run_second)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # held by the open transaction, as a foreign key holds it
    thread.join(10)
    return outcome[0]


def _postgres_only(services: Services) -> None:
    if services.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: row locks across connections, TRUNCATE")


def test_an_identity_for_a_customer_deleted_meanwhile_is_refused(
    services: Services, tenant: Tenant
) -> None:
    _postgres_only(services)
    ana = _customer(services, tenant.shop_a, "B1")
    refused = _waits_for(
        services,
        lambda db: db.execute(delete(Customer).where(Customer.id == ana)),
        lambda db: db.execute(insert(CustomerIdentity), [_identity(tenant.shop_a, ana, "+1555")]),
    )
    assert isinstance(refused, IntegrityError)
    assert _identities(services) == []


def test_a_customer_deleted_while_an_identity_is_added_takes_it_along(
    services: Services, tenant: Tenant
) -> None:
    _postgres_only(services)
    ana = _customer(services, tenant.shop_a, "B1")
    refused = _waits_for(
        services,
        lambda db: db.execute(insert(CustomerIdentity), [_identity(tenant.shop_a, ana, "+1555")]),
        lambda db: db.execute(delete(Customer).where(Customer.id == ana)),
    )
    assert refused is None
    with services.sessions() as db:
        assert db.scalar(select(func.count()).select_from(CustomerIdentity)) == 0


def test_truncating_customers_empties_identities(services: Services, tenant: Tenant) -> None:
    _postgres_only(services)
    _customer(services, tenant.shop_a, "B1")
    with services.sessions() as db, db.begin():
        db.execute(text("TRUNCATE customers CASCADE"))  # orders and conversations name them
    assert _identities(services) == []
