"""Customer queries, matching by identity, and upserts."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.customers.models import Customer, CustomerIdentity
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


def identity_keys(customer_in: CustomerIn) -> list[tuple[str, str]]:
    """(kind, value) pairs a customer is recognised by, most specific first."""
    keys = []
    if customer_in.external_id:
        keys.append(("external_id", customer_in.external_id))
    if customer_in.email:
        keys.append(("email", customer_in.email))
    if customer_in.phone:
        keys.append(("phone", customer_in.phone))
    return keys


def match(*, db: Session, shop_id: str, customer_in: CustomerIn) -> Customer | None:
    """The stored customer sharing any identity (buyer id, email, phone) in this shop."""
    for kind, value in identity_keys(customer_in):
        found = db.scalar(
            select(CustomerIdentity).where(
                CustomerIdentity.shop_id == shop_id,
                CustomerIdentity.kind == kind,
                CustomerIdentity.value == value,
            )
        )
        if found is not None:
            return db.get(Customer, found.customer_id)
    return None


def _attach_identities(db: Session, customer: Customer, customer_in: CustomerIn) -> None:
    known = {(i.kind, i.value) for i in customer.identities}
    for kind, value in identity_keys(customer_in):
        if (kind, value) in known:
            continue
        taken = db.scalar(
            select(CustomerIdentity.id).where(
                CustomerIdentity.shop_id == customer.shop_id,
                CustomerIdentity.kind == kind,
                CustomerIdentity.value == value,
            )
        )
        if taken is None:
            customer.identities.append(
                CustomerIdentity(shop_id=customer.shop_id, kind=kind, value=value)
            )


def upsert(*, db: Session, shop_id: str, customer_in: CustomerIn) -> tuple[Customer, bool]:
    """Match by identity and fill in what is new, or create; returns (customer, created)."""
    customer = match(db=db, shop_id=shop_id, customer_in=customer_in)
    created = customer is None
    if customer is None:
        customer = Customer(shop_id=shop_id, identities=[])
        db.add(customer)
    if customer_in.external_id and not customer.external_id:
        customer.external_id = customer_in.external_id
    for field in ("name", "email", "phone", "country", "language"):
        value = getattr(customer_in, field)
        if value:
            setattr(customer, field, value)
    _attach_identities(db, customer, customer_in)
    db.flush()
    return customer, created
