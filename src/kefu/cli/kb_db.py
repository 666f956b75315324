"""The database side of ``kefu kb``: search the stored articles, and the knowledge-gap report.

``kefu kb search`` uses the database when it holds published articles (the command line is a
trusted operator, so every shop's articles are searchable); otherwise it keeps searching the
starter knowledge base or ``--dir``. Nothing here creates a database that does not exist yet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from kefu.config import Settings
from kefu.errors import KefuError
from kefu.inbox.kb import SearchRequest, search_knowledge
from kefu.knowledge import gaps
from kefu.knowledge.hub import KnowledgeHub
from kefu.knowledge.models import KbArticle
from kefu.services import Services, build_services
from kefu.shops import service as shop_service
from kefu.storage.engine import is_sqlite


@dataclass(frozen=True)
class DbQuery:
    """``kefu kb search`` options as the database search needs them."""

    query: str
    shop: str | None
    language: str | None
    platform: str | None
    kind: str | None
    tags: tuple[str, ...]
    limit: int


def _exists(settings: Settings) -> bool:
    url = settings.database_url
    if not is_sqlite(url):
        return True
    path = url.split("///", 1)[-1]
    return bool(path) and path != ":memory:" and Path(path).exists()


def database_services(settings: Settings) -> Services | None:
    """Services when the configured database holds published articles, else None."""
    if not _exists(settings):
        return None
    services = build_services(settings)
    try:
        with services.sessions() as db:
            count = db.scalar(
                select(func.count(KbArticle.id)).where(KbArticle.status == "published")
            )
    except SQLAlchemyError:  # not migrated yet, or unreachable: fall back to the files
        services.engine.dispose()
        return None
    if not count:
        services.engine.dispose()
        return None
    return services


def _all_shops(services: Services) -> frozenset[str]:
    with services.sessions() as db:
        return frozenset(s.id for s in shop_service.list_shops(db=db))


def search_database(services: Services, options: DbQuery, *, as_json: bool) -> None:
    """Run a search over the stored articles and print it."""
    hub: KnowledgeHub = services.extras["knowledge_hub"]
    try:
        with services.sessions() as db:
            shop_id = shop_service.get(db=db, ref=options.shop).id if options.shop else None
        request = SearchRequest(
            query=options.query, readable=_all_shops(services), shop_id=shop_id,
            platform=options.platform, language=options.language, kind=options.kind,
            tags=options.tags, limit=options.limit,
        )  # fmt: skip
        result = search_knowledge(
            sessions=services.sessions, hub=hub, triager=services.triager, request=request,
            languages=services.settings.languages, now=services.clock.now(),
        )  # fmt: skip
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        hits = [
            hit.as_dict() | {"article_id": doc.id, "shop_id": doc.shop_id,
                             "language": doc.language, "kind": doc.kind,
                             "platform": doc.platform, "tags": list(doc.tags)}
            for hit, doc in result.hits
        ]  # fmt: skip
        payload = {"query": result.query, "source": "database", "truncated": result.truncated,
                   "weak": result.weak, "hits": hits}  # fmt: skip
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    table = Table(title=f"kefu kb search {options.query[:60]!r} — database")
    for column in ("#", "article", "score", "snippet"):
        table.add_column(column, justify="right" if column in ("#", "score") else "left")
    for rank, (hit, doc) in enumerate(result.hits, start=1):
        snippet = Text(hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold yellow", start, end)
        label = f"{hit.title}\n[dim]{doc.id} · {doc.language}[/]"
        table.add_row(str(rank), label, f"{hit.score:.3f}", snippet)
    Console().print(table if result.hits else f"no article matches {options.query[:60]!r}")


def gap_report(
    settings: Settings, *, shop: str | None, days: int
) -> tuple[list[gaps.GapGroup], str | None]:
    """The gap groups of the last ``days`` (and an error message instead, if any)."""
    if not _exists(settings):
        return [], f"no database at {settings.database_url}: run `kefu migrate` first"
    services = build_services(settings)
    try:
        with services.sessions() as db:
            shop_ids = frozenset(s.id for s in shop_service.list_shops(db=db))
            shop_id = shop_service.get(db=db, ref=shop).id if shop else None
            since = services.clock.now() - timedelta(days=days)
            found = gaps.report(db=db, shop_ids=shop_ids, shop_id=shop_id, since=since,
                                include_unscoped=True)  # fmt: skip
            return found, None
    except KefuError as exc:
        return [], exc.detail
    except SQLAlchemyError as exc:
        return [], f"cannot read the database: {exc.__class__.__name__}"
    finally:
        services.engine.dispose()


def print_gaps(groups: list[gaps.GapGroup], *, days: int, as_json: bool) -> None:
    """Print the gap groups as a table or JSON."""
    rows: list[dict[str, Any]] = [
        {"intent": g.intent, "language": g.language, "count": g.count, "searches": g.searches,
         "drafts": g.drafts, "examples": list(g.examples), "last_at": g.last_at.isoformat()}
        for g in groups
    ]  # fmt: skip
    if as_json:
        typer.echo(json.dumps({"days": days, "groups": rows}, ensure_ascii=False))
        return
    table = Table(title=f"knowledge gaps, last {days} days (weak or no article found)")
    for column in ("intent", "language", "count", "searches", "drafts", "example queries"):
        table.add_column(column, justify="right" if column in ("count", "searches", "drafts")
                         else "left")  # fmt: skip
    for row in rows:
        table.add_row(row["intent"], row["language"], str(row["count"]), str(row["searches"]),
                      str(row["drafts"]), "\n".join(q[:80] for q in row["examples"]))  # fmt: skip
    Console().print(table if rows else "no knowledge gaps recorded")
