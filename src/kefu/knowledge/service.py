"""Article queries and writes, scoped by shop; every change keeps a version and an audit row.

Fields are validated by the same parser as Markdown files (``parse_article``), so an article
typed into the API and one imported from a folder obey exactly the same rules and limits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

import yaml
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kefu.errors import Conflict, NotFound, PermissionDenied
from kefu.knowledge.articles import Article, parse_article
from kefu.knowledge.models import GLOBAL_SCOPE, KbArticle, KbArticleVersion
from kefu.knowledge.schemas import Access
from kefu.knowledge.search.types import Document
from kefu.storage import audit

_META = ("language", "kind", "tags", "platform", "effective_date", "source", "status")


def validate(fields: dict[str, Any]) -> Article:
    """An ``Article`` from API fields, checked by the Markdown parser's rules."""
    meta = {
        key: fields.get(key)
        for key in ("slug", "title", "language", "kind", "tags", "platform", "effective_date",
                    "source")
        if fields.get(key) not in (None, [], "")
    }  # fmt: skip
    when = meta.get("effective_date")
    if isinstance(when, date):
        meta["effective_date"] = when.isoformat()
    body = str(fields.get("body") or "")
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True)
    return parse_article(f"---\n{front}---\n{body}")


def content_hash(article: Article, status: str) -> str:
    """A digest of everything a version records, so an unchanged save makes no version."""
    payload = {
        "title": article.title, "body": article.body, "language": article.language,
        "kind": article.kind.value, "tags": list(article.tags), "platform": article.platform,
        "effective_date": article.effective_date.isoformat() if article.effective_date else None,
        "source": article.source, "status": status,
    }  # fmt: skip
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()


def to_document(article: KbArticle) -> Document:
    """The searchable form of a stored article (document id = article id)."""
    return Document(
        id=article.id, title=article.title, body=article.body,
        language=article.language.split("-")[0], shop_id=article.shop_id,
        platform=article.platform, kind=article.kind, tags=tuple(article.tags or ()),
    )  # fmt: skip


def get(*, db: Session, article_id: str, shop_ids: Collection[str]) -> KbArticle:
    """A global article or one of the caller's shops'; NotFound for another shop's."""
    article = db.get(KbArticle, article_id)
    if article is None or (article.shop_id is not None and article.shop_id not in shop_ids):
        raise NotFound(f"article {article_id!r} not found")
    return article


def list_articles(
    *, db: Session, shop_ids: Collection[str], shop_id: str | None = None,
    language: str | None = None, kind: str | None = None, tag: str | None = None,
    status: str | None = None, limit: int = 200, offset: int = 0,
) -> list[KbArticle]:  # fmt: skip
    """Global articles and the caller's shops' ones, filtered, by slug."""
    visible = or_(KbArticle.shop_id.is_(None), KbArticle.shop_id.in_(list(shop_ids)))
    query = select(KbArticle).where(visible)
    if shop_id is not None:
        query = query.where(or_(KbArticle.shop_id.is_(None), KbArticle.shop_id == shop_id))
    if language:
        query = query.where(KbArticle.language == language.lower())
    if kind:
        query = query.where(KbArticle.kind == kind)
    if status:
        query = query.where(KbArticle.status == status)
    rows = list(db.scalars(query.order_by(KbArticle.slug, KbArticle.scope)))
    if tag:  # tags are a JSON list; filtering here keeps one code path for both databases
        rows = [r for r in rows if tag.lower() in (r.tags or [])]
    return rows[offset : offset + limit]


def versions(*, db: Session, article: KbArticle) -> list[KbArticleVersion]:
    """Every saved version of an article, newest first."""
    query = select(KbArticleVersion).where(KbArticleVersion.article_id == article.id)
    return list(db.scalars(query.order_by(KbArticleVersion.version.desc())))


def check_write(access: Access, shop_id: str | None) -> None:
    """Raise PermissionDenied unless the caller may change articles of this scope."""
    if shop_id is None and not access.global_writer:
        raise PermissionDenied(
            "global articles (no shop) are read by every shop, so only an admin of every shop "
            "may create, change or delete them; name one of your shops instead"
        )
    if shop_id is not None and shop_id not in access.writable:
        raise PermissionDenied("you cannot change this shop's articles")


def find_by_slug(*, db: Session, shop_id: str | None, slug: str) -> KbArticle | None:
    """The article with this slug in a shop (or among global ones)."""
    scope = shop_id or GLOBAL_SCOPE
    return db.scalar(select(KbArticle).where(KbArticle.scope == scope, KbArticle.slug == slug))


