"""ORM models: customers and per-platform identities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, ForeignKeyConstraint, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kefu.storage.base import Base, id_column


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("shop_id", "external_id"),
        # No (shop_id, email) index: customers are found by identity, and email filters are
        # substring searches no b-tree serves (migration 0008).
        # The target of an identity's (customer, shop) key (migration 0006).
        UniqueConstraint("id", "shop_id"),
    )

    id: Mapped[str] = id_column()
    # No index of its own: the unique (shop_id, external_id) one serves shop_id alone
    # (migration 0005).
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(128), default=None)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    country: Mapped[str | None] = mapped_column(String(2), default=None)
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    identities: Mapped[list[CustomerIdentity]] = relationship(
        back_populates="customer", lazy="selectin", cascade="all, delete-orphan"
    )


class CustomerIdentity(Base):
    """How one channel knows the customer: buyer id, email address, chat visitor id."""

    __tablename__ = "customer_identities"
    __table_args__ = (
        UniqueConstraint("shop_id", "kind", "value"),
        # An identity belongs to its customer's shop: identity look-ups are scoped by the
        # identity's shop_id, so a mismatch would show a customer to another shop. One
        # (customer, shop) key also costs one check per row where two single keys cost two
        # (the customers import ran 15-19 % faster on PostgreSQL, migration 0006). On
        # PostgreSQL, triggers that check a whole statement's rows at once hold these rules
        # instead (migration 0009); SQLite keeps the foreign key.
        ForeignKeyConstraint(
            ["customer_id", "shop_id"], ["customers.id", "customers.shop_id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[str] = id_column()
    shop_id: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "external_id" | "email" | "phone"
    value: Mapped[str] = mapped_column(String(254))

    customer: Mapped[Customer] = relationship(back_populates="identities")
