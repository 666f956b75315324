"""Indexes on disk: versioned folders plus an atomically replaced manifest.

Layout of an index directory::

    MANIFEST.json      {"format": 1, "version": 7, "folder": "v000007", ...}  (replaced atomically)
    v000007/           arrays.npz, terms.json, documents.json[, vectors.npy],
                       journal.jsonl (changes appended after the save, replayed by readers)
    v000006/           the previous version, kept so a reader that just read the old
                       manifest can still open its folder

A writer builds the new folder under a temporary name, fsyncs it, renames it into place and only
then swaps the manifest (write temp + ``os.replace``), so a reader sees the old index or the new
one, never half of either. Writers take an exclusive lock file so two saves cannot interleave.
No pickle anywhere: loading an index never executes code from disk.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kefu.errors import InvalidInput
from kefu.knowledge.search.bm25 import Bm25Arrays
from kefu.knowledge.search.dense import Embedder
from kefu.knowledge.search.index import IndexSnapshot, SearchIndex
from kefu.knowledge.search.tokenize import segmenter_name
from kefu.knowledge.search.types import Document

FORMAT = 1
MANIFEST = "MANIFEST.json"
JOURNAL = "journal.jsonl"
KEEP_VERSIONS = 2


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_bytes(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


@contextlib.contextmanager
def _writer_lock(directory: Path) -> Iterator[None]:
    with (directory / ".lock").open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """The current manifest, or None when no index was saved there yet."""
    try:
        data = json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"unreadable index manifest in {directory}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f"index in {directory} has an unknown format")
    return data


def current_version(directory: Path) -> int | None:
    """Version number of the saved index (cheap: reads one small file)."""
    manifest = read_manifest(directory)
    return None if manifest is None else int(manifest["version"])


def save_index(index: SearchIndex, directory: Path) -> int:
    """Write ``index`` as a new version under ``directory``; returns the version number."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    snap = index.snapshot()
    with _writer_lock(directory):
        previous = read_manifest(directory)
        version = (int(previous["version"]) if previous else 0) + 1
        folder = f"v{version:06d}"
        staging = directory / f".{folder}.tmp-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        _write_snapshot(snap, staging)
        _fsync_dir(staging)
        shutil.rmtree(directory / folder, ignore_errors=True)
        staging.rename(directory / folder)
        manifest = {
            "format": FORMAT, "version": version, "folder": folder,
            "documents": len(snap.columns["id"]), "terms": len(snap.terms),
            "embedder": snap.embedder_name, "segmenter": segmenter_name(),
        }  # fmt: skip
        tmp = directory / f".{MANIFEST}.tmp-{os.getpid()}"
        _write_bytes(tmp, json.dumps(manifest, ensure_ascii=False).encode())
        tmp.replace(directory / MANIFEST)  # atomic: readers see the old or the new manifest
        _fsync_dir(directory)
        _prune(directory, version)
    return version


def _write_snapshot(snap: IndexSnapshot, folder: Path) -> None:
    arrays = snap.arrays
    with (folder / "arrays.npz").open("wb") as handle:
        np.savez(handle, fwd_offsets=arrays.fwd_offsets, fwd_terms=arrays.fwd_terms,
                 fwd_tfs=arrays.fwd_tfs, alive=arrays.alive)  # fmt: skip
        handle.flush()
        os.fsync(handle.fileno())
    _write_bytes(folder / "terms.json", json.dumps(snap.terms, ensure_ascii=False).encode())
    _write_bytes(folder / "documents.json", json.dumps(snap.columns, ensure_ascii=False).encode())
    if snap.vectors is not None:
        with (folder / "vectors.npy").open("wb") as handle:
            np.save(handle, snap.vectors, allow_pickle=False)


def _prune(directory: Path, version: int) -> None:
    for child in directory.iterdir():
        name = child.name
        is_version = child.is_dir() and name.startswith("v") and name[1:].isdigit()
        if is_version and int(name[1:]) <= version - KEEP_VERSIONS:
            shutil.rmtree(child, ignore_errors=True)


def load_index(directory: Path, *, embedder: Embedder | None = None) -> tuple[SearchIndex, int]:
    """The newest saved index (with its journal applied) and its version."""
    loaded = _load(Path(directory), embedder)
    return loaded.index, loaded.version


