"""Text helpers shared across domains."""

from __future__ import annotations

import html
import re
from typing import Any

_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"(?i)<\s*(br|/p|/div|/li|/tr|/h[1-6])\s*/?>")
_DROP = re.compile(r"(?is)<(script|style|head)\b.*?</\1\s*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(markup: str) -> str:
    """Readable plain text of an HTML body (for triage and search, never for display)."""
    without_code = _DROP.sub(" ", markup)
    with_breaks = _BLOCK.sub("\n", without_code)
    plain = html.unescape(_TAG.sub(" ", with_breaks))
    lines = (_SPACES.sub(" ", line).strip() for line in plain.splitlines())
    return "\n".join(line for line in lines if line)


def clean_text(value: str) -> str:
    """Drop lone surrogates and NULs that databases refuse, keep everything else."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def clean_strings(value: Any) -> Any:
    """``clean_text`` applied to every string inside nested dicts and lists."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: clean_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_strings(v) for v in value]
    return value
