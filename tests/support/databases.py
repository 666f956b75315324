"""Test databases: a migrated SQLite file per test, and PostgreSQL when configured."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from kefu.model_registry import metadata
from kefu.storage.migrate import upgrade

POSTGRES_ENV = "KEFU_TEST_POSTGRES_URL"


def sqlite_template(directory: Path) -> Path:
    """A database migrated once per session; tests copy it instead of migrating again."""
    template = directory / "template.db"
    if not template.exists():
        upgrade(f"sqlite:///{template}")
    return template


def fresh_sqlite(template: Path, directory: Path) -> str:
    """A new SQLite URL holding a copy of the migrated template."""
    target = directory / f"kefu-{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def postgres_url() -> str | None:
    """The PostgreSQL URL the suite may use, normalised to the psycopg 3 driver."""
    raw = os.environ.get(POSTGRES_ENV)
    if not raw:
        return None
    url = make_url(raw)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def create_postgres_database(base_url: str) -> str:
    """Create a throwaway database for this test session and migrate it."""
    import psycopg

    url = make_url(base_url)
    name = f"kefu_test_{uuid.uuid4().hex[:10]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    target = url.set(database=name).render_as_string(hide_password=False)
    upgrade(target)
    return target


def drop_postgres_database(url_str: str) -> None:
    """Drop a database made by ``create_postgres_database``."""
    import psycopg

    url = make_url(url_str)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def truncate_all(engine: Engine) -> None:
    """Empty every table (PostgreSQL between tests: faster than a new database)."""
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
