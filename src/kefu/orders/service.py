"""Order queries and single-order writes (bulk writes live in ``bulk``)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.errors import NotFound
from kefu.orders.bulk import upsert_orders
from kefu.orders.models import Order
from kefu.orders.schemas import OrderIn


def get(*, db: Session, order_id: str, shop_ids: Collection[str]) -> Order:
    """An order visible to the caller, by Kefu id or marketplace id; NotFound otherwise."""
    order = db.get(Order, order_id)
    if order is None:
        order = db.scalar(
            select(Order).where(Order.external_id == order_id, Order.shop_id.in_(list(shop_ids)))
        )
    if order is None or order.shop_id not in shop_ids:
        raise NotFound(f"order {order_id!r} not found")
    return order


def list_orders(
    *,
    db: Session,
    shop_ids: Collection[str],
    customer_id: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Order]:
    """Orders of the caller's shops, newest first."""
    query = select(Order).where(Order.shop_id.in_(list(shop_ids)))
    if customer_id:
        query = query.where(Order.customer_id == customer_id)
    if status:
        query = query.where(Order.status == status)
    query = query.order_by(Order.placed_at.desc(), Order.id).limit(limit).offset(offset)
    return list(db.scalars(query))


def upsert(*, db: Session, shop_id: str, order_in: OrderIn) -> Order:
    """Create or update one order (same path as the bulk import)."""
    upsert_orders(db=db, shop_id=shop_id, orders=[order_in])
    return get(db=db, order_id=order_in.external_id, shop_ids=[shop_id])
