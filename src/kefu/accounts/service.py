"""Users, memberships, passwords and API tokens."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, func, or_, select
from sqlalchemy.orm import Session

from kefu.accounts.enums import Role
from kefu.accounts.models import ApiToken, Membership, User
from kefu.accounts.schemas import Principal, UserCreate
from kefu.core.ids import hash_token, new_token
from kefu.errors import Conflict, NotFound, PermissionDenied, Unauthenticated
from kefu.shops import service as shop_service

_hasher = PasswordHasher()


def get_by_email(*, db: Session, email: str) -> User:
    """A user by email (case-insensitive); NotFound otherwise."""
    user = db.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"user {email!r} not found", field="email")
    return user


def create(*, db: Session, user_in: UserCreate, granted_by: Principal | None = None) -> User:
    """Create a user with memberships; ``granted_by`` must be admin of every shop granted."""
    email = user_in.email.strip().lower()
    if db.scalar(select(User.id).where(User.email == email)):
        raise Conflict(f"user {email!r} already exists", field="email")
    user = User(
        email=email,
        name=user_in.name,
        ui_language=user_in.ui_language,
        languages=user_in.languages,
        password_hash=_hasher.hash(user_in.password) if user_in.password else None,
    )
    db.add(user)
    db.flush()
    for membership in user_in.memberships:
        shop = shop_service.get(db=db, ref=membership.shop)
        if granted_by is not None and not granted_by.has_role(shop.id, Role.ADMIN):
            raise PermissionDenied(f"you are not an admin of shop {shop.slug!r}")
        db.add(Membership(user_id=user.id, shop_id=shop.id, role=membership.role.value))
    db.flush()
    return user


def set_membership(*, db: Session, user: User, shop_id: str, role: Role) -> Membership:
    """Give a user a role in a shop (or change it)."""
    for membership in user.memberships:
        if membership.shop_id == shop_id:
            membership.role = role.value
            return membership
    membership = Membership(user_id=user.id, shop_id=shop_id, role=role.value)
    user.memberships.append(membership)
    db.flush()
    return membership


def admins_of_all(*, db: Session, shop_ids: Collection[str]) -> list[User]:
    """The users who are admins of each of ``shop_ids``."""
    if not shop_ids:
        return []
    query = (
        select(Membership.user_id)
        .where(Membership.shop_id.in_(list(shop_ids)), Membership.role == Role.ADMIN.value)
        .group_by(Membership.user_id)
        .having(func.count(Membership.shop_id.distinct()) == len(set(shop_ids)))
    )
    return list(db.scalars(select(User).where(User.id.in_(query)).order_by(User.email)))


def set_password(*, user: User, password: str) -> None:
    """Store an argon2 hash of a new password."""
    user.password_hash = _hasher.hash(password)


def verify_password(*, db: Session, email: str, password: str) -> User:
    """The user if the password matches; Unauthenticated otherwise (same error either way)."""
    user = db.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active or not user.password_hash:
        raise Unauthenticated("wrong email or password")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError) as exc:
        raise Unauthenticated("wrong email or password") from exc
    return user


def create_token(
    *, db: Session, user: User, name: str = "", expires_at: datetime | None = None
) -> str:
    """Issue a new API token, valid until ``expires_at`` if given; only its hash is stored,
    the token is returned once."""
    token = new_token()
    db.add(
        ApiToken(
            user_id=user.id,
            name=name,
            token_hash=hash_token(token),
            prefix=token[:12],
            expires_at=expires_at,
        )
    )
    db.flush()
    return token


def tokens_of(*, db: Session, user: User) -> list[ApiToken]:
    """A user's API tokens, newest first (revoked ones too)."""
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    return list(db.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id)))


def revoke_token(*, db: Session, user: User, token_or_prefix: str, now: datetime) -> ApiToken:
    """Revoke one of the user's tokens, named by the token itself or its printed prefix."""
    matches = [
        t
        for t in tokens_of(db=db, user=user)
        if t.revoked_at is None
        and (t.token_hash == hash_token(token_or_prefix) or t.prefix == token_or_prefix)
    ]
    if not matches:
        raise NotFound(f"{user.email} has no active token {token_or_prefix!r}")
    for token in matches:
        token.revoked_at = now
    db.flush()
    return matches[0]


def principal_for(*, user: User) -> Principal:
    """The principal of a user, with a role per shop."""
    roles = {m.shop_id: Role(m.role) for m in user.memberships}
    return Principal(user_id=user.id, email=user.email, shop_roles=roles)


# One round trip per API call: the token, its user and the user's memberships together.
_TOKEN_PRINCIPALS = (
    select(ApiToken.token_hash, User.id, User.email, Membership.shop_id, Membership.role)
    .select_from(ApiToken)
    .join(User, User.id == ApiToken.user_id)
    .outerjoin(Membership, Membership.user_id == User.id)
    .where(
        ApiToken.token_hash.in_(bindparam("token_hashes", expanding=True)),
        ApiToken.revoked_at.is_(None),
        or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > bindparam("now")),
        User.is_active.is_(True),
    )
)


def authenticate_tokens(
    *, db: Session | Connection, tokens: Collection[str], now: datetime
) -> dict[str, Principal]:
    """Resolve many Bearer tokens in one query: each valid token to its principal; unknown,
    revoked and expired (by ``now``) tokens are left out."""
    by_hash = {hash_token(token): token for token in tokens}
    rows = db.execute(_TOKEN_PRINCIPALS, {"token_hashes": list(by_hash), "now": now}).all()
    users: dict[str, tuple[str, str]] = {}
    roles: dict[str, dict[str, Role]] = {}
    for token_hash, user_id, email, shop_id, role in rows:
        users[token_hash] = (user_id, email)
        shop_roles = roles.setdefault(token_hash, {})
        if shop_id is not None:
            shop_roles[shop_id] = Role(role)
    return {
        by_hash[h]: Principal(user_id=user_id, email=email, shop_roles=roles[h])
        for h, (user_id, email) in users.items()
    }


def authenticate_token(*, db: Session | Connection, token: str, now: datetime) -> Principal:
    """Resolve a Bearer token to its principal; Unauthenticated when unknown, revoked or
    expired."""
    principal = authenticate_tokens(db=db, tokens=[token], now=now).get(token)
    if principal is None:
        raise Unauthenticated("invalid, revoked or expired API token")
    return principal


def list_users(*, db: Session, shop_ids: frozenset[str]) -> list[User]:
    """Users who belong to any of the given shops."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.shop_id.in_(list(shop_ids)))
        .distinct()
        .order_by(User.email)
    )
    return list(db.scalars(query))
