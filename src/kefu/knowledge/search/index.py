"""``SearchIndex``: documents in, ranked hits out (BM25, optional dense, hybrid by RRF)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from kefu.errors import Conflict, InvalidInput
from kefu.knowledge.search.bm25 import Bm25Arrays, Bm25Engine
from kefu.knowledge.search.dense import Embedder, VectorStore
from kefu.knowledge.search.fusion import reciprocal_rank_fusion
from kefu.knowledge.search.snippets import make_snippet
from kefu.knowledge.search.tokenize import SNOWBALL, QueryTerm, base_language, query_terms, terms
from kefu.knowledge.search.types import Document, Hit, SearchFilters

Mode = Literal["auto", "bm25", "dense", "hybrid"]
MAX_QUERY_CHARS = 2_000  # a pasted e-mail is cut here; the rest rarely changes the ranking
MAX_QUERY_TERMS = 32  # beyond this keep the rarest terms: bounded latency, best evidence
MAX_LIMIT = 100
FUSION_DEPTH = 50  # how deep each backend's list goes into the fusion
TITLE_WEIGHT = 2.0  # a title word counts as two body words
_FIELDS = ("id", "title", "body", "language", "shop_id", "platform", "kind", "tags")


class _Column:
    """A categorical per-slot field stored as int codes (0 = unset)."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.values = np.zeros(0, np.int32)

    def set(self, slot: int, value: str | None) -> None:
        if slot >= len(self.values):
            grown = np.zeros(max(slot + 1, 2 * len(self.values), 16), np.int32)
            grown[: len(self.values)] = self.values
            self.values = grown
        code = 0 if value is None else self.codes.setdefault(value, len(self.codes) + 1)
        self.values[slot] = code

    def code(self, value: str) -> int:
        return self.codes.get(value, -1)


@dataclass(frozen=True)
class IndexSnapshot:
    """Everything needed to rebuild an index exactly (what the store writes to disk)."""

    arrays: Bm25Arrays
    terms: list[str]
    columns: dict[str, list[Any]]  # one list per Document field, in slot order
    vectors: NDArray[np.float32] | None
    embedder_name: str | None


def document_terms(doc: Document) -> dict[str, float]:
    """Weighted term frequencies of a document: title words count double, tags once."""
    counts: dict[str, float] = dict(Counter(terms(doc.body, doc.language)))
    for term in terms(doc.title, doc.language):
        counts[term] = counts.get(term, 0.0) + TITLE_WEIGHT
    for tag in doc.tags:
        for term in terms(tag.replace("-", " ").replace("_", " "), doc.language):
            counts[term] = counts.get(term, 0.0) + 1.0
    return counts


