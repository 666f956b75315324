"""Migrations keep the data: a populated database steps back over the latest revisions and up
again with every row where it was."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, insert, select

from kefu.conversations.models import Conversation, Message
from kefu.customers.bulk import upsert_customers
from kefu.customers.models import Customer, CustomerIdentity
from kefu.customers.schemas import CustomerIn
from kefu.inbox.ingest import ingest_message
from kefu.inbox.schemas import InboundMessageIn
from kefu.orders import flows
from kefu.orders.models import Order
from kefu.services import Services
from kefu.storage.migrate import downgrade, upgrade
from tests.conftest import Tenant

# Revisions that rebuild tables on SQLite (a rebuild drops the old table).
BEFORE_REBUILDS = "0004_knowledge"


def _counts(services: Services) -> dict[str, int]:
    with services.sessions() as db:
        counts = {
            model.__tablename__: db.scalar(select(func.count()).select_from(model)) or 0
            for model in (Customer, CustomerIdentity, Order, Conversation, Message)
        }
        linked = select(func.count()).select_from(Order).where(Order.customer_id.is_not(None))
        counts["orders with a customer"] = db.scalar(linked) or 0
    return counts


def test_stepping_back_and_up_keeps_every_row(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "order_id,placed_at,status,currency,customer_external_id,customer_email,sku,title,"
        "quantity,unit_price\n"
        "113-0000001-0000001,2026-11-01T10:00:00Z,shipped,USD,B1,b1@example.org,S1,Cup,1,9.99\n",
        encoding="utf-8",
    )
    flows.import_orders_file(session_factory=services.sessions, shop_id=tenant.shop_a, path=csv)
    ingest_message(
        deps=services.ingest_deps,
        shop_ids={tenant.shop_a},
        now=services.clock.now(),
        message_in=InboundMessageIn.model_validate(
            {"shop": "shop-a", "channel": "webchat", "external_id": "m1",
             "customer": {"external_id": "B1"}, "text": "where is my parcel"}
        ),
    )  # fmt: skip
    before = _counts(services)
    assert min(before.values()) >= 1, before
    url = services.settings.database_url
    services.engine.dispose()
    downgrade(url, BEFORE_REBUILDS)
    services.engine.dispose()
    assert _counts(services) == before
    services.engine.dispose()
    upgrade(url)
    services.engine.dispose()
    assert _counts(services) == before


def test_an_identity_left_in_another_shop_moves_to_its_customers_shop(
    services: Services, tenant: Tenant
) -> None:
    with services.sessions() as db, db.begin():
        [(customer, _)] = upsert_customers(
            db=db, shop_id=tenant.shop_a, customers=[CustomerIn(external_id="B1")]
        )
    url = services.settings.database_url
    services.engine.dispose()
    downgrade(url, "0005_shop_id_indexes")  # before the (customer, shop) key existed
    services.engine.dispose()
    stray = {"id": "f" * 32, "shop_id": tenant.shop_b, "customer_id": customer,
             "kind": "email", "value": "ana@example.org"}  # fmt: skip
    with services.sessions() as db, db.begin():
        db.execute(insert(CustomerIdentity), [stray])
    services.engine.dispose()
    upgrade(url)
    services.engine.dispose()
    with services.sessions() as db:
        held = db.execute(
            select(CustomerIdentity.kind, CustomerIdentity.shop_id).where(
                CustomerIdentity.customer_id == customer
            )
        ).all()
    assert sorted(held) == [("email", tenant.shop_a), ("external_id", tenant.shop_a)]
