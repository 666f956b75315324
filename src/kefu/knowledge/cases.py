"""The case library: solved conversations as searchable documents, and why one is similar.

Building a case from a conversation spans domains and lives in ``kefu.inbox.cases``; this
module stores, indexes and compares cases.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kefu.knowledge.models import KbCase
from kefu.knowledge.search.types import Document, Hit

MAX_FIELD_CHARS = 4_000  # a case is a summary; a 30-message thread is cut, not stored whole


@dataclass(frozen=True)
class CaseFacts:
    """What a solved conversation taught: the problem, what was done and how it ended."""

    conversation_id: str
    shop_id: str
    language: str | None
    intent: str | None
    problem: str
    actions: str
    final_reply: str
    outcome: str
    csat: int | None
    products: tuple[str, ...]
    resolved_at: datetime


def to_document(case: KbCase) -> Document:
    """The searchable form of a case (document id = conversation id)."""
    body = "\n".join(part for part in (case.problem, case.actions, case.final_reply) if part)
    return Document(
        id=case.conversation_id, title=case.problem[:120], body=body or case.problem,
        language=(case.language or "").split("-")[0] or None, shop_id=case.shop_id,
        kind=case.intent, tags=tuple(p.lower() for p in case.products),
    )  # fmt: skip


def save(*, db: Session, facts: CaseFacts, now: datetime) -> KbCase:
    """Insert or refresh the case of a conversation."""
    case = db.scalar(select(KbCase).where(KbCase.conversation_id == facts.conversation_id))
    values: dict[str, Any] = {
        "shop_id": facts.shop_id, "language": facts.language, "intent": facts.intent,
        "problem": facts.problem[:MAX_FIELD_CHARS], "actions": facts.actions[:MAX_FIELD_CHARS],
        "final_reply": facts.final_reply[:MAX_FIELD_CHARS], "outcome": facts.outcome[:40],
        "csat": facts.csat, "products": list(facts.products), "resolved_at": facts.resolved_at,
    }  # fmt: skip
    if case is None:
        case = KbCase(conversation_id=facts.conversation_id, created_at=now, **values)
        db.add(case)
    else:
        for key, value in values.items():
            setattr(case, key, value)
    db.flush()
    return case


def cases_by_conversation(*, db: Session, conversation_ids: Collection[str]) -> dict[str, KbCase]:
    """Stored cases keyed by conversation id."""
    if not conversation_ids:
        return {}
    query = select(KbCase).where(KbCase.conversation_id.in_(list(conversation_ids)))
    return {c.conversation_id: c for c in db.scalars(query)}


def fingerprint(*, db: Session) -> str:
    """Changes whenever a case is added or refreshed (index staleness)."""
    count, latest, low, high = db.execute(
        select(func.count(KbCase.id), func.max(KbCase.resolved_at), func.min(KbCase.id),
               func.max(KbCase.id))
    ).one()  # fmt: skip
    stamp = latest.isoformat() if isinstance(latest, datetime) else str(latest)
    return f"{count}:{stamp}:{low}:{high}"


def all_documents(*, db: Session) -> list[Document]:
    """Every case as a search document (for a full rebuild)."""
    return [to_document(c) for c in db.scalars(select(KbCase).order_by(KbCase.id))]


@dataclass(frozen=True)
class SimilarCase:
    """A solved case like the current conversation, and why."""

    case: KbCase
    score: float
    reasons: tuple[str, ...]
    shared_terms: tuple[str, ...]
    shared_products: tuple[str, ...]
    same_intent: bool


def explain(
    hit: Hit, case: KbCase, *, intent: str | None, products: Collection[str]
) -> SimilarCase:
    """The reasons a case matched: shared intent, shared products/SKUs, shared terms."""
    same_intent = bool(intent) and intent == case.intent
    mine = {p.lower() for p in products}
    shared_products = tuple(sorted(p for p in case.products if p.lower() in mine))
    reasons: list[str] = []
    if same_intent:
        reasons.append(f"same intent: {intent}")
    if shared_products:
        reasons.append("same product: " + ", ".join(shared_products))
    if hit.matched_terms:
        reasons.append("shared terms: " + ", ".join(hit.matched_terms[:8]))
    return SimilarCase(case, hit.score, tuple(reasons), hit.matched_terms, shared_products,
                       same_intent)  # fmt: skip
