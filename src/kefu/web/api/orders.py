"""Orders of the caller's shops."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from kefu.orders import service
from kefu.orders.schemas import OrderCreate, OrderIn, OrderPublic
from kefu.shops import service as shop_service
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep, write

router = APIRouter(tags=["orders"])


@router.get("/orders", response_model=list[OrderPublic])
def list_orders(
    db: DbDep,
    principal: PrincipalDep,
    customer_id: str | None = None,
    shop: Annotated[str | None, Query(description="shop slug or id")] = None,
    status_: Annotated[str | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[OrderPublic]:
    """Orders, newest first, optionally of one shop."""
    rows = service.list_orders(
        db=db,
        shop_ids=shop_service.only(db=db, ref=shop, shop_ids=principal.shop_ids),
        customer_id=customer_id,
        status=status_,
        limit=limit,
        offset=offset,
    )
    return [OrderPublic.model_validate(o) for o in rows]


@router.get("/orders/{order_id}", response_model=OrderPublic)
def get_order(order_id: str, db: DbDep, principal: PrincipalDep) -> OrderPublic:
    """One order by Kefu id or marketplace order id."""
    return OrderPublic.model_validate(
        service.get(db=db, order_id=order_id, shop_ids=principal.shop_ids)
    )


@router.post("/orders", response_model=OrderPublic, status_code=status.HTTP_201_CREATED)
def upsert_order(
    order_in: OrderCreate, services: ServicesDep, principal: PrincipalDep
) -> OrderPublic:
    """Create or update an order by (shop, external_id)."""
    with write(services) as db:
        shop = shop_service.get(db=db, ref=order_in.shop, shop_ids=principal.shop_ids)
        plain = OrderIn.model_validate(order_in.model_dump(exclude={"shop"}))
        order = service.upsert(db=db, shop_id=shop.id, order_in=plain)
        db.refresh(order)
        return OrderPublic.model_validate(order)
