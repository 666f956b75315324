"""``kefu import orders|customers FILE --shop SLUG`` and ``kefu import kb DIR [--shop SLUG]``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from kefu.cli.context import load_services
from kefu.core.tabular import ImportReport
from kefu.customers.flows import import_customers_file
from kefu.errors import KefuError
from kefu.knowledge.flows import FolderImport, import_folder
from kefu.orders.flows import import_orders_file
from kefu.shops import service as shop_service

import_app = typer.Typer(help="Import orders, customers or knowledge", no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]
ShopOpt = Annotated[str, typer.Option("--shop", help="shop slug or id the rows belong to")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print the report as JSON")]

Importer = Callable[..., ImportReport]


def _count_rows(path: Path) -> int:
    with path.open("rb") as handle:
        lines = sum(1 for _ in handle)
    return max(0, lines - 1) if path.suffix.lower() == ".csv" else lines


def _run(importer: Importer, path: Path, shop: str, as_json: bool) -> None:
    services = load_services()
    factory: sessionmaker[Session] = services.sessions
    try:
        with factory() as db:
            shop_id = shop_service.get(db=db, ref=shop).id
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, disable=as_json) as progress:
        total = _count_rows(path)
        task = progress.add_task(f"importing {path.name}", total=total)
        report = importer(
            session_factory=factory,
            shop_id=shop_id,
            path=path,
            on_progress=lambda n: progress.advance(task, n),
        )
        # Lines are counted, rows are read: blank lines and line breaks inside quoted cells
        # would leave the bar short of its end.
        progress.update(task, completed=total)
    _print_report(report, as_json, console)
    if report.rejected_rows:
        raise typer.Exit(1)


def _print_report(report: ImportReport, as_json: bool, console: Console) -> None:
    problems = report.problems or []
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "rejected_rows": report.rejected_rows,
                    "problems": [
                        {"row": p.row, "field": p.field, "reason": p.reason} for p in problems
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    console.print(
        f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
        f"rejected rows {report.rejected_rows}"
    )
    if problems:
        table = Table("row", "field", "reason", title="rows not imported")
        for p in problems[:200]:
            table.add_row(str(p.row), p.field, p.reason)
        console.print(table)
        if len(problems) > 200:
            console.print(f"... and {len(problems) - 200} more (use --json for all)")


@import_app.command("orders")
def import_orders(path: FileArg, shop: ShopOpt, as_json: JsonOpt = False) -> None:
    """Upsert orders from CSV (one row per item) or JSONL (one order per line)."""
    _run(import_orders_file, path, shop, as_json)


@import_app.command("customers")
def import_customers(path: FileArg, shop: ShopOpt, as_json: JsonOpt = False) -> None:
    """Upsert customers from CSV or JSONL, matched by buyer id, email or phone."""
    _run(import_customers_file, path, shop, as_json)


DirArg = Annotated[Path, typer.Argument(exists=True, file_okay=False, readable=True)]
KbShopOpt = Annotated[
    str | None,
    typer.Option("--shop", help="shop slug or id the articles belong to (default: global)"),
]


@import_app.command("kb")
def import_kb(directory: DirArg, shop: KbShopOpt = None, as_json: JsonOpt = False) -> None:
    """Import Markdown articles (front matter + body); unchanged files make no new version."""
    services = load_services()
    try:
        with services.sessions() as db:
            found = shop_service.get(db=db, ref=shop) if shop else None
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    total = sum(1 for p in directory.rglob("*.md") if p.is_file())
    try:
        with Progress(*columns, console=console, disable=as_json) as progress:
            task = progress.add_task(f"importing {directory.name or directory}", total=total)
            report = import_folder(
                sessions=services.sessions, keeper=services.extras["knowledge_hub"].articles,
                directory=directory, shop_id=found.id if found else None,
                shop_refs=(found.id, found.slug) if found else (), actor="kefu import kb",
                now=services.clock.now(), on_progress=lambda n: progress.advance(task, n),
            )  # fmt: skip
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    _print_kb_report(report, as_json, console)
    if report.problems:
        raise typer.Exit(1)


def _print_kb_report(report: FolderImport, as_json: bool, console: Console) -> None:
    problems = [{"file": path, "reason": reason} for path, reason in report.problems]
    if as_json:
        typer.echo(json.dumps({"created": report.created, "updated": report.updated,
                               "unchanged": report.unchanged, "problems": problems},
                              ensure_ascii=False))  # fmt: skip
        return
    console.print(f"created {report.created}, updated {report.updated}, "
                  f"unchanged {report.unchanged}, files not imported {len(problems)}")  # fmt: skip
    if problems:
        table = Table("file", "reason", title="files not imported")
        for problem in problems:
            table.add_row(problem["file"], problem["reason"])
        console.print(table)


def register(app: typer.Typer) -> None:
    """Add the import command group."""
    app.add_typer(import_app, name="import")
