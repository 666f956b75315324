"""Pydantic shapes of macros in and out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kefu.core.schemas import InputModel

# The macro body's own limit (10 000 characters) is checked by replies.validate_macro with a
# clear message; this bound only stops absurd payloads early.
_BODY = Annotated[str, Field(min_length=1, max_length=20_000)]
_NAME = Annotated[str, Field(min_length=1, max_length=120)]
_INTENT = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
_LANGUAGE = Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")]


def _language(value: Any) -> Any:
    # "zh-CN" and "zh_cn" are both Chinese to the drafts; store the base code in lower case.
    return value.replace("_", "-").split("-")[0].lower() if isinstance(value, str) else value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class MacroIn(InputModel):
    shop: str = Field(min_length=1, max_length=64, description="shop id or slug")
    name: _NAME
    intent: _INTENT | None = Field(default=None, description="None: fits any intent")
    language: _LANGUAGE
    body: _BODY

    @field_validator("language", mode="after")
    @classmethod
    def _norm_language(cls, value: Any) -> Any:
        return _language(value)

    @field_validator("name", mode="before")
    @classmethod
    def _norm_name(cls, value: Any) -> Any:
        return _strip(value)


class MacroPatch(InputModel):
    name: _NAME | None = None
    intent: _INTENT | None = None
    language: _LANGUAGE | None = None
    body: _BODY | None = None

    @field_validator("language", mode="after")
    @classmethod
    def _norm_language(cls, value: Any) -> Any:
        return _language(value)

    @field_validator("name", mode="before")
    @classmethod
    def _norm_name(cls, value: Any) -> Any:
        return _strip(value)


class MacroPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    shop_id: str
    name: str
    intent: str | None
    language: str
    body: str
    created_by: str
    updated_by: str
    created_at: datetime
    updated_at: datetime


class MacroRendered(BaseModel):
    """A macro filled in for one conversation, with the linter's findings."""

    macro_id: str
    conversation_id: str
    language: str
    text: str
    blocking: bool
    findings: list[dict[str, Any]]
    notes: list[str]
