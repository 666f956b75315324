"""Pure search: documents in, ranked hits out (BM25 + optional dense, fused by RRF)."""

from kefu.knowledge.search.dense import Embedder, SentenceTransformerEmbedder, load_embedder
from kefu.knowledge.search.index import IndexSnapshot, SearchIndex, document_terms
from kefu.knowledge.search.store import (
    IndexHandle,
    append_changes,
    current_version,
    load_index,
    save_index,
)
from kefu.knowledge.search.tokenize import query_terms, terms, tokenize
from kefu.knowledge.search.types import Document, Hit, SearchFilters

__all__ = [
    "Document",
    "Embedder",
    "Hit",
    "IndexHandle",
    "IndexSnapshot",
    "SearchFilters",
    "SearchIndex",
    "SentenceTransformerEmbedder",
    "append_changes",
    "current_version",
    "document_terms",
    "load_embedder",
    "load_index",
    "query_terms",
    "save_index",
    "terms",
    "tokenize",
]
