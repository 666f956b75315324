"""``kefu bench NAME [--json]``: run benchmarks from the repo's ``bench/`` folder."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

BENCHMARKS = ("nlu", "kb", "ingest", "policy", "replies")
# The HTTP part of ``ingest`` on its own; ``all`` runs it inside ``ingest``.
PARTS = ("api",)


def _bench_root() -> Path:
    # bench/ sits beside src/ in a source checkout; it is not part of the installed wheel.
    root = Path(__file__).resolve().parents[3]
    if not (root / "bench" / "_common.py").is_file():
        raise typer.BadParameter(f"benchmarks live in a source checkout; not found under {root}")
    return root


def _run_one(name: str, quick: bool) -> dict[str, Any]:
    root = _bench_root()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    common = importlib.import_module("bench._common")
    module = importlib.import_module(f"bench.bench_{name}")
    try:
        rows = module.run(quick=quick)
    except common.DatasetMissing as exc:
        return {"bench": name, "skipped": str(exc), "results": []}
    return {"bench": name, "results": [row.as_dict() for row in rows]}


def _print_table(report: dict[str, Any], console: Console) -> None:
    if report.get("skipped"):
        console.print(f"[yellow]{report['bench']}: skipped — {report['skipped']}[/]")
        return
    table = Table(title=f"kefu bench {report['bench']}")
    for column in ("dataset", "system", "metric", "value", "unit"):
        table.add_column(column, justify="right" if column == "value" else "left")
    for row in report["results"]:
        value = row["value"]
        shown = (
            f"{value:,.4f}" if isinstance(value, float) and abs(value) < 100 else f"{value:,.1f}"
        )
        table.add_row(row["dataset"], row["system"], row["metric"], shown, row["unit"])
    console.print(table)


def bench(
    name: Annotated[
        str, typer.Argument(help=f"one of {', '.join(BENCHMARKS + PARTS)} or all")
    ] = "all",
    as_json: Annotated[
        bool, typer.Option("--json", help="print one JSON object per benchmark")
    ] = False,
    quick: Annotated[bool, typer.Option("--quick", help="smaller sizes, for smoke runs")] = False,
) -> None:
    """Run a benchmark and print its numbers (baselines measured in the same run)."""
    names = BENCHMARKS if name == "all" else (name,)
    if name != "all" and name not in BENCHMARKS + PARTS:
        known = ", ".join(BENCHMARKS + PARTS)
        raise typer.BadParameter(f"unknown benchmark {name!r}; choose from {known}")
    console = Console(stderr=False)
    for one in names:
        report = _run_one(one, quick)
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False))
        else:
            _print_table(report, console)


def register(app: typer.Typer) -> None:
    """Add the bench command."""
    app.command("bench")(bench)
