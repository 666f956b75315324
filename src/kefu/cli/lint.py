"""``kefu lint TEXT [--json]``: check a reply before it is sent."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kefu.replies import PLATFORMS, Brand, lint
from kefu.replies.language import detect_language
from kefu.replies.types import Finding, finding_dict


def lint_command(
    text: Annotated[str, typer.Argument(help="the reply text ('-' reads standard input)")],
    language: Annotated[
        str, typer.Option("--language", "-l", help="reply language; 'auto' detects it")
    ] = "auto",
    platform: Annotated[
        str, typer.Option("--platform", "-p", help=f"one of {', '.join(PLATFORMS)}")
    ] = "webchat",
    no_qin: Annotated[
        bool, typer.Option("--no-qin", help="the brand does not address customers as 亲")
    ] = False,
    no_emoji: Annotated[bool, typer.Option("--no-emoji", help="the brand uses no emoji")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print findings as JSON")] = False,
) -> None:
    """Lint a reply; exit code 1 when a finding would block the send."""
    if text == "-":
        text = typer.get_binary_stream("stdin").read().decode("utf-8", "replace")
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates from argv
    if platform not in PLATFORMS:
        raise typer.BadParameter(
            f"unknown platform {platform!r}; choose from {', '.join(PLATFORMS)}"
        )
    lang = detect_language(text) if language == "auto" else language
    brand = (
        Brand(qin_allowed=not no_qin, emoji_allowed=not no_emoji) if no_qin or no_emoji else None
    )
    findings = lint(text, language=lang, platform=platform, brand=brand)
    blocking = any(f.severity == "blocking" for f in findings)
    if as_json:
        report = {
            "language": lang,
            "platform": platform,
            "blocking": blocking,
            "findings": [finding_dict(f) for f in findings],
        }
        typer.echo(json.dumps(report, ensure_ascii=False))
    else:
        _print(findings, text)
    if blocking:
        raise typer.Exit(code=1)


def _print(findings: list[Finding], text: str) -> None:
    console = Console()
    if not findings:
        console.print("[green]No findings.[/]")
        return
    table = Table(title="kefu lint")
    for column in ("severity", "code", "text", "message", "suggestion"):
        table.add_column(column)
    for f in findings:
        table.add_row(f.severity, f.code, text[f.start : f.end][:40], f.message, f.suggestion)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the lint command."""
    app.command("lint")(lint_command)
