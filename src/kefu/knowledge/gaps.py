"""Knowledge gaps: searches and drafts whose best article was weak, grouped for the team.

A result is **weak** when there is no hit, when the best hit's raw BM25 score is below
``WEAK_BM25`` (only very common words matched), or when it matched fewer than half of the
query's distinct terms, capped at ``MAX_TERMS_NEEDED`` so a long pasted message is not weak just
for being long (the article is about something else). Only weak results are recorded, one row
each, with the query cut to 500 characters.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from kefu.knowledge.models import KbGap
from kefu.knowledge.search.types import Hit

log = logging.getLogger(__name__)
WEAK_BM25 = 0.5
MAX_TERMS_NEEDED = 3
MAX_QUERY_STORED = 500
EXAMPLES = 3


def is_weak(hits: Sequence[Hit], query_term_count: int) -> bool:
    """True when the best hit does not really answer the query (see the module docstring)."""
    if not hits:
        return True
    best = hits[0]
    if best.bm25 is not None and best.bm25 < WEAK_BM25 and best.dense_rank is None:
        return True
    needed = min(MAX_TERMS_NEEDED, (max(query_term_count, 0) + 1) // 2)
    return len(set(best.matched_terms)) < needed


def record(
    *, db: Session, source: str, query: str, language: str | None, intent: str | None,
    shop_id: str | None, hits: Sequence[Hit], now: datetime,
    dedupe_since: datetime | None = None,
) -> KbGap:  # fmt: skip
    """Add one weak-result row (unless the same one was recorded since ``dedupe_since``)."""
    text = " ".join(query.split())[:MAX_QUERY_STORED]
    if dedupe_since is not None:
        same = db.scalar(
            select(KbGap).where(KbGap.source == source, KbGap.query == text,
                                KbGap.shop_id == shop_id, KbGap.at >= dedupe_since).limit(1)
        )  # fmt: skip
        if same is not None:
            return same
    best = hits[0] if hits else None
    gap = KbGap(
        shop_id=shop_id, source=source, query=text,
        language=(language or "und")[:12], intent=(intent or "other")[:40],
        best_score=best.score if best else None, best_article_id=best.doc_id if best else None,
        at=now,
    )  # fmt: skip
    db.add(gap)
    return gap


@dataclass(frozen=True)
class GapGroup:
    """Weak results of one intent in one language."""

    intent: str
    language: str
    count: int
    searches: int
    drafts: int
    examples: tuple[str, ...]  # the most frequent queries, most frequent first
    last_at: datetime


def report(
    *, db: Session, shop_ids: Collection[str], shop_id: str | None = None,
    since: datetime | None = None, limit: int = 50, include_unscoped: bool = False,
) -> list[GapGroup]:  # fmt: skip
    """Weak results grouped by intent and language, the largest groups first.

    A search made across several shops is stored with no shop, and its text may concern any
    shop the searcher held. ``include_unscoped`` shows such rows: pass it only for a caller
    who holds every shop there is (see ``may_see_unscoped``), never for a one-shop admin.
    """
    scoped = KbGap.shop_id.in_(list(shop_ids))
    query = select(KbGap).where(
        or_(KbGap.shop_id.is_(None), scoped) if include_unscoped else scoped
    )
    if shop_id is not None:
        query = query.where(KbGap.shop_id == shop_id)
    if since is not None:
        query = query.where(KbGap.at >= since)
    groups: dict[tuple[str, str], list[KbGap]] = defaultdict(list)
    for gap in db.scalars(query.order_by(KbGap.at)):
        groups[(gap.intent, gap.language)].append(gap)
    result = [_group(intent, language, rows) for (intent, language), rows in groups.items()]
    result.sort(key=lambda g: (-g.count, g.intent, g.language))
    return result[:limit]


def may_see_unscoped(held: Collection[str], every_shop: Collection[str]) -> bool:
    """True when a caller holding ``held`` may read searches stored with no shop: only one
    who holds every shop there is (``every_shop``) is sure to see all the searcher saw."""
    return set(every_shop) <= set(held)


def _group(intent: str, language: str, rows: list[KbGap]) -> GapGroup:
    queries = Counter(r.query for r in rows)
    return GapGroup(
        intent=intent, language=language, count=len(rows),
        searches=sum(r.source == "search" for r in rows),
        drafts=sum(r.source == "draft" for r in rows),
        examples=tuple(q for q, _ in queries.most_common(EXAMPLES)),
        last_at=max(r.at for r in rows),
    )  # fmt: skip


@dataclass(frozen=True)
class PendingGap:
    """A weak result noticed where the database could not be written at once."""

    source: str
    query: str
    language: str | None
    intent: str | None
    shop_id: str | None
    hits: tuple[Hit, ...]
    at: datetime
    dedupe_since: datetime | None = None


class PendingGaps:
    """Weak draft results queued for writing once the draft's transaction has ended.

    A draft's knowledge lookup runs inside the draft's own transaction; on SQLite a second
    transaction would wait for that one to end, so the gap is queued and written by a short
    background thread (and by ``flush`` before a gap report is read).
    """

    MAX_QUEUED = 1_000  # beyond this new gaps are dropped: the report is a guide, not a ledger

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._items: deque[PendingGap] = deque()
        self._lock = threading.Lock()
        # Held for a whole flush: the background writer may have taken the queue and not yet
        # committed when a gap report flushes (seen on PostgreSQL: the report missed a gap).
        self._writing = threading.Lock()
        self._writer: threading.Thread | None = None

    def put(self, gap: PendingGap) -> None:
        """Queue a gap and make sure a writer thread will store it."""
        with self._lock:
            if len(self._items) < self.MAX_QUEUED:
                self._items.append(gap)
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._write_soon, daemon=True)
                self._writer.start()

    def _write_soon(self) -> None:
        try:
            self.flush()
        except Exception:  # a background thread has no caller to tell; keep the service up
            log.exception("could not store knowledge gaps")

    def flush(self) -> int:
        """Write every queued gap; returns how many were written. Returns only once no other
        flush is still writing, so a report read right after sees every gap queued before."""
        with self._writing:
            return self._write_queued()

    def _write_queued(self) -> int:
        with self._lock:
            items = list(self._items)
            self._items.clear()
        if not items:
            return 0
        with self._sessions() as db, db.begin():
            for gap in items:
                record(db=db, source=gap.source, query=gap.query, language=gap.language,
                       intent=gap.intent, shop_id=gap.shop_id, hits=gap.hits, now=gap.at,
                       dedupe_since=gap.dedupe_since)  # fmt: skip
                db.flush()
        return len(items)
