"""Pydantic shapes of orders at the API and import edges."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kefu.core.money import CurrencyCode, quantize
from kefu.core.schemas import InputModel, OptionalEmail, StorableDatetime
from kefu.orders.enums import OrderStatus


class TrackingEventIn(BaseModel):
    at: StorableDatetime
    status: str = Field(max_length=32)
    location: str | None = Field(default=None, max_length=200)
    description: str = Field(default="", max_length=500)


class ShipmentIn(BaseModel):
    carrier: str = Field(min_length=1, max_length=40)
    tracking_number: str = Field(min_length=3, max_length=64)
    service: str | None = Field(default=None, max_length=64)
    status: str = Field(default="in_transit", max_length=32)
    shipped_at: StorableDatetime | None = None
    events: list[TrackingEventIn] = Field(default_factory=list)


class OrderItemIn(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    asin: str | None = Field(default=None, pattern=r"^[A-Z0-9]{10}$")
    title: str = Field(min_length=1, max_length=300)
    category: str | None = Field(default=None, max_length=64)
    quantity: int = Field(default=1, ge=1, le=100_000)
    unit_price: Decimal = Field(ge=0, max_digits=14, decimal_places=4)


ORDER_TOTAL_LIMIT = Decimal(10) ** 10  # NUMERIC(14, 4)


class OrderIn(BaseModel):
    """One order as given by an import row or the API; upserted by (shop, external_id).

    Bulk imports validate this directly (file readers already drop lone surrogates); the API
    edge uses ``OrderCreate``, which cleans strings first."""

    model_config = ConfigDict(str_strip_whitespace=True)

    external_id: str = Field(min_length=1, max_length=64)
    customer_external_id: str | None = Field(default=None, max_length=128)
    customer_email: OptionalEmail = Field(default=None, max_length=254)
    customer_name: str | None = Field(default=None, max_length=200)
    status: OrderStatus = OrderStatus.PENDING
    currency: CurrencyCode
    placed_at: StorableDatetime
    items: list[OrderItemIn] = Field(default_factory=list, max_length=500)
    shipping_fee: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=4)
    discount: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=4)
    total: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=4)
    payment_method: str | None = Field(default=None, max_length=40)
    promised_delivery_at: StorableDatetime | None = None
    delivered_at: StorableDatetime | None = None
    shipments: list[ShipmentIn] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _total_adds_up(self) -> OrderIn:
        computed = sum((i.unit_price * i.quantity for i in self.items), Decimal(0))
        computed += self.shipping_fee - self.discount
        if self.total is None:
            if computed < 0:
                raise ValueError(
                    f"discount {self.discount} is more than the items and shipping together"
                )
            if computed >= ORDER_TOTAL_LIMIT:
                raise ValueError(f"the order's total {computed} is too large to store")
            self.total = computed
        elif self.items and abs(self.total - computed) > Decimal("0.01"):
            raise ValueError(
                f"total {self.total} does not equal items + shipping - discount ({computed})"
            )
        return self


class OrderCreate(InputModel, OrderIn):
    shop: str


class TrackingEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    status: str
    location: str | None
    description: str


class ShipmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    carrier: str
    tracking_number: str
    service: str | None
    status: str
    shipped_at: datetime | None
    events: list[TrackingEventPublic]


class OrderItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku: str
    asin: str | None
    title: str
    category: str | None
    quantity: int
    unit_price: Decimal
    refunded_quantity: int


class OrderPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    shop_id: str
    external_id: str
    customer_id: str | None
    status: str
    currency: str
    subtotal: Decimal
    shipping_fee: Decimal
    discount: Decimal
    total: Decimal
    amount_refunded: Decimal
    payment_method: str | None
    placed_at: datetime
    promised_delivery_at: datetime | None
    delivered_at: datetime | None
    items: list[OrderItemPublic]
    shipments: list[ShipmentPublic]

    @model_validator(mode="after")
    def _in_currency_units(self) -> OrderPublic:
        for name in ("subtotal", "shipping_fee", "discount", "total", "amount_refunded"):
            setattr(self, name, quantize(getattr(self, name), self.currency))
        for item in self.items:
            item.unit_price = quantize(item.unit_price, self.currency)
        return self
