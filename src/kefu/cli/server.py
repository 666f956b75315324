"""``kefu serve``, ``kefu worker``, ``kefu migrate``."""

from __future__ import annotations

import logging
import signal
from typing import Annotated

import typer

from kefu.cli.context import load_services, load_settings


def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port")] = None,
    workers: Annotated[int, typer.Option(help="server processes (PostgreSQL recommended)")] = 1,
) -> None:
    """Serve the web app and the REST API."""
    import uvicorn

    settings = load_settings()
    uvicorn.run(
        "kefu.web.factory:app_from_env",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level=settings.log_level,
        proxy_headers=True,
    )


def worker(
    once: Annotated[bool, typer.Option("--once", help="run due jobs once, then exit")] = False,
) -> None:
    """Run background jobs (reply delivery, follow-ups) until stopped."""
    from kefu.jobs.worker import Worker

    settings = load_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(name)s %(message)s")
    runner = Worker(load_services(settings))
    if once:
        typer.echo(f"ran {runner.run_once(limit=1000)} job(s)")
        return
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    try:
        runner.run()
    except KeyboardInterrupt:
        runner.stop()


def migrate() -> None:
    """Create or upgrade the database schema."""
    from kefu.storage.migrate import upgrade

    settings = load_settings()
    upgrade(settings.database_url)
    typer.echo(f"database is up to date ({settings.database_url.split('://', 1)[0]})")


def register(app: typer.Typer) -> None:
    """Add serve, worker and migrate."""
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.command("migrate")(migrate)
