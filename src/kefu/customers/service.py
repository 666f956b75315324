"""Customer queries, matching by identity, and upserts."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.customers.bulk import Outcome, upsert_customers
from kefu.customers.models import Customer
from kefu.customers.schemas import CustomerIn
from kefu.errors import NotFound


def get(*, db: Session, customer_id: str, shop_ids: Collection[str]) -> Customer:
    """A customer visible to the caller; NotFound for another shop's customer."""
    customer = db.get(Customer, customer_id)
    if customer is None or customer.shop_id not in shop_ids:
        raise NotFound(f"customer {customer_id!r} not found")
    return customer


def list_customers(
    *,
    db: Session,
    shop_ids: Collection[str],
    query: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Customer]:
    """Customers of the caller's shops, optionally filtered by name/email substring."""
    stmt = select(Customer).where(Customer.shop_id.in_(list(shop_ids)))
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(Customer.name.ilike(like) | Customer.email.ilike(like))
    stmt = stmt.order_by(Customer.created_at.desc(), Customer.id).limit(limit).offset(offset)
    return list(db.scalars(stmt))


def upsert(*, db: Session, shop_id: str, customer_in: CustomerIn) -> tuple[Customer, bool]:
    """Match by identity and fill in what is new, or create; returns (customer, created)."""
    [(customer_id, outcome)] = upsert_customers(db=db, shop_id=shop_id, customers=[customer_in])
    customer = db.get(Customer, customer_id, populate_existing=True)
    assert customer is not None
    return customer, outcome is Outcome.CREATED
