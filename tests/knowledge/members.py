"""More shops and members beside the ``tenant`` fixture's, for tests of who holds which shops."""

from __future__ import annotations

from kefu.accounts import service as accounts
from kefu.accounts.enums import Role
from kefu.accounts.schemas import MembershipIn, UserCreate
from kefu.services import Services
from kefu.shops import service as shops
from kefu.shops.schemas import ShopCreate

PASSWORD = "correct horse battery"  # the tenant fixture's users share it too


def add_shop(services: Services, slug: str) -> str:
    """A new shop with no members; returns its id."""
    with services.sessions() as db, db.begin():
        shop_in = ShopCreate(slug=slug, name=slug.title(), platform="shopify", currency="EUR")
        return shops.create(db=db, shop_in=shop_in).id


def add_member(services: Services, email: str, roles: dict[str, Role]) -> str:
    """A user with a role in each shop (by slug), signed in with ``PASSWORD``; returns a token."""
    memberships = [MembershipIn(shop=slug, role=role) for slug, role in roles.items()]
    with services.sessions() as db, db.begin():
        user_in = UserCreate(email=email, password=PASSWORD, memberships=memberships)
        return accounts.create_token(db=db, user=accounts.create(db=db, user_in=user_in))
