"""Article use cases: write in one transaction, then update the search index after commit."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from kefu.errors import InvalidInput, KefuError
from kefu.knowledge import gaps, service
from kefu.knowledge.articles import Article, load_articles
from kefu.knowledge.hub import IndexKeeper
from kefu.knowledge.schemas import Access, ArticleIn, ArticlePatch, ArticlePublic
from kefu.knowledge.search.index import MAX_LIMIT, MAX_QUERY_CHARS
from kefu.knowledge.search.tokenize import query_terms
from kefu.knowledge.search.types import Document, Hit, SearchFilters

Sessions = sessionmaker[Session]


def _sync_index(keeper: IndexKeeper | None, row: ArticlePublic | None, removed: str = "") -> None:
    if keeper is None:
        return
    if removed:
        keeper.apply(removals=[removed])
    elif row is not None and row.status == "published":
        keeper.apply(upserts=[_document(row)])
    elif row is not None:
        keeper.apply(removals=[row.id])  # a published article turned back into a draft


def _document(row: ArticlePublic) -> Document:
    return Document(
        id=row.id, title=row.title, body=row.body, language=row.language.split("-")[0],
        shop_id=row.shop_id, platform=row.platform, kind=row.kind, tags=tuple(row.tags),
    )  # fmt: skip


def create_article(
    *, sessions: Sessions, keeper: IndexKeeper | None, article_in: ArticleIn,
    shop_id: str | None, access: Access, now: datetime,
) -> ArticlePublic:  # fmt: skip
    """Store a new article (version 1) and make it searchable."""
    service.check_write(access, shop_id)
    article = service.validate(article_in.model_dump())
    with sessions() as db, db.begin():
        row = service.create(db=db, article=article, shop_id=shop_id, status=article_in.status,
                             actor=access.actor, now=now)  # fmt: skip
        public = ArticlePublic.model_validate(row)
    _sync_index(keeper, public)
    return public


def update_article(
    *, sessions: Sessions, keeper: IndexKeeper | None, article_id: str, patch: ArticlePatch,
    access: Access, now: datetime,
) -> ArticlePublic:  # fmt: skip
    """Save a new version of an article (none when nothing changed) and re-index it."""
    given = patch.model_dump(exclude_unset=True)
    for required in ("slug", "title", "body", "language", "kind", "status"):
        if required in given and given[required] is None:
            raise InvalidInput(f"{required} cannot be empty", field=required)
    with sessions() as db, db.begin():
        row = service.get(db=db, article_id=article_id, shop_ids=access.readable)
        service.check_write(access, row.shop_id)
        current = ArticlePublic.model_validate(row).model_dump()
        merged = current | given
        article = service.validate(merged)
        changed = service.update(db=db, row=row, article=article, status=merged["status"],
                                 actor=access.actor, now=now)  # fmt: skip
        public = ArticlePublic.model_validate(row)
    if changed:
        _sync_index(keeper, public)
    return public


def delete_article(
    *, sessions: Sessions, keeper: IndexKeeper | None, article_id: str, access: Access,
    now: datetime,
) -> None:  # fmt: skip
    """Delete an article with its versions and drop it from the index."""
    with sessions() as db, db.begin():
        row = service.get(db=db, article_id=article_id, shop_ids=access.readable)
        service.check_write(access, row.shop_id)
        service.delete(db=db, row=row, actor=access.actor, now=now)
    _sync_index(keeper, None, removed=article_id)


@dataclass
class FolderImport:
    """What ``import kb`` did, file by file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


