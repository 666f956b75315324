"""``validate_policy_file``: every problem in a pack or shop-policy file, with its line number."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kefu.errors import InvalidInput
from kefu.policy.pack import MAX_NODES, available_packs, expanded_size
from kefu.policy.schema import PackModel, ShopPolicyModel
from kefu.policy.types import ROLES, ShopPolicy

_MAX_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Problem:
    line: int  # 1-based; 0 when the file as a whole is at fault
    key: str  # dotted path of the offending key, '' for the whole file
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}: {self.key + ': ' if self.key else ''}{self.message}"


def validate_policy_file(path: Path) -> list[Problem]:
    """Check a pack (or a ``kind: shop_policy`` file); an empty list means it is valid."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [Problem(0, "", f"cannot read file: {exc.strerror or exc}")]
    return validate_policy_text(raw)


def validate_policy_text(raw: bytes) -> list[Problem]:
    """Like validate_policy_file, for bytes already in memory."""
    if len(raw) > _MAX_BYTES:
        return [Problem(0, "", f"file is {len(raw)} bytes; the limit is {_MAX_BYTES}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [Problem(line, "", "file is not valid UTF-8")]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if expanded_size(root) > MAX_NODES:
            return [Problem(0, "", f"file expands to more than {MAX_NODES} values (alias bomb?)")]
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [Problem(mark.line + 1 if mark else 0, "", f"not valid YAML: {exc}")]
    if root is None or not isinstance(data, dict) or not isinstance(root, MappingNode):
        return [Problem(1, "", "a policy file must be a YAML mapping (key: value lines)")]
    problems = _duplicate_keys(root, "")
    model: type[BaseModel] = ShopPolicyModel if data.get("kind") == "shop_policy" else PackModel
    problems += _ref_problems(root, data)
    try:
        model.model_validate(data)
    except ValidationError as exc:
        problems += [_from_error(root, err) for err in exc.errors() if not _is_ref_error(err)]
    if model is PackModel:
        problems += _pack_semantics(root, data)
    return sorted(set(problems), key=lambda p: (p.line, p.key, p.message))


def _is_ref_error(err: Any) -> bool:
    return not err["loc"] and "unknown value reference" in str(err["msg"])


def _from_error(root: MappingNode, err: Any) -> Problem:
    node: Node = root
    line = 1
    found: list[str] = []
    for part in err["loc"]:
        child = _child(node, part)
        if child is None:
            continue  # a tag pydantic adds (the discriminator), not a key in the file
        key_node, node = child
        line = (key_node or node).start_mark.line + 1
        found.append(str(part))
    key = ".".join(found)
    if err["type"] == "extra_forbidden":
        return Problem(line, key, f"unknown key {found[-1]!r}" if found else "unknown key")
    shown = err.get("input")
    given = ""
    if isinstance(shown, str | int | float | bool):
        text = repr(shown)
        given = f" (got {text[:60]}{'...' if len(text) > 60 else ''})"
    return Problem(line, key, f"{err['msg']}{given}")


def _child(node: Node, part: Any) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                return key_node, value_node
        return None
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _duplicate_keys(node: Node, path: str) -> list[Problem]:
    out: list[Problem] = []
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = str(key_node.value)
            here = f"{path}.{name}" if path else name
            if name in seen:
                out.append(Problem(key_node.start_mark.line + 1, here, "key appears twice"))
            seen.add(name)
            out += _duplicate_keys(value_node, here)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            out += _duplicate_keys(item, f"{path}.{i}")
    return out


def _ref_problems(root: MappingNode, data: dict[str, Any]) -> list[Problem]:
    raw_values = data.get("values")
    values: dict[str, Any] = raw_values if isinstance(raw_values, dict) else {}
    out = []
    for node, path in _scalars(root, ""):
        text = str(node.value)
        if text.startswith("$") and not path.startswith("values.") and text[1:] not in values:
            out.append(Problem(node.start_mark.line + 1, path, f"unknown value reference {text}"))
    return out


def _scalars(node: Node, path: str) -> list[tuple[ScalarNode, str]]:
    if isinstance(node, ScalarNode):
        return [(node, path)]
    out: list[tuple[ScalarNode, str]] = []
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            out += _scalars(value_node, f"{path}.{key_node.value}" if path else str(key_node.value))
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            out += _scalars(item, f"{path}.{i}")
    return out


def _pack_semantics(root: MappingNode, data: dict[str, Any]) -> list[Problem]:
    out = []
    tz = data.get("timezone")
    child = _child(root, "timezone")
    if isinstance(tz, str) and child is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            out.append(
                Problem(child[1].start_mark.line + 1, "timezone", f"unknown timezone {tz!r}")
            )
    shipped = set(available_packs())
    floors = _child(root, "floors")
    if floors is not None and isinstance(floors[1], SequenceNode):
        for item in floors[1].value:
            if item.value not in shipped:
                out.append(
                    Problem(item.start_mark.line + 1, "floors", f"no shipped pack {item.value!r}")
                )
    return out


def validate_policy_mapping(data: Mapping[str, Any]) -> list[Problem]:
    """Like validate_policy_file for data already parsed (a JSON body, stored overrides).

    Line numbers refer to the mapping written out as YAML, one key per line, in its own order.
    """
    try:
        text = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True)
    except yaml.YAMLError as exc:
        return [Problem(0, "", f"values must be text, numbers, lists or mappings: {exc}")]
    return validate_policy_text(text.encode("utf-8"))


def shop_policy_from_file(path: Path) -> ShopPolicy:
    """Read a ``kind: shop_policy`` file; raises InvalidInput listing every problem by line."""
    _raise_for(validate_policy_file(path))
    return _shop_policy(yaml.safe_load(path.read_text(encoding="utf-8")))


def shop_policy_from_mapping(data: Mapping[str, Any]) -> ShopPolicy:
    """A shop policy from stored or posted overrides, validated exactly like a file."""
    _raise_for(validate_policy_mapping(data))
    return _shop_policy(dict(data))


def _raise_for(problems: list[Problem]) -> None:
    if problems:
        rows = [{"line": p.line, "key": p.key, "message": p.message} for p in problems]
        raise InvalidInput("; ".join(str(p) for p in problems), extra={"problems": rows})


def _shop_policy(data: Any) -> ShopPolicy:
    model = ShopPolicyModel.model_validate(data)
    defaults = ShopPolicy()

    def limits(
        given: dict[Any, float | None], base: tuple[tuple[str, Decimal | None], ...]
    ) -> tuple[tuple[str, Decimal | None], ...]:
        table = dict(base)
        for role in ROLES:
            if role in given:
                value = given[role]
                table[role] = None if value is None else Decimal(str(value))
        return tuple(table.items())

    return ShopPolicy(
        currency=model.currency.upper(),
        return_window_days=model.return_window_days,
        free_return_shipping=model.free_return_shipping,
        restocking_fee_pct=Decimal(str(model.restocking_fee_pct)),
        non_returnable_categories=frozenset(model.non_returnable_categories),
        returnless_refund_under=None
        if model.returnless_refund_under is None
        else Decimal(str(model.returnless_refund_under)),
        goodwill_limits=limits(dict(model.goodwill_limits), defaults.goodwill_limits),
        refund_limits=limits(dict(model.refund_limits), defaults.refund_limits),
    )
