"""ORM models: executed order actions, approval requests, and the order facts remedies need.

``order_actions`` holds one row per request key and shop; the row is written in the same
transaction as the change it records, so the unique key is what makes a retry harmless.
``catalogue_variants``, ``customer_payment_methods`` and ``order_remedy_state`` hold what the
policy engine reads about an order beyond the ``orders`` table (product of each SKU, stored-value
balances, address and one-time edits).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.storage.base import Base, id_column


class OrderAction(Base):
    """A remedy carried out (or filed for approval) under one request key."""

    __tablename__ = "order_actions"
    __table_args__ = (
        UniqueConstraint("shop_id", "request_key"),
        Index("ix_order_actions_order", "order_id", "created_at"),
    )

    id: Mapped[str] = id_column()
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    request_key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    remedy: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))  # executed | needs_approval
    reference: Mapped[str] = mapped_column(String(120), default="")
    decision: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the receipt, {} when pending
    approval_id: Mapped[str | None] = mapped_column(String(32), default=None)
    actor: Mapped[str] = mapped_column(String(254), default="")
    actor_role: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime]


class Approval(Base):
    """A remedy above the requester's authority, waiting for a supervisor or admin."""

    __tablename__ = "approvals"
    __table_args__ = (Index("ix_approvals_shop_status", "shop_id", "status", "requested_at"),)

    id: Mapped[str] = id_column()
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    request_key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    remedy: Mapped[str] = mapped_column(String(32))
    request: Mapped[dict[str, Any]] = mapped_column(default=dict)
    decision: Mapped[dict[str, Any]] = mapped_column(default=dict)
    required_role: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    requested_by: Mapped[str] = mapped_column(String(254), default="")
    requested_at: Mapped[datetime]
    decided_by: Mapped[str] = mapped_column(String(254), default="")
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(String(2000), default="")


class CatalogueVariant(Base):
    """A sellable SKU of a shop: which product it belongs to, its price, whether it is in stock."""

    __tablename__ = "catalogue_variants"
    __table_args__ = (UniqueConstraint("shop_id", "sku"),)

    id: Mapped[str] = id_column()
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    unit_price: Mapped[Decimal]
    available: Mapped[bool] = mapped_column(default=True)


class CustomerPaymentMethod(Base):
    """A customer's payment method as the marketplace names it; gift cards carry a balance."""

    __tablename__ = "customer_payment_methods"
    __table_args__ = (UniqueConstraint("customer_id", "method_id"),)

    id: Mapped[str] = id_column()
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    method_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    balance: Mapped[Decimal | None] = mapped_column(default=None)


class OrderRemedyState(Base):
    """What remedies changed on an order that the ``orders`` table has no column for."""

    __tablename__ = "order_remedy_state"

    order_id: Mapped[str] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    address: Mapped[dict[str, Any]] = mapped_column(default=dict)
    modified: Mapped[list[str]] = mapped_column(default=list)
    return_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    return_received_at: Mapped[datetime | None] = mapped_column(default=None)
    dispute_opened_at: Mapped[datetime | None] = mapped_column(default=None)
    after_sales_requested_at: Mapped[datetime | None] = mapped_column(default=None)