@dataclass
class _Loaded:
    index: SearchIndex
    version: int
    folder: Path
    offset: int = 0  # bytes of the journal already applied


def _load(directory: Path, embedder: Embedder | None) -> _Loaded:
    for _attempt in range(3):  # a writer may prune our folder between manifest and open
        manifest = read_manifest(directory)
        if manifest is None:
            raise InvalidInput(f"no search index saved in {directory}")
        name = str(manifest["folder"])
        if not (name.startswith("v") and name[1:].isdigit()):
            raise InvalidInput(f"index manifest in {directory} names a bad folder")
        try:
            index = _read_snapshot(directory / name, manifest.get("embedder"), embedder)
        except FileNotFoundError:
            continue
        loaded = _Loaded(index, int(manifest["version"]), directory / name)
        _apply_journal(loaded)
        return loaded
    raise InvalidInput(f"index in {directory} kept changing while loading; try again")


def _read_snapshot(folder: Path, saved_with: str | None, embedder: Embedder | None) -> SearchIndex:
    with np.load(folder / "arrays.npz", allow_pickle=False) as data:
        arrays = Bm25Arrays(data["fwd_offsets"], data["fwd_terms"], data["fwd_tfs"], data["alive"])
    terms = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
    columns = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
    if not isinstance(columns, dict):
        raise InvalidInput(f"{folder}: documents.json is not a mapping of columns")
    vectors_path = folder / "vectors.npy"
    vectors = np.load(vectors_path, allow_pickle=False) if vectors_path.exists() else None
    snap = IndexSnapshot(arrays, terms, columns, vectors, saved_with)
    return SearchIndex.from_snapshot(snap, embedder=embedder)


# ---- journal: changes since the snapshot, replayed by readers -----------------------------------
def append_changes(
    directory: Path, *, upserts: Sequence[Document] = (), removals: Sequence[str] = ()
) -> int:
    """Record changes made after the last save so other processes apply them on ``refresh``.

    Cheap (one appended, fsynced write), so an edited article reaches every process within a
    refresh interval without rewriting the whole index. Assumes one writing process, which
    also applied the changes to its own index before its next ``save_index``.
    """
    directory = Path(directory)
    lines = [{"op": "upsert", "doc": asdict(doc)} for doc in upserts]
    lines += [{"op": "remove", "id": doc_id} for doc_id in removals]
    with _writer_lock(directory):
        manifest = read_manifest(directory)
        if manifest is None:
            raise InvalidInput(f"save an index in {directory} before appending changes")
        payload = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        with (directory / str(manifest["folder"]) / JOURNAL).open("ab") as handle:
            handle.write(payload.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        return int(manifest["version"])


def _apply_journal(loaded: _Loaded) -> bool:
    """Apply complete journal lines past ``loaded.offset``; a half-written last line waits."""
    try:
        with (loaded.folder / JOURNAL).open("rb") as handle:
            handle.seek(loaded.offset)
            data = handle.read()
    except FileNotFoundError:
        return False
    end = data.rfind(b"\n") + 1
    for raw in data[:end].splitlines():
        change = json.loads(raw)
        if change.get("op") == "upsert":
            fields = dict(change["doc"])
            fields["tags"] = tuple(fields.get("tags") or ())
            loaded.index.upsert(Document(**fields))
        elif change.get("op") == "remove":
            loaded.index.remove(str(change["id"]))
    loaded.offset += end
    return end > 0


class IndexHandle:
    """A process's view of an index directory: follows the journal, reloads newer versions."""

    def __init__(self, directory: Path, *, embedder: Embedder | None = None) -> None:
        self.directory = Path(directory)
        self._embedder = embedder
        self._loaded = _load(self.directory, embedder)

    @property
    def index(self) -> SearchIndex:
        """The current in-memory index."""
        return self._loaded.index

    @property
    def version(self) -> int:
        """Version of the snapshot the index was loaded from."""
        return self._loaded.version

    def refresh(self) -> bool:
        """Pick up a newer saved version or new journal lines; True when anything changed."""
        latest = current_version(self.directory)
        if latest is not None and latest > self._loaded.version:
            self._loaded = _load(self.directory, self._embedder)
            return True
        return _apply_journal(self._loaded)
