"""Admin settings: a shop's policy overrides as YAML, validated like ``kefu policy validate``.

The form calls ``remedies.set_shop_policy``, the use case behind the API's
``PUT /api/v1/shops/{shop}/policy``, so the page never accepts what the API would refuse.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kefu.errors import InvalidInput, NotFound, PermissionDenied
from kefu.inbox import remedies
from kefu.inbox.snapshots import shop_policy
from kefu.policy.schemas import plain
from kefu.services import Services
from kefu.shops import service as shop_service
from kefu.shops.models import Shop
from kefu.web.deps import ServicesDep
from kefu.web.ui.auth import Viewer, ViewerDep, check_csrf
from kefu.web.ui.render import render_page
from kefu.web.ui.settings import admin_shop_ids, forbidden

router = APIRouter(prefix="/ui/settings", include_in_schema=False)
MAX_POLICY_CHARS = 64_000


def N_(text: str) -> str:  # noqa: N802 - the gettext marker convention
    """Mark a message for the catalog; the template translates it when it is shown."""
    return text


def as_yaml(data: dict[str, Any]) -> str:
    """Overrides as the YAML an admin edits (empty text when there are none)."""
    if not data:
        return ""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def problems_of(exc: InvalidInput) -> list[dict[str, Any]]:
    """Each problem with its line (when known), key and message."""
    rows = exc.extra.get("problems")
    if isinstance(rows, list) and rows:
        return [
            {"line": r.get("line"), "key": r.get("key"), "message": r.get("message")}
            for r in rows
            if isinstance(r, dict)
        ]
    return [{"line": None, "key": exc.field, "message": exc.detail}]


def _page(
    request: Request,
    viewer: Viewer,
    shop: Shop,
    *,
    text: str,
    problems: list[dict[str, Any]] | None = None,
    flash: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    try:
        effective = as_yaml(plain(asdict(shop_policy(shop))))
    except InvalidInput:  # stored overrides no longer valid for a newer policy pack
        effective = ""
    return render_page(
        request,
        "settings_policy.html",
        language=viewer.language,
        csrf=viewer.csrf,
        viewer=viewer,
        shop=shop,
        text=text,
        problems=problems or [],
        effective=effective,
        flash=flash,
        status_code=status_code,
    )


def _admin_shop(services: Services, viewer: Viewer, shop_id: str) -> Shop | None:
    with services.reading() as db:
        try:
            shop = shop_service.get(db=db, ref=shop_id, shop_ids=admin_shop_ids(viewer))
        except NotFound:
            return None
        db.expunge(shop)
        return shop


@router.get("/shops/{shop_id}/policy")
def edit_policy(
    shop_id: str, request: Request, viewer: ViewerDep, services: ServicesDep
) -> HTMLResponse:
    """The shop's stored overrides in an editor, and the terms in force."""
    shop = _admin_shop(services, viewer, shop_id)
    if shop is None:
        return forbidden(request, viewer)
    flash = request.session.pop("flash", None)
    return _page(request, viewer, shop, text=as_yaml(shop.policy_overrides or {}), flash=flash)


@router.post("/shops/{shop_id}/policy")
def save_policy(
    shop_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    text: Annotated[str, Form(max_length=MAX_POLICY_CHARS)] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """Validate and store the overrides; on problems show them by line and keep the text."""
    check_csrf(request, csrf_token_)
    shop = _admin_shop(services, viewer, shop_id)
    if shop is None:
        return forbidden(request, viewer)
    try:
        remedies.set_shop_policy(
            sessions=services.sessions,
            principal=viewer.principal,
            shop_ref=shop.id,
            body=text.replace("\r\n", "\n").encode("utf-8", "replace"),
            content_type="application/yaml",
            now=services.clock.now(),
        )
    except InvalidInput as exc:
        return _page(request, viewer, shop, text=text, problems=problems_of(exc), status_code=422)
    except PermissionDenied:
        return forbidden(request, viewer)
    request.session["flash"] = {"kind": "ok", "text": N_("Policy overrides saved.")}
    return RedirectResponse(f"/ui/settings/shops/{shop.id}/policy", status_code=303)
