"""The featurizer's per-word memo is a bounded, unpickled cache that never changes a vector."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from kefu import nlu
from kefu.nlu import features


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
