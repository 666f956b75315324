"""Text -> features for the intent model: character 1-4-grams within words plus word uni/bigrams
(jieba words for Chinese), plus denied words.

A word within two words after a negator also counts as denied ("¬leak" in "doesn't leak at
all", "¬破损" in "没有破损"), and a denied complaint word of any sentiment lexicon adds one
shared feature, so "No weird smell" and "kein Kratzer" share what the corpus taught about
denied problems: an all-clear reply names a problem only to deny it, and read as that problem
without these (tests/nlu/all_clear_cases.jsonl: as praise 0.745 -> 0.800, as praise or other
0.836 -> 0.873; the blind sets did not move, Bitext shipped 0.6607 -> 0.6613).

Vocabularies and IDF weights are learnt with scikit-learn's ``TfidfVectorizer`` (sublinear tf,
l2 norm per block); one message is then featurised by :meth:`Featurizer.vector` with plain dict
look-ups, which is the same arithmetic without the per-call overhead of ``transform`` (~2 ms).

Character n-grams never cross a space, so a word's vocabulary indices depend on the word alone:
:meth:`Featurizer.vector` keeps them per word (bounded memo, short words only), and a message
costs a few dict look-ups per word instead of building and hashing every n-gram string.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from kefu.nlu.resources_io import CORPUS_LANGUAGES
from kefu.nlu.sentiment_lexicon import DENIED, DENIED_COMPLAINT, denied_after, lexicon
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
    """Unigrams and bigrams of :func:`words`, and the denied words among them."""
    toks = words(text)
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)] + _denied(toks)


_CLITICS = frozenset({"t"})  # "doesn't" is two tokens, "doesn" and "t"


@functools.cache
def _denial_words() -> tuple[frozenset[str], frozenset[str]]:
    """The negators of every corpus language's sentiment lexicon as tokens ("doesn't" ->
    "doesn"), and the one-word complaint words of those lexicons."""
    negators: set[str] = set()
    complaints: set[str] = set()
    for language in CORPUS_LANGUAGES:
        lex = lexicon(language)
        negators.update(toks[0] for w in lex.negator_words if (toks := _WORD.findall(w)))
        complaints.update(w for w, v in lex.weights.items() if v < 0 and " " not in w)
    return frozenset(negators), frozenset(complaints)


def _denied(toks: list[str]) -> list[str]:
    negators, complaints = _denial_words()
    out: list[str] = []
    for word in denied_after(toks, negators, skip=_CLITICS):
        out.append(DENIED + word)
        if word in complaints:
            out.append(DENIED_COMPLAINT)
    return out


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


# Words longer than this are rarely repeated (a Chinese sentence is one "word"): not memoised.
MEMO_WORD_CHARS = 24
MEMO_MAX_WORDS = 20_000


def _char_ids(vocabulary: dict[str, int], word: str) -> tuple[int, ...]:
    """Vocabulary indices of the n-grams of one word, in :func:`char_ngrams` order."""
    padded = f" {word} "
    size = len(padded)
    get = vocabulary.get
    out: list[int] = []
    for n in (1, 2, 3, 4):
        for i in range(size - n + 1):
            j = get(padded[i : i + n])
            if j is not None:
                out.append(j)
    return tuple(out)


_CACHES = ("_memo", "_idf_cache")  # per-process caches, never pickled with the model


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

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in _CACHES}

    def _char_counts(self, norm: str) -> Counter[int]:
        memo: dict[str, tuple[int, ...]] | None = self.__dict__.get("_memo")
        if memo is None:
            memo = self.__dict__["_memo"] = {}
        vocabulary = self.chars.vocabulary_
        per_word: list[tuple[int, ...]] = []
        for word in norm.split():  # str.split() splits on exactly what ``\s+`` matches
            ids = memo.get(word)
            if ids is None:
                ids = _char_ids(vocabulary, word)
                if len(word) <= MEMO_WORD_CHARS:
                    if len(memo) >= MEMO_MAX_WORDS:
                        memo.clear()
                    memo[word] = ids
            per_word.append(ids)
        return Counter(itertools.chain.from_iterable(per_word))

    def _stacked_idf(self) -> NDArray[np.float64]:
        idf: NDArray[np.float64] | None = self.__dict__.get("_idf_cache")
        if idf is None:
            idf = self.__dict__["_idf_cache"] = np.concatenate([self.chars.idf_, self.words.idf_])
        return idf

    def _counts(self, text: str) -> tuple[Counter[int], Counter[int]]:
        """Vocabulary index -> count, for the character block and the word block."""
        norm = normalize(text)
        vocabulary = self.words.vocabulary_
        words = Counter(j for j in map(vocabulary.get, word_ngrams(norm)) if j is not None)
        return self._char_counts(norm), words

    def vector(self, text: str) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Feature indices and values of one text (fast path, same numbers as ``transform``)."""
        chars, words = self._counts(text)
        offset = len(self.chars.vocabulary_)
        size = len(chars) + len(words)
        keys = itertools.chain(chars, (j + offset for j in words))
        idx = np.fromiter(keys, dtype=np.int64, count=size)
        counts = itertools.chain(chars.values(), words.values())
        val = self._stacked_idf()[idx] * (
            1.0 + np.log(np.fromiter(counts, dtype=np.float64, count=size))
        )
        # Each block is l2-normalised on its own, as each TfidfVectorizer does.
        for block in (val[: len(chars)], val[len(chars) :]):
            if len(block):
                block /= math.sqrt(float(block @ block))
        return idx, val

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """:meth:`vector` of many texts as one CSR matrix, with one numpy pass for them all."""
        offset = len(self.chars.vocabulary_)
        width = offset + len(self.words.vocabulary_)
        keys: list[int] = []
        counts: list[int] = []
        bounds = [0]  # where each block starts: two blocks (chars, words) per text
        for text in texts:
            chars, words = self._counts(text)
            keys += chars
            counts += chars.values()
            bounds.append(len(keys))
            keys += (j + offset for j in words)
            counts += words.values()
            bounds.append(len(keys))
        if not keys:
            return sparse.csr_matrix((len(texts), width))
        idx = np.array(keys, dtype=np.int64)
        val = self._stacked_idf()[idx] * (1.0 + np.log(np.array(counts, dtype=np.float64)))
        edges = np.array(bounds, dtype=np.int64)
        sizes = np.diff(edges)
        filled = sizes > 0  # reduceat needs increasing starts: sum the non-empty blocks only
        norms = np.sqrt(np.add.reduceat(val * val, edges[:-1][filled]))
        val /= np.repeat(norms, sizes[filled])
        return sparse.csr_matrix((val, idx, edges[::2]), shape=(len(texts), width))
