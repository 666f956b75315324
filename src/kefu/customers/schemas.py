"""Pydantic shapes of customers at the API and import edges."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kefu.core.schemas import InputModel, OptionalEmail


class IdentityIn(BaseModel):
    kind: str = Field(default="external_id", pattern=r"^(external_id|email|phone)$")
    value: str = Field(min_length=1, max_length=254)


class CustomerIn(InputModel):
    """A customer as given by an import row, the API or an inbound message."""

    model_config = ConfigDict(str_strip_whitespace=True)

    external_id: str | None = Field(default=None, max_length=128)
    name: str = Field(default="", max_length=200)
    email: OptionalEmail = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    language: str | None = Field(default=None, max_length=8)

    @field_validator("name", mode="before")
    @classmethod
    def _no_name(cls, value: object) -> object:
        return "" if value is None else value  # an empty CSV cell

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else None

    @model_validator(mode="after")
    def _recognisable(self) -> CustomerIn:
        # Without one, every import or message would make yet another anonymous customer.
        if not (self.external_id or self.email or self.phone):
            raise ValueError("a customer needs an external_id, email or phone to be recognised")
        return self


class CustomerCreate(CustomerIn):
    shop: str


class IdentityPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    value: str


class CustomerPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    shop_id: str
    external_id: str | None
    name: str
    email: str | None
    phone: str | None
    country: str | None
    language: str | None
    identities: list[IdentityPublic]
    created_at: datetime | None = None
