"""The inbox page: queues, filters, search, pagination, and bulk assign/resolve/tag."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kefu.conversations import service as conversation_service
from kefu.conversations.enums import Status
from kefu.conversations.schemas import ConversationPatch
from kefu.errors import KefuError
from kefu.web.deps import ServicesDep, write
from kefu.web.ui import queries
from kefu.web.ui.auth import ViewerDep, check_csrf, safe_next
from kefu.web.ui.render import render_page

router = APIRouter(prefix="/ui", include_in_schema=False)

Short = Annotated[str, Query(max_length=64)]
MAX_BULK = 200


def N_(text: str) -> str:  # noqa: N802 - the gettext marker convention
    """Mark a message for the catalog; the template translates it when it is shown."""
    return text


@router.get("/inbox")
def inbox(
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    queue: Short = "open",
    shop: Short = "",
    channel: Short = "",
    language: Short = "",
    intent: Short = "",
    tag: Short = "",
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """A queue of conversations, most urgent first."""
    query = queries.InboxQuery(
        queue=queue if queue in queries.QUEUES else "open",
        shop=shop,
        channel=channel,
        language=language,
        intent=intent,
        tag=tag,
        q=q,
        page=page,
    )
    now = services.clock.now()
    shop_ids = viewer.principal.shop_ids
    with services.reading() as db:
        result = queries.inbox_page(
            db=db, shop_ids=shop_ids, user_id=viewer.user_id, query=query, now=now
        )
        options = queries.filter_options(db=db, shop_ids=shop_ids)
    params = {k: v for k, v in vars(query).items() if v and k != "page"}
    return render_page(
        request,
        "inbox.html",
        language=viewer.language,
        csrf=viewer.csrf,
        viewer=viewer,
        query=query,
        result=result,
        options=options,
        now=now,
        queues=queries.QUEUES,
        page_url=lambda n: "/ui/inbox?" + urlencode({**params, "page": n}),
        queue_url=lambda name: "/ui/inbox?" + urlencode({**params, "queue": name}),
        filtered=query.filtered,
        flash=request.session.pop("flash", None),
        here=request.url.path + ("?" + request.url.query if request.url.query else ""),
    )


def _bulk_patch(action: str, tag: str, user_id: str) -> ConversationPatch | None:
    if action == "assign":
        return ConversationPatch(assignee_id=user_id)
    if action == "resolve":
        return ConversationPatch(status=Status.RESOLVED)
    return None if action != "tag" or not tag.strip() else ConversationPatch()


@router.post("/bulk")
def bulk(
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    ids: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    action: Annotated[str, Form()] = "",
    tag: Annotated[str, Form(max_length=40)] = "",
    next_: Annotated[str, Form(alias="next")] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """Assign to me, resolve or tag the selected conversations in one transaction."""
    check_csrf(request, csrf_token_)
    patch = _bulk_patch(action, tag, viewer.user_id)
    chosen = list(dict.fromkeys(ids))[:MAX_BULK]
    if patch is None or not chosen:
        request.session["flash"] = {"kind": "error", "text": N_("Select conversations first.")}
        return RedirectResponse(safe_next(next_), status_code=303)
    try:
        with write(services) as db:
            for conversation_id in chosen:
                conversation = conversation_service.get(
                    db=db, conversation_id=conversation_id, shop_ids=viewer.principal.shop_ids
                )
                this = patch
                if action == "tag":
                    this = ConversationPatch(tags=[*(conversation.tags or []), tag])
                conversation_service.apply_patch(
                    db=db,
                    conversation=conversation,
                    patch=this,
                    actor=viewer.email,
                    now=services.clock.now(),
                )
    except KefuError:
        request.session["flash"] = {"kind": "error", "text": N_("That change could not be saved.")}
        return RedirectResponse(safe_next(next_), status_code=303)
    for conversation_id in chosen:
        services.events.publish(
            "inbox", {"type": "conversation", "conversation_id": conversation_id}
        )
    request.session["flash"] = {"kind": "ok", "text": N_("Saved.")}
    return RedirectResponse(safe_next(next_), status_code=303)
