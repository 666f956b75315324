"""A child process that writes batches of prepared ``COPY`` payloads, one transaction each.

A bulk import into PostgreSQL is Python work (parsing, validating, building rows) followed by
waits on the server (``COPY`` and its foreign-key checks, the commit). On a thread, the writer
needed the interpreter back after each of its round trips and waited for it behind the parser:
the waits were not hidden, and the hand-overs cost CPU of their own. A process of its own
sends the bytes and waits without touching the parser's interpreter, so the parser runs
flat out while the server writes the batch before (see ``kefu.orders.flows``).

Protocol, on the child's stdin and stdout, in length-prefixed frames: the connection string
once; then per batch, the number of payloads and each payload's statement and data, answered
by an empty frame once committed or by the database's message once rolled back; ``stop``
ends the child.
"""

from __future__ import annotations

import struct
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Generic, TypeVar

import psycopg

if TYPE_CHECKING:  # the child process imports psycopg only
    from sqlalchemy.orm import Session, sessionmaker

Payload = tuple[str, bytes]


_LENGTH = struct.Struct("<Q")
_STOP = b"stop"


def _put(out: IO[bytes], *frames: bytes) -> None:
    for frame in frames:
        out.write(_LENGTH.pack(len(frame)))
        out.write(frame)
    out.flush()


def _take(source: IO[bytes]) -> bytes:
    head = source.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError("the other end closed the pipe")
    (size,) = _LENGTH.unpack(head)
    frame = source.read(size)
    if len(frame) < size:
        raise EOFError("the other end closed the pipe mid-frame")
    return frame


class CopyRefused(Exception):
    """The database refused a batch; nothing of it was written."""


class CopyWriterGone(Exception):
    """The writer process ended before answering; the batch may or may not be committed."""


