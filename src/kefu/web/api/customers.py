"""Customers of the caller's shops."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from kefu.customers import service
from kefu.customers.schemas import CustomerCreate, CustomerIn, CustomerPublic
from kefu.shops import service as shop_service
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep, write

router = APIRouter(tags=["customers"])


@router.get("/customers", response_model=list[CustomerPublic])
def list_customers(
    db: DbDep,
    principal: PrincipalDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    shop: Annotated[str | None, Query(description="shop slug or id")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[CustomerPublic]:
    """Customers, newest first, optionally of one shop and matching a name or email fragment."""
    shop_ids = shop_service.only(db=db, ref=shop, shop_ids=principal.shop_ids)
    rows = service.list_customers(db=db, shop_ids=shop_ids, query=q, limit=limit, offset=offset)
    return [CustomerPublic.model_validate(c) for c in rows]


@router.get("/customers/{customer_id}", response_model=CustomerPublic)
def get_customer(customer_id: str, db: DbDep, principal: PrincipalDep) -> CustomerPublic:
    """One customer."""
    return CustomerPublic.model_validate(
        service.get(db=db, customer_id=customer_id, shop_ids=principal.shop_ids)
    )


@router.post("/customers", response_model=CustomerPublic, status_code=status.HTTP_201_CREATED)
def upsert_customer(
    customer_in: CustomerCreate, services: ServicesDep, principal: PrincipalDep
) -> CustomerPublic:
    """Create a customer, or update the one sharing an identity."""
    with write(services) as db:
        shop = shop_service.get(db=db, ref=customer_in.shop, shop_ids=principal.shop_ids)
        plain = CustomerIn.model_validate(customer_in.model_dump(exclude={"shop"}))
        customer, _ = service.upsert(db=db, shop_id=shop.id, customer_in=plain)
        db.refresh(customer)
        return CustomerPublic.model_validate(customer)
