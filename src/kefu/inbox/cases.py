"""The case library over conversations: solved conversations become cases, similar ones are
found with the reason, and a case can start a draft article.

A conversation is *solved* once its status is resolved or closed. Cases are (re)built lazily:
every call that needs the library first turns newly solved conversations into cases
(``sync_cases``), so no job or hook has to run for the library to be complete.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kefu.conversations import service as conversation_service
from kefu.conversations.enums import Direction, Status
from kefu.conversations.models import Conversation, Message
from kefu.errors import Conflict, InvalidInput
from kefu.knowledge import cases as case_store
from kefu.knowledge import flows as kb_flows
from kefu.knowledge.hub import KnowledgeHub
from kefu.knowledge.models import KbCase
from kefu.knowledge.schemas import Access, ArticleIn, ArticlePublic
from kefu.knowledge.search.types import SearchFilters
from kefu.orders.models import Order
from kefu.storage.audit import AuditEvent

SOLVED = (Status.RESOLVED.value, Status.CLOSED.value)
SYNC_BATCH = 500
SIMILAR = 5
_CSAT_TAG = re.compile(r"^csat[:=]([1-5])$")


def _products(db: Session, conversation: Conversation) -> tuple[str, ...]:
    order = db.get(Order, conversation.order_id) if conversation.order_id else None
    if order is None:
        return ()
    return tuple(
        dict.fromkeys(code for item in order.items for code in (item.sku, item.asin) if code)
    )


def _remedies(db: Session, conversation: Conversation) -> list[str]:
    if not conversation.order_id:
        return []
    query = select(AuditEvent).where(
        AuditEvent.entity_type == "order", AuditEvent.entity_id == conversation.order_id,
        AuditEvent.action.like("remedy.%"),
    ).order_by(AuditEvent.at)  # fmt: skip
    return [e.action.removeprefix("remedy.").replace("_", " ") for e in db.scalars(query)]


def case_facts(*, db: Session, conversation: Conversation) -> case_store.CaseFacts:
    """What a solved conversation taught, from its messages, order and remedies."""
    messages = conversation_service.messages_of(db=db, conversation_id=conversation.id)
    inbound = [m for m in messages if m.direction == Direction.INBOUND and m.text.strip()]
    outbound = [m for m in messages if m.direction == Direction.OUTBOUND and m.text.strip()]
    remedies = _remedies(db, conversation)
    actions = [f"remedy: {r}" for r in remedies] + [m.text.strip() for m in outbound[:-1]]
    csat = next((int(m.group(1)) for t in conversation.tags or [] if (m := _CSAT_TAG.match(t))),
                None)  # fmt: skip
    return case_store.CaseFacts(
        conversation_id=conversation.id, shop_id=conversation.shop_id,
        language=conversation.language or _language(inbound), intent=conversation.intent,
        problem=inbound[0].text.strip() if inbound else conversation.subject,
        actions="\n".join(actions), final_reply=outbound[-1].text.strip() if outbound else "",
        outcome=remedies[-1] if remedies else conversation.status, csat=csat,
        products=_products(db, conversation),
        resolved_at=conversation.resolved_at or conversation.updated_at,
    )  # fmt: skip


def _language(inbound: Sequence[Message]) -> str | None:
    return next((m.language for m in inbound if m.language), None)


def sync_cases(*, sessions: sessionmaker[Session], hub: KnowledgeHub, now: datetime) -> int:
    """Turn solved conversations without an up-to-date case into cases; returns how many."""
    with sessions() as db, db.begin():
        query = (
            select(Conversation)
            .outerjoin(KbCase, KbCase.conversation_id == Conversation.id)
            .where(Conversation.status.in_(SOLVED))
            .where((KbCase.id.is_(None)) | (KbCase.resolved_at < Conversation.resolved_at))
            .order_by(Conversation.resolved_at)
            .limit(SYNC_BATCH)
        )
        docs = []
        for conversation in db.scalars(query).all():
            facts = case_facts(db=db, conversation=conversation)
            if facts.problem.strip():
                docs.append(case_store.to_document(case_store.save(db=db, facts=facts, now=now)))
    if docs:
        hub.cases.apply(upserts=docs)
    return len(docs)


def _first_inbound(db: Session, conversation: Conversation) -> str:
    messages = conversation_service.messages_of(db=db, conversation_id=conversation.id)
    first = next((m.text for m in messages if m.direction == Direction.INBOUND and m.text.strip()),
                 "")  # fmt: skip
    return " ".join(part for part in (conversation.subject, first) if part.strip())


def _rank(found: case_store.SimilarCase) -> float:
    # Terms find the candidates; a shared intent or product is stronger evidence than one
    # more shared word, so it lifts a case above an equally worded one.
    boost = (1.5 if found.same_intent else 1.0) * (1.3 if found.shared_products else 1.0)
    return found.score * boost


def similar_cases(
    *, sessions: sessionmaker[Session], hub: KnowledgeHub, conversation_id: str,
    shop_ids: frozenset[str], now: datetime, limit: int = SIMILAR,
) -> list[case_store.SimilarCase]:  # fmt: skip
    """The most similar solved cases of the conversation's shop, each with its reasons."""
    with sessions() as db:
        conversation_service.get(db=db, conversation_id=conversation_id, shop_ids=shop_ids)
    sync_cases(sessions=sessions, hub=hub, now=now)
    index = hub.cases.index()  # before the session below: it may read the database itself
    with sessions() as db:
        conversation = conversation_service.get(
            db=db, conversation_id=conversation_id, shop_ids=shop_ids
        )
        text = _first_inbound(db, conversation)
        if not text.strip():
            return []
        filters = SearchFilters(shop_id=conversation.shop_id)
        query, _ = kb_flows.clean_query(text)
        hits = [
            h for h in index.search(query, filters=filters, limit=limit * 4 + 1,
                                    language=conversation.language, snippets=False)
            if h.doc_id != conversation.id
        ]  # fmt: skip
        stored = case_store.cases_by_conversation(db=db, conversation_ids=[h.doc_id for h in hits])
        products = _products(db, conversation)
        found = [
            case_store.explain(h, stored[h.doc_id], intent=conversation.intent, products=products)
            for h in hits
            if h.doc_id in stored
        ]
        found.sort(key=lambda f: (-_rank(f), f.case.conversation_id))
        for item in found[:limit]:
            db.expunge(item.case)
        return found[:limit]


