"""Shop queries and writes."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kefu.errors import Conflict, NotFound
from kefu.shops.models import Shop
from kefu.shops.schemas import ShopCreate


def get(*, db: Session, ref: str, shop_ids: Collection[str] | None = None) -> Shop:
    """A shop by id or slug, limited to ``shop_ids`` when given; NotFound otherwise."""
    shop = db.scalar(select(Shop).where(or_(Shop.id == ref, Shop.slug == ref)))
    if shop is None or (shop_ids is not None and shop.id not in shop_ids):
        raise NotFound(f"shop {ref!r} not found", field="shop")
    return shop


def only(*, db: Session, ref: str | None, shop_ids: Collection[str]) -> Collection[str]:
    """``shop_ids`` narrowed to the shop ``ref`` names, when it names one (a listing's
    ``shop`` filter); NotFound for a shop outside them."""
    return shop_ids if ref is None else [get(db=db, ref=ref, shop_ids=shop_ids).id]


def list_shops(*, db: Session, shop_ids: Collection[str] | None = None) -> list[Shop]:
    """All shops visible to the caller, by slug."""
    query = select(Shop).order_by(Shop.slug)
    if shop_ids is not None:
        query = query.where(Shop.id.in_(list(shop_ids)))
    return list(db.scalars(query))


def every_shop_id(db: Session) -> frozenset[str]:
    """The ids of every shop there is: whoever administers them all may change what all
    shops share (global articles, new shops)."""
    return frozenset(db.scalars(select(Shop.id)))


def create(*, db: Session, shop_in: ShopCreate) -> Shop:
    """Create a shop; the slug must be new."""
    if db.scalar(select(Shop.id).where(Shop.slug == shop_in.slug)):
        raise Conflict(f"shop slug {shop_in.slug!r} already exists", field="slug")
    shop = Shop(**shop_in.model_dump(mode="json"))
    db.add(shop)
    db.flush()
    return shop
