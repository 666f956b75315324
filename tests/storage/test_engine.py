"""SQLite transactions: writers take the lock up front, readers never wait for it."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

from kefu.storage.engine import make_engine, read_only


def test_a_reader_does_not_wait_for_a_writer_holding_the_lock(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'locks.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with engine.connect() as writer, writer.begin():
        writer.execute(text("INSERT INTO t VALUES (2)"))  # holds the write lock, uncommitted
        started = time.monotonic()
        with engine.connect() as reader, read_only(reader):
            seen = reader.execute(text("SELECT count(*) FROM t")).scalar_one()
        waited = time.monotonic() - started
    assert seen == 1  # the committed snapshot, not the writer's pending row
    assert waited < 5  # busy_timeout is 30 s: a reader that took the lock would sit here


def test_a_read_only_block_leaves_the_connection_writing_normally(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'modes.db'}")
    with engine.connect() as conn:
        with read_only(conn):
            conn.execute(text("SELECT 1"))
        with conn.begin():
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        with read_only(conn):
            assert conn.execute(text("SELECT x FROM t")).scalar_one() == 1


def test_read_only_reads_then_writes_transactionally_on_both_databases(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        with conn.begin():
            conn.execute(text("CREATE TABLE ro_probe (x INTEGER)"))
        with read_only(conn):
            assert conn.execute(text("SELECT count(*) FROM ro_probe")).scalar_one() == 0
        try:
            with conn.begin():
                conn.execute(text("INSERT INTO ro_probe VALUES (1)"))
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        with read_only(conn):
            # Had the connection stayed in autocommit, the insert would have survived.
            assert conn.execute(text("SELECT count(*) FROM ro_probe")).scalar_one() == 0
        with conn.begin():
            conn.execute(text("DROP TABLE ro_probe"))
    engine.dispose()
