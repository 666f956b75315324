"""Persistent search indexes over the database: one for articles, one for solved cases.

Each index lives in its own folder under ``settings.data_dir`` (one folder per database) and is
kept by an ``IndexKeeper``:

* the process that changes an article applies the change to its in-memory index at once and
  appends it to the store's journal, so every other process picks it up on its next search
  (``IndexHandle.refresh`` reads one small manifest and the journal tail);
* ``STATE.json`` beside the index holds the database fingerprint the index matches; when the
  database says otherwise twice in a row (someone changed rows without going through Kefu, the
  folder was copied from another database) the index is rebuilt from the database and saved
  as a new version, atomically, so readers never see half of it;
* a missing or unreadable index is rebuilt the same way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from kefu.errors import KefuError
from kefu.knowledge.gaps import PendingGaps
from kefu.knowledge.search.dense import Embedder
from kefu.knowledge.search.index import SearchIndex
from kefu.knowledge.search.store import IndexHandle, append_changes, save_index
from kefu.knowledge.search.types import Document
from kefu.storage.engine import read_session

log = logging.getLogger(__name__)
STATE = "STATE.json"
CHECK_SECONDS = 5.0  # how often a process compares its index with the database
COMPACT_AFTER = 200  # journal lines this process wrote before it saves a fresh version


class IndexUnavailable(KefuError):
    """The index is not in memory or on disk, and the database may not be used right now."""

    status_code = 503


DocumentsFn = Callable[[Session], list[Document]]
FingerprintFn = Callable[[Session], str]


def index_root(data_dir: Path, database_url: str) -> Path:
    """The folder holding this database's indexes (the password never reaches the name)."""
    url = make_url(database_url).render_as_string(hide_password=True)
    return Path(data_dir) / "search" / hashlib.sha256(url.encode()).hexdigest()[:16]


