"""The agent workbench: server-rendered pages over the same services as the REST API."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from kefu.config import Settings
from kefu.services import Services
from kefu.web.ui import (
    actions,
    auth,
    conversation,
    events,
    inbox,
    kb,
    macros,
    settings,
    settings_macros,
    settings_policy,
    settings_team,
)

log = logging.getLogger("kefu.web.ui")
STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "kefu_session"
SESSION_SECONDS = 12 * 3600

__all__ = ["mount"]


def mount(app: FastAPI) -> None:
    """Add the workbench routes, static files and the signed session cookie to ``app``."""
    services: Services = app.state.services
    if services.settings.secret_key == Settings.model_fields["secret_key"].default:
        log.warning("KEFU_SECRET_KEY is the development default: anyone can forge sessions")
    # SameSite=Lax keeps the cookie off cross-site POSTs, so the cookie-authenticated JSON API
    # is not a CSRF target; the UI's own forms also carry a per-session token.
    app.add_middleware(
        SessionMiddleware,
        secret_key=services.settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="lax",
    )
    app.mount("/ui/static", StaticFiles(directory=STATIC_DIR), name="ui-static")
    routers = (auth, inbox, conversation, actions, macros, settings, settings_policy)
    for module in (*routers, settings_team, settings_macros, kb, events):
        app.include_router(module.router)
    app.add_exception_handler(auth.LoginRequired, _to_login)
    app.add_exception_handler(auth.CsrfRejected, _csrf_rejected)
    app.add_api_route("/", _home, include_in_schema=False)


def _home() -> RedirectResponse:
    return RedirectResponse("/ui/inbox", status_code=303)


def _to_login(request: Request, exc: Exception) -> Response:
    if request.headers.get("accept", "").startswith("text/event-stream") or (
        request.headers.get("x-requested-with") == "fetch"
    ):
        return Response("sign in required", status_code=401)
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(auth.login_url(target), status_code=303)


def _csrf_rejected(_: Request, exc: Exception) -> Response:
    return Response(
        "The form has expired or was not sent from Kefu. Reload the page and try again.",
        status_code=403,
        media_type="text/plain; charset=utf-8",
    )
