"""``kefu kb search QUERY [--json] [--dir DIR]``: search the starter knowledge base or a folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kefu.cli.context import load_settings
from kefu.cli.kb_db import DbQuery, database_services, gap_report, print_gaps, search_database
from kefu.errors import KefuError
from kefu.knowledge.library import ArticleHit, FolderSearch, search_folder
from kefu.knowledge.search.dense import Embedder, load_embedder
from kefu.knowledge.search.index import Mode
from kefu.knowledge.search.types import SearchFilters

kb_app = typer.Typer(help="Knowledge base: search articles, gap report", no_args_is_help=True)

DirOpt = Annotated[
    Path | None,
    typer.Option(
        "--dir", file_okay=False, help="folder of Markdown articles (default: starter KB)"
    ),
]


def _hit_json(item: ArticleHit) -> dict[str, Any]:
    article = item.article
    return item.hit.as_dict() | {
        "language": article.language, "kind": article.kind.value, "platform": article.platform,
        "shop": article.shop, "tags": list(article.tags), "path": article.path,
    }  # fmt: skip


def _print_table(query: str, result: FolderSearch, console: Console) -> None:
    table = Table(title=f"kefu kb search {query!r} — {result.searched} articles")
    for column in ("#", "article", "score", "snippet"):
        table.add_column(column, justify="right" if column in ("#", "score") else "left")
    for rank, item in enumerate(result.hits, start=1):
        snippet = Text(item.hit.snippet)
        for start, end in item.hit.highlights:
            snippet.stylize("bold yellow", start, end)
        label = f"{item.article.title}\n[dim]{item.article.slug} · {item.article.language}[/]"
        table.add_row(str(rank), label, f"{item.hit.score:.3f}", snippet)
    console.print(table if result.hits else f"no article matches {query!r}")
    for problem in result.problems:
        console.print(f"[yellow]skipped {problem.path}: {problem.reason}[/]")


def _embedder(mode: str) -> Embedder | None:
    ref = load_settings().embedding_model
    if not ref or mode == "bm25":
        return None
    return load_embedder(ref)


@kb_app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="what to look for, in any language")],
    directory: DirOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the hits as JSON")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100, help="how many hits")] = 5,
    language: Annotated[str | None, typer.Option(help="query language, e.g. en or zh")] = None,
    platform: Annotated[str | None, typer.Option(help="only this platform (+ neutral)")] = None,
    shop: Annotated[str | None, typer.Option(help="only this shop (+ global articles)")] = None,
    kind: Annotated[str | None, typer.Option(help="faq, product, policy or procedure")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="required tag (repeatable)")] = None,
    mode: Annotated[str, typer.Option(help="auto, bm25, dense or hybrid")] = "auto",
    files: Annotated[
        bool,
        typer.Option("--files", help="search the starter KB even when the database has articles"),
    ] = False,
) -> None:
    """Search knowledge articles (BM25, plus dense/hybrid when KEFU_EMBEDDING_MODEL is set).

    Without --dir or --files, the configured database's articles are searched when it has any.
    """
    if mode not in ("auto", "bm25", "dense", "hybrid"):
        raise typer.BadParameter("mode must be auto, bm25, dense or hybrid", param_hint="--mode")
    services = None if directory is not None or files else database_services(load_settings())
    if services is not None:
        options = DbQuery(query, shop, language, platform, kind,
                          tuple(t.lower() for t in tag or ()), limit)  # fmt: skip
        search_database(services, options, as_json=as_json)
        return
    filters = SearchFilters(shop_id=shop, platform=platform, language=None, kind=kind,
                            tags=tuple(t.lower() for t in tag or ()))  # fmt: skip
    try:
        chosen: Mode = mode  # type: ignore[assignment]
        result = search_folder(
            query, directory=directory, filters=filters, limit=limit, language=language,
            mode=chosen, embedder=_embedder(mode),
        )  # fmt: skip
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        payload = {
            "query": query, "searched": result.searched,
            "hits": [_hit_json(item) for item in result.hits],
            "problems": [{"path": p.path, "reason": p.reason} for p in result.problems],
        }  # fmt: skip
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    _print_table(query, result, Console())


@kb_app.command("gaps")
def gaps_report(
    shop: Annotated[str | None, typer.Option(help="only this shop (slug or id)")] = None,
    days: Annotated[int, typer.Option(min=1, max=365, help="how far back")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="print the groups as JSON")] = False,
) -> None:
    """Searches and drafts with no good article, grouped by intent and language."""
    groups, problem = gap_report(load_settings(), shop=shop, days=days)
    if problem:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(2)
    print_gaps(groups, days=days, as_json=as_json)


def register(app: typer.Typer) -> None:
    """Add the kb command group."""
    app.add_typer(kb_app, name="kb")
