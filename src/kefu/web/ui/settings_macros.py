"""Admin settings: the shops' macros listed, created, edited and deleted through the macro service.

An unknown variable or a clashing name comes back from the service as an error on its field and
is shown beside that field, with the text kept.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from kefu.errors import KefuError, NotFound
from kefu.macros import service as macro_service
from kefu.macros.schemas import MacroIn, MacroPatch
from kefu.replies import macro_variables
from kefu.services import Services
from kefu.shops import service as shop_service
from kefu.web.deps import ServicesDep, write
from kefu.web.ui.auth import Viewer, ViewerDep, check_csrf
from kefu.web.ui.render import render_page
from kefu.web.ui.settings import admin_shop_ids, forbidden

router = APIRouter(prefix="/ui/settings/macros", include_in_schema=False)
CsrfField = Annotated[str, Form(alias="csrf_token")]
NameField = Annotated[str, Form(max_length=200)]
BodyField = Annotated[str, Form(max_length=20_000)]
ShortField = Annotated[str, Form(max_length=64)]


def N_(text: str) -> str:  # noqa: N802 - the gettext marker convention
    """Mark a message for the catalog; the template translates it when it is shown."""
    return text


def field_errors(exc: ValidationError | KefuError) -> dict[str, str]:
    """Messages by form field (``form`` for ones that belong to no field)."""
    if isinstance(exc, KefuError):
        return {exc.field or "form": exc.detail}
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ())]
        errors.setdefault(loc[0] if loc else "form", str(error.get("msg", "invalid")))
    return errors


def _page(
    request: Request,
    viewer: Viewer,
    services: Services,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    editing: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with services.reading() as db:
        shop_ids = admin_shop_ids(viewer)
        shops = shop_service.list_shops(db=db, shop_ids=shop_ids)
        macros = macro_service.list_macros(db=db, shop_ids=shop_ids)
        return render_page(
            request,
            "settings_macros.html",
            language=viewer.language,
            csrf=viewer.csrf,
            viewer=viewer,
            shops=shops,
            shop_names={s.id: s.name for s in shops},
            macros=macros,
            variables=macro_variables(),
            form=form or {},
            errors=errors or {},
            editing=editing,
            flash=request.session.pop("flash", None),
            status_code=status_code,
        )


@router.get("")
def list_page(request: Request, viewer: ViewerDep, services: ServicesDep) -> HTMLResponse:
    """The macros of the shops the viewer administers, and a form for a new one."""
    if not admin_shop_ids(viewer):
        return forbidden(request, viewer)
    return _page(request, viewer, services)


@router.get("/{macro_id}")
def edit_page(
    macro_id: str, request: Request, viewer: ViewerDep, services: ServicesDep
) -> HTMLResponse:
    """The same page with one macro in the form."""
    if not admin_shop_ids(viewer):
        return forbidden(request, viewer)
    with services.reading() as db:
        try:
            macro = macro_service.get(db=db, macro_id=macro_id, shop_ids=admin_shop_ids(viewer))
        except NotFound:
            return forbidden(request, viewer)
        form = {
            "shop": macro.shop_id,
            "name": macro.name,
            "language": macro.language,
            "intent": macro.intent or "",
            "body": macro.body,
        }
    return _page(request, viewer, services, form=form, editing=macro_id)


@router.post("")
def create(
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    shop: ShortField = "",
    name: NameField = "",
    language: ShortField = "",
    intent: ShortField = "",
    body: BodyField = "",
    csrf_token_: CsrfField = "",
) -> Response:
    """Save a new macro (the service checks its variables, intent and name)."""
    check_csrf(request, csrf_token_)
    if shop not in admin_shop_ids(viewer):
        return forbidden(request, viewer)
    form = {"shop": shop, "name": name, "language": language, "intent": intent, "body": body}
    try:
        macro_in = MacroIn(
            shop=shop, name=name, language=language, intent=intent.strip() or None, body=body
        )
        with write(services) as db:
            macro_service.create(
                db=db, macro_in=macro_in, principal=viewer.principal, now=services.clock.now()
            )
    except (ValidationError, KefuError) as exc:
        return _page(
            request, viewer, services, form=form, errors=field_errors(exc), status_code=422
        )
    request.session["flash"] = {"kind": "ok", "text": N_("Macro saved.")}
    return RedirectResponse("/ui/settings/macros", status_code=303)


@router.post("/{macro_id}")
def update(
    macro_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    name: NameField = "",
    language: ShortField = "",
    intent: ShortField = "",
    body: BodyField = "",
    csrf_token_: CsrfField = "",
) -> Response:
    """Change a macro of a shop the viewer administers."""
    check_csrf(request, csrf_token_)
    if not _administers(services, viewer, macro_id):
        return forbidden(request, viewer)
    form = {"name": name, "language": language, "intent": intent, "body": body}
    try:
        patch = MacroPatch(name=name, language=language, intent=intent.strip() or None, body=body)
        with write(services) as db:
            # intent=None is sent explicitly: an empty intent field means "any intent".
            macro_service.update(
                db=db,
                macro_id=macro_id,
                patch=patch,
                principal=viewer.principal,
                now=services.clock.now(),
            )
    except (ValidationError, KefuError) as exc:
        return _page(
            request,
            viewer,
            services,
            form=form,
            errors=field_errors(exc),
            editing=macro_id,
            status_code=422,
        )
    request.session["flash"] = {"kind": "ok", "text": N_("Macro saved.")}
    return RedirectResponse("/ui/settings/macros", status_code=303)


@router.post("/{macro_id}/delete")
def delete(
    macro_id: str,
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    csrf_token_: CsrfField = "",
) -> Response:
    """Delete a macro (audited by the service with its last text)."""
    check_csrf(request, csrf_token_)
    if not _administers(services, viewer, macro_id):
        return forbidden(request, viewer)
    with write(services) as db:
        macro_service.delete(
            db=db, macro_id=macro_id, principal=viewer.principal, now=services.clock.now()
        )
    request.session["flash"] = {"kind": "ok", "text": N_("Macro deleted.")}
    return RedirectResponse("/ui/settings/macros", status_code=303)


def _administers(services: Services, viewer: Viewer, macro_id: str) -> bool:
    with services.reading() as db:
        try:
            macro_service.get(db=db, macro_id=macro_id, shop_ids=admin_shop_ids(viewer))
        except NotFound:
            return False
        return True
