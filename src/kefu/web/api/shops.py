"""Shops: the caller's, and new ones (by an admin of every shop)."""

from __future__ import annotations

from fastapi import APIRouter, status

from kefu.accounts import service as accounts
from kefu.accounts.enums import Role
from kefu.errors import PermissionDenied
from kefu.shops import service
from kefu.shops.schemas import ShopCreate, ShopPublic
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep, write

router = APIRouter(tags=["shops"])


@router.get("/shops", response_model=list[ShopPublic])
def list_shops(db: DbDep, principal: PrincipalDep) -> list[ShopPublic]:
    """Shops the caller is a member of."""
    shops = service.list_shops(db=db, shop_ids=principal.shop_ids)
    return [ShopPublic.model_validate(s) for s in shops]


@router.post("/shops", response_model=ShopPublic, status_code=status.HTTP_201_CREATED)
def create_shop(shop_in: ShopCreate, services: ServicesDep, principal: PrincipalDep) -> ShopPublic:
    """Create a shop (admins of every shop only); they all become its admins, so who may
    change what all shops share stays the same."""
    with write(services) as db:
        every_shop = service.every_shop_id(db)
        if not principal.administers_all(every_shop):
            raise PermissionDenied("only an admin of every shop can create a shop")
        admins = accounts.admins_of_all(db=db, shop_ids=every_shop)
        shop = service.create(db=db, shop_in=shop_in)
        for user in admins:
            accounts.set_membership(db=db, user=user, shop_id=shop.id, role=Role.ADMIN)
        return ShopPublic.model_validate(shop)
