"""Policy values to JSON-ready data and back, exactly, for storing decisions and receipts.

``to_data`` turns a dataclass tree into dicts, lists, strings and numbers (Decimal and datetime
as text); ``from_data`` rebuilds the same dataclass from its type hints, so a value read back
from the database compares equal to the one that was stored.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_data(value: Any) -> Any:
    """A dataclass tree as plain JSON values (Decimal and datetime as ISO text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(to_data(v) for v in value)
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild a value of type ``cls`` from what ``to_data`` produced (ValueError when it can't)."""
    result: T = _build(cls, data)
    return result


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(tp: Any, data: Any) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        return _build(next(a for a in args if a is not type(None)), data)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in data)
        return tuple(_build(a, v) for a, v in zip(args, data, strict=True))
    if origin is frozenset:
        return frozenset(_build(args[0], v) for v in data)
    if origin is list:
        return [_build(args[0], v) for v in data]
    if origin is dict:
        return {k: _build(args[1], v) for k, v in data.items()}
    if tp is Any:
        return data
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        kwargs = {k: _build(hints[k], v) for k, v in data.items() if k in known}
        built: Any = tp  # a dataclass type, called with its own fields
        return built(**kwargs)
    return _scalar(tp, data)


def _scalar(tp: Any, data: Any) -> Any:
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if tp is Decimal:
        return Decimal(str(data))
    if tp is datetime:
        return datetime.fromisoformat(data)
    if tp in (str, int, bool, float):
        if not isinstance(data, tp):
            raise ValueError(f"expected {tp.__name__}, got {type(data).__name__}")
        return data
    raise ValueError(f"cannot rebuild {tp!r}")
