"""The reply editor's macro picker: the shop's macros for ``/`` and one filled in for a reply."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse

from kefu.conversations import service as conversation_service
from kefu.errors import NotFound
from kefu.macros import service as macro_service
from kefu.macros.models import Macro
from kefu.web.deps import ServicesDep
from kefu.web.ui.auth import ViewerDep, check_csrf

router = APIRouter(prefix="/ui", include_in_schema=False)
PICKER_LIMIT = 8
_PREVIEW = 90


def base_language(code: str | None) -> str:
    """``zh-CN`` -> ``zh``: macros are stored under the base code."""
    return (code or "").replace("_", "-").split("-")[0].lower()


def rank_macros(macros: list[Macro], *, query: str, language: str | None) -> list[Macro]:
    """Macros matching ``query`` (name first, then body), the conversation's language first."""
    needle = query.strip().casefold()
    wanted = base_language(language)
    ranked: list[tuple[int, int, str, Macro]] = []
    for macro in macros:
        name = macro.name.casefold()
        if not needle or name.startswith(needle):
            fit = 0
        elif needle in name:
            fit = 1
        elif needle in macro.body.casefold():
            fit = 2
        else:
            continue
        ranked.append((0 if macro.language == wanted else 1, fit, name, macro))
    ranked.sort(key=lambda row: row[:3])
    return [row[3] for row in ranked]


def _item(macro: Macro) -> dict[str, Any]:
    body = " ".join(macro.body.split())
    preview = body if len(body) <= _PREVIEW else body[: _PREVIEW - 1] + "…"
    return {
        "id": macro.id,
        "name": macro.name,
        "language": macro.language,
        "intent": macro.intent,
        "preview": preview,
    }


@router.get("/c/{conversation_id}/macros")
def picker(
    conversation_id: str,
    viewer: ViewerDep,
    services: ServicesDep,
    q: Annotated[str, Query(max_length=120)] = "",
) -> JSONResponse:
    """The conversation's shop's macros matching ``q``, its language first (at most eight)."""
    with services.reading() as db:
        try:
            conversation = conversation_service.get(
                db=db, conversation_id=conversation_id, shop_ids=viewer.principal.shop_ids
            )
        except NotFound:
            return JSONResponse({"detail": "not found"}, status_code=404)
        macros = macro_service.list_macros(
            db=db, shop_ids=viewer.principal.shop_ids, shop=conversation.shop_id
        )
        ranked = rank_macros(macros, query=q, language=conversation.language)
        return JSONResponse({"macros": [_item(m) for m in ranked[:PICKER_LIMIT]]})


@router.post("/c/{conversation_id}/macros/{macro_id}/render")
def render(
    conversation_id: str,
    macro_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> JSONResponse:
    """The macro filled in for this conversation by the macro service, with its lint."""
    check_csrf(request, csrf_token_)
    with services.reading() as db:
        try:
            rendered = macro_service.render_for_conversation(
                db=db,
                conversation_id=conversation_id,
                macro_id=macro_id,
                principal=viewer.principal,
                now=services.clock.now(),
            )
        except NotFound:
            return JSONResponse({"detail": "not found"}, status_code=404)
        return JSONResponse(rendered.model_dump(mode="json"))
