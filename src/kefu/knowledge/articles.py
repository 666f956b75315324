"""Knowledge articles: Markdown with a YAML front matter block, parsed and validated.

    ---
    slug: shipping-times
    title: How long shipping takes
    language: en
    kind: faq                      # faq | product | policy | procedure
    tags: [shipping, delivery]
    platform: amazon               # optional; omitted = every platform
    shop: amazon-us                # optional; omitted = global (every shop)
    effective_date: 2026-01-15     # optional
    source: Nestwell shipping policy, Jan 2026   # optional
    version: 1                     # optional, defaults to 1
    ---
    Body in Markdown ...

Every problem raises ``InvalidInput`` (or ``PayloadTooLarge``) with a message naming the file and
the field, so an import can report it per file and carry on with the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from kefu.errors import InvalidInput, KefuError, PayloadTooLarge
from kefu.knowledge.search.types import Document

MAX_ARTICLE_BYTES = 512 * 1024  # a long policy is ~20 KB; anything this big is a mistake
MAX_TITLE_CHARS = 200
MAX_TAGS = 20
MAX_TAG_CHARS = 40
# Kept in step with kefu.shops.enums.Platform (domains may not import each other), plus the
# comparison marketplaces a shop's articles may mention.
PLATFORMS = frozenset(
    {"amazon", "aliexpress", "pinduoduo", "temu", "shopify", "webchat", "email", "taobao", "jd"}
)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
_FENCE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_FIELDS = frozenset(
    {"slug", "title", "language", "kind", "tags", "platform", "shop", "effective_date", "source",
     "version"}
)  # fmt: skip


class ArticleKind(StrEnum):
    FAQ = "faq"
    PRODUCT = "product"
    POLICY = "policy"
    PROCEDURE = "procedure"


@dataclass(frozen=True)
class Article:
    """One parsed knowledge article."""

    slug: str
    title: str
    body: str
    language: str
    kind: ArticleKind
    tags: tuple[str, ...] = ()
    platform: str | None = None  # None = every platform
    shop: str | None = None  # shop slug or id; None = global
    effective_date: date | None = None
    source: str | None = None
    version: int = 1
    path: str | None = None  # where it was read from, for error reports

    @property
    def id(self) -> str:
        """The article's stable identifier (its slug)."""
        return self.slug

    def to_document(self, *, doc_id: str | None = None) -> Document:
        """The searchable form of this article (doc id defaults to the slug)."""
        return Document(
            id=doc_id or self.slug, title=self.title, body=self.body,
            language=self.language.split("-")[0], shop_id=self.shop, platform=self.platform,
            kind=self.kind.value, tags=self.tags,
        )  # fmt: skip


@dataclass(frozen=True)
class LoadProblem:
    """A file that could not be loaded, and why."""

    path: str
    reason: str


def _where(path: str | Path | None) -> str:
    return f"{path}: " if path else ""


def _fail(path: str | Path | None, message: str, field: str | None = None) -> InvalidInput:
    return InvalidInput(_where(path) + message, field=field)


def _text(value: Any, name: str, path: str | Path | None, *, limit: int) -> str:
    if value is None:
        raise _fail(path, f"'{name}' is missing", name)
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _fail(path, f"'{name}' must be text", name)
    text = str(value).strip()
    if not text:
        raise _fail(path, f"'{name}' is empty", name)
    if len(text) > limit:
        raise _fail(path, f"'{name}' is longer than {limit} characters", name)
    return text


def _tags(value: Any, path: str | Path | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(t, str | int) for t in items):
        raise _fail(path, "'tags' must be a list of words", "tags")
    tags = tuple(dict.fromkeys(str(t).strip().lower() for t in items if str(t).strip()))
    if len(tags) > MAX_TAGS or any(len(t) > MAX_TAG_CHARS for t in tags):
        raise _fail(path, f"at most {MAX_TAGS} tags of {MAX_TAG_CHARS} characters", "tags")
    return tags


