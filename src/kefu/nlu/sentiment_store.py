"""Our labelled reviews (``resources/<lang>/reviews.jsonl``) and the on-disk cache of the review
models trained from them.

Any language with a ``reviews.jsonl`` gets a model. The cache lives beside the intent model's
(:func:`kefu.nlu.store.default_cache_dir`), is keyed by a hash of the reviews, the lexicon (the
model uses its score) and the model version, and holds plain JSON: loading it runs no code.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kefu.nlu.resources_io import CORPUS_LANGUAGES, read_text
from kefu.nlu.sentiment_lexicon import lexicon
from kefu.nlu.sentiment_model import MODEL_VERSION, ReviewModel, ReviewRow, train_review_model
from kefu.nlu.store import default_cache_dir, write_atomic

REVIEWS_FILE = "reviews.jsonl"
T = TypeVar("T")


def _reviews_text(language: str) -> str | None:
    if language not in CORPUS_LANGUAGES:
        return None
    try:
        return read_text(language, REVIEWS_FILE)
    except (FileNotFoundError, NotADirectoryError):
        return None


def review_rows(language: str) -> list[ReviewRow]:
    """The labelled reviews of ``language`` (empty when it has none). Parsed only to train: a
    cache hit needs the file's text alone (:func:`reviews_digest`)."""
    raw = _reviews_text(language) or ""
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return [ReviewRow(str(r["text"]), str(r["label"])) for r in rows]


def reviews_digest(language: str, salt: str) -> str:
    """SHA-256 of ``salt`` and ``language``'s reviews file as it is (empty when it has none)."""
    digest = hashlib.sha256(f"{salt}:{language}:".encode())
    digest.update((_reviews_text(language) or "").encode("utf-8"))
    return digest.hexdigest()


def has_reviews(language: str) -> bool:
    return _reviews_text(language) is not None


def review_languages() -> tuple[str, ...]:
    """Languages that ship a ``reviews.jsonl``."""
    return tuple(lang for lang in CORPUS_LANGUAGES if has_reviews(lang))


def cache_path(language: str, cache_dir: Path | None = None) -> Path:
    """Cache file of ``language``'s review model for the current resources and code."""
    digest = hashlib.sha256(reviews_digest(language, MODEL_VERSION).encode())
    digest.update(read_text(lexicon(language).language, "sentiment.json").encode("utf-8"))
    directory = cache_dir if cache_dir is not None else default_cache_dir()
    return directory / f"sentiment-{language}-{digest.hexdigest()[:16]}.json"


def save_review_model(model: ReviewModel, path: Path) -> Path:
    """Write ``model`` as JSON atomically (a reader never sees half a file)."""
    payload = {
        "version": model.version, "language": model.language, "labels": model.labels,
        "lexicon_coef": model.lexicon_coef, "intercept": model.intercept,
        "meta": model.meta, "table": model.table,
    }  # fmt: skip
    return write_atomic(path, json_bytes(payload))


def json_bytes(payload: object) -> bytes:
    """Compact UTF-8 JSON (the caches hold Chinese grams as they are)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load_review_model(path: Path) -> ReviewModel:
    """Read a model written by :func:`save_review_model`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != MODEL_VERSION:
        raise ValueError(f"{path} holds review model {data.get('version')!r}")
    return ReviewModel(
        language=data["language"],
        labels=tuple(data["labels"]),
        table={g: tuple(v) for g, v in data["table"].items()},
        lexicon_coef=tuple(data["lexicon_coef"]),
        intercept=tuple(data["intercept"]),
        meta=data["meta"],
    )


def build_review_model(language: str, *, cache_dir: Path | None = None) -> ReviewModel | None:
    """``language``'s review model from the cache, else trained and cached; None without data."""
    if not has_reviews(language):
        return None
    return cached_or_trained(
        cache_path(language, cache_dir),
        load_review_model,
        lambda: train_review_model(review_rows(language), language=language, lex=lexicon(language)),
        save_review_model,
    )


def cached_or_trained(
    path: Path,
    load: Callable[[Path], T],
    train: Callable[[], T],
    save: Callable[[T, Path], object],
) -> T | None:
    """What ``path`` holds, else ``train()`` written there; None when training refuses the
    data (ValueError). A stale or broken file is retrained over; a read-only disk keeps the
    result in memory only."""
    if path.is_file():
        try:
            return load(path)
        except (OSError, ValueError, KeyError, TypeError):
            pass
    try:
        trained = train()
    except ValueError:
        return None
    with contextlib.suppress(OSError):
        save(trained, path)
    return trained


@functools.cache
def review_model(language: str) -> ReviewModel | None:
    """The process-wide review model of ``language`` (built on first use)."""
    return build_review_model(language)
