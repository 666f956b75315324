"""``kefu macro list|add|render``: a shop's saved replies from the command line."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kefu.cli.context import load_services
from kefu.errors import KefuError

macro_app = typer.Typer(help="Saved replies per shop, intent and language.", no_args_is_help=True)

AsUser = Annotated[str, typer.Option("--as", help="whose shops and authority")]
AsJson = Annotated[bool, typer.Option("--json", help="print JSON")]


def _fail(exc: KefuError) -> typer.Exit:
    typer.echo(f"error: {exc.detail}", err=True)
    for problem in exc.extra.get("problems", []):
        typer.echo(f"  {problem['start']}-{problem['end']} {problem['message']}", err=True)
    return typer.Exit(1)


@macro_app.command("list")
def list_command(
    shop: Annotated[str | None, typer.Option(help="shop id or slug")] = None,
    intent: Annotated[str | None, typer.Option(help="e.g. where_is_my_order")] = None,
    language: Annotated[str | None, typer.Option(help="e.g. en, zh")] = None,
    as_json: AsJson = False,
    as_user: AsUser = "admin@example.com",
) -> None:
    """List macros, filtered by shop, intent and language."""
    from kefu.accounts import service as accounts
    from kefu.macros import service
    from kefu.macros.schemas import MacroPublic

    services = load_services()
    try:
        with services.sessions() as db:
            principal = accounts.principal_for(user=accounts.get_by_email(db=db, email=as_user))
            rows = [
                MacroPublic.model_validate(m).model_dump(mode="json")
                for m in service.list_macros(
                    db=db, shop_ids=principal.shop_ids, shop=shop, intent=intent, language=language
                )
            ]
    except KefuError as exc:
        raise _fail(exc) from exc
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} macros")
    for column in ("id", "name", "intent", "language", "body"):
        table.add_column(column)
    for row in rows:
        body = row["body"] if len(row["body"]) <= 60 else row["body"][:59] + "…"
        table.add_row(row["id"], row["name"], row["intent"] or "any", row["language"], body)
    Console().print(table)


@macro_app.command("add")
def add_command(
    body: Annotated[str, typer.Argument(help="the text with {variables}; '-' reads stdin")],
    shop: Annotated[str, typer.Option(help="shop id or slug")],
    name: Annotated[str, typer.Option(help="a short name agents will recognise")],
    language: Annotated[str, typer.Option(help="language of the body, e.g. en, zh")],
    intent: Annotated[str | None, typer.Option(help="the intent it answers; omit for any")] = None,
    as_json: AsJson = False,
    as_user: AsUser = "admin@example.com",
) -> None:
    """Save a macro; an unknown variable is refused now, with its name."""
    from pydantic import ValidationError

    from kefu.accounts import service as accounts
    from kefu.macros import service
    from kefu.macros.schemas import MacroIn, MacroPublic

    if body == "-":
        body = typer.get_binary_stream("stdin").read().decode("utf-8", "replace")
    try:
        macro_in = MacroIn(shop=shop, name=name, language=language, intent=intent, body=body)
    except ValidationError as exc:
        typer.echo(f"error: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}", err=True)
        raise typer.Exit(1) from exc
    services = load_services()
    try:
        with services.sessions() as db, db.begin():
            principal = accounts.principal_for(user=accounts.get_by_email(db=db, email=as_user))
            macro = service.create(
                db=db, macro_in=macro_in, principal=principal, now=services.clock.now()
            )
            saved = MacroPublic.model_validate(macro).model_dump(mode="json")
    except KefuError as exc:
        raise _fail(exc) from exc
    typer.echo(json.dumps(saved, ensure_ascii=False) if as_json else f"saved macro {saved['id']}")


@macro_app.command("render")
def render_command(
    macro_id: str,
    conversation: Annotated[str, typer.Option("--conversation", "-c", help="conversation id")],
    as_json: AsJson = False,
    as_user: AsUser = "admin@example.com",
) -> None:
    """Fill a macro in for a conversation and lint it; exit 1 on a blocking finding."""
    from kefu.accounts import service as accounts
    from kefu.macros import service

    services = load_services()
    try:
        with services.sessions() as db:
            principal = accounts.principal_for(user=accounts.get_by_email(db=db, email=as_user))
            result = service.render_for_conversation(
                db=db,
                conversation_id=conversation,
                macro_id=macro_id,
                principal=principal,
                now=services.clock.now(),
            )
    except KefuError as exc:
        raise _fail(exc) from exc
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
    else:
        _print(result.text, result.findings, result.notes)
    if result.blocking:
        raise typer.Exit(1)


def _print(text: str, findings: list[dict[str, Any]], notes: list[str]) -> None:
    console = Console()
    console.print(text, markup=False)
    for f in findings:
        console.print(f"[yellow]{f['severity']}[/] {f['code']}: {escape(f['message'])}")
    for note in notes:
        console.print(f"[dim]note: {escape(note)}[/]")


def register(app: typer.Typer) -> None:
    """Add the macro command group."""
    app.add_typer(macro_app, name="macro")
