"""What every benchmark shares: the result row, the datasets folder, timing helpers.

A module ``bench/bench_<name>.py`` exposes ``run(*, quick: bool = False) -> list[Result]``;
``kefu bench NAME [--json]`` imports it and prints the rows. Baselines are measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Result:
    dataset: str
    system: str
    metric: str
    value: float
    unit: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class DatasetMissing(Exception):
    """Raised by a benchmark when ../shared/datasets (or one set in it) is absent."""


def datasets_dir() -> Path:
    """../shared/datasets beside the repo, or KEFU_DATASETS_DIR."""
    configured = os.environ.get("KEFU_DATASETS_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "datasets"


def dataset_path(name: str) -> Path:
    """Path of one dataset folder; raises DatasetMissing when it is not there."""
    path = datasets_dir() / name
    if not path.is_dir():
        raise DatasetMissing(f"dataset folder not found: {path}")
    return path


def percentile(values: Iterable[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def time_each(fn: Callable[[Any], Any], items: Iterable[Any]) -> list[float]:
    """Per-call latency in milliseconds."""
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


def latency_results(dataset: str, system: str, latencies_ms: list[float]) -> list[Result]:
    """p50/p99/mean rows for a list of latencies."""
    return [
        Result(dataset, system, "latency_p50", percentile(latencies_ms, 50), "ms"),
        Result(dataset, system, "latency_p99", percentile(latencies_ms, 99), "ms"),
        Result(dataset, system, "latency_mean", statistics.fmean(latencies_ms), "ms"),
    ]


def machine_speed() -> Result:
    """Milliseconds for a fixed pure-Python loop (best of five), printed beside rates that
    depend on the machine: the same 20,000-order import code ran at 24,500 rows/s on one
    session's machine and about 9,600 on another's. Rates from two runs compare only as far as
    this number agrees."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.perf_counter() - started)
    return Result("machine", "python", "reference_loop_best_of_5", best * 1000, "ms")
