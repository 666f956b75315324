"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from kefu.services import Services
from kefu.web import errors
from kefu.web.api import api_router

# Requests carry at most one message: 64 KB of text plus sanitisable HTML and metadata.
MAX_BODY_BYTES = 1024 * 1024


def create_app(services: Services) -> FastAPI:
    """Build the web app around already-built services (no globals)."""
    app = FastAPI(
        title="Kefu 客服 API",
        version="0.1.0",
        description="Self-hosted, offline, multilingual customer-service desk. "
        "Authenticate with `Authorization: Bearer <token>` (`kefu token create EMAIL`).",
    )
    app.state.services = services
    errors.install(app)
    app.include_router(api_router())
    _mount_ui(app)
    app.add_middleware(errors.BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    return app


def _mount_ui(app: FastAPI) -> None:
    try:
        from kefu.web.ui import mount  # the workbench, when installed
    except ImportError:
        app.add_api_route(
            "/", _placeholder_home, response_class=HTMLResponse, include_in_schema=False
        )
        return
    mount(app)


def _placeholder_home() -> str:
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Kefu 客服</title>"
        "<h1>Kefu 客服 is running</h1><p>The API is documented at <a href='/docs'>/docs</a>.</p>"
    )
