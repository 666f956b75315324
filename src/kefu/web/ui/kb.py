"""Knowledge pages: browse and search articles, read one, edit it with a preview, its versions,
and the gap report. Every read and write goes through the knowledge service and flows the REST
API uses (``kefu.knowledge``, ``kefu.inbox.kb.search_knowledge``, ``kefu.knowledge.gaps``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kefu.errors import InvalidInput, KefuError, NotFound
from kefu.inbox.kb import SearchRequest, search_knowledge
from kefu.knowledge import flows, gaps, service
from kefu.knowledge.schemas import ArticlePatch
from kefu.services import Services
from kefu.shops import service as shop_service
from kefu.web.api.kb import access_of, write_access
from kefu.web.deps import ServicesDep
from kefu.web.ui.auth import Viewer, ViewerDep, check_csrf
from kefu.web.ui.markdown import render_markdown
from kefu.web.ui.render import render_page

router = APIRouter(prefix="/ui/kb", include_in_schema=False)
GAP_DAYS = 30


def N_(text: str) -> str:  # noqa: N802 - the gettext marker convention
    """Mark a message for the catalog; the template translates it when it is shown."""
    return text


def _render(request: Request, viewer: Viewer, template: str, **context: Any) -> HTMLResponse:
    status_code = context.pop("status_code", 200)
    return render_page(
        request,
        template,
        language=viewer.language,
        csrf=viewer.csrf,
        viewer=viewer,
        status_code=status_code,
        **context,
    )


def _search(services: Services, viewer: Viewer, query: str) -> dict[str, Any]:
    request = SearchRequest(query=query, readable=viewer.principal.shop_ids, limit=20)
    result = search_knowledge(
        sessions=services.sessions,
        hub=services.extras["knowledge_hub"],
        triager=services.triager,
        request=request,
        languages=services.settings.languages,
        now=services.clock.now(),
    )
    hits = [
        {"id": doc.id, "title": hit.title, "snippet": hit.marked_snippet(),
         "language": doc.language, "kind": doc.kind}
        for hit, doc in result.hits
    ]  # fmt: skip
    return {"hits": hits, "weak": result.weak}


@router.get("")
def browse(
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    q: Annotated[str, Query(max_length=2000)] = "",
) -> HTMLResponse:
    """All readable articles, or the search results for ``q`` with matched words marked."""
    found: dict[str, Any] | None = None
    error = None
    if q.strip():
        try:
            found = _search(services, viewer, q)
        except InvalidInput as exc:
            error = exc.detail
    with services.reading() as db:
        articles = [] if found else service.list_articles(db=db, shop_ids=viewer.principal.shop_ids)
        return _render(request, viewer, "kb.html", q=q, found=found, error=error, articles=articles)


@router.get("/gaps")
def gap_report(request: Request, viewer: ViewerDep, services: ServicesDep) -> HTMLResponse:
    """Questions the knowledge base answered weakly in the last 30 days, by intent and language
    (searches made across several shops only for a viewer who holds every shop, as in the API)."""
    services.extras["knowledge_hub"].pending_gaps.flush()
    since = services.clock.now() - timedelta(days=GAP_DAYS)
    with services.reading() as db:
        groups = gaps.report(
            db=db,
            shop_ids=viewer.principal.shop_ids,
            since=since,
            include_unscoped=gaps.may_see_unscoped(
                viewer.principal.shop_ids, shop_service.every_shop_id(db)
            ),
        )
    return _render(request, viewer, "kb_gaps.html", groups=groups, days=GAP_DAYS)


def _article_page(
    request: Request,
    viewer: Viewer,
    services: Services,
    article_id: str,
    *,
    editing: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with services.reading() as db:
        try:
            row = service.get(db=db, article_id=article_id, shop_ids=viewer.principal.shop_ids)
        except NotFound:
            return _render(request, viewer, "not_found.html", status_code=404)
        try:
            access = access_of(viewer.principal, every_shop=shop_service.every_shop_id(db))
            service.check_write(access, row.shop_id)
            may_edit = True
        except KefuError:
            may_edit = False
            editing = None  # readers get the article, not an editor they could not save
        return _render(
            request,
            viewer,
            "kb_article.html",
            article=row,
            html=render_markdown(editing["body"] if editing else row.body),
            versions=service.versions(db=db, article=row),
            may_edit=may_edit,
            editing=editing,
            error=error,
            flash=request.session.pop("flash", None),
            status_code=status_code,
        )


@router.get("/{article_id}")
def show(
    article_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    edit: bool = False,
) -> HTMLResponse:
    """One article rendered, its version history, and (with ``edit``) the editor."""
    if not edit:
        return _article_page(request, viewer, services, article_id)
    with services.reading() as db:
        try:
            row = service.get(db=db, article_id=article_id, shop_ids=viewer.principal.shop_ids)
        except NotFound:
            return _render(request, viewer, "not_found.html", status_code=404)
        form = {"title": row.title, "body": row.body}
    return _article_page(request, viewer, services, article_id, editing=form)


@router.post("/{article_id}")
def save(
    article_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    title: Annotated[str, Form(max_length=400)] = "",
    body: Annotated[str, Form(max_length=512_000)] = "",
    action: Annotated[str, Form(max_length=10)] = "save",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """Preview the edited text, or save it as a new version (knowledge flows, same as the API)."""
    check_csrf(request, csrf_token_)
    form = {"title": title, "body": body}
    if action == "preview":
        return _article_page(request, viewer, services, article_id, editing=form)
    try:
        flows.update_article(
            sessions=services.sessions,
            keeper=services.extras["knowledge_hub"].articles,
            article_id=article_id,
            patch=ArticlePatch(title=title, body=body),
            access=write_access(services, viewer.principal),
            now=services.clock.now(),
        )
    except NotFound:
        return _render(request, viewer, "not_found.html", status_code=404)
    except KefuError as exc:
        return _article_page(
            request,
            viewer,
            services,
            article_id,
            editing=form,
            error=exc.detail,
            status_code=exc.status_code,
        )
    request.session["flash"] = {"kind": "ok", "text": N_("Article saved as a new version.")}
    return RedirectResponse(f"/ui/kb/{article_id}", status_code=303)
