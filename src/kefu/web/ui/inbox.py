"""The inbox page: queues, filters, search, pagination; a rows-only variant for live refresh."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from kefu.web.deps import ServicesDep
from kefu.web.ui import queries
from kefu.web.ui.auth import ViewerDep
from kefu.web.ui.render import render_page

router = APIRouter(prefix="/ui", include_in_schema=False)

Short = Annotated[str, Query(max_length=64)]


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
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    partial: bool = False,
) -> HTMLResponse:
    """A queue of conversations, most urgent first."""
    query = queries.InboxQuery(
        queue=queue if queue in queries.QUEUES else "open",
        shop=shop,
        channel=channel,
        language=language,
        intent=intent,
        q=q,
        page=page,
    )
    now = services.clock.now()
    shop_ids = viewer.principal.shop_ids
    with services.sessions() as db:
        result = queries.inbox_page(
            db=db, shop_ids=shop_ids, user_id=viewer.user_id, query=query, now=now
        )
        options = queries.filter_options(db=db, shop_ids=shop_ids)
    params = {k: v for k, v in vars(query).items() if v and k != "page"}
    return render_page(
        request,
        "inbox_rows.html" if partial else "inbox.html",
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
        filtered=any((shop, channel, language, intent, q)),
    )
