"""The featurizer's per-word memo is a bounded, unpickled cache that never changes a vector."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from kefu import nlu
from kefu.nlu import features, resources_io


def test_caches_are_not_pickled_and_memo_is_bounded(
    analyzer: nlu.Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    featurizer = analyzer.model.featurizer
    featurizer.vector("where is my order")
    assert "_memo" in featurizer.__dict__
    assert set(pickle.loads(pickle.dumps(featurizer)).__dict__) == {"chars", "words"}
    monkeypatch.setattr(features, "MEMO_MAX_WORDS", 3)
    featurizer.__dict__.pop("_memo")
    text = "one two three four five six seven " + "x" * 40
    cold = featurizer.vector(text)
    memo = featurizer.__dict__["_memo"]
    assert 0 < len(memo) <= 3
    assert "x" * 40 not in memo  # long words are not memoised
    warm = featurizer.vector(text)
    assert np.array_equal(cold[0], warm[0])
    assert np.array_equal(cold[1], warm[1])


def test_editing_a_sentiment_lexicon_retrains_the_intent_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The intent features read the lexicons' negators and complaint words ("¬leak"): a model
    # cached before a lexicon edit would featurize differently from how it was trained.
    before = resources_io.corpus_digest()
    original = resources_io.read_text

    def edited(*parts: str) -> str:
        text = original(*parts)
        if parts != ("en", "sentiment.json"):
            return text
        return text.replace('"negative": {', '"negative": {"wonky": 1.0,')

    monkeypatch.setattr(resources_io, "read_text", edited)
    assert resources_io.corpus_digest() != before
