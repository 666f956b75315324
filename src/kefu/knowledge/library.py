"""File-based knowledge: index a folder of Markdown articles (or the starter set) and search it.

The database-backed layer builds on the same pieces: it turns stored article versions into
``Document`` values with ``Article.to_document`` and keeps one ``SearchIndex`` per deployment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kefu.knowledge.articles import Article, LoadProblem, load_articles
from kefu.knowledge.search.dense import Embedder
from kefu.knowledge.search.index import Mode, SearchIndex
from kefu.knowledge.search.types import Hit, SearchFilters


def starter_dir() -> Path:
    """Folder of the starter knowledge base shipped with Kefu (English and Chinese)."""
    return Path(str(resources.files("kefu.knowledge") / "starter"))


def index_articles(articles: Iterable[Article], *, embedder: Embedder | None = None) -> SearchIndex:
    """A search index over ``articles`` (document id = slug)."""
    return SearchIndex.build((a.to_document() for a in articles), embedder=embedder)


@dataclass(frozen=True)
class ArticleHit:
    """A search hit together with the article it points at."""

    hit: Hit
    article: Article


@dataclass(frozen=True)
class FolderSearch:
    """Hits from searching a folder, plus the files that could not be loaded."""

    hits: list[ArticleHit]
    problems: list[LoadProblem]
    searched: int  # how many articles were indexed


def search_folder(
    query: str, *, directory: Path | None = None, filters: SearchFilters | None = None,
    limit: int = 5, language: str | None = None, mode: Mode = "auto",
    embedder: Embedder | None = None,
) -> FolderSearch:  # fmt: skip
    """Load every article under ``directory`` (default: the starter set) and search them."""
    articles, problems = load_articles(directory or starter_dir())
    by_slug = {a.slug: a for a in articles}
    index = index_articles(articles, embedder=embedder)
    hits = index.search(query, filters=filters, limit=limit, language=language, mode=mode)
    return FolderSearch([ArticleHit(h, by_slug[h.doc_id]) for h in hits], problems, len(articles))
