"""Pydantic shapes and the authenticated principal."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from kefu.accounts.enums import Role
from kefu.core.schemas import InputModel


@dataclass(frozen=True)
class Principal:
    """Who is calling, and their role in each shop they belong to."""

    user_id: str
    email: str
    shop_roles: dict[str, Role] = field(default_factory=dict)

    @property
    def shop_ids(self) -> frozenset[str]:
        return frozenset(self.shop_roles)

    def role_in(self, shop_id: str) -> Role | None:
        """The caller's role in a shop, or None when not a member."""
        return self.shop_roles.get(shop_id)

    def has_role(self, shop_id: str, role: Role) -> bool:
        """True when the caller holds ``role`` or higher in that shop."""
        mine = self.shop_roles.get(shop_id)
        return mine is not None and mine.rank >= role.rank

    @property
    def is_admin_anywhere(self) -> bool:
        return any(role is Role.ADMIN for role in self.shop_roles.values())

    def administers_all(self, shop_ids: Collection[str]) -> bool:
        """True when the caller is an admin of each of ``shop_ids`` (and there is one)."""
        return bool(shop_ids) and all(self.has_role(s, Role.ADMIN) for s in shop_ids)


class MembershipIn(BaseModel):
    shop: str
    role: Role = Role.AGENT


class UserCreate(InputModel):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    name: str = Field(default="", max_length=200)
    password: str | None = Field(default=None, min_length=8, max_length=200)
    ui_language: str = "en"
    languages: list[str] = Field(default_factory=list)
    memberships: list[MembershipIn] = Field(default_factory=list)


class MembershipPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    shop_id: str
    role: str


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    email: str
    name: str
    ui_language: str
    languages: list[str]
    is_active: bool
    memberships: list[MembershipPublic]
