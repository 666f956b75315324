"""REST API routers, mounted under /api/v1."""

from __future__ import annotations

import importlib

from fastapi import APIRouter

# One line per router module; each defines ``router``.
_ROUTER_MODULES = [
    "kefu.web.api.health",
    "kefu.web.api.shops",
    "kefu.web.api.users",
    "kefu.web.api.messages",
    "kefu.web.api.conversations",
    "kefu.web.api.orders",
    "kefu.web.api.customers",
    "kefu.web.api.jobs",
    "kefu.web.api.triage",
    "kefu.web.api.policy",
    "kefu.web.api.approvals",
    "kefu.web.api.replies",
    "kefu.web.api.macros",
    "kefu.web.api.translate",
    "kefu.web.api.kb",
]


def api_router() -> APIRouter:
    """All API routes under /api/v1."""
    root = APIRouter(prefix="/api/v1")
    for name in _ROUTER_MODULES:
        root.include_router(importlib.import_module(name).router)
    return root
