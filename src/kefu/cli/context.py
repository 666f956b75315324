"""Building settings and services for a CLI command (once per invocation)."""

from __future__ import annotations

from kefu.config import Settings
from kefu.services import Services, build_services


def load_settings() -> Settings:
    """Settings from the environment and ``.env``."""
    return Settings()


def load_services(settings: Settings | None = None) -> Services:
    """The composition root for a CLI command."""
    return build_services(settings or load_settings())
