"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from kefu.services import Services
from kefu.web import errors, ui
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
    ui.mount(app)
    app.add_middleware(errors.BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(errors.RejectNul)
    return app
