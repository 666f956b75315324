"""The conversation page and its forms: reply, send-and-resolve, note, status, assign, tags."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from kefu.conversations import service as conversation_service
from kefu.conversations.enums import Status
from kefu.conversations.schemas import ConversationPatch, NoteIn, ReplyIn
from kefu.errors import KefuError, NotFound
from kefu.inbox import reply
from kefu.web.deps import ServicesDep, write
from kefu.web.ui.auth import ViewerDep, check_csrf
from kefu.web.ui.detail import conversation_view
from kefu.web.ui.render import render_page

router = APIRouter(prefix="/ui", include_in_schema=False)

CsrfField = Annotated[str, Form(alias="csrf_token")]


def N_(text: str) -> str:  # noqa: N802 - the gettext marker convention
    """Mark a message for the catalog; the template translates it when it is shown."""
    return text


def _back(conversation_id: str, request: Request) -> Response:
    if request.headers.get("x-requested-with") == "fetch":
        return Response(status_code=204)
    return RedirectResponse(f"/ui/c/{conversation_id}#composer", status_code=303)


def _flash(request: Request, kind: str, text: str) -> None:
    # Keyboard actions from the inbox answer 204 and show nothing; only page loads read flashes.
    if request.headers.get("x-requested-with") != "fetch":
        request.session["flash"] = {"kind": kind, "text": text}


@router.get("/c/{conversation_id}")
def show(
    conversation_id: str, request: Request, viewer: ViewerDep, services: ServicesDep
) -> HTMLResponse:
    """One conversation with its triage, customer, orders and the reply editor."""
    flash = request.session.pop("flash", None)
    with services.sessions() as db:
        try:
            view = conversation_view(
                db=db, conversation_id=conversation_id, shop_ids=viewer.principal.shop_ids
            )
        except NotFound:
            return render_page(
                request,
                "not_found.html",
                language=viewer.language,
                csrf=viewer.csrf,
                viewer=viewer,
                status_code=404,
            )
        return render_page(
            request,
            "conversation.html",
            language=viewer.language,
            csrf=viewer.csrf,
            viewer=viewer,
            view=view,
            now=services.clock.now(),
            flash=flash,
            request_key=uuid.uuid4().hex,
            statuses=[s.value for s in Status],
        )


@router.post("/c/{conversation_id}/reply")
def send(
    conversation_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    text: Annotated[str, Form(max_length=20_000)] = "",
    action: Annotated[str, Form()] = "send",
    request_key: Annotated[str, Form(max_length=128)] = "",
    csrf_token_: CsrfField = "",
) -> Response:
    """Send a reply (optionally resolving) or add an internal note."""
    check_csrf(request, csrf_token_)
    try:
        with write(services) as db:
            now = services.clock.now()
            if action == "note":
                reply.add_note(
                    db=db,
                    conversation_id=conversation_id,
                    note_in=NoteIn(text=text),
                    principal=viewer.principal,
                    now=now,
                )
            else:
                reply_in = ReplyIn(
                    text=text, resolve=action == "resolve", request_key=request_key or None
                )
                reply.post_reply(
                    db=db,
                    conversation_id=conversation_id,
                    reply_in=reply_in,
                    principal=viewer.principal,
                    now=now,
                )
    except NotFound:
        return Response("not found", status_code=404)
    except (ValidationError, KefuError):
        _flash(request, "error", N_("Write a message before sending."))
        return _back(conversation_id, request)
    kind = "conversation" if action == "note" else "reply"
    services.events.publish("inbox", {"type": kind, "conversation_id": conversation_id})
    done = {"note": N_("Note added."), "resolve": N_("Reply queued and conversation resolved.")}
    _flash(request, "ok", done.get(action, N_("Reply queued for delivery.")))
    return _back(conversation_id, request)


@router.post("/c/{conversation_id}/update")
def update(
    conversation_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    status: Annotated[str | None, Form()] = None,
    assignee_id: Annotated[str | None, Form()] = None,
    tags: Annotated[str | None, Form(max_length=1000)] = None,
    csrf_token_: CsrfField = "",
) -> Response:
    """Change status, assignee ("me" for the viewer, empty to unassign) or tags."""
    check_csrf(request, csrf_token_)
    fields: dict[str, object] = {}
    if status:
        fields["status"] = status
    if assignee_id is not None:
        fields["assignee_id"] = viewer.user_id if assignee_id == "me" else assignee_id
    if tags is not None:
        fields["tags"] = [t for t in tags.replace("，", ",").split(",") if t.strip()]
    try:
        patch = ConversationPatch.model_validate(fields)
        with write(services) as db:
            conversation = conversation_service.get(
                db=db, conversation_id=conversation_id, shop_ids=viewer.principal.shop_ids
            )
            conversation_service.apply_patch(
                db=db,
                conversation=conversation,
                patch=patch,
                actor=viewer.email,
                now=services.clock.now(),
            )
    except NotFound:
        return Response("not found", status_code=404)
    except (ValidationError, KefuError):
        _flash(request, "error", N_("That change could not be saved."))
        return _back(conversation_id, request)
    services.events.publish("inbox", {"type": "conversation", "conversation_id": conversation_id})
    _flash(request, "ok", N_("Saved."))
    return _back(conversation_id, request)
