"""Pure search: documents in, ranked hits out (BM25 + optional dense, fused by RRF)."""

from kefu.knowledge.search.dense import Embedder, SentenceTransformerEmbedder, load_embedder
from kefu.knowledge.search.index import IndexSnapshot, SearchIndex, document_terms
from kefu.knowledge.search.tokenize import query_terms, terms, tokenize
from kefu.knowledge.search.types import Document, Hit, SearchFilters

__all__ = [
    "Document",
    "Embedder",
    "Hit",
    "IndexSnapshot",
    "SearchFilters",
    "SearchIndex",
    "SentenceTransformerEmbedder",
    "document_terms",
    "load_embedder",
    "query_terms",
    "terms",
    "tokenize",
]
