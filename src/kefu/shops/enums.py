"""Platforms a shop can sell on."""

from enum import StrEnum


class Platform(StrEnum):
    AMAZON = "amazon"
    ALIEXPRESS = "aliexpress"
    PINDUODUO = "pinduoduo"
    TEMU = "temu"
    SHOPIFY = "shopify"
    WEBCHAT = "webchat"
    EMAIL = "email"