@dataclass
class IndexKeeper:
    """One database-backed, persisted ``SearchIndex``, safe to share between threads."""

    directory: Path
    sessions: sessionmaker[Session]
    documents: DocumentsFn
    fingerprint: FingerprintFn
    embedder: Callable[[], Embedder | None] = lambda: None
    check_seconds: float = CHECK_SECONDS
    _handle: IndexHandle | None = field(default=None, init=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False)
    _checked_at: float = field(default=0.0, init=False)
    _suspect: bool = field(default=False, init=False)
    _written: int = field(default=0, init=False)

    def index(self, *, use_db: bool = True) -> SearchIndex:
        """The current index: reloaded from disk, refreshed from the journal, or rebuilt.

        ``use_db=False`` is for callers inside another database transaction (on SQLite a
        second one would wait for the first): the index is only read from disk and its
        journal, and ``IndexUnavailable`` is raised when nothing was saved yet.
        """
        with self._lock:
            if self._handle is None and not use_db:
                try:
                    self._handle = IndexHandle(self.directory, embedder=self.embedder())
                except (KefuError, OSError, ValueError, KeyError) as exc:
                    raise IndexUnavailable("the knowledge index is not built yet") from exc
            elif self._handle is None:
                self._open()
            else:
                self._refresh(use_db=use_db)
            assert self._handle is not None
            return self._handle.index

    @property
    def ready(self) -> bool:
        """True when this process has the index in memory."""
        return self._handle is not None

    def _open(self) -> None:
        with read_session(self.sessions) as db:
            wanted = self.fingerprint(db)
        if self._saved_fingerprint() == wanted:
            try:
                self._handle = IndexHandle(self.directory, embedder=self.embedder())
                self._checked_at = time.monotonic()
                return
            except (KefuError, OSError, ValueError, KeyError):
                pass  # unreadable: rebuilt below
        self.rebuild()

    def _refresh(self, *, use_db: bool) -> None:
        assert self._handle is not None
        try:
            self._handle.refresh()
        except (KefuError, OSError, ValueError, KeyError):
            if use_db:
                self.rebuild()
            return  # without the database keep serving what is in memory
        if not use_db or time.monotonic() - self._checked_at < self.check_seconds:
            return
        self._checked_at = time.monotonic()
        with read_session(self.sessions) as db:
            wanted = self.fingerprint(db)
        if self._saved_fingerprint() == wanted:
            self._suspect = False
        elif self._suspect:  # a writer may be between its commit and its journal line
            self.rebuild()
        else:
            self._suspect = True

    def rebuild(self) -> int:
        """Build the index from the database and save it as a new version; returns its size."""
        with self._lock:
            with read_session(self.sessions) as db:
                wanted = self.fingerprint(db)
                docs = self.documents(db)
            index = SearchIndex.build(docs, embedder=self.embedder())
            save_index(index, self.directory)
            self._write_state(wanted)
            self._handle = IndexHandle(self.directory, embedder=self.embedder())
            self._checked_at, self._suspect, self._written = time.monotonic(), False, 0
            return len(index)

    def apply(self, *, upserts: Sequence[Document] = (), removals: Sequence[str] = ()) -> None:
        """Make committed changes searchable here now and in other processes within seconds."""
        with self._lock:
            if self._handle is None:
                self._open()  # a fresh build already holds the committed change
                return
            index = self._handle.index
            for doc in upserts:
                index.upsert(doc)
            for doc_id in removals:
                index.remove(doc_id)
            append_changes(self.directory, upserts=upserts, removals=removals)
            with read_session(self.sessions) as db:
                self._write_state(self.fingerprint(db))
            self._written += len(upserts) + len(removals)
            if self._written >= COMPACT_AFTER:
                # A fresh version from the database rather than a save of this process's
                # copy: a change another process journals meanwhile cannot get lost.
                self.rebuild()

    def _saved_fingerprint(self) -> str | None:
        try:
            data = json.loads((self.directory / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        value = data.get("fingerprint") if isinstance(data, dict) else None
        return value if isinstance(value, str) else None

    def _write_state(self, fingerprint: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f".{STATE}.tmp-{os.getpid()}-{threading.get_ident()}"
        tmp.write_text(json.dumps({"fingerprint": fingerprint}), encoding="utf-8")
        tmp.replace(self.directory / STATE)  # atomic: readers see the old or the new state


@dataclass
class KnowledgeHub:
    """The article index and the case index of one database (built lazily, per process)."""

    articles: IndexKeeper
    cases: IndexKeeper
    pending_gaps: PendingGaps
    _warming: threading.Event = field(default_factory=threading.Event, init=False)

    def warm_up(self) -> None:
        """Load or build the article index in a background thread (for callers in a transaction)."""
        if self._warming.is_set():
            return  # one loader at a time; a burst of drafts must not start a thread each
        self._warming.set()

        def load() -> None:
            try:
                self.articles.index()
            except Exception:  # a background thread has no caller to tell
                log.exception("could not load the knowledge index")
            finally:
                self._warming.clear()

        threading.Thread(target=load, daemon=True).start()


def build_hub(
    *, data_dir: Path, database_url: str, sessions: sessionmaker[Session],
    embedder: Callable[[], Embedder | None] = lambda: None,
) -> KnowledgeHub:  # fmt: skip
    """Keepers for both indexes; nothing is read from disk until the first search."""
    from kefu.knowledge import cases, service

    root = index_root(data_dir, database_url)
    return KnowledgeHub(
        articles=IndexKeeper(
            root / "articles", sessions,
            documents=lambda db: service.published_documents(db=db),
            fingerprint=lambda db: service.fingerprint(db=db), embedder=embedder,
        ),
        cases=IndexKeeper(
            root / "cases", sessions,
            documents=lambda db: cases.all_documents(db=db),
            fingerprint=lambda db: cases.fingerprint(db=db),
        ),
        pending_gaps=PendingGaps(sessions),
    )  # fmt: skip
