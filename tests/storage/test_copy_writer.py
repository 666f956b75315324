"""The writer process on its own: batches committed, refused, and a writer that is gone."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from kefu.storage.copy_writer import CopyRefused, CopyWriter, CopyWriterGone
from tests.conftest import NO_POSTGRES


@pytest.fixture
def conninfo(postgres_database: str | None) -> Iterator[str]:
    if postgres_database is None:
        pytest.skip(NO_POSTGRES)
    url = postgres_database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE copy_writer_probe (n int PRIMARY KEY, word text)")
    yield url
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE copy_writer_probe")


def stored(url: str) -> list[tuple[int, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT n, word FROM copy_writer_probe ORDER BY n").fetchall()


PROBE = "COPY copy_writer_probe (n, word) FROM STDIN"


def test_each_batch_is_committed_or_refused_whole(conninfo: str) -> None:
    with CopyWriter(conninfo) as writer:
        writer.submit([(PROBE, b"1\tone\n2\ttwo\n"), (PROBE, b"3\t\\N\n")])
        writer.wait()
        writer.submit([(PROBE, b"4\tfour\n"), (PROBE, b"2\tagain\n")])  # 2 is taken
        with pytest.raises(CopyRefused, match="copy_writer_probe_pkey"):
            writer.wait()
        writer.submit([(PROBE, b"5\tfive\n")])  # the writer goes on after a refusal
        writer.wait()
    assert stored(conninfo) == [(1, "one"), (2, "two"), (3, None), (5, "five")]


def test_a_writer_that_cannot_connect_is_gone_and_says_why_in_one_line(
    conninfo: str, capfd: pytest.CaptureFixture[str]
) -> None:
    with CopyWriter(conninfo + "_missing") as writer, pytest.raises(CopyWriterGone):
        writer.submit([(PROBE, b"1\tone\n")])
        writer.wait()
    assert stored(conninfo) == []
    [line] = capfd.readouterr().err.splitlines()
    assert "_missing" in line and "the import goes on without it" in line


def test_a_writer_that_cannot_start_is_gone(
    conninfo: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here"))
    with CopyWriter(conninfo) as writer, pytest.raises(CopyWriterGone):
        writer.submit([(PROBE, b"1\tone\n")])


def test_a_killed_writer_is_gone_and_its_batch_rolled_back(conninfo: str) -> None:
    writer = CopyWriter(conninfo)
    try:
        writer.submit([(PROBE, b"1\tone\n")])
        writer.wait()
        assert writer._process is not None
        writer._process.kill()
        writer._process.wait()
        with pytest.raises(CopyWriterGone):
            writer.submit([(PROBE, b"2\ttwo\n")])
            writer.wait()
    finally:
        writer.close()
    assert stored(conninfo) == [(1, "one")]