class SearchIndex:
    """A mutable, in-memory search index; add/upsert/remove are visible to the next search."""

    def __init__(self, *, embedder: Embedder | None = None) -> None:
        self._engine = Bm25Engine()
        self._embedder = embedder
        self._vectors = VectorStore(embedder.dimension) if embedder is not None else None
        self._slot_of: dict[str, int] = {}
        # Documents are kept column-wise (lists of strings), not as 100k objects: far fewer
        # objects for the garbage collector to walk, so no multi-millisecond pauses mid-query.
        self._store: dict[str, list[Any]] = {name: [] for name in _FIELDS}
        self._columns = {name: _Column() for name in ("shop_id", "platform", "language", "kind")}
        self._tags: dict[str, set[int]] = {}
        self._languages: Counter[str] = Counter()
        self.generation = 0  # bumped by every change

    # ---- building ---------------------------------------------------------------------------
    @classmethod
    def build(cls, docs: Iterable[Document], *, embedder: Embedder | None = None) -> SearchIndex:
        """A new index over ``docs`` in one pass (faster than adding one at a time)."""
        index = cls(embedder=embedder)
        unique: dict[str, Document] = {}
        for doc in docs:
            unique[doc.id] = doc  # the last one wins, as with repeated upserts
        ordered = list(unique.values())
        index._engine.bulk_load(document_terms(doc) for doc in ordered)
        for slot, doc in enumerate(ordered):
            index._register(slot, doc)
        if index._vectors is not None and embedder is not None and ordered:
            index._vectors.load(embedder.embed([_embed_text(d) for d in ordered]))
        index.generation = 1
        return index

    @classmethod
    def from_snapshot(cls, snap: IndexSnapshot, *, embedder: Embedder | None = None) -> SearchIndex:
        """Rebuild an index saved with ``snapshot``; vectors are recomputed if models differ."""
        index = cls(embedder=embedder)
        index._engine.load_arrays(snap.arrays, snap.terms)
        index._load_columns(snap.columns)
        if index._vectors is not None and embedder is not None and len(index):
            same = snap.vectors is not None and snap.embedder_name == embedder.name
            matrix = (
                snap.vectors
                if same and snap.vectors is not None
                else embedder.embed([_embed_text(index._doc(slot)) for slot in range(len(index))])
            )
            index._vectors.load(matrix)
        index.generation = 1
        return index

    def snapshot(self) -> IndexSnapshot:
        """A compacted copy of the index state, ready to be written out."""
        self._compact()
        arrays = self._engine.arrays()
        columns = {name: list(values) for name, values in self._store.items()}
        vectors = None
        if self._vectors is not None:
            vectors = self._vectors.vectors[: len(self)].copy()
        name = self._embedder.name if self._embedder is not None else None
        return IndexSnapshot(arrays, list(self._engine.terms_by_id), columns, vectors, name)

    def _load_columns(self, columns: dict[str, list[Any]]) -> None:
        """Adopt saved document columns wholesale (much faster than one _register each)."""
        size = self._engine.n_slots
        if set(columns) != set(_FIELDS) or any(len(v) != size for v in columns.values()):
            raise InvalidInput("saved index is inconsistent: document columns do not match")
        self._store = {name: list(columns[name]) for name in _FIELDS}
        self._store["tags"] = [tuple(tags or ()) for tags in self._store["tags"]]
        self._slot_of = {doc_id: slot for slot, doc_id in enumerate(self._store["id"])}
        for name, column in self._columns.items():
            for slot, value in enumerate(self._store[name]):
                column.set(slot, value)
        for slot, tags in enumerate(self._store["tags"]):
            for tag in tags:
                self._tags.setdefault(tag, set()).add(slot)
        self._languages = Counter(base_language(lang) or "" for lang in self._store["language"])

    def _register(self, slot: int, doc: Document) -> None:
        self._slot_of[doc.id] = slot
        for name, values in self._store.items():
            if slot >= len(values):
                values.extend([None] * (slot + 1 - len(values)))
            values[slot] = getattr(doc, name)
        for name, column in self._columns.items():
            column.set(slot, getattr(doc, name))
        for tag in doc.tags:
            self._tags.setdefault(tag, set()).add(slot)
        if doc.language:
            self._languages[base_language(doc.language) or ""] += 1

    # ---- incremental changes ----------------------------------------------------------------
    def add(self, doc: Document) -> None:
        """Index a new document; raises Conflict if its id is already indexed."""
        if doc.id in self._slot_of:
            raise Conflict(f"document {doc.id!r} is already indexed; use upsert")
        _check_id(doc.id)
        slot = self._engine.add(document_terms(doc))
        self._register(slot, doc)
        if self._vectors is not None and self._embedder is not None:
            self._vectors.set(slot, self._embedder.embed([_embed_text(doc)])[0])
        self.generation += 1
        if self._engine.needs_compaction():
            self._compact()

    def upsert(self, doc: Document) -> None:
        """Add or replace a document by id."""
        self.remove(doc.id)
        self.add(doc)

    def remove(self, doc_id: str) -> bool:
        """Forget a document; returns False when it was not indexed."""
        slot = self._slot_of.pop(doc_id, None)
        if slot is None:
            return False
        doc = self._doc(slot)
        self._engine.remove(slot)
        for tag in doc.tags:
            self._tags.get(tag, set()).discard(slot)
        if doc.language:
            self._languages[base_language(doc.language) or ""] -= 1
        self._store["id"][slot] = None
        self.generation += 1
        return True

    def _compact(self) -> None:
        engine = self._engine
        if engine.n_slots == engine.n_main and engine.n_alive == engine.n_slots:
            return  # no tail and no dead slots: already compact
        remap = self._engine.compact()
        if self._vectors is not None:
            self._vectors.remap(remap)
        live = [self._doc(s) for s, i in enumerate(self._store["id"]) if i is not None]
        self._store = {name: [] for name in _FIELDS}
        self._slot_of, self._tags = {}, {}
        self._columns = {name: _Column() for name in self._columns}
        self._languages = Counter()
        for slot, doc in enumerate(live):
            self._register(slot, doc)

    # ---- reading ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slot_of

    def get(self, doc_id: str) -> Document | None:
        """The indexed document with this id, if any."""
        slot = self._slot_of.get(doc_id)
        return None if slot is None else self._doc(slot)

    def _doc(self, slot: int) -> Document:
        return Document(**{name: values[slot] for name, values in self._store.items()})

    def array_bytes(self) -> int:
        """Bytes of numpy arrays behind the index (a floor for its memory use)."""
        columns = sum(int(c.values.nbytes) for c in self._columns.values())
        vectors = int(self._vectors.vectors.nbytes) if self._vectors is not None else 0
        return self._engine.array_bytes() + columns + vectors

    @property
    def has_dense(self) -> bool:
        """True when an embedding model is attached."""
        return self._vectors is not None

    def languages(self) -> tuple[str, ...]:
        """Languages of the indexed documents that have a stemmer (query expansion targets)."""
        return tuple(
            sorted(lang for lang, n in self._languages.items() if n > 0 and lang in SNOWBALL)
        )

    # ---- searching --------------------------------------------------------------------------
    def search(
        self, query: str, *, filters: SearchFilters | None = None, limit: int = 10,
        language: str | None = None, mode: Mode = "auto", snippets: bool = True,
    ) -> list[Hit]:  # fmt: skip
        """Ranked hits for ``query`` (``language`` = the query's language, if known)."""
        if not isinstance(query, str) or not query.strip():
            raise InvalidInput("query is empty", field="q")
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
        if mode in ("dense", "hybrid") and self._vectors is None:
            raise InvalidInput(f"{mode} search needs an embedding model (KEFU_EMBEDDING_MODEL)")
        flt = filters or SearchFilters()
        text = query[:MAX_QUERY_CHARS]
        groups = self._groups(query_terms(text, language or flt.language, self.languages()))
        use_dense = mode in ("dense", "hybrid") or (mode == "auto" and self._vectors is not None)
        use_bm25 = mode != "dense"
        depth = max(limit, FUSION_DEPTH) if use_dense and use_bm25 else limit
        bm25_scores = self._engine.score([ids for _, ids in groups]) if use_bm25 else None
        bm25_rank = self._rank(bm25_scores, flt, depth) if bm25_scores is not None else []
        dense_scores = self._dense_scores(text) if use_dense else None
        dense_rank = self._rank(dense_scores, flt, depth, positive=False) if use_dense else []
        if use_dense and use_bm25:
            fused = reciprocal_rank_fusion([bm25_rank, dense_rank])
            order = sorted(fused, key=lambda s: (-fused[s], s))[:limit]
            final = [(slot, fused[slot]) for slot in order]
        else:
            chosen, scores = (bm25_rank, bm25_scores) if use_bm25 else (dense_rank, dense_scores)
            assert scores is not None
            final = [(slot, float(scores[slot])) for slot in chosen[:limit]]
        ranks = (
            {s: i + 1 for i, s in enumerate(bm25_rank)},
            {s: i + 1 for i, s in enumerate(dense_rank)},
        )
        return [
            self._hit(slot, score, groups, bm25_scores, dense_scores, ranks, snippets)
            for slot, score in final
        ]

    def _groups(self, qterms: list[QueryTerm]) -> list[tuple[QueryTerm, list[int]]]:
        """Query terms the vocabulary knows, as term ids; the rarest ones if there are many."""
        vocab = self._engine.vocab
        groups = [(qt, [vocab[f] for f in sorted(qt.forms) if f in vocab]) for qt in qterms]
        known = [(qt, ids) for qt, ids in groups if ids]
        if len(known) > MAX_QUERY_TERMS:
            known.sort(key=lambda g: -max(self._engine.idf(t) for t in g[1]))
            known = known[:MAX_QUERY_TERMS]
        return known

    def _dense_scores(self, text: str) -> NDArray[np.float32] | None:
        if self._vectors is None or self._embedder is None:
            return None
        vector = self._embedder.embed([text])[0]
        return self._vectors.scores(vector, self._engine.n_slots)

    def _rank(
        self, scores: NDArray[np.float32] | None, flt: SearchFilters, depth: int,
        *, positive: bool = True,
    ) -> list[int]:  # fmt: skip
        """Slots passing the filters, best first, at most ``depth`` of them."""
        if scores is None:
            return []
        cand = np.flatnonzero(scores > 0) if positive else np.arange(len(scores))
        cand = cand[self._allowed(cand, flt)]
        if len(cand) > depth:
            cand = cand[np.argpartition(-scores[cand], depth - 1)[:depth]]
        order = np.lexsort((cand, -scores[cand]))
        return [int(s) for s in cand[order]]

    def _allowed(self, slots: NDArray[np.int64], flt: SearchFilters) -> NDArray[np.bool_]:
        ok = self._engine.alive[slots].copy()
        for name, wildcard in (("shop_id", True), ("platform", True), ("language", False),
                               ("kind", False)):  # fmt: skip
            wanted = getattr(flt, name)
            if wanted is None:
                continue
            column = self._columns[name]
            values = column.values[slots]
            match = values == column.code(wanted)
            ok &= (match | (values == 0)) if wildcard else match
        for tag in flt.tags:
            ok &= np.isin(slots, np.fromiter(self._tags.get(tag, ()), np.int64))
        return ok

    def _hit(
        self, slot: int, score: float, groups: Sequence[tuple[QueryTerm, list[int]]],
        bm25: NDArray[np.float32] | None, dense: NDArray[np.float32] | None,
        ranks: tuple[dict[int, int], dict[int, int]], with_snippet: bool,
    ) -> Hit:  # fmt: skip
        doc = self._doc(slot)
        present = set(self._engine.slot_terms(slot)[0].tolist())
        matched = [(qt, ids) for qt, ids in groups if present.intersection(ids)]
        forms = {self._engine.terms_by_id[t] for _, ids in matched for t in ids}
        snippet, marks = "", tuple[tuple[int, int], ...]()
        if with_snippet:
            snippet, marks = make_snippet(doc.body or doc.title, language=doc.language, forms=forms)
        return Hit(
            doc_id=doc.id,
            title=doc.title,
            score=float(score),
            snippet=snippet,
            highlights=marks,
            matched_terms=tuple(qt.text for qt, _ in matched),
            bm25=float(bm25[slot]) if bm25 is not None else None,
            dense=float(dense[slot]) if dense is not None else None,
            bm25_rank=ranks[0].get(slot),
            dense_rank=ranks[1].get(slot),
        )


def _embed_text(doc: Document) -> str:
    return f"{doc.title}\n{doc.body}" if doc.title else doc.body


def _check_id(doc_id: str) -> None:
    if not doc_id or len(doc_id) > 200:
        raise InvalidInput("document id must be 1-200 characters", field="id")
