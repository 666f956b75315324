"""Writing batches on a thread of their own while the next batch is parsed.

A bulk import alternates Python work (parsing, validating, building rows) with waits on the
database. With one writer thread, the next batch is parsed while the database writes this
one; a batch is handed over only once the previous one is done, so an error stops the import
after the batches before it, as a sequential one would.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
C = TypeVar("C")
R = TypeVar("R")


def ceding(items: Iterable[T], every: int) -> Iterator[T]:
    """``items`` as they are, letting go of the interpreter after every ``every`` of them.

    The writer thread is the import's critical path, and it needs the interpreter back after
    each of a batch's dozen database round trips. A thread waiting for it gets it only when the
    holder lets go or after the switch interval (5 ms), so the writer spent most of each batch
    waiting behind the parser: the parse was not hidden at all (wall time = client CPU +
    server CPU). Letting go every few rows hands the interpreter over at once: orders went
    from 20.3-20.8k to 22.9-23.2k rows/s in interleaved runs of 20,000 on PostgreSQL.
    """
    for n, item in enumerate(items, 1):
        yield item
        if n % every == 0:
            time.sleep(0)  # releases the GIL; a waiting writer takes it now


def write_behind(
    chunks: Iterable[C],
    write: Callable[[C], R],
    finish: Callable[[C, R], None],
    *,
    threaded: bool = True,
) -> None:
    """``write`` each chunk, on a writer thread while the next chunk is produced, then
    ``finish`` it on the calling thread, in order; without ``threaded``, all on this thread.

    An exception from ``write`` comes out of this call once the chunks before are finished.
    If producing a chunk fails, the write in flight still ends and is finished first (its
    batch may have committed), and its own failure, if any, goes up chained to that error.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kefu-import") as writer:
        pending: tuple[C, Future[R]] | None = None
        try:
            for chunk in chunks:  # producing this chunk overlaps writing the previous one
                if pending:
                    (done, result), pending = pending, None
                    finish(done, result.result())
                pending = chunk, _start(writer if threaded else None, write, chunk)
        except BaseException:
            if pending:
                finish(pending[0], pending[1].result())
            raise
        if pending:
            finish(pending[0], pending[1].result())


def _start(writer: ThreadPoolExecutor | None, write: Callable[[C], R], chunk: C) -> Future[R]:
    if writer is not None:
        return writer.submit(write, chunk)
    done: Future[R] = Future()
    done.set_result(write(chunk))
    return done
