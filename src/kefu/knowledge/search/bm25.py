"""BM25 over integer document slots, with cheap incremental updates.

Layout (like a one-segment Lucene index plus an in-memory tail):

* a *forward* store per slot (term ids and weighted term frequencies) in CSR arrays;
* an *inverted* main segment built from the forward store with one stable argsort;
* a tail of postings for slots added since the last compaction (plain lists), so an added or
  edited document is searchable at once without a rebuild;
* removals only clear the slot's ``alive`` flag and decrement document frequencies; the dead
  postings stay until ``compact`` rebuilds both segments from the live forward entries.

Scoring is vectorised with numpy: one dense score vector per query, filled term by term.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]
I32 = NDArray[np.int32]
I64 = NDArray[np.int64]


def _grow(array: NDArray[np.generic], size: int) -> NDArray[np.generic]:
    """The same array with room for ``size`` entries (capacity doubles, new cells zero)."""
    if size <= len(array):
        return array
    bigger = np.zeros(max(size, 2 * len(array), 16), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


@dataclass
class Bm25Arrays:
    """Everything the engine needs, as plain arrays (what gets saved to disk)."""

    fwd_offsets: I64 = field(default_factory=lambda: np.zeros(1, np.int64))
    fwd_terms: I32 = field(default_factory=lambda: np.zeros(0, np.int32))
    fwd_tfs: F32 = field(default_factory=lambda: np.zeros(0, np.float32))
    alive: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, np.bool_))


class Bm25Engine:
    """Inverted index with BM25 (Lucene's idf) over slots 0..n-1; callers map ids to slots."""

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._reset()

    def _reset(self) -> None:
        self.vocab: dict[str, int] = {}
        self.terms_by_id: list[str] = []
        self.df = np.zeros(0, np.int32)
        self.doc_len = np.zeros(0, np.float32)
        self.alive = np.zeros(0, np.bool_)
        self.n_slots = 0
        self.n_alive = 0
        self.total_len = 0.0
        # main segment (slots < n_main)
        self.n_main = 0
        self.fwd_offsets = np.zeros(1, np.int64)
        self.fwd_terms = np.zeros(0, np.int32)
        self.fwd_tfs = np.zeros(0, np.float32)
        self.inv_offsets = np.zeros(1, np.int64)
        self.inv_docs = np.zeros(0, np.int32)
        self.inv_tfs = np.zeros(0, np.float32)
        self.inv_impacts = np.zeros(0, np.float32)  # tf part of BM25, per main posting
        self.impact_avgdl = 0.0
        # tail (slots >= n_main)
        self.tail_fwd: list[tuple[I32, F32]] = []
        self.tail_docs: dict[int, list[int]] = {}
        self.tail_tfs: dict[int, list[float]] = {}
        self.tail_postings = 0
        self._tail_cache: dict[int, tuple[I32, F32]] = {}

    # ---- building -------------------------------------------------------------------------
    def term_id(self, term: str) -> int:
        """The id of ``term``, adding it to the vocabulary if new."""
        tid = self.vocab.get(term)
        if tid is None:
            tid = len(self.terms_by_id)
            self.vocab[term] = tid
            self.terms_by_id.append(term)
            if tid >= len(self.df):
                self.df = _grow(self.df, tid + 1)  # type: ignore[assignment]
        return tid

    def _encode(self, tfs: dict[str, float]) -> tuple[I32, F32]:
        ids = np.fromiter((self.term_id(t) for t in tfs), np.int32, len(tfs))
        weights = np.fromiter(tfs.values(), np.float32, len(tfs))
        return ids, weights

    def bulk_load(self, docs: Iterable[dict[str, float]]) -> None:
        """Replace everything with ``docs`` (slot i = i-th doc) and build the main segment.

        Consumes an iterator so only one document's term counts exist at a time.
        """
        self._reset()
        lengths: list[int] = []
        id_parts: list[I32] = []
        tf_parts: list[F32] = []
        for tfs in docs:
            ids, weights = self._encode(tfs)
            id_parts.append(ids)
            tf_parts.append(weights)
            lengths.append(len(ids))
        offsets = np.zeros(len(lengths) + 1, np.int64)
        offsets[1:] = np.cumsum(lengths)
        terms = np.concatenate(id_parts) if id_parts else np.zeros(0, np.int32)
        weights = np.concatenate(tf_parts) if tf_parts else np.zeros(0, np.float32)
        alive = np.ones(len(lengths), np.bool_)
        self._install(Bm25Arrays(offsets, terms.astype(np.int32), weights, alive))

    def _install(self, arrays: Bm25Arrays) -> None:
        """Adopt forward arrays as the main segment and derive everything else from them."""
        n = len(arrays.alive)
        self.fwd_offsets, self.fwd_terms, self.fwd_tfs = (
            arrays.fwd_offsets, arrays.fwd_terms, arrays.fwd_tfs,
        )  # fmt: skip
        self.n_slots = self.n_main = n
        self.alive = arrays.alive.copy()
        slot_of = np.repeat(np.arange(n, dtype=np.int32), np.diff(self.fwd_offsets))
        self.doc_len = np.bincount(slot_of, weights=self.fwd_tfs, minlength=n).astype(np.float32)
        order = np.argsort(self.fwd_terms, kind="stable")
        self.inv_docs = slot_of[order]
        self.inv_tfs = self.fwd_tfs[order]
        counts = np.bincount(self.fwd_terms, minlength=len(self.terms_by_id))
        self.inv_offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        live_terms = self.fwd_terms[np.repeat(self.alive, np.diff(self.fwd_offsets))]
        self.df = np.bincount(live_terms, minlength=len(self.terms_by_id)).astype(np.int32)
        self.n_alive = int(self.alive.sum())
        self.total_len = float(self.doc_len[self.alive].sum())
        self.tail_fwd, self.tail_docs, self.tail_tfs = [], {}, {}
        self.tail_postings = 0
        self._tail_cache = {}
        self.impact_avgdl = 0.0

    def load_arrays(self, arrays: Bm25Arrays, terms: list[str]) -> None:
        """Restore from saved arrays and the vocabulary in id order."""
        self._reset()
        self.terms_by_id = list(terms)
        self.vocab = {term: i for i, term in enumerate(self.terms_by_id)}
        self._install(arrays)

    # ---- incremental ------------------------------------------------------------------------
    def add(self, tfs: dict[str, float]) -> int:
        """Index one document in a new slot (searchable immediately); returns the slot."""
        ids, weights = self._encode(tfs)
        slot = self.n_slots
        self.n_slots += 1
        self.alive = _grow(self.alive, self.n_slots)  # type: ignore[assignment]
        self.doc_len = _grow(self.doc_len, self.n_slots)  # type: ignore[assignment]
        self.alive[slot] = True
        self.doc_len[slot] = float(weights.sum())
        self.tail_fwd.append((ids, weights))
        for tid, tf in zip(ids.tolist(), weights.tolist(), strict=True):
            self.tail_docs.setdefault(tid, []).append(slot)
            self.tail_tfs.setdefault(tid, []).append(tf)
            self._tail_cache.pop(tid, None)
        self.df[ids] += 1
        self.n_alive += 1
        self.total_len += float(self.doc_len[slot])
        self.tail_postings += len(ids)
        return slot

    def remove(self, slot: int) -> None:
        """Drop a slot from results and statistics (its postings go at the next compaction)."""
        if not self.alive[slot]:
            return
        self.alive[slot] = False
        self.df[self.slot_terms(slot)[0]] -= 1
        self.n_alive -= 1
        self.total_len -= float(self.doc_len[slot])

    def slot_terms(self, slot: int) -> tuple[I32, F32]:
        """Term ids and weights stored for one slot."""
        if slot < self.n_main:
            lo, hi = self.fwd_offsets[slot], self.fwd_offsets[slot + 1]
            return self.fwd_terms[lo:hi], self.fwd_tfs[lo:hi]
        return self.tail_fwd[slot - self.n_main]

    def needs_compaction(self) -> bool:
        """True when the tail or the dead slots have grown enough to be worth a rebuild."""
        dead = self.n_slots - self.n_alive
        return self.tail_postings > max(200_000, len(self.inv_docs) // 4) or dead > max(
            1_000, self.n_slots // 4
        )

    def compact(self) -> I64:
        """Rebuild without dead slots; returns old slot -> new slot (-1 when dropped)."""
        keep = np.flatnonzero(self.alive[: self.n_slots])
        remap = np.full(self.n_slots, -1, np.int64)
        remap[keep] = np.arange(len(keep))
        parts = [self.slot_terms(int(s)) for s in keep]
        offsets = np.zeros(len(keep) + 1, np.int64)
        offsets[1:] = np.cumsum([len(ids) for ids, _ in parts]) if parts else []
        terms = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int32)
        weights = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.float32)
        self._install(Bm25Arrays(offsets, terms.astype(np.int32), weights.astype(np.float32),
                                 np.ones(len(keep), np.bool_)))  # fmt: skip
        return remap

    def arrays(self) -> Bm25Arrays:
        """The forward store of a compacted engine, for saving."""
        if self.tail_fwd or self.n_alive != self.n_slots:
            raise RuntimeError("compact() the engine (and remap slots) before saving it")
        return Bm25Arrays(self.fwd_offsets, self.fwd_terms, self.fwd_tfs, self.alive)

    def array_bytes(self) -> int:
        """Bytes held in numpy arrays (postings, forward store, per-slot statistics)."""
        arrays = (self.fwd_offsets, self.fwd_terms, self.fwd_tfs, self.inv_offsets, self.inv_docs,
                  self.inv_tfs, self.inv_impacts, self.df, self.doc_len, self.alive)  # fmt: skip
        return sum(int(a.nbytes) for a in arrays)

    # ---- scoring ----------------------------------------------------------------------------
    def postings(self, tid: int) -> tuple[I32, F32]:
        """All postings of one term: main segment slice plus tail."""
        main_docs: I32 = np.zeros(0, np.int32)
        main_tfs: F32 = np.zeros(0, np.float32)
        if tid + 1 < len(self.inv_offsets):
            lo, hi = self.inv_offsets[tid], self.inv_offsets[tid + 1]
            main_docs, main_tfs = self.inv_docs[lo:hi], self.inv_tfs[lo:hi]
        if tid not in self.tail_docs:
            return main_docs, main_tfs
        tail_docs, tail_tfs = self._tail_arrays(tid)
        return np.concatenate((main_docs, tail_docs)), np.concatenate((main_tfs, tail_tfs))

    def _tail_arrays(self, tid: int) -> tuple[I32, F32]:
        cached = self._tail_cache.get(tid)
        if cached is None:
            cached = (np.asarray(self.tail_docs[tid], np.int32),
                      np.asarray(self.tail_tfs[tid], np.float32))  # fmt: skip
            self._tail_cache[tid] = cached
        return cached

    def idf(self, tid: int) -> float:
        """Lucene BM25 idf: always positive, so frequent terms still count a little."""
        df = float(self.df[tid]) if tid < len(self.df) else 0.0
        return float(np.log1p((self.n_alive - df + 0.5) / (df + 0.5)))

    def _impact(self, docs: I32, tfs: F32, avgdl: float) -> F32:
        norm = self.k1 * (1.0 - self.b + self.b * self.doc_len[docs] / avgdl)
        return (tfs * (self.k1 + 1.0) / (tfs + norm)).astype(np.float32)

    def _refresh_impacts(self, avgdl: float) -> None:
        """Precompute the tf part of every main posting; redone when avgdl drifts over 2%."""
        if self.impact_avgdl and abs(avgdl - self.impact_avgdl) <= 0.02 * self.impact_avgdl:
            return
        self.inv_impacts = self._impact(self.inv_docs, self.inv_tfs, avgdl)
        self.impact_avgdl = avgdl

    def _contrib(self, tid: int, avgdl: float) -> list[tuple[I32, F32]]:
        """(slots, score) parts for one term: main segment and tail kept apart (no copying)."""
        idf = np.float32(self.idf(tid))
        parts: list[tuple[I32, F32]] = []
        if tid + 1 < len(self.inv_offsets):
            lo, hi = self.inv_offsets[tid], self.inv_offsets[tid + 1]
            if hi > lo:
                parts.append((self.inv_docs[lo:hi], self.inv_impacts[lo:hi] * idf))
        if tid in self.tail_docs:
            tail_docs, tail_tfs = self._tail_arrays(tid)
            parts.append((tail_docs, self._impact(tail_docs, tail_tfs, avgdl) * idf))
        return parts

    def score(self, groups: Iterable[Sequence[int]]) -> F32:
        """Score vector over slots; each group adds the best of its alternative term ids."""
        scores = np.zeros(self.n_slots, np.float32)
        avgdl = max(self.total_len / max(self.n_alive, 1), 1e-6)
        self._refresh_impacts(avgdl)
        best: F32 | None = None
        for group in groups:
            if len(group) == 1:
                for docs, contrib in self._contrib(group[0], avgdl):
                    scores[docs] += contrib
                continue
            # Best form per document without a dense temporary: add only the improvement.
            best = np.zeros(self.n_slots, np.float32) if best is None else best
            touched = []
            for tid in group:
                for docs, contrib in self._contrib(tid, avgdl):
                    scores[docs] += np.maximum(contrib - best[docs], 0)
                    best[docs] = np.maximum(best[docs], contrib)
                    touched.append(docs)
            for docs in touched:
                best[docs] = 0
        return scores
