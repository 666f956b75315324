"""The conversation page and its forms: reply, send-and-resolve, note, status, assign, tags."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from kefu.conversations import service as conversation_service
from kefu.conversations.enums import Status
from kefu.conversations.schemas import ConversationPatch, NoteIn, ReplyIn
from kefu.errors import KefuError, NotFound
from kefu.inbox import reply
from kefu.services import Services
from kefu.web.deps import ServicesDep, write
from kefu.web.ui.auth import Viewer, ViewerDep, check_csrf
from kefu.web.ui.composer import ComposerState, can_override, draft_state, findings_for
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


def _page(
    request: Request,
    viewer: Viewer,
    services: Services,
    conversation_id: str,
    *,
    flash: dict[str, str] | None = None,
    composer: ComposerState | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    now = services.clock.now()
    with services.reading() as db:
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
        composer = composer or draft_state(
            db=db,
            conversation=view.conversation,
            principal=viewer.principal,
            now=now,
            knowledge=services.extras.get("knowledge_lookup"),
        )
        return render_page(
            request,
            "conversation.html",
            language=viewer.language,
            csrf=viewer.csrf,
            viewer=viewer,
            view=view,
            now=now,
            flash=flash,
            composer=composer,
            request_key=uuid.uuid4().hex,
            statuses=[s.value for s in Status],
            status_code=status_code,
        )


@router.get("/c/{conversation_id}")
def show(
    conversation_id: str, request: Request, viewer: ViewerDep, services: ServicesDep
) -> HTMLResponse:
    """One conversation with its triage, customer, orders and the reply editor."""
    return _page(
        request, viewer, services, conversation_id, flash=request.session.pop("flash", None)
    )


@router.post("/c/{conversation_id}/lint")
def lint(
    conversation_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    text: Annotated[str, Form(max_length=20_000)] = "",
    csrf_token_: CsrfField = "",
) -> JSONResponse:
    """Lint findings for the editor's text, checked against this conversation's facts."""
    check_csrf(request, csrf_token_)
    with services.reading() as db:
        try:
            conversation = conversation_service.get(
                db=db, conversation_id=conversation_id, shop_ids=viewer.principal.shop_ids
            )
        except NotFound:
            return JSONResponse({"detail": "not found"}, status_code=404)
        findings = findings_for(
            db=db,
            conversation=conversation,
            text=text,
            principal=viewer.principal,
            now=services.clock.now(),
        )
    blocking = any(f["severity"] == "blocking" for f in findings)
    return JSONResponse({"blocking": blocking, "findings": findings})


@router.post("/c/{conversation_id}/presence")
def presence(
    conversation_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    state: Annotated[str, Form(max_length=10)] = "viewing",
    csrf_token_: CsrfField = "",
) -> Response:
    """Tell other agents on this conversation that the viewer is viewing or typing."""
    check_csrf(request, csrf_token_)
    with services.reading() as db:
        try:
            conversation_service.get(
                db=db, conversation_id=conversation_id, shop_ids=viewer.principal.shop_ids
            )
        except NotFound:
            return Response(status_code=404)
    event = {
        "type": "presence",
        "conversation_id": conversation_id,
        "user_id": viewer.user_id,
        "user": viewer.name,
        "state": "typing" if state == "typing" else "viewing",
    }
    services.events.publish("inbox", event)
    return Response(status_code=204)


def _store(
    services: Services, viewer: Viewer, conversation_id: str, action: str, reply_in: ReplyIn
) -> None:
    with write(services) as db:
        now = services.clock.now()
        if action == "note":
            note_in = NoteIn(text=reply_in.text)
            reply.add_note(
                db=db,
                conversation_id=conversation_id,
                note_in=note_in,
                principal=viewer.principal,
                now=now,
            )
        else:
            reply.post_reply(
                db=db,
                conversation_id=conversation_id,
                reply_in=reply_in,
                principal=viewer.principal,
                now=now,
                max_attempts=services.settings.job_max_attempts,
            )


def _blocked(
    request: Request,
    viewer: Viewer,
    services: Services,
    conversation_id: str,
    text: str,
    exc: KefuError,
) -> HTMLResponse:
    """The page again with the agent's text kept and the linter's findings underlined."""
    findings = list(exc.extra.get("findings") or [])
    message = (
        N_("This reply has blocking problems. Fix the underlined parts and send again.")
        if findings
        else N_("The reply could not be sent.")
    )
    with services.reading() as db:
        conversation = conversation_service.get(
            db=db, conversation_id=conversation_id, shop_ids=viewer.principal.shop_ids
        )
        override = can_override(viewer.principal, conversation)
    kept = ComposerState(text=text, findings=findings, can_override=override)
    flash = {"kind": "error", "text": message}
    return _page(
        request, viewer, services, conversation_id, composer=kept, status_code=422, flash=flash
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
    override_lint: Annotated[bool, Form()] = False,
    csrf_token_: CsrfField = "",
) -> Response:
    """Send a reply (optionally resolving) or add an internal note."""
    check_csrf(request, csrf_token_)
    try:
        reply_in = ReplyIn(
            text=text,
            resolve=action == "resolve",
            request_key=request_key or None,
            override_lint=override_lint,
        )
        _store(services, viewer, conversation_id, action, reply_in)
    except NotFound:
        return Response("not found", status_code=404)
    except ValidationError:
        _flash(request, "error", N_("Write a message before sending."))
        return _back(conversation_id, request)
    except KefuError as exc:
        return _blocked(request, viewer, services, conversation_id, text, exc)
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
    snooze_hours: Annotated[int | None, Form(ge=1, le=24 * 30)] = None,
    csrf_token_: CsrfField = "",
) -> Response:
    """Change status, assignee ("me" for the viewer, empty to unassign), tags, or snooze."""
    check_csrf(request, csrf_token_)
    fields: dict[str, object] = {}
    if status:
        fields["status"] = status
    if status == Status.SNOOZED and not snooze_hours:
        snooze_hours = 24  # the status list's "snoozed": for a day, as the snooze menu offers
    if snooze_hours:
        fields["status"] = Status.SNOOZED
        fields["snoozed_until"] = services.clock.now() + timedelta(hours=snooze_hours)
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