class CopyWriter:
    """The parent's end: ``submit`` a batch, go on working, ``wait`` for its commit."""

    def __init__(self, conninfo: str) -> None:
        self._in_flight = False
        self._process: subprocess.Popen[bytes] | None = None
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "kefu.storage.copy_writer"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        except OSError:
            return  # no writer: every batch hears CopyWriterGone and is written by the caller
        with suppress(CopyWriterGone):  # a child that died at once is found out on submit
            self._send(conninfo.encode())

    def _send(self, *frames: bytes) -> None:
        if self._process is None:
            raise CopyWriterGone("the writer process could not be started")
        inbox = self._process.stdin
        assert inbox is not None
        try:
            _put(inbox, *frames)
        except OSError as exc:
            raise CopyWriterGone("the writer process is not running") from exc

    def submit(self, payloads: Sequence[Payload]) -> None:
        """Send a batch; the previous one must have been waited for."""
        assert not self._in_flight, "wait() for the batch in flight first"
        self._send(
            str(len(payloads)).encode(), *(part for p in payloads for part in (p[0].encode(), p[1]))
        )
        self._in_flight = True

    def wait(self) -> None:
        """Return once the batch in flight is committed; raise if it was refused."""
        if not self._in_flight:
            return
        self._in_flight = False
        assert self._process is not None and self._process.stdout is not None
        outbox = self._process.stdout
        try:
            refusal = _take(outbox)
        except (EOFError, OSError) as exc:
            raise CopyWriterGone("the writer process ended during a batch") from exc
        if refusal:
            raise CopyRefused(refusal.decode(errors="replace"))

    def close(self) -> None:
        """End the child: after the batch in flight when it is healthy, at once otherwise."""
        if self._process is None:
            return
        try:
            if self._process.poll() is None:
                self._send(_STOP)
                self._process.wait(timeout=30)
        except (CopyWriterGone, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()
        finally:
            for pipe in (self._process.stdin, self._process.stdout):
                if pipe is not None:
                    with suppress(OSError):  # unsent bytes to a child that is gone
                        pipe.close()

    def __enter__(self) -> CopyWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None and self._process is not None:
            self._process.kill()  # a batch in flight is rolled back with the connection
        self.close()


# A file smaller than this is imported without a writer process: starting one takes about
# 0.1 s, hidden only behind parsing the first batch of a large file.
WRITER_PROCESS_FROM_BYTES = 512 * 1024


def writer_process_fits(factory: sessionmaker[Session], path: Path, wanted: bool | None) -> bool:
    """Whether to import ``path`` through a writer process: on PostgreSQL only, as ``wanted``
    says, or by default for files of ``WRITER_PROCESS_FROM_BYTES`` or more."""
    if factory.kw["bind"].dialect.name != "postgresql":
        return False
    return wanted if wanted is not None else path.stat().st_size >= WRITER_PROCESS_FROM_BYTES


C = TypeVar("C")
R = TypeVar("R")


@dataclass(frozen=True)
class Planned(Generic[R]):
    """A batch ready for the writer: its payloads, and what the batch's ``finish`` hears once
    they are committed."""

    payloads: list[Payload]
    done: R


def write_through(
    writer: CopyWriter,
    chunks: Iterable[C],
    *,
    plan: Callable[[C], Planned[R] | None],
    write_here: Callable[[C], R],
    finish: Callable[[C, R], None],
    forget: Callable[[], None],
    after_loss: Callable[[R, R], R],
) -> None:
    """Write each chunk through ``writer`` while the next one is produced and planned; then
    ``finish`` it, in order.

    ``plan`` runs while the chunk before is in flight (not committed): it must remember what
    that chunk writes, and return None for a chunk that must be written after it, on this side
    (``write_here``). A chunk the database refuses, or one in flight when the writer dies, is
    written here too, and so is every chunk after it, since plans made from what was
    remembered are no longer safe; ``forget`` is called then. As with ``write_behind``, an
    exception ends the import after the chunk in flight is finished.

    A writer that dies before answering may have committed its chunk: written again here, the
    chunk's rows are then found stored already. ``after_loss(planned, rewritten)`` says which
    of the two outcomes the chunk reports.
    """
    in_flight: tuple[C, R] | None = None
    fallen_back = False

    def settle() -> None:
        nonlocal in_flight, fallen_back
        if in_flight is None:
            return
        (chunk, done), in_flight = in_flight, None
        try:
            writer.wait()
        except CopyRefused:
            fallen_back = True
            forget()
            finish(chunk, write_here(chunk))
            return
        except CopyWriterGone:
            fallen_back = True
            forget()
            finish(chunk, after_loss(done, write_here(chunk)))
            return
        finish(chunk, done)

    try:
        for chunk in chunks:
            planned = None if fallen_back else plan(chunk)
            settle()  # the chunk before is committed before this one is written
            if planned is not None and not fallen_back:
                try:
                    writer.submit(planned.payloads)
                except CopyWriterGone:
                    fallen_back = True
                    forget()
                else:
                    in_flight = chunk, planned.done
                    continue
            finish(chunk, write_here(chunk))
    finally:
        settle()


def _serve(inbox: IO[bytes], outbox: IO[bytes]) -> None:
    with psycopg.connect(_take(inbox).decode()) as conn:
        while (head := _take(inbox)) != _STOP:
            batch = [(_take(inbox).decode(), _take(inbox)) for _ in range(int(head))]
            refusal = ""
            try:
                with conn.cursor() as cursor:
                    for statement, data in batch:
                        with cursor.copy(statement) as copy:
                            copy.write(data)
                conn.commit()
            except psycopg.Error as exc:
                if conn.broken:
                    raise  # the parent hears of it as a writer that is gone
                conn.rollback()
                refusal = str(exc).strip() or type(exc).__name__
            _put(outbox, refusal.encode())


def main() -> int:
    """The child's entry point. When the database connection fails or breaks, one line on
    stderr; the parent writes the rest of the import itself."""
    try:
        _serve(sys.stdin.buffer, sys.stdout.buffer)
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports it
        return 130
    except EOFError:  # the parent is gone
        return 1
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"kefu: the import's writer process stopped ({reason}); "
              "the import goes on without it", file=sys.stderr)  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
