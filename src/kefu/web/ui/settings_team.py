"""Admin settings forms for people: add a member with a role, issue an API token for yourself."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from kefu.accounts import service as account_service
from kefu.accounts.models import User
from kefu.accounts.schemas import MembershipIn, UserCreate
from kefu.errors import KefuError
from kefu.web.deps import ServicesDep, write
from kefu.web.ui.auth import ViewerDep, check_csrf
from kefu.web.ui.settings import admin_shop_ids, forbidden, overview

router = APIRouter(prefix="/ui/settings", include_in_schema=False)
CsrfField = Annotated[str, Form(alias="csrf_token")]


def N_(text: str) -> str:  # noqa: N802 - the gettext marker convention
    """Mark a message for the catalog; the template translates it when it is shown."""
    return text


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    return f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg"))


@router.post("/users")
def add_member(
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    email: Annotated[str, Form(max_length=254)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    shop: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=20)] = "agent",
    csrf_token_: CsrfField = "",
) -> Response:
    """Create a user with a role in a shop the viewer administers (accounts.create, granted_by)."""
    check_csrf(request, csrf_token_)
    if not admin_shop_ids(viewer):
        return forbidden(request, viewer)
    form = {"email": email, "name": name, "shop": shop, "role": role}
    try:
        user_in = UserCreate(
            email=email.strip(),
            name=name.strip(),
            password=password or None,
            ui_language=viewer.language,
            memberships=[MembershipIn.model_validate({"shop": shop, "role": role})],
        )
        with write(services) as db:
            account_service.create(db=db, user_in=user_in, granted_by=viewer.principal)
    except ValidationError as exc:
        return _member_error(request, viewer, services, form, _first_error(exc))
    except KefuError as exc:
        return _member_error(request, viewer, services, form, exc.detail, exc.status_code)
    request.session["flash"] = {"kind": "ok", "text": N_("Member added.")}
    return RedirectResponse("/ui/settings#team", status_code=303)


def _member_error(
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    form: dict[str, str],
    message: str,
    status_code: int = 422,
) -> HTMLResponse:
    return overview(
        request,
        viewer,
        services,
        status_code=status_code,
        member_error=message,
        member_form=form,
    )


@router.post("/tokens")
def new_token(
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    name: Annotated[str, Form(max_length=100)] = "",
    csrf_token_: CsrfField = "",
) -> Response:
    """Issue an API token for the signed-in admin; the page shows it this once."""
    check_csrf(request, csrf_token_)
    if not admin_shop_ids(viewer):
        return forbidden(request, viewer)
    with write(services) as db:
        user = db.get(User, viewer.user_id)
        if user is None:
            return forbidden(request, viewer)
        token = account_service.create_token(db=db, user=user, name=name.strip())
    return overview(request, viewer, services, status_code=201, new_token=token)
