"""Values that go in and out of the search index."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Document:
    """Something searchable: an article, a solved case, a product question."""

    id: str
    title: str
    body: str
    language: str | None = None
    shop_id: str | None = None  # None = global, visible to every shop
    platform: str | None = None  # None = applies on every platform
    kind: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search; each unset field means "any"."""

    shop_id: str | None = None  # this shop's documents plus the global ones
    platform: str | None = None  # this platform's documents plus platform-neutral ones
    language: str | None = None
    kind: str | None = None
    tags: tuple[str, ...] = ()  # documents carrying every one of these tags


@dataclass(frozen=True)
class Hit:
    """One ranked result with the evidence behind it."""

    doc_id: str
    title: str
    score: float  # the ranking score: BM25, cosine, or reciprocal-rank fusion
    snippet: str  # plain text around the best-matching passage
    highlights: tuple[tuple[int, int], ...]  # [start, end) spans of matched terms in snippet
    matched_terms: tuple[str, ...]  # query words found in the document
    bm25: float | None = None
    dense: float | None = None
    bm25_rank: int | None = None  # 1-based rank in each backend's own list
    dense_rank: int | None = None

    def marked_snippet(self, open_tag: str = "<mark>", close_tag: str = "</mark>") -> str:
        """The snippet HTML-escaped, with matched terms wrapped in ``open_tag``/``close_tag``."""
        out: list[str] = []
        cursor = 0
        for start, end in self.highlights:
            out.append(html.escape(self.snippet[cursor:start]))
            out.append(open_tag + html.escape(self.snippet[start:end]) + close_tag)
            cursor = end
        out.append(html.escape(self.snippet[cursor:]))
        return "".join(out)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the shape the CLI and the REST API return)."""
        return {
            "id": self.doc_id, "title": self.title, "score": round(self.score, 6),
            "snippet": self.marked_snippet(), "snippet_text": self.snippet,
            "highlights": [list(span) for span in self.highlights],
            "matched_terms": list(self.matched_terms), "bm25": self.bm25, "dense": self.dense,
            "bm25_rank": self.bm25_rank, "dense_rank": self.dense_rank,
        }  # fmt: skip