_HEADINGS = {
    "en": ("How we solved: ", "The customer's problem", "What we did", "Final reply", "Outcome"),
    "zh": ("处理记录：", "顾客的问题", "我们的处理", "最终回复", "处理结果"),
}


def _article_from_case(case: KbCase, conversation: Conversation) -> ArticleIn:
    language = (case.language or "en").split("-")[0]
    lead, problem, done, reply, outcome = _HEADINGS.get(language, _HEADINGS["en"])
    first_line = next((line for line in case.problem.splitlines() if line.strip()), "case")
    result = case.outcome + (f" (CSAT {case.csat}/5)" if case.csat else "")
    sections = [(problem, case.problem), (done, case.actions), (reply, case.final_reply),
                (outcome, result)]  # fmt: skip
    body = "\n\n".join(f"## {head}\n\n{text.strip()}" for head, text in sections if text.strip())
    tags = [t for t in [case.intent or "", *case.products] if t and len(t) <= 40][:10]
    return ArticleIn(
        slug=f"case-{conversation.id[:16].lower()}", title=(lead + first_line.strip())[:200],
        body=body, language=language, kind="procedure", status="draft", tags=tags,
        source=f"solved conversation {conversation.id}",
    )  # fmt: skip


def save_case_as_article(
    *, sessions: sessionmaker[Session], hub: KnowledgeHub, conversation_id: str,
    access: Access, now: datetime,
) -> ArticlePublic:  # fmt: skip
    """A draft procedure article written from a solved conversation's case."""
    with sessions() as db:
        conversation = conversation_service.get(
            db=db, conversation_id=conversation_id, shop_ids=access.readable
        )
        if conversation.status not in SOLVED:
            raise Conflict("only a resolved or closed conversation can be saved as an article")
    sync_cases(sessions=sessions, hub=hub, now=now)
    with sessions() as db:
        conversation = conversation_service.get(
            db=db, conversation_id=conversation_id, shop_ids=access.readable
        )
        case = case_store.cases_by_conversation(db=db, conversation_ids=[conversation.id]).get(
            conversation.id
        )
        if case is None:
            raise InvalidInput("the conversation has no customer message to learn from")
        article_in = _article_from_case(case, conversation)
        shop_id = conversation.shop_id
    return kb_flows.create_article(sessions=sessions, keeper=hub.articles, article_in=article_in,
                                   shop_id=shop_id, access=access, now=now)  # fmt: skip
