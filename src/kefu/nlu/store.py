"""Saving and loading intent models (pickle) and the on-disk cache of the built-in model.

Pickles run code when loaded: load only files Kefu wrote (its own cache, or a model file the
seller trained with ``kefu nlu train``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import sklearn

from kefu.nlu.intents import MODEL_VERSION, IntentModel


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    Path(tmp).replace(path)
    return path


def save_model(model: IntentModel, path: Path) -> Path:
    """Write ``model`` to ``path`` atomically."""
    return write_atomic(path, pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))


def load_model(path: Path) -> IntentModel:
    """Read a model written by :func:`save_model`."""
    with path.open("rb") as handle:
        model = pickle.load(handle)  # noqa: S301 - our own files, see module docstring
    if not isinstance(model, IntentModel):
        raise ValueError(f"{path} does not hold a Kefu intent model")
    return model


def default_cache_dir() -> Path:
    """``$KEFU_DATA_DIR/models`` when set, else ``$XDG_CACHE_HOME/kefu/models`` (~/.cache)."""
    data_dir = os.environ.get("KEFU_DATA_DIR")
    if data_dir:
        return Path(data_dir) / "models"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "kefu" / "models"


def cache_key(corpus_digest: str) -> str:
    """Model file name for a corpus, code version and scikit-learn version."""
    raw = f"{corpus_digest}:{MODEL_VERSION}:{sklearn.__version__}".encode()
    return f"intents-{hashlib.sha256(raw).hexdigest()[:16]}.pkl"
