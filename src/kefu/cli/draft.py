"""``kefu draft CONVERSATION_ID [--json] [--polish]``: Kefu's proposed reply for a conversation."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from kefu.cli.context import load_services
from kefu.errors import KefuError


def draft(
    conversation_id: str,
    as_json: Annotated[
        bool, typer.Option("--json", help="the draft with its sources as JSON")
    ] = False,
    as_user: Annotated[
        str, typer.Option("--as", help="whose view and authority")
    ] = "admin@example.com",
    polish: Annotated[
        bool, typer.Option("--polish", help="let the configured LLM rewrite it (checked)")
    ] = False,
) -> None:
    """Draft a reply: restatement, empathy, order facts, allowed remedies, next step."""
    from kefu.accounts import service as accounts
    from kefu.web.api.replies import draft_with_llm

    services = load_services()
    try:
        with services.sessions() as db:
            principal = accounts.principal_for(user=accounts.get_by_email(db=db, email=as_user))
            result = draft_with_llm(
                db=db,
                conversation_id=conversation_id,
                principal=principal,
                now=services.clock.now(),
                knowledge=services.extras.get("knowledge_lookup"),
                llm=services.llm,
                polish=polish,
            )
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    console = Console()
    console.print(result.text)
    for finding in result.lint:
        console.print(f"[yellow]{finding.severity}[/] {finding.code}: {finding.message}")
    for note in result.notes:
        console.print(f"[dim]note: {note}[/]")


def register(app: typer.Typer) -> None:
    """Add the draft command."""
    app.command("draft")(draft)
