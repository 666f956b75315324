"""Loading the policy packs shipped in ``kefu/policy/packs`` (and pack files given by path)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from kefu.errors import InvalidInput, NotFound
from kefu.policy.schema import PackModel, PackValue

EU_COUNTRIES = frozenset(
    {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"}
    | {"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
)


@dataclass(frozen=True, slots=True)
class PolicyPack:
    """A validated pack plus the law packs that act as a floor under it."""

    model: PackModel
    floors: tuple[PolicyPack, ...] = ()

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def tz(self) -> ZoneInfo:
        return _zone(self.model.timezone)

    def value(self, name: str) -> PackValue:
        """A named value with its source; raises KeyError for an unknown name."""
        return self.model.values[name]

    def number(self, raw: int | float | str | None) -> Decimal | None:
        """A literal number or the number behind a ``$name`` reference."""
        if raw is None:
            return None
        if isinstance(raw, str):
            resolved = self.model.values[raw[1:]].value
            if isinstance(resolved, bool) or not isinstance(resolved, int | float):
                raise InvalidInput(f"pack {self.id}: {raw} is not a number")
            return Decimal(str(resolved))
        return Decimal(str(raw))

    def strings(self, raw: list[str] | str) -> tuple[str, ...]:
        """A literal list of strings or the list behind a ``$name`` reference."""
        if isinstance(raw, str):
            resolved = self.model.values[raw[1:]].value
            if not isinstance(resolved, list):
                raise InvalidInput(f"pack {self.id}: {raw} is not a list")
            return tuple(resolved)
        return tuple(raw)


@functools.cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _packs_dir() -> Path:
    return Path(str(resources.files("kefu.policy") / "packs"))


def available_packs() -> tuple[str, ...]:
    """Ids of the packs shipped with Kefu."""
    return tuple(sorted(p.stem for p in _packs_dir().glob("*.yaml")))


MAX_NODES = 100_000


def expanded_size(root: Node | None, limit: int = MAX_NODES) -> int:
    """How many nodes the document has once aliases are expanded (stops counting past limit)."""
    count, stack = 0, [root] if root is not None else []
    while stack and count <= limit:
        node = stack.pop()
        count += 1
        if isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return count


def safe_yaml(text: str) -> Any:
    """yaml.safe_load that refuses alias bombs (a few lines that expand to billions of nodes)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if expanded_size(root) > MAX_NODES:
        raise InvalidInput(f"the document expands to more than {MAX_NODES} nodes")
    return yaml.safe_load(text)


def parse_pack_text(text: str, *, origin: str = "<text>") -> PackModel:
    """Parse and validate pack YAML; raises InvalidInput (use validate_policy_file for lines)."""
    try:
        data = safe_yaml(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{origin}: not valid YAML: {exc}") from exc
    try:
        return PackModel.model_validate(data)
    except ValueError as exc:
        raise InvalidInput(f"{origin}: not a valid policy pack: {exc}") from exc


@functools.cache
def _shipped_model(pack_id: str) -> PackModel:
    path = _packs_dir() / f"{pack_id}.yaml"
    if not path.is_file():
        raise NotFound(f"no policy pack {pack_id!r}; shipped packs: {', '.join(available_packs())}")
    return parse_pack_text(path.read_text(encoding="utf-8"), origin=path.name)


@functools.cache
def pack_by_id(pack_id: str, region: str | None = None) -> PolicyPack:
    """A shipped pack with its law floors resolved for the buyer's region."""
    model = _shipped_model(pack_id)
    floor_ids = list(model.floors)
    group = region_group(region)
    for key in (region or "", group):
        floor_ids += [f for f in model.floors_by_region.get(key, []) if f not in floor_ids]
    floors = tuple(pack_by_id(f, region) for f in floor_ids if f != pack_id)
    return PolicyPack(model=model, floors=floors)


def region_group(region: str | None) -> str:
    """US, EU, CN, ... : the group a country code falls in for pack selection."""
    code = (region or "").upper()
    if code in EU_COUNTRIES or code == "EU":
        return "EU"
    return code


def load_pack(platform: str, region: str | None = None) -> PolicyPack:
    """The pack for a platform and buyer region (e.g. amazon + DE gives Amazon EU with EU law)."""
    platform = platform.strip().lower()
    group = region_group(region)
    candidates = [
        m for m in (_shipped_model(p) for p in available_packs()) if m.platform == platform
    ]
    if not candidates:
        raise NotFound(f"no policy pack for platform {platform!r}")
    exact = [m for m in candidates if (m.region or "") == group]
    generic = [m for m in candidates if m.region is None]
    fallback = [m for m in candidates if m.fallback]
    chosen = (exact or generic or fallback or sorted(candidates, key=lambda m: m.id))[0]
    return pack_by_id(chosen.id, region.upper() if region else None)


def load_pack_file(path: Path) -> PolicyPack:
    """A pack from a file outside the package (floors must name shipped packs)."""
    model = parse_pack_text(path.read_text(encoding="utf-8"), origin=path.name)
    return PolicyPack(model=model, floors=tuple(pack_by_id(f) for f in model.floors))
