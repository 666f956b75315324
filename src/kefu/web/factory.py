"""Uvicorn's factory entry point: settings from the environment, services built once."""

from __future__ import annotations

from fastapi import FastAPI

from kefu.config import Settings
from kefu.services import build_services
from kefu.web.app import create_app


def app_from_env() -> FastAPI:
    """The app for ``kefu serve`` (each server process builds its own services)."""
    return create_app(build_services(Settings()))
