"""Knowledge: articles, search (BM25 + optional dense, fused by RRF) and the starter set.

Search is pure: ``SearchIndex`` takes ``Document`` values and returns ``Hit`` values; the
database layer (``models``, ``service``, ``flows``) stores article versions and feeds the index.
"""

from kefu.knowledge.articles import (
    Article,
    ArticleKind,
    LoadProblem,
    load_articles,
    parse_article,
)
from kefu.knowledge.library import index_articles, search_folder, starter_dir
from kefu.knowledge.search import Document, Hit, SearchFilters, SearchIndex

__all__ = [
    "Article",
    "ArticleKind",
    "Document",
    "Hit",
    "LoadProblem",
    "SearchFilters",
    "SearchIndex",
    "index_articles",
    "load_articles",
    "parse_article",
    "search_folder",
    "starter_dir",
]