def import_folder(
    *, sessions: Sessions, keeper: IndexKeeper | None, directory: Path, shop_id: str | None,
    shop_refs: Iterable[str] = (), actor: str, now: datetime,
    on_progress: Callable[[int], None] | None = None,
) -> FolderImport:  # fmt: skip
    """Import every Markdown article of a folder; unchanged files make no new version.

    ``shop_refs`` are the target shop's id and slug: an article whose front matter names
    another shop is reported, not imported. Each file commits on its own, so one bad file
    never undoes the good ones.
    """
    articles, problems = load_articles(directory)
    report = FolderImport(problems=[(p.path, p.reason) for p in problems])
    refs = set(shop_refs)
    if on_progress is not None and problems:
        on_progress(len(problems))
    changed: list[ArticlePublic] = []
    for article in articles:
        try:
            if article.shop is not None and article.shop not in refs:
                raise InvalidInput(f"the front matter names shop {article.shop!r}, "
                                   "not the shop being imported")  # fmt: skip
            outcome, public = _import_one(sessions, article, shop_id, actor, now)
        except KefuError as exc:
            report.problems.append((article.path or article.slug, exc.detail))
        else:
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome != "unchanged":
                changed.append(public)
        if on_progress is not None:
            on_progress(1)
    if keeper is not None and changed:
        keeper.apply(upserts=[_document(p) for p in changed])
    return report


def _import_one(
    sessions: Sessions, article: Article, shop_id: str | None, actor: str, now: datetime
) -> tuple[str, ArticlePublic]:
    with sessions() as db, db.begin():
        row = service.find_by_slug(db=db, shop_id=shop_id, slug=article.slug)
        if row is None:
            row = service.create(db=db, article=article, shop_id=shop_id, status="published",
                                 actor=actor, now=now)  # fmt: skip
            return "created", ArticlePublic.model_validate(row)
        changed = service.update(db=db, row=row, article=article, status="published",
                                 actor=actor, now=now)  # fmt: skip
        return ("updated" if changed else "unchanged"), ArticlePublic.model_validate(row)


@dataclass(frozen=True)
class ArticleSearch:
    """Hits for a query within what the caller may see, and how good the best one is."""

    query: str  # the text actually searched (cut to the index's limit)
    truncated: bool
    hits: list[tuple[Hit, Document]]
    weak: bool  # see kefu.knowledge.gaps.is_weak
    shop_id: str | None = None  # the shop searched (the caller's only shop when none was named)


def clean_query(query: str) -> tuple[str, bool]:
    """The query as searched: valid UTF-8, trimmed, cut to MAX_QUERY_CHARS; never empty."""
    text = query.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ").strip()
    if not text:
        raise InvalidInput("the query is empty: type a few words to search for", field="q")
    return text[:MAX_QUERY_CHARS], len(text) > MAX_QUERY_CHARS


def search_articles(
    *, keeper: IndexKeeper, query: str, readable: Collection[str], shop_id: str | None = None,
    language: str | None = None, kind: str | None = None, tags: Sequence[str] = (),
    platform: str | None = None, limit: int = 10, use_db: bool = True,
) -> ArticleSearch:  # fmt: skip
    """Search published articles: ``shop_id``'s (or every readable shop's) plus global ones."""
    text, truncated = clean_query(query)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    if shop_id is None and len(readable) == 1:
        shop_id = next(iter(readable))
    filters = SearchFilters(shop_id=shop_id, platform=platform, language=language, kind=kind,
                            tags=tuple(t.lower() for t in tags))  # fmt: skip
    index = keeper.index(use_db=use_db)
    # Without one shop to filter on, fetch more and drop other tenants' articles afterwards.
    fetch = limit if shop_id is not None else min(MAX_LIMIT, limit * 4)
    raw = index.search(text, filters=filters, limit=fetch, language=language)
    hits: list[tuple[Hit, Document]] = []
    for hit in raw:
        doc = index.get(hit.doc_id)
        if doc is not None and (doc.shop_id is None or doc.shop_id in readable):
            hits.append((hit, doc))
    hits = hits[:limit]
    count = len(query_terms(text, language, index.languages()))
    return ArticleSearch(text, truncated, hits, gaps.is_weak([h for h, _ in hits], count), shop_id)
