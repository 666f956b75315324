"""``kefu policy validate FILE``, ``kefu policy show PLATFORM``, ``kefu policy packs``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from kefu.errors import KefuError
from kefu.policy import available_packs, load_pack, pack_by_id, render_pack_article
from kefu.policy.validate import validate_policy_file

policy_app = typer.Typer(
    help="Policy packs: validate, show as an article, list.", no_args_is_help=True
)


@policy_app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="a policy pack or shop-policy YAML file")],
    as_json: Annotated[bool, typer.Option("--json", help="print problems as JSON")] = False,
) -> None:
    """Check a policy file; lists every problem with its line number, exit code 1 if any."""
    problems = validate_policy_file(file)
    if as_json:
        rows = [{"line": p.line, "key": p.key, "message": p.message} for p in problems]
        typer.echo(
            json.dumps(
                {"file": str(file), "valid": not problems, "problems": rows}, ensure_ascii=False
            )
        )
    elif problems:
        for problem in problems:
            where = f"{problem.key}: " if problem.key else ""
            typer.echo(f"{file}:{problem.line}: {where}{problem.message}")
    else:
        typer.echo(f"{file}: valid")
    if problems:
        raise typer.Exit(code=1)


@policy_app.command("show")
def show(
    platform: Annotated[
        str, typer.Argument(help="platform (amazon, aliexpress, ...) or a pack id")
    ],
    region: Annotated[
        str | None, typer.Option(help="buyer's country or region, e.g. US, DE, CN")
    ] = None,
    lang: Annotated[str, typer.Option(help="en or zh")] = "en",
    raw: Annotated[bool, typer.Option("--raw", help="print the Markdown source")] = False,
) -> None:
    """Print a platform's policy pack as a knowledge article."""
    if lang not in {"en", "zh"}:
        raise typer.BadParameter("--lang must be en or zh")
    try:
        pack = (
            pack_by_id(platform, region)
            if platform in available_packs()
            else load_pack(platform, region)
        )
    except KefuError as exc:
        typer.echo(exc.detail, err=True)
        raise typer.Exit(code=1) from exc
    article = render_pack_article(pack, lang)
    if raw:
        typer.echo(article)
    else:
        Console().print(Markdown(article))


@policy_app.command("packs")
def packs() -> None:
    """List the policy packs shipped with Kefu."""
    table = Table(title="Policy packs")
    for column in ("id", "kind", "platform", "region", "version", "floors"):
        table.add_column(column)
    for pack_id in available_packs():
        m = pack_by_id(pack_id).model
        floors = ", ".join(
            [*m.floors, *(f"{k}: {', '.join(v)}" for k, v in m.floors_by_region.items())]
        )
        table.add_row(m.id, m.kind, m.platform, m.region or "any", str(m.version), floors or "-")
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add the policy command group."""
    app.add_typer(policy_app, name="policy")
