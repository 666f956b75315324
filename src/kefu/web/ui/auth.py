"""Signing in and out, the per-session CSRF token, and the UI language switch."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kefu.accounts import service as account_service
from kefu.accounts.enums import Role
from kefu.accounts.models import User
from kefu.accounts.schemas import Principal
from kefu.errors import Unauthenticated
from kefu.services import Services
from kefu.web.deps import ServicesDep, write
from kefu.web.ui.i18n import UI_LANGUAGES, pick_language
from kefu.web.ui.render import render_page

router = APIRouter(prefix="/ui", include_in_schema=False)


class LoginRequired(Exception):
    """The page needs a signed-in user."""


class CsrfRejected(Exception):
    """A form arrived without this session's CSRF token."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as the pages need them."""

    user_id: str
    email: str
    name: str
    language: str
    principal: Principal
    csrf: str

    @property
    def is_admin(self) -> bool:
        """True when the viewer administers at least one shop."""
        return self.principal.is_admin_anywhere

    @property
    def is_supervisor(self) -> bool:
        """True when the viewer may decide approvals in at least one shop."""
        return any(r.rank >= Role.SUPERVISOR.rank for r in self.principal.shop_roles.values())


def login_url(target: str) -> str:
    """The sign-in page, returning to ``target`` afterwards."""
    return "/ui/login?next=" + quote(target, safe="")


def safe_next(target: str | None) -> str:
    # Only our own pages: no scheme, no host, no protocol-relative "//evil".
    if target and target.startswith("/ui/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/ui/inbox"


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    session: dict[str, Any] = request.session
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 20:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    """Raise CsrfRejected unless ``sent`` (form field or header) matches the session token."""
    expected = request.session.get("csrf")
    sent = sent or request.headers.get("x-csrf-token")
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise CsrfRejected


def current_viewer(request: Request, services: ServicesDep) -> Viewer:
    """The signed-in user; LoginRequired (a redirect to the sign-in page) otherwise."""
    user_id = request.session.get("user_id")
    if not user_id:
        raise LoginRequired
    with services.reading() as db:
        user = db.get(User, user_id)
        if user is None or not user.is_active:
            request.session.clear()
            raise LoginRequired
        principal = account_service.principal_for(user=user)
        return Viewer(
            user_id=user.id,
            email=user.email,
            name=user.name or user.email,
            language=pick_language(user_language=user.ui_language, accept_language=None),
            principal=principal,
            csrf=csrf_token(request),
        )


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def _login_page(
    request: Request, *, target: str, error: str | None, email: str = ""
) -> HTMLResponse:
    language = pick_language(
        user_language=request.session.get("ui_language"),
        accept_language=request.headers.get("accept-language"),
    )
    return render_page(
        request,
        "login.html",
        language=language,
        csrf=csrf_token(request),
        viewer=None,
        next=target,
        error=error,
        email=email,
        status_code=401 if error else 200,
    )


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form."""
    if request.session.get("user_id"):
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, target=safe_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    services: ServicesDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the password; on success start a fresh session and go where the user was headed."""
    check_csrf(request, csrf_token_)
    try:
        with services.reading() as db:
            user = account_service.verify_password(db=db, email=email, password=password)
            user_id, language = user.id, user.ui_language
    except Unauthenticated:
        return _login_page(request, target=safe_next(next), error="wrong", email=email)
    request.session.clear()
    request.session.update({"user_id": user_id, "csrf": secrets.token_urlsafe(32)})
    request.session["ui_language"] = language
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(
    request: Request, csrf_token_: Annotated[str, Form(alias="csrf_token")] = ""
) -> Response:
    """End the session."""
    check_csrf(request, csrf_token_)
    request.session.clear()
    return RedirectResponse("/ui/login", status_code=303)


@router.post("/language")
def set_language(
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    language: Annotated[str, Form(max_length=8)],
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Save the user's UI language."""
    check_csrf(request, csrf_token_)
    if language in UI_LANGUAGES:
        _save_language(services, viewer.user_id, language)
        request.session["ui_language"] = language
    return RedirectResponse(safe_next(next), status_code=303)


def _save_language(services: Services, user_id: str, language: str) -> None:
    with write(services) as db:
        user = db.get(User, user_id)
        if user is not None:
            user.ui_language = language
