"""Pydantic shapes of a shop at the API edge."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kefu.core.money import CurrencyCode
from kefu.shops.enums import Platform


@cache
def _timezones() -> frozenset[str]:
    # Listing the tz database walks the disk; once per process is enough.
    return frozenset(available_timezones())


class ShopCreate(BaseModel):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    name: str = Field(min_length=1, max_length=200)
    platform: Platform
    region: str = Field(default="GLOBAL", max_length=20)
    currency: CurrencyCode = "USD"
    timezone: str = "UTC"
    languages: list[str] = Field(default_factory=lambda: ["en"])
    business_hours: dict[str, Any] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if value not in _timezones():
            raise ValueError(f"unknown IANA timezone {value!r}")
        return value


class ShopPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    slug: str
    name: str
    platform: str
    region: str
    currency: str
    timezone: str
    languages: list[str]
    business_hours: dict[str, Any]
