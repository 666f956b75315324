"""Remedies from the conversation page, and the supervisors' approval queue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from kefu.accounts.enums import Role
from kefu.conversations import service as conversation_service
from kefu.errors import KefuError, NotFound
from kefu.inbox import remedies
from kefu.orders.models import Order
from kefu.policy import ExecutionStatus, RemedyRequestIn
from kefu.web.deps import ServicesDep
from kefu.web.ui.auth import Viewer, ViewerDep, check_csrf
from kefu.web.ui.render import render_page

router = APIRouter(prefix="/ui", include_in_schema=False)
CsrfField = Annotated[str, Form(alias="csrf_token")]


def N_(text: str) -> str:  # noqa: N802 - the gettext marker convention
    """Mark a message for the catalog; the template translates it when it is shown."""
    return text


def _refusal(exc: KefuError, language: str) -> str:
    reasons = exc.extra.get("reasons") or []
    if language == "zh" and reasons:
        return " ".join(str(r.get("zh") or r.get("en")) for r in reasons)
    return exc.detail


def _amount(text: str, currency: str) -> dict[str, str] | None:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return {"amount": str(value), "currency": currency} if value.is_finite() else None


@router.post("/c/{conversation_id}/remedy")
def remedy(
    conversation_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    remedy: Annotated[str, Form(max_length=40)],
    amount: Annotated[str, Form(max_length=30)] = "",
    request_key: Annotated[str, Form(max_length=128)] = "",
    csrf_token_: CsrfField = "",
) -> Response:
    """Carry out a remedy on the conversation's order, or file it for a supervisor."""
    check_csrf(request, csrf_token_)
    with services.reading() as db:
        try:
            conversation = conversation_service.get(
                db=db, conversation_id=conversation_id, shop_ids=viewer.principal.shop_ids
            )
        except NotFound:
            return Response("not found", status_code=404)
        order = db.get(Order, conversation.order_id) if conversation.order_id else None
        currency = order.currency if order else ""
    flash = _act(
        viewer,
        services,
        conversation_id,
        order.id if order else None,
        remedy,
        _amount(amount, currency) if amount.strip() else None,
        request_key,
    )
    request.session["flash"] = flash
    return RedirectResponse(f"/ui/c/{conversation_id}#order", status_code=303)


def _act(
    viewer: Viewer,
    services: Any,
    conversation_id: str,
    order_id: str | None,
    name: str,
    money: dict[str, str] | None,
    request_key: str,
) -> dict[str, str]:
    if order_id is None:
        return {"kind": "error", "text": N_("Link an order to this conversation first.")}
    try:
        body = RemedyRequestIn.model_validate(
            {"remedy": name, "amount": money, "reason": f"conversation {conversation_id}"}
        )
        result = remedies.act_on_order(
            sessions=services.sessions,
            principal=viewer.principal,
            order_ref=order_id,
            request=body.to_request(),
            request_key=request_key or uuid.uuid4().hex,
            now=services.clock.now(),
        )
    except ValidationError:
        return {"kind": "error", "text": N_("Check the remedy and amount.")}
    except KefuError as exc:
        return {"kind": "error", "text": _refusal(exc, viewer.language), "raw": "1"}
    services.events.publish("inbox", {"type": "conversation", "conversation_id": conversation_id})
    if result.status is ExecutionStatus.NEEDS_APPROVAL:
        return {
            "kind": "ok",
            "text": N_("Above your authority: sent to a supervisor for approval."),
        }
    return {"kind": "ok", "text": N_("Done: the remedy was carried out.")}


@dataclass(frozen=True)
class ApprovalRow:
    id: str
    order: str
    remedy: str
    amount: str
    requested_by: str
    requested_at: Any
    reasons: list[str]


def _rows(approvals: list[Any], orders: dict[str, str], language: str) -> list[ApprovalRow]:
    rows = []
    for a in approvals:
        money = a.request.amount or (a.decision.refund.total if a.decision.refund else None)
        rows.append(
            ApprovalRow(
                id=a.id,
                order=orders.get(a.order_id, a.order_id),
                remedy=a.request.remedy.value,
                amount=f"{money.amount:,.2f} {money.currency}" if money else "",
                requested_by=a.requested_by,
                requested_at=a.requested_at,
                reasons=[r.zh if language == "zh" else r.en for r in a.decision.reasons],
            )
        )
    return rows


@router.get("/approvals")
def approvals(request: Request, viewer: ViewerDep, services: ServicesDep) -> HTMLResponse:
    """Remedies waiting for a supervisor of the viewer's shops."""
    shop_ids = [s for s, r in viewer.principal.shop_roles.items() if r.rank >= Role.SUPERVISOR.rank]
    with services.reading() as db:
        pending = remedies.list_approvals(db=db, shop_ids=shop_ids, status="pending")
        ids = [a.order_id for a in pending]
        found = db.execute(select(Order.id, Order.external_id).where(Order.id.in_(ids)))
        orders = dict(found.all())
    return render_page(
        request,
        "approvals.html",
        language=viewer.language,
        csrf=viewer.csrf,
        viewer=viewer,
        rows=_rows(pending, orders, viewer.language),
        flash=request.session.pop("flash", None),
        supervisor=bool(shop_ids),
    )


@router.post("/approvals/{approval_id}")
def decide(
    approval_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    decision: Annotated[Literal["approve", "reject"], Form()],
    note: Annotated[str, Form(max_length=500)] = "",
    csrf_token_: CsrfField = "",
) -> Response:
    """Approve (the remedy runs now, re-checked) or reject a pending request."""
    check_csrf(request, csrf_token_)
    try:
        remedies.decide_approval(
            sessions=services.sessions,
            principal=viewer.principal,
            approval_id=approval_id,
            approve=decision == "approve",
            note=note,
            now=services.clock.now(),
        )
    except KefuError as exc:
        request.session["flash"] = {
            "kind": "error",
            "text": _refusal(exc, viewer.language),
            "raw": "1",
        }
    else:
        text = (
            N_("Approved: the remedy was carried out.")
            if decision == "approve"
            else N_("Rejected.")
        )
        request.session["flash"] = {"kind": "ok", "text": text}
    return RedirectResponse("/ui/approvals", status_code=303)
