"""Users: only admins may list or create them."""

from __future__ import annotations

from fastapi import APIRouter, status

from kefu.accounts import service
from kefu.accounts.schemas import UserCreate, UserPublic
from kefu.errors import PermissionDenied
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep, write

router = APIRouter(tags=["users"])


@router.get("/users", response_model=list[UserPublic])
def list_users(db: DbDep, principal: PrincipalDep) -> list[UserPublic]:
    """Users of the shops the caller administers."""
    admin_of = frozenset(s for s, r in principal.shop_roles.items() if r.value == "admin")
    if not admin_of:
        raise PermissionDenied("only admins can administer users")
    users = [UserPublic.model_validate(u) for u in service.list_users(db=db, shop_ids=admin_of)]
    # A user may also belong to shops the caller does not administer: those stay unseen.
    for user in users:
        user.memberships = [m for m in user.memberships if m.shop_id in admin_of]
    return users


@router.post("/users", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def create_user(user_in: UserCreate, services: ServicesDep, principal: PrincipalDep) -> UserPublic:
    """Create a user with memberships in shops the caller administers."""
    if not principal.is_admin_anywhere:
        raise PermissionDenied("only admins can administer users")
    with write(services) as db:
        user = service.create(db=db, user_in=user_in, granted_by=principal)
        db.refresh(user)
        return UserPublic.model_validate(user)


@router.get("/me", response_model=UserPublic)
def me(db: DbDep, principal: PrincipalDep) -> UserPublic:
    """The calling user."""
    return UserPublic.model_validate(service.get_by_email(db=db, email=principal.email))
