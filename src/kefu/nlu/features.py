"""Text -> features for the intent model: character 1-4-grams within words plus word uni/bigrams
(jieba words for Chinese).

Vocabularies and IDF weights are learnt with scikit-learn's ``TfidfVectorizer`` (sublinear tf,
l2 norm per block); one message is then featurised by :meth:`Featurizer.vector` with plain dict
look-ups, which is the same arithmetic without the per-call overhead of ``transform`` (~2 ms).
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import re
import unicodedata
from collections import Counter
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from kefu.nlu.textnorm import safe_text

CLASSIFIER_CHAR_CAP = 2_000
_DIGITS = re.compile(r"\d+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC, lower case, digits folded to one symbol (ids and amounts say little about intent)."""
    text = unicodedata.normalize("NFKC", safe_text(text[:CLASSIFIER_CHAR_CAP])).lower()
    return _DIGITS.sub("0", text)


@functools.cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """Word tokens of normalized text: jieba for text with Chinese, ``\\w+`` elsewhere."""
    if _HAN.search(text):
        return [t for t in _jieba().lcut(text) if _WORD.match(t)]
    return _WORD.findall(text)


def word_ngrams(text: str) -> list[str]:
    """Unigrams and bigrams of :func:`words`."""
    toks = words(text)
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


def char_ngrams(text: str) -> list[str]:
    """Character 1-4-grams inside space-padded words (like scikit-learn's ``char_wb``)."""
    grams: list[str] = []
    for word in _SPACE.split(text):
        if not word:
            continue
        padded = f" {word} "
        size = len(padded)
        for n in (1, 2, 3, 4):
            grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


def _block(
    vec: TfidfVectorizer, idf: NDArray[np.float64], grams: list[str]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    counts = Counter(j for j in map(vec.vocabulary_.get, grams) if j is not None)
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    val = idf[idx] * (
        1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
    )
    return idx, val / math.sqrt(float(val @ val))


class Featurizer:
    """The two TF-IDF blocks, fitted together and pickled together."""

    def __init__(self) -> None:
        self.chars = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, lowercase=False)
        self.words = TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True, lowercase=False)

    def fit_transform(self, texts: list[str]) -> sparse.csr_matrix:
        """Learn both vocabularies and return the stacked matrix."""
        norm = [normalize(t) for t in texts]
        return sparse.hstack(
            [self.chars.fit_transform(norm), self.words.fit_transform(norm)]
        ).tocsr()

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """Features of many texts (batch path)."""
        norm = [normalize(t) for t in texts]
        return sparse.hstack([self.chars.transform(norm), self.words.transform(norm)]).tocsr()

    def vector(self, text: str) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Feature indices and values of one text (fast path, same numbers as ``transform``)."""
        norm = normalize(text)
        c_idx, c_val = _block(self.chars, self.chars.idf_, char_ngrams(norm))
        w_idx, w_val = _block(self.words, self.words.idf_, word_ngrams(norm))
        offset = len(self.chars.vocabulary_)
        return np.concatenate([c_idx, w_idx + offset]), np.concatenate([c_val, w_val])