def _fields(article: Article, status: str) -> dict[str, Any]:
    return {
        "slug": article.slug, "language": article.language, "kind": article.kind.value,
        "tags": list(article.tags), "platform": article.platform,
        "effective_date": article.effective_date, "source": article.source, "status": status,
    }  # fmt: skip


def _version_row(row: KbArticle, author: str, now: datetime) -> KbArticleVersion:
    fields = {k: getattr(row, k) for k in _META}
    if fields["effective_date"] is not None:
        fields["effective_date"] = fields["effective_date"].isoformat()
    fields["slug"] = row.slug
    return KbArticleVersion(
        article_id=row.id, version=row.version, title=row.title, body=row.body, fields=fields,
        author=author, created_at=now,
    )  # fmt: skip


def create(
    *, db: Session, article: Article, shop_id: str | None, status: str, actor: str, now: datetime
) -> KbArticle:
    """Store a new article as version 1; Conflict when the slug is taken in that scope."""
    if find_by_slug(db=db, shop_id=shop_id, slug=article.slug) is not None:
        where = "this shop" if shop_id else "the global articles"
        raise Conflict(f"{where} already have an article with slug {article.slug!r}", field="slug")
    row = KbArticle(
        shop_id=shop_id, scope=shop_id or GLOBAL_SCOPE, title=article.title, body=article.body,
        version=1, content_hash=content_hash(article, status), created_by=actor,
        updated_by=actor, created_at=now, updated_at=now, **_fields(article, status),
    )  # fmt: skip
    db.add(row)
    db.flush()
    db.add(_version_row(row, actor, now))
    _audit(db, row, "created", actor, now, {"slug": row.slug, "version": 1})
    db.flush()
    return row


def update(
    *, db: Session, row: KbArticle, article: Article, status: str, actor: str, now: datetime
) -> bool:
    """Save a new version when anything changed; returns False for an identical save."""
    digest = content_hash(article, status)
    if digest == row.content_hash and article.slug == row.slug:
        return False
    if article.slug != row.slug:
        clash = find_by_slug(db=db, shop_id=row.shop_id, slug=article.slug)
        if clash is not None:
            raise Conflict(f"slug {article.slug!r} is already used in this scope", field="slug")
    changed = [k for k, v in _fields(article, status).items() if getattr(row, k) != v]
    changed += [k for k in ("title", "body") if getattr(row, k) != getattr(article, k)]
    for key, value in _fields(article, status).items():
        setattr(row, key, value)
    row.title, row.body, row.content_hash = article.title, article.body, digest
    row.version += 1
    row.updated_by, row.updated_at = actor, now
    db.add(_version_row(row, actor, now))
    _audit(db, row, "updated", actor, now, {"version": row.version, "fields": sorted(changed)})
    db.flush()
    return True


def delete(*, db: Session, row: KbArticle, actor: str, now: datetime) -> None:
    """Remove an article and its versions; the audit row keeps its last text."""
    last = {"slug": row.slug, "version": row.version, "title": row.title, "body": row.body}
    _audit(db, row, "deleted", actor, now, last)
    db.delete(row)
    db.flush()


def _audit(db: Session, row: KbArticle, action: str, actor: str, now: datetime,
           changes: dict[str, Any]) -> None:  # fmt: skip
    audit.record(db=db, at=now, entity_type="kb_article", entity_id=row.id, action=action,
                 actor=actor, shop_id=row.shop_id, changes=changes)  # fmt: skip


def fingerprint(*, db: Session) -> str:
    """Changes whenever a published article is added, edited or deleted (index staleness)."""
    # The smallest and largest ids tell two databases apart that happen to hold as many
    # articles, saved at the same instant (a frozen test clock), under one index folder.
    count, versions_sum, latest, low, high = db.execute(
        select(func.count(KbArticle.id), func.coalesce(func.sum(KbArticle.version), 0),
               func.max(KbArticle.updated_at), func.min(KbArticle.id), func.max(KbArticle.id))
        .where(KbArticle.status == "published")
    ).one()  # fmt: skip
    stamp = latest.isoformat() if isinstance(latest, datetime) else str(latest)
    return f"{count}:{versions_sum}:{stamp}:{low}:{high}"


def published_documents(*, db: Session) -> list[Document]:
    """Every published article as a search document (for a full rebuild)."""
    query = select(KbArticle).where(KbArticle.status == "published").order_by(KbArticle.id)
    return [to_document(a) for a in db.scalars(query)]
