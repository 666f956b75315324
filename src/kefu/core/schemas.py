"""Base class for pydantic models that take input from outside."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, model_validator

from kefu.core.text import clean_strings


class InputModel(BaseModel):
    """Strips lone surrogates and NULs from every string before validation: JSON allows
    them, databases refuse them, and a customer's broken emoji must not cost their message."""

    @model_validator(mode="before")
    @classmethod
    def _clean_strings(cls, data: Any) -> Any:
        return clean_strings(data)
