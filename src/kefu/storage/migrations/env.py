"""Alembic environment: one history for SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from kefu.model_registry import metadata
from kefu.storage.engine import make_engine


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=sqlite,  # SQLite needs table rebuilds
        compare_type=True,
    )
    if not sqlite:
        with context.begin_transaction():
            context.run_migrations()
        return
    # A rebuild copies a table and drops the old one, and with foreign keys on, SQLite runs
    # that DROP as a DELETE that cascades into every table pointing at it: rebuilding
    # customers deleted every conversation, message and identity. So they are off while
    # migrating (as Alembic advises), and checked before the migration commits. The pragma
    # only takes effect outside a transaction, hence the driver's own connection (in
    # autocommit mode) before SQLAlchemy begins one.
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        with context.begin_transaction():
            context.run_migrations()
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                raise RuntimeError(f"migration left rows without their parents: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


run_online()
