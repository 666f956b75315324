"""Knowledge use cases that need the NLU: search with gap recording, and drafts' citations.

A weak result (``kefu.knowledge.gaps.is_weak``) is recorded with the query's intent and
language from the triager, so the gap report can say *what* customers ask that no article
answers. A draft queues its gap, written after the draft's transaction ends, at most once a
day per text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from kefu import replies
from kefu.core.clock import Clock
from kefu.errors import KefuError
from kefu.inbox.draft import KnowledgeLookup
from kefu.inbox.triage import Triager, TriageRequest
from kefu.knowledge import flows as kb_flows
from kefu.knowledge import gaps
from kefu.knowledge.hub import IndexUnavailable, KnowledgeHub
from kefu.shops.models import Shop

log = logging.getLogger(__name__)
CITATIONS = 3
DRAFT_GAP_DEDUPE = timedelta(days=1)


@dataclass(frozen=True)
class SearchRequest:
    """A knowledge search as the API and CLI receive it."""

    query: str
    readable: frozenset[str]
    shop_id: str | None = None
    platform: str | None = None
    language: str | None = None
    kind: str | None = None
    tags: tuple[str, ...] = ()
    limit: int = 10


def _intent_language(
    triager: Triager, text: str, platform: str | None, languages: Sequence[str]
) -> tuple[str | None, str | None]:
    try:
        result = triager.triage(
            TriageRequest(
                text=text[:2000], platform=platform or "webchat", languages=tuple(languages)
            )
        )
    except (KefuError, ValueError) as exc:  # the gap report must never fail a search
        log.warning("triage for the gap report failed: %s", exc)
        return None, None
    return result.get("intent"), result.get("language")


def search_knowledge(
    *, sessions: sessionmaker[Session], hub: KnowledgeHub, triager: Triager,
    request: SearchRequest, languages: Sequence[str], now: datetime,
) -> kb_flows.ArticleSearch:  # fmt: skip
    """Search articles the caller may see; a weak result is recorded as a knowledge gap."""
    result = kb_flows.search_articles(
        keeper=hub.articles, query=request.query, readable=request.readable,
        shop_id=request.shop_id, language=request.language, kind=request.kind,
        tags=request.tags, platform=request.platform, limit=request.limit,
    )  # fmt: skip
    if result.weak:
        intent, detected = _intent_language(triager, result.query, request.platform, languages)
        with sessions() as db, db.begin():
            gaps.record(
                db=db, source="search", query=result.query, language=request.language or detected,
                intent=intent, shop_id=result.shop_id, hits=[h for h, _ in result.hits], now=now,
            )  # fmt: skip
    return result


def knowledge_lookup(
    *, sessions: sessionmaker[Session], hub: KnowledgeHub, triager: Triager, clock: Clock,
    languages: Sequence[str],
) -> KnowledgeLookup:  # fmt: skip
    """The drafts' knowledge seam: the shop's best articles in the customer's language."""

    def lookup(text: str, language: str, shop: Shop) -> list[replies.KnowledgeRef]:
        if not text.strip():
            return []
        base = language.replace("_", "-").split("-")[0].lower() or None
        try:
            # The draft's transaction is open: read the index from disk only (see hub).
            result = kb_flows.search_articles(
                keeper=hub.articles, query=text, readable=frozenset({shop.id}), shop_id=shop.id,
                platform=shop.platform, language=base, limit=CITATIONS, use_db=False,
            )  # fmt: skip
        except IndexUnavailable:
            hub.warm_up()  # the next draft will cite
            return []
        except (KefuError, OSError) as exc:  # a draft without citations beats no draft
            log.warning("knowledge lookup failed: %s", exc)
            return []
        if result.weak:
            _queue_gap(result, base, shop)
            return []
        return [
            replies.KnowledgeRef(article_id=hit.doc_id, title=hit.title, snippet=hit.snippet)
            for hit, _ in result.hits
        ]

    def _queue_gap(result: kb_flows.ArticleSearch, language: str | None, shop: Shop) -> None:
        now = clock.now()
        intent, detected = _intent_language(triager, result.query, shop.platform, languages)
        hub.pending_gaps.put(
            gaps.PendingGap(
                source="draft", query=result.query, language=language or detected,
                intent=intent, shop_id=shop.id, hits=tuple(h for h, _ in result.hits), at=now,
                dedupe_since=now - DRAFT_GAP_DEDUPE,
            )
        )  # fmt: skip

    return lookup
