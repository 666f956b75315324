"""Settings for every entry point, read from ``KEFU_*`` environment variables.

Built once by the entry point (CLI command, app factory, worker) and passed down; nothing reads
the environment at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_LANGUAGES = (
    "en",
    "zh",
    "es",
    "fr",
    "de",
    "pt",
    "it",
    "ru",
    "ar",
    "ja",
    "ko",
    "tr",
    "pl",
    "nl",
)


class Settings(BaseSettings):
    """Runtime configuration; every field maps to an env var ``KEFU_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="KEFU_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./var/kefu.db",
        description="SQLAlchemy URL; postgresql+psycopg://user@host/db for PostgreSQL",
    )
    data_dir: Path = Field(default=Path("./var"), description="Indexes, models and uploads")
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = Field(default="dev-insecure-change-me", description="Signs session cookies")
    redis_url: str | None = Field(default=None, description="Enables cross-process live updates")
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    max_message_bytes: int = 64 * 1024
    job_max_attempts: int = 6
    job_lease_seconds: int = 60
    worker_poll_seconds: float = 0.5
    embedding_model: str | None = Field(
        default=None, description="Local sentence-transformers path/package"
    )
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_seconds: float = 20.0
    log_level: str = "info"
