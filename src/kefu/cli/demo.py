"""``kefu demo``: load the demo shop and print how to sign in."""

from __future__ import annotations

import typer
from rich.console import Console

from kefu.cli.context import load_services


def demo() -> None:
    """Load demo shops, customers, orders and conversations (safe to run again)."""
    from kefu.demo.load import load_demo

    services = load_services()
    console = Console()
    with console.status("loading the demo shop (triaging every message)..."):
        summary = load_demo(services=services, now=services.clock.now())
    if summary.conversations:
        console.print(
            f"[green]demo loaded[/]: {summary.shops} shops, {summary.customers} customers, "
            f"{summary.orders} orders, {summary.conversations} conversations"
        )
    else:
        console.print("[green]demo already loaded[/]: data kept, credentials renewed")
    console.print(
        f"sign in as [bold]{summary.admin_email}[/] with password [bold]{summary.admin_password}[/]"
    )
    console.print(f"API token: [bold]{summary.api_token}[/]")


def register(app: typer.Typer) -> None:
    """Add the demo command."""
    app.command("demo")(demo)
