"""ORM models: orders, items, shipments, tracking events."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kefu.storage.base import Base, id_column


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("shop_id", "external_id"),
        Index("ix_orders_customer", "customer_id"),
    )

    id: Mapped[str] = id_column()
    # No index of its own: the unique (shop_id, external_id) one serves shop_id alone
    # (migration 0005).
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[str] = mapped_column(String(24), default="pending")
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[Decimal] = mapped_column(default=Decimal(0))
    shipping_fee: Mapped[Decimal] = mapped_column(default=Decimal(0))
    discount: Mapped[Decimal] = mapped_column(default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(default=Decimal(0))
    amount_refunded: Mapped[Decimal] = mapped_column(default=Decimal(0))
    payment_method: Mapped[str | None] = mapped_column(String(40), default=None)
    placed_at: Mapped[datetime]
    promised_delivery_at: Mapped[datetime | None] = mapped_column(default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)
    # Fingerprint of the imported content: re-importing an unchanged row writes nothing.
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order",
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="OrderItem.position",
    )
    shipments: Mapped[list[Shipment]] = relationship(
        back_populates="order",
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="Shipment.shipped_at",
    )


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[str] = id_column()
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    sku: Mapped[str] = mapped_column(String(64))
    asin: Mapped[str | None] = mapped_column(String(10), default=None)
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(64), default=None)
    quantity: Mapped[int] = mapped_column(default=1)
    unit_price: Mapped[Decimal]
    refunded_quantity: Mapped[int] = mapped_column(default=0)

    order: Mapped[Order] = relationship(back_populates="items")


class Shipment(Base):
    __tablename__ = "shipments"

    id: Mapped[str] = id_column()
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    carrier: Mapped[str] = mapped_column(String(40))
    tracking_number: Mapped[str] = mapped_column(String(64), index=True)
    service: Mapped[str | None] = mapped_column(String(64), default=None)
    status: Mapped[str] = mapped_column(String(32), default="label_created")
    shipped_at: Mapped[datetime | None] = mapped_column(default=None)

    order: Mapped[Order] = relationship(back_populates="shipments")
    events: Mapped[list[TrackingEvent]] = relationship(
        back_populates="shipment",
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="TrackingEvent.at",
    )


class TrackingEvent(Base):
    __tablename__ = "tracking_events"

    id: Mapped[str] = id_column()
    shipment_id: Mapped[str] = mapped_column(
        ForeignKey("shipments.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(32))
    location: Mapped[str | None] = mapped_column(String(200), default=None)
    description: Mapped[str] = mapped_column(String(500), default="")

    shipment: Mapped[Shipment] = relationship(back_populates="events")
