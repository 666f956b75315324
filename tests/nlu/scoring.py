"""Precision and recall over labelled sets (emotions, risks, urgency) for the blind case files."""

from __future__ import annotations

import json
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def read_cases(path: Path) -> list[dict[str, Any]]:
    """The labelled messages of a case file, one JSON object per line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@dataclass
class Tally:
    hits: int = 0
    false_alarms: int = 0
    misses: int = 0

    def add(self, said: Set[str], found: Set[str], excused: Set[str] = frozenset()) -> None:
        """One message: what its labels say, what was found, and labels neither required nor
        penalised (borderline readings)."""
        self.hits += len(found & said)
        self.false_alarms += len(found - said - excused)
        self.misses += len(said - found)

    @property
    def precision(self) -> float:
        return self.hits / max(1, self.hits + self.false_alarms)

    @property
    def recall(self) -> float:
        return self.hits / max(1, self.hits + self.misses)
