"""Engine and session factory, built from settings by the composition root."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker


def is_sqlite(url: str) -> bool:
    """True for the embedded database."""
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web server read while the worker writes; busy_timeout queues writers
    # instead of failing them with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_READ_ONLY = "kefu_read_only"


def _sqlite_begin_immediate(conn: Any) -> None:
    # Take the write lock when the transaction starts: two writers can then never deadlock
    # upgrading shared locks, they simply wait on busy_timeout. Readers (``reading``) need no
    # lock at all in WAL mode.
    if conn.get_execution_options().get(_READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the right per-dialect settings."""
    # Keep a connection for each request the server runs at once: with SQLAlchemy's default of
    # 5, sixteen concurrent requests opened and closed overflow connections on every request,
    # and opening one (with its pragmas or PostgreSQL's start-up) cost more than the request.
    database = make_url(url).database
    in_memory = is_sqlite(url) and database in (None, "", ":memory:")
    if not in_memory:  # an in-memory SQLite database lives in one connection per thread
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 20)
    if is_sqlite(url):
        if not in_memory:
            Path(str(database)).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "isolation_level": None}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    event.listen(engine, "connect", _postgres_custom_plans)
    return engine


def _postgres_custom_plans(dbapi_connection: Any, _record: Any) -> None:
    # psycopg prepares a statement after a few runs, and PostgreSQL then may settle on a generic
    # plan that ignores the values of IN lists: look-ups of a batch's keys became scans. A
    # custom plan per execution costs a fraction of a millisecond and keeps them index scans.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


def cache_write_plans(conn: Connection) -> None:
    """Let PostgreSQL reuse its plans for the rest of this transaction, which only writes.

    Connections plan every execution afresh (right for look-ups by key lists), but that also
    re-plans the foreign-key check each inserted row runs: a 20,000-order import took 6.2 s of
    server time against 2.5 s with cached plans. The connection's setting returns at commit.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL plan_cache_mode = auto")


def libpq_conninfo(engine: Engine) -> str:
    """The engine's PostgreSQL database as a libpq connection string, for a process of its own."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def read_only(conn: Connection) -> Iterator[Connection]:
    """Reads on ``conn`` that never wait for a writer nor make one wait: on SQLite a deferred
    transaction (no write lock); on PostgreSQL plain autocommit reads (no BEGIN and COMMIT
    round trips)."""
    if is_sqlite(conn.engine.url.drivername):
        conn.execution_options(**{_READ_ONLY: True})
        try:
            with conn.begin():
                yield conn
        finally:
            conn.execution_options(**{_READ_ONLY: False})
        return
    conn.execution_options(isolation_level="AUTOCOMMIT")
    try:
        with conn.begin():
            yield conn
    finally:
        conn.execution_options(isolation_level=conn.default_isolation_level)


@contextmanager
def read_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """An ORM session for reads only, on a ``read_only`` connection: a reader in one thread
    never waits for (nor blocks) a request's write transaction in another."""
    engine = factory.kw["bind"]
    with engine.connect() as conn, read_only(conn), factory(bind=conn) as session:
        yield session


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session
