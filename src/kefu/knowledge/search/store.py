"""Indexes on disk: versioned folders plus an atomically replaced manifest.

Layout of an index directory::

    MANIFEST.json      {"format": 1, "version": 7, "folder": "v000007", ...}  (replaced atomically)
    v000007/           arrays.npz, terms.json, documents.json[, vectors.npy]
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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from kefu.errors import InvalidInput
from kefu.knowledge.search.bm25 import Bm25Arrays
from kefu.knowledge.search.dense import Embedder
from kefu.knowledge.search.index import IndexSnapshot, SearchIndex
from kefu.knowledge.search.tokenize import segmenter_name

FORMAT = 1
MANIFEST = "MANIFEST.json"
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
    """The newest saved index and its version; raises InvalidInput if none is there."""
    directory = Path(directory)
    for _attempt in range(3):  # a writer may prune our folder between manifest and open
        manifest = read_manifest(directory)
        if manifest is None:
            raise InvalidInput(f"no search index saved in {directory}")
        name = str(manifest["folder"])
        if not (name.startswith("v") and name[1:].isdigit()):
            raise InvalidInput(f"index manifest in {directory} names a bad folder")
        try:
            index = _read_snapshot(directory / name, manifest.get("embedder"), embedder)
            return index, int(manifest["version"])
        except FileNotFoundError:
            continue
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


class IndexHandle:
    """A process's view of an index directory: reloads when a newer version is saved."""

    def __init__(self, directory: Path, *, embedder: Embedder | None = None) -> None:
        self.directory = Path(directory)
        self._embedder = embedder
        self.index, self.version = load_index(self.directory, embedder=embedder)

    def refresh(self) -> bool:
        """Reload if the manifest names a newer version; True when it did."""
        latest = current_version(self.directory)
        if latest is None or latest <= self.version:
            return False
        self.index, self.version = load_index(self.directory, embedder=self._embedder)
        return True