def _date(value: Any, path: str | Path | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise _fail(
            path, "'effective_date' must be a date like 2026-01-31", "effective_date"
        ) from exc


def _choice(value: Any, name: str, allowed: frozenset[str], path: str | Path | None) -> str:
    text = _text(value, name, path, limit=40).lower()
    if text not in allowed:
        raise _fail(path, f"'{name}' must be one of {', '.join(sorted(allowed))}", name)
    return text


def _slug(meta: dict[str, Any], path: str | Path | None) -> str:
    raw = meta.get("slug")
    if raw is None and path is not None:
        raw = Path(path).stem.lower()
    if raw is None:
        raise _fail(path, "'slug' is missing", "slug")
    slug = _text(raw, "slug", path, limit=120).lower()
    if not _SLUG.match(slug):
        raise _fail(path, "'slug' may hold only a-z, 0-9 and '-' (max 120)", "slug")
    return slug


def split_front_matter(text: str, *, path: str | Path | None = None) -> tuple[dict[str, Any], str]:
    """The front matter mapping and the Markdown body of an article."""
    match = _FENCE.match(text)
    if match is None:
        raise _fail(path, "missing front matter: the file must start with a '---' block")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 2})" if mark is not None else ""
        raise _fail(path, f"front matter is not valid YAML{line}") from exc
    if not isinstance(meta, dict):
        raise _fail(path, "front matter must be a mapping of 'key: value' lines")
    return meta, text[match.end() :]


def parse_article(text: str | bytes, *, path: str | Path | None = None) -> Article:
    """Parse and validate one article; raises InvalidInput/PayloadTooLarge with a clear reason."""
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "replace"))
    if size > MAX_ARTICLE_BYTES:
        raise PayloadTooLarge(
            f"{_where(path)}article is {size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,}. "
            "Split it into smaller articles."
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(path, f"not valid UTF-8 (byte {exc.start})") from exc
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    meta, body = split_front_matter(text, path=path)
    unknown = sorted(str(k) for k in meta if k not in _FIELDS)
    if unknown:
        raise _fail(path, f"unknown front matter field(s): {', '.join(unknown)}", unknown[0])
    body = body.strip()
    if not body:
        raise _fail(path, "the article has no body text", "body")
    return _build(meta, body, path)


def _build(meta: dict[str, Any], body: str, path: str | Path | None) -> Article:
    language = _text(meta.get("language"), "language", path, limit=12).lower().replace("_", "-")
    if not _LANGUAGE.match(language):
        raise _fail(path, "'language' must be a code like en, zh or pt-br", "language")
    version = meta.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(path, "'version' must be a whole number from 1", "version")
    platform = meta.get("platform")
    shop = meta.get("shop")
    source = meta.get("source")
    return Article(
        slug=_slug(meta, path),
        title=_text(meta.get("title"), "title", path, limit=MAX_TITLE_CHARS),
        body=body,
        language=language,
        kind=ArticleKind(_choice(meta.get("kind"), "kind", frozenset(ArticleKind), path)),
        tags=_tags(meta.get("tags"), path),
        platform=None if platform is None else _choice(platform, "platform", PLATFORMS, path),
        shop=None if shop is None else _text(shop, "shop", path, limit=120),
        effective_date=_date(meta.get("effective_date"), path),
        source=None if source is None else _text(source, "source", path, limit=500),
        version=version,
        path=str(path) if path is not None else None,
    )


def load_articles(directory: str | Path) -> tuple[list[Article], list[LoadProblem]]:
    """Every ``*.md`` article under ``directory`` (recursively), plus one problem per bad file.

    A later file whose slug repeats an earlier one (same shop) is reported, not loaded.
    """
    root = Path(directory)
    if not root.is_dir():
        raise InvalidInput(f"{root} is not a directory")
    articles: list[Article] = []
    problems: list[LoadProblem] = []
    seen: dict[tuple[str | None, str], str] = {}
    for path in sorted(p for p in root.rglob("*.md") if p.is_file()):
        try:
            if path.stat().st_size > MAX_ARTICLE_BYTES:
                raise PayloadTooLarge(f"{path}: article is {path.stat().st_size:,} bytes; the "
                                      f"limit is {MAX_ARTICLE_BYTES:,}")  # fmt: skip
            article = parse_article(path.read_bytes(), path=path)
        except KefuError as exc:
            problems.append(LoadProblem(str(path), exc.detail))
            continue
        except OSError as exc:
            problems.append(LoadProblem(str(path), f"cannot read: {exc.strerror or exc}"))
            continue
        key = (article.shop, article.slug)
        if key in seen:
            problems.append(LoadProblem(str(path), f"duplicate slug {article.slug!r} "
                                        f"(already used by {seen[key]})"))  # fmt: skip
            continue
        seen[key] = str(path)
        articles.append(article)
    return articles, problems
