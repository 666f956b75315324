"""Knowledge base: articles with versions, search, knowledge gaps and the case library.

Who may do what: everyone reads global articles and their own shops' ones (another shop's
article is a 404); supervisors and admins of a shop change its articles. Global articles feed
every shop's searches and drafts, so only an admin of *every* shop there is creates, changes or
deletes them (a 403 for anyone else; there is no platform-level role). Any member may save a
solved conversation of their shop as a *draft* article.

The gap report shows the searches of the caller's shops. A search made across several shops is
stored with no shop, and its text may name any of them (a customer, an IBAN), so it is shown only
to a caller who holds every shop.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.orm import Session

from kefu.accounts.enums import Role
from kefu.accounts.schemas import Principal
from kefu.inbox import cases as case_flows
from kefu.inbox.kb import SearchRequest, search_knowledge
from kefu.knowledge import flows, gaps, service
from kefu.knowledge.hub import KnowledgeHub
from kefu.knowledge.schemas import Access, ArticleIn, ArticlePatch, ArticlePublic, VersionPublic
from kefu.services import Services
from kefu.shops import service as shop_service
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep

router = APIRouter(tags=["knowledge"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "not yours to change (global articles need an admin of every shop)"},
    404: {"description": "unknown article or shop, or another shop's"},
    409: {"description": "the slug is already used in that shop (or among global articles)"},
    413: {"description": "the article is over 512 KB (the request body over the server limit)"},
    422: {"description": "a field breaks the article rules; the detail names it"},
}
_LANGUAGE = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$"
LanguageQ = Annotated[str | None, Query(max_length=16, pattern=_LANGUAGE)]


def _hub(services: Services) -> KnowledgeHub:
    hub: KnowledgeHub = services.extras["knowledge_hub"]
    return hub


def access_of(
    principal: Principal, *, every_shop: Collection[str] = (), drafts: bool = False
) -> Access:
    """The caller's knowledge rights (``drafts``: any member may write a draft); global
    articles are writable only by an admin of ``every_shop``, the ids of all shops."""
    writers = (
        principal.shop_ids
        if drafts
        else frozenset(s for s in principal.shop_ids if principal.has_role(s, Role.SUPERVISOR))
    )
    global_writer = principal.administers_all(every_shop)
    return Access(principal.email, principal.shop_ids, writers, global_writer)


def write_access(services: Services, principal: Principal) -> Access:
    """``access_of`` with the shops read in a short session of its own (see ``_resolve_shop``)."""
    with services.reading() as db:
        return access_of(principal, every_shop=shop_service.every_shop_id(db))


def _shop_id(db: Session, principal: Principal, ref: str | None) -> str | None:
    return None if ref is None else shop_service.get(db=db, ref=ref, shop_ids=principal.shop_ids).id


def _resolve_shop(services: Services, principal: Principal, ref: str | None) -> str | None:
    # Its own short session, closed before the flow writes: on SQLite every transaction takes
    # the write lock, so a request may hold only one at a time.
    if ref is None:
        return None
    with services.reading() as db:
        return _shop_id(db, principal, ref)


@router.get("/kb/articles", response_model=list[ArticlePublic], responses=_ERRORS)
def list_articles(
    db: DbDep, principal: PrincipalDep,
    shop: Annotated[str | None, Query(max_length=64, description="id or slug")] = None,
    language: LanguageQ = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
    status_: Annotated[str | None, Query(alias="status", pattern="^(draft|published)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[ArticlePublic]:  # fmt: skip
    """Global articles and the caller's shops' ones, by slug."""
    rows = service.list_articles(
        db=db, shop_ids=principal.shop_ids, shop_id=_shop_id(db, principal, shop),
        language=language, kind=kind, tag=tag, status=status_, limit=limit, offset=offset,
    )  # fmt: skip
    return [ArticlePublic.model_validate(r) for r in rows]


@router.post("/kb/articles", status_code=status.HTTP_201_CREATED, response_model=ArticlePublic,
             responses=_ERRORS)  # fmt: skip
def create_article(
    body: ArticleIn, services: ServicesDep, principal: PrincipalDep
) -> ArticlePublic:
    """Store an article as version 1; it is searchable as soon as this answers."""
    return flows.create_article(
        sessions=services.sessions, keeper=_hub(services).articles, article_in=body,
        shop_id=_resolve_shop(services, principal, body.shop),
        access=write_access(services, principal), now=services.clock.now(),
    )  # fmt: skip


@router.get("/kb/articles/{article_id}", response_model=ArticlePublic, responses=_ERRORS)
def get_article(article_id: str, db: DbDep, principal: PrincipalDep) -> ArticlePublic:
    """One article, current version."""
    row = service.get(db=db, article_id=article_id, shop_ids=principal.shop_ids)
    return ArticlePublic.model_validate(row)


@router.patch("/kb/articles/{article_id}", response_model=ArticlePublic, responses=_ERRORS)
def update_article(
    article_id: str, body: ArticlePatch, services: ServicesDep, principal: PrincipalDep
) -> ArticlePublic:
    """Change an article; a real change adds a version, an identical save adds none."""
    return flows.update_article(
        sessions=services.sessions, keeper=_hub(services).articles, article_id=article_id,
        patch=body, access=write_access(services, principal), now=services.clock.now(),
    )  # fmt: skip


@router.delete("/kb/articles/{article_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=_ERRORS)  # fmt: skip
def delete_article(article_id: str, services: ServicesDep, principal: PrincipalDep) -> Response:
    """Delete an article and its versions (the audit trail keeps its last text)."""
    flows.delete_article(
        sessions=services.sessions, keeper=_hub(services).articles, article_id=article_id,
        access=write_access(services, principal), now=services.clock.now(),
    )  # fmt: skip
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/kb/articles/{article_id}/versions", response_model=list[VersionPublic],
            responses=_ERRORS)  # fmt: skip
def article_versions(article_id: str, db: DbDep, principal: PrincipalDep) -> list[VersionPublic]:
    """Every version of an article with its author and time, newest first."""
    row = service.get(db=db, article_id=article_id, shop_ids=principal.shop_ids)
    return [VersionPublic.model_validate(v) for v in service.versions(db=db, article=row)]


@router.get(
    "/kb/search",
    responses={422: {"description": "empty query, bad language code or limit"}, 404: {}},
)
def search(
    services: ServicesDep, principal: PrincipalDep,
    q: Annotated[str, Query(max_length=20_000, description="words to look for; at most the "
                            "first 2,000 characters are used")] = "",
    shop: Annotated[str | None, Query(max_length=64)] = None,
    language: LanguageQ = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    platform: Annotated[str | None, Query(max_length=20)] = None,
    tags: Annotated[str | None, Query(max_length=400, description="comma-separated")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:  # fmt: skip
    """Published articles for a query; an empty query is a 422 with a clear detail."""
    request = SearchRequest(
        query=q, readable=principal.shop_ids, shop_id=_resolve_shop(services, principal, shop),
        platform=platform, language=language.replace("_", "-").lower() if language else None,
        kind=kind, tags=tuple(t.strip() for t in (tags or "").split(",") if t.strip()),
        limit=limit,
    )  # fmt: skip
    result = search_knowledge(
        sessions=services.sessions, hub=_hub(services), triager=services.triager,
        request=request, languages=services.settings.languages, now=services.clock.now(),
    )  # fmt: skip
    hits = [
        hit.as_dict() | {"article_id": doc.id, "shop_id": doc.shop_id, "language": doc.language,
                         "kind": doc.kind, "platform": doc.platform, "tags": list(doc.tags)}
        for hit, doc in result.hits
    ]  # fmt: skip
    return {"query": result.query, "truncated": result.truncated, "weak": result.weak,
            "hits": hits}  # fmt: skip


@router.get("/kb/gaps")
def knowledge_gaps(
    services: ServicesDep, principal: PrincipalDep,
    shop: Annotated[str | None, Query(max_length=64)] = None,
    days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> dict[str, Any]:  # fmt: skip
    """Weak searches and drafts of the last ``days``, grouped by intent and language (a
    search made across several shops only for a caller who holds every shop)."""
    since = services.clock.now() - timedelta(days=days)
    shop_id = _resolve_shop(services, principal, shop)
    _hub(services).pending_gaps.flush()
    with services.reading() as db:
        unscoped = gaps.may_see_unscoped(principal.shop_ids, shop_service.every_shop_id(db))
        groups = gaps.report(db=db, shop_ids=principal.shop_ids, shop_id=shop_id, since=since,
                             include_unscoped=unscoped)  # fmt: skip
    return {
        "days": days, "threshold": {"bm25": gaps.WEAK_BM25, "terms": "half, at most 3"},
        "groups": [
            {"intent": g.intent, "language": g.language, "count": g.count,
             "searches": g.searches, "drafts": g.drafts, "examples": list(g.examples),
             "last_at": g.last_at.isoformat()}
            for g in groups
        ],
    }  # fmt: skip


@router.get(
    "/conversations/{conversation_id}/similar",
    responses={404: {"description": "unknown conversation, or another shop's"}},
)
def similar(conversation_id: str, services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """The five most similar solved cases of the shop, with the reasons."""
    found = case_flows.similar_cases(
        sessions=services.sessions, hub=_hub(services), conversation_id=conversation_id,
        shop_ids=principal.shop_ids, now=services.clock.now(),
    )  # fmt: skip
    return {"conversation_id": conversation_id, "cases": [
        {"conversation_id": f.case.conversation_id, "score": round(f.score, 6),
         "reasons": list(f.reasons), "shared_terms": list(f.shared_terms),
         "shared_products": list(f.shared_products), "same_intent": f.same_intent,
         "intent": f.case.intent, "language": f.case.language, "problem": f.case.problem,
         "actions": f.case.actions, "final_reply": f.case.final_reply,
         "outcome": f.case.outcome, "csat": f.case.csat,
         "resolved_at": f.case.resolved_at.isoformat()}
        for f in found
    ]}  # fmt: skip


@router.post("/conversations/{conversation_id}/save-as-article",
             status_code=status.HTTP_201_CREATED, response_model=ArticlePublic,
             responses=_ERRORS)  # fmt: skip
def save_as_article(
    conversation_id: str, services: ServicesDep, principal: PrincipalDep
) -> ArticlePublic:
    """A draft procedure article from a resolved conversation (409 if not solved or saved)."""
    return case_flows.save_case_as_article(
        sessions=services.sessions, hub=_hub(services), conversation_id=conversation_id,
        access=access_of(principal, drafts=True), now=services.clock.now(),
    )  # fmt: skip
