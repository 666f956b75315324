"""Writing batches behind the parser: order, errors, and handing the interpreter over."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from kefu.core import pipeline
from kefu.core.pipeline import ceding, write_behind


def test_the_parser_lets_the_writer_thread_run_every_few_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # time.sleep(0) is how a Python thread hands the interpreter to one waiting for it.
    naps: list[tuple[int, float]] = []
    seen: list[int] = []
    monkeypatch.setattr(pipeline.time, "sleep", lambda s: naps.append((len(seen), s)))
    for item in ceding(range(25), every=10):
        seen.append(item)
    assert seen == list(range(25))
    assert naps == [(10, 0), (20, 0)]


@pytest.mark.parametrize("threaded", [True, False])
def test_chunks_are_written_and_finished_in_order(threaded: bool) -> None:
    writers: set[str] = set()
    finished: list[tuple[int, int]] = []

    def write(chunk: int) -> int:
        writers.add(threading.current_thread().name)
        return chunk * 10

    write_behind(range(5), write, lambda c, r: finished.append((c, r)), threaded=threaded)
    assert finished == [(0, 0), (1, 10), (2, 20), (3, 30), (4, 40)]
    on_this_thread = writers == {threading.current_thread().name}
    assert on_this_thread is not threaded


def test_a_failed_write_stops_after_the_chunks_before_it_are_finished() -> None:
    produced: list[int] = []
    finished: list[int] = []

    def chunks() -> Iterator[int]:
        for n in range(10):
            produced.append(n)
            yield n

    def write(chunk: int) -> int:
        if chunk == 3:
            raise RuntimeError("refused")
        return chunk

    with pytest.raises(RuntimeError, match="refused"):
        write_behind(chunks(), write, lambda c, r: finished.append(c))
    assert finished == [0, 1, 2]
    # Only the chunk after the failed one was read ahead; nothing later was written.
    assert produced == [0, 1, 2, 3, 4]


def test_a_failing_producer_still_finishes_the_write_in_flight() -> None:
    finished: list[int] = []

    def chunks() -> Iterator[int]:
        yield 0
        yield 1
        raise ValueError("unreadable file")

    with pytest.raises(ValueError, match="unreadable"):
        write_behind(chunks(), lambda c: c, lambda c, r: finished.append(c))
    assert finished == [0, 1]


def test_a_failed_write_in_flight_is_not_lost_behind_a_failing_producer() -> None:
    def chunks() -> Iterator[int]:
        yield 0
        raise ValueError("unreadable file")

    def write(chunk: int) -> int:
        raise RuntimeError("refused")

    with pytest.raises(RuntimeError, match="refused") as raised:
        write_behind(chunks(), write, lambda c, r: None)
    assert isinstance(raised.value.__context__, ValueError)
