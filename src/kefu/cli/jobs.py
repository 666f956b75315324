"""``kefu jobs list|retry``: see the queue and its dead letters."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kefu.cli.context import load_services
from kefu.jobs.retry import retry_dead
from kefu.shops import service as shop_service
from kefu.storage import jobs

jobs_app = typer.Typer(help="Background jobs and dead letters", no_args_is_help=True)


@jobs_app.command("list")
def list_jobs(
    status: Annotated[str | None, typer.Option(help="queued, running, done or dead")] = None,
    limit: int = 50,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per job")] = False,
) -> None:
    """Show jobs, newest first."""
    services = load_services()
    with services.sessions() as db:
        shop_ids = frozenset(s.id for s in shop_service.list_shops(db=db))
        rows = [
            {
                "id": job.id,
                "kind": job.kind,
                "status": job.status,
                "attempts": job.attempts,
                "max_attempts": job.max_attempts,
                "run_at": job.run_at.isoformat(timespec="seconds"),
                "last_error": job.last_error,
            }
            for job in jobs.list_jobs(db=db, shop_ids=shop_ids, status=status, limit=limit)
        ]
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table("kind", "status", "attempts", "run at", "last error")
    # The id is what `kefu jobs retry` takes: never shortened, however narrow the terminal.
    table.add_column("id", no_wrap=True, min_width=32)
    for row in rows:
        table.add_row(
            str(row["kind"]),
            str(row["status"]),
            f"{row['attempts']}/{row['max_attempts']}",
            str(row["run_at"]),
            str(row["last_error"] or "")[:80],
            str(row["id"]),
        )
    Console().print(table)


@jobs_app.command("retry")
def retry(job_id: str) -> None:
    """Put a dead-lettered job back in the queue."""
    services = load_services()
    with services.sessions() as db, db.begin():
        shop_ids = frozenset(s.id for s in shop_service.list_shops(db=db))
        job = retry_dead(db=db, job_id=job_id, shop_ids=shop_ids, now=services.clock.now())
    if job is None:
        typer.echo(f"no dead job {job_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"job {job_id} queued again")


def register(app: typer.Typer) -> None:
    """Add the jobs command group."""
    app.add_typer(jobs_app, name="jobs")
